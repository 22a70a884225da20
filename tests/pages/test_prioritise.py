"""The Prioritise page on the seeded sample portfolio, through app.py."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import create_engine
from streamlit.testing.v1 import AppTest

from models.db import session_scope
from models.scenarios import list_scenarios, load_scenario
from pages.safe_text import literal
from planning.scenarios import Scenario, to_query
from sample_data import FILES_DIR
from tests.actors import EDITOR

ROOT = Path(__file__).resolve().parents[2]


def _page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    if query:
        at.query_params.update(query)
    at.run()
    at.switch_page("pages/prioritise.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ranking(at: AppTest) -> list[str]:
    return at.dataframe[0].value["Product"].tolist()


def _view(at: AppTest, name: str) -> AppTest:
    at.segmented_control(key="prio.view").set_value(name).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_moving_a_weight_reorders_the_ranking(seeded_url: str) -> None:
    at = _page()
    before = _ranking(at)
    assert len(before) == 16  # every sample product, the one in discovery too
    for key in ("strategic_fit", "reach", "cost_efficiency", "delivery_risk"):
        at.slider(key=f"prio.weight.{key}").set_value(0.0)
    at.slider(key="prio.weight.impact_evidence").set_value(10.0).run()
    assert not at.exception
    after = _ranking(at)
    assert sorted(after) == sorted(before)
    assert after != before
    # Only impact evidence counts now: the flagship programme with level-4 evidence leads.
    table = at.dataframe[0].value
    assert table["Score"].is_monotonic_decreasing
    assert (table["Strategic fit (pts)"] == 0).all()


def test_all_weights_zero_says_so(seeded_url: str) -> None:
    at = _page()
    for key in ("strategic_fit", "reach", "cost_efficiency", "impact_evidence", "delivery_risk"):
        at.slider(key=f"prio.weight.{key}").set_value(0.0)
    at.run()
    assert not at.exception
    assert any("Every weight is zero" in w.value for w in at.warning)


def test_ahp_weights_show_their_consistency(seeded_url: str) -> None:
    at = _page()
    at.radio(key="prio.method").set_value("Pairwise comparison (AHP)").run()
    assert not at.exception
    at.select_slider(key="prio.ahp.strategic_fit.reach").set_value("much more important").run()
    messages = [m.value for m in (*at.success, *at.warning)]
    assert any("Consistency ratio" in m for m in messages), messages
    assert _ranking(at)


def test_what_if_totals_follow_a_slider(seeded_url: str) -> None:
    at = _page()
    _view(at, "Budget what-if")
    spend = at.metric[1].value
    first = next(s for s in at.slider if s.key and s.key.startswith("prio.change."))
    first.set_value(-100).run()
    assert not at.exception
    assert at.metric[1].value != spend


def test_best_set_under_a_cap_explains_itself(seeded_url: str) -> None:
    at = _page()
    _view(at, "Best set under a cap")
    at.number_input(key="prio.cap").set_value(500_000.0).run()
    assert not at.exception
    assert at.info, "the explanation of the best set against the funding line"
    table = at.dataframe[0].value
    assert len(table) == 16


def test_save_load_and_share_a_scenario(seeded_url: str) -> None:
    at = _page()
    at.sidebar.text_input(key="prio.scenario_name").set_value("Grow coaching")
    at.slider(key="prio.weight.reach").set_value(7.5)
    at.sidebar.button(key="prio.save").click().run()
    assert not at.exception
    engine = create_engine(seeded_url)
    with session_scope(engine) as session:
        assert [s.name for s in list_scenarios(session=session)] == ["Grow coaching"]
        stored = Scenario.from_dict(load_scenario(session=session, name="Grow coaching"))
    assert stored.weights["reach"] == 7.5
    engine.dispose()

    # A fresh session opened from the share link shows the same weights.
    shared = _page(to_query(stored))
    assert shared.slider(key="prio.weight.reach").value == 7.5
    assert shared.sidebar.text_input(key="prio.scenario_name").value == "Grow coaching"


@pytest.mark.parametrize("view", ["Sensitivity", "Compare scenarios"])
def test_other_views_render(seeded_url: str, view: str) -> None:
    at = _page()
    _view(at, view)


def test_compare_two_saved_scenarios_side_by_side(seeded_url: str) -> None:
    from models.scenarios import save_scenario

    engine = create_engine(seeded_url)
    with engine.connect() as conn:
        linkedin = conn.exec_driver_sql(
            "SELECT id FROM product WHERE name = 'LinkedIn Learning'"
        ).scalar_one()
    cut = Scenario(name="Cut LinkedIn", year=2026, budget_changes={linkedin: -1.0})
    with session_scope(engine) as session:
        save_scenario(
            session=session, name=cut.name, year=2026, payload=cut.to_dict(), actor=EDITOR
        )
    engine.dispose()
    at = _page()
    _view(at, "Compare scenarios")
    at.multiselect(key="prio.compare").set_value(["(this page, unsaved)", "Cut LinkedIn"]).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["Measure", "(this page, unsaved)", "Cut LinkedIn"]
    funded = table[table["Measure"] == "Products funded"].iloc[0]
    assert (funded["(this page, unsaved)"], funded["Cut LinkedIn"]) == ("15", "14")
    assert any("stops LinkedIn Learning" in m.value for m in at.markdown)


def test_rice_view_ranks_by_rice(seeded_url: str) -> None:
    at = _page()
    at.radio(key="prio.rank_by").set_value("RICE").run()
    assert not at.exception
    table = at.dataframe[0].value
    ranked = table.dropna(subset=["rice"])
    assert list(ranked["rice_rank"]) == sorted(ranked["rice_rank"])
    assert ranked["rice"].is_monotonic_decreasing


def _plan(year: int) -> float:
    """The year's plan straight from the sample budgets.csv, independently of the app."""
    budgets = pl.read_csv(FILES_DIR / "budgets.csv", infer_schema=False)
    rows = budgets.filter(pl.col("month").str.starts_with(str(year)))
    return float(rows.select(pl.col("plan").cast(pl.Decimal(18, 2)).sum()).item())


