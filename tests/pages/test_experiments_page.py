"""The Experiments page through app.py: results with verdicts and numeric tables, registration
(editors only, refused for a viewer), and the sample-size calculator."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from loaders import import_file
from models import make_engine
from pages.safe_text import shown_text
from tests.actors import EDITOR

ROOT = Path(__file__).resolve().parents[2]
RESULTS = (
    b"product,experiment,variant,participants,conversions,mean,sd,metric,hoped_effect\n"
    b"Onboarding Academy,Reminder nudge,control,400,120,,,completion,0.05\n"
    b"Onboarding Academy,Reminder nudge,nudge,400,144,,,completion,0.05\n"
    b"Onboarding Academy,Quiz length,long quiz,50,,7.1,1.2,score,\n"
    b"Onboarding Academy,Quiz length,short quiz,52,,7.6,1.4,score,\n"
)


@pytest.fixture
def with_results(seeded_url: str) -> str:
    engine = make_engine(seeded_url)
    assert import_file(
        RESULTS, file_name="experiments.csv", engine=engine, actor=EDITOR
    ).status == ("imported")
    engine.dispose()
    return seeded_url


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["product"] = "Onboarding Academy"
    at.run()
    at.switch_page("pages/experiments.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_results_show_verdicts_and_numeric_tables(with_results: str) -> None:
    at = _page()
    assert at.selectbox(key="experiments.product").value == "Onboarding Academy"
    verdicts = [shown_text(i.value) for i in at.info] + [shown_text(s.value) for s in at.success]
    assert any(v.startswith("nudge raised completion by 6.0 points (95 % CI −0.5 to 12.5)")
               for v in verdicts), verdicts  # fmt: skip
    assert any(v.startswith("short quiz raised score by 0.50") for v in verdicts), verdicts
    tables = [d.value for d in at.dataframe]
    nudge = next(t for t in tables if "control" in list(t["Variant"]))
    assert list(nudge["Variant"]) == ["control", "nudge"]
    assert nudge["Rate (%)"].tolist() == pytest.approx([30.0, 36.0])
    assert nudge["Effect"].iloc[1] == pytest.approx(6.0)  # numbers, formatted by column_config
    assert nudge["p"].iloc[1] == pytest.approx(0.0711, abs=1e-4)


def test_an_editor_registers_an_experiment_and_its_hypothesis_shows(with_results: str) -> None:
    at = _page()
    form = at.tabs[1]
    form.text_input[0].input("Reminder nudge")
    form.text_area[0].input("If we remind new starters after 7 days, completion rises by 5 points.")
    form.text_input[1].input("completion")
    form.number_input[0].set_value(5.0)
    form.button[0].click()
    at.run()
    assert not at.exception
    assert any("Registered" in shown_text(s.value) for s in at.success)
    assert any("completion rises by 5 points" in m.value for m in at.markdown)
    eng = create_engine(with_results)
    with eng.connect() as conn:
        row = conn.execute(text("SELECT hoped_effect, created_by FROM experiment")).one()
        logged = conn.execute(
            text("SELECT actor FROM activity WHERE action = 'experiment_register'")
        ).scalar_one()
    eng.dispose()
    assert row == (pytest.approx(0.05), "local user") and logged == "local user"


def test_a_viewer_sees_results_but_cannot_register(
    with_results: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from settings import get_settings

    monkeypatch.setenv("LP_READ_ONLY", "1")
    get_settings.cache_clear()
    at = _page()
    assert at.dataframe  # results still read
    assert any("Read-only" in i.value for i in at.tabs[1].info)
    assert not at.tabs[1].text_area


def test_the_sample_size_calculator_gives_participants_per_group(with_results: str) -> None:
    at = _page()
    size = at.tabs[2]
    size.number_input(key="ss.base").set_value(10.0)
    size.number_input(key="ss.target").set_value(12.0)
    at.run()
    assert at.tabs[2].metric[0].value == "3,841"


def test_the_product_page_shows_the_verdicts_and_links_to_the_details(with_results: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["product"] = "Onboarding Academy"
    at.run()
    at.switch_page("pages/product.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Experiments" in [s.value for s in at.subheader]
    shown = [shown_text(i.value) for i in at.info]
    assert any(
        "Reminder nudge" in t and "nudge raised completion by 6.0 points" in t for t in shown
    ), shown