def test_switching_the_year_resets_the_cap_and_the_scenario_name(seeded_url: str) -> None:
    at = _page()
    at.slider(key="prio.weight.reach").set_value(7.5).run()
    _view(at, "Best set under a cap")
    # Computed from budgets.csv: the default cap is the year's whole plan.
    assert at.number_input(key="prio.cap").value == pytest.approx(_plan(2026), abs=0.005)
    at.number_input(key="prio.cap").set_value(123_000.0)
    at.sidebar.text_input(key="prio.scenario_name").set_value("Grow coaching").run()
    assert at.number_input(key="prio.cap").value == 123_000.0
    at.sidebar.selectbox(key="prio.year").set_value(2025).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.number_input(key="prio.cap").value == pytest.approx(_plan(2025), abs=0.005)
    assert at.sidebar.text_input(key="prio.scenario_name").value == "Scenario 2025"
    # The weights are a way of judging, not the year's money: they carry over.
    assert at.session_state["prio.weight.reach"] == 7.5


def _save(url: str, scenario: Scenario) -> None:
    from models.scenarios import save_scenario

    engine = create_engine(url)
    with session_scope(engine) as session:
        save_scenario(
            session=session, name=scenario.name, year=2026, payload=scenario.to_dict(), actor=EDITOR
        )
    engine.dispose()


def _saved_names(url: str) -> list[str]:
    engine = create_engine(url)
    with session_scope(engine) as session:
        names = [s.name for s in list_scenarios(session=session)]
    engine.dispose()
    return names


def test_loading_a_saved_scenario_sets_every_widget(seeded_url: str) -> None:
    # Load used to set the name after its text box was drawn: StreamlitAPIException.
    reach_only = {"strategic_fit": 0.0, "reach": 9.0, "cost_efficiency": 0.0}
    _save(seeded_url, Scenario(name="Reach first", year=2026, weights=reach_only))
    at = _page()
    assert at.slider(key="prio.weight.reach").value != 9.0
    at.sidebar.selectbox(key="prio.load.name").set_value("Reach first")
    at.sidebar.button(key="prio.load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.slider(key="prio.weight.reach").value == 9.0
    assert at.slider(key="prio.weight.strategic_fit").value == 0.0
    assert at.sidebar.text_input(key="prio.scenario_name").value == "Reach first"


def test_delete_asks_first_and_cancel_keeps_the_scenario(seeded_url: str) -> None:
    _save(seeded_url, Scenario(name="Keep me", year=2026))
    at = _page()
    at.sidebar.button(key="prio.delete").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _saved_names(seeded_url) == ["Keep me"]  # nothing deleted on the first click
    assert "Delete the saved scenario “Keep me” for everyone?" in at.sidebar.warning[0].value
    at.sidebar.button(key="prio.delete.cancel").click().run()
    assert _saved_names(seeded_url) == ["Keep me"]
    assert len(at.sidebar.warning) == 0

    at.sidebar.button(key="prio.delete").click().run()
    at.sidebar.button(key="prio.delete.confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _saved_names(seeded_url) == []
    assert len(at.sidebar.warning) == 0


def test_switching_to_pairwise_and_back_keeps_the_weights(seeded_url: str) -> None:
    at = _page()
    at.slider(key="prio.weight.reach").set_value(7.5).run()
    at.radio(key="prio.method").set_value("Pairwise comparison (AHP)").run()
    at.radio(key="prio.method").set_value("Sliders").run()
    assert not at.exception, [e.value for e in at.exception]
    # The user's 7.5 and the untouched defaults come back, not 0 (issue 15).
    assert at.slider(key="prio.weight.reach").value == 7.5
    assert at.slider(key="prio.weight.strategic_fit").value == 3.0


def test_the_best_set_respects_cuts_and_sunset_unless_told_not_to(seeded_url: str) -> None:
    at = _page()
    ids = dict(
        create_engine(seeded_url).connect().exec_driver_sql("SELECT name, id FROM product").all()
    )
    at.session_state[f"prio.change.{ids['LinkedIn Learning']}"] = -100  # the user's cut
    _view(at, "Best set under a cap")
    table = at.dataframe[0].value.set_index("Product")
    # Levels are numbers (percentage points), so they sort as numbers.
    assert table["Best set"].dtype.kind == "f" and table["Cost"].dtype.kind == "f"
    # Cut to −100 % in the what-if, and labelled Sunset (sample: Excel Classroom Courses):
    # both left out, and the sentence says why.
    assert table.loc["LinkedIn Learning", "Best set"] == 0.0
    assert table.loc["Excel Classroom Courses", "Best set"] == 0.0
    said = at.info[0].value
    assert literal("LinkedIn Learning (cut to −100 % in your what-if)") in said, said
    assert literal("Excel Classroom Courses (labelled Sunset)") in said, said
    # "Respect my cuts" off: the optimiser may fund them again (it does, at this cap).
    at.toggle(key="prio.best.respect").set_value(False).run()
    table = at.dataframe[0].value.set_index("Product")
    assert table.loc["Excel Classroom Courses", "Best set"] > 0


def test_a_large_portfolio_draws_sliders_for_the_products_picked(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `_SLIDERS_IN_VIEW` products the what-if draws the picked ones, changed ones always.

    At 2,000 products the tab drew 2,000 sliders and a 60,000 px chart; the 16 sample
    products stand in for such a portfolio with the thresholds at 5.
    """
    from pages import planning_charts
    from pages.views import what_if

    monkeypatch.setattr(what_if, "_SLIDERS_IN_VIEW", 5)
    monkeypatch.setattr(planning_charts, "MOST_BARS", 5)
    at = _view(_page(), "Budget what-if")

    def sliders() -> list[str]:
        return [s.label for s in at.slider if s.key and s.key.startswith("prio.change.")]

    picker = at.multiselect(key="prio.whatif.picked")
    assert "16 in the portfolio" in picker.label
    assert sliders() == []
    names = picker.options  # largest budget first
    picker.set_value([names[3], names[0]]).run()
    assert not at.exception
    assert sorted(label.split(" (")[0] for label in sliders()) == sorted([names[3], names[0]])
    spend = at.metric[1].value
    changed = next(s for s in at.slider if s.label.startswith(names[3] + " ("))
    changed.set_value(-100).run()
    assert at.metric[1].value != spend
    chart = at.get("plotly_chart")[0].proto.spec
    assert "(5 of 16: changed first, then largest)" in chart
    # taken off the list, the changed product comes back: no change is out of sight
    at.multiselect(key="prio.whatif.picked").set_value([names[0]]).run()
    assert set(at.multiselect(key="prio.whatif.picked").value) == {names[0], names[3]}
    # another view and back: the list and the change are kept
    _view(_view(at, "Ranking"), "Budget what-if")
    assert set(at.multiselect(key="prio.whatif.picked").value) == {names[0], names[3]}
    assert at.metric[1].value != spend
