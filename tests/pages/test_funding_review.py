"""The Funding review page: the pack's figures on screen, a scenario's changes, downloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from streamlit.testing.v1 import AppTest

from models.db import session_scope
from models.scenarios import save_scenario
from pages import display
from pages.safe_text import literal
from planning.scenarios import Scenario
from tests.actors import EDITOR
from tests.exports.conftest import export_json

ROOT = Path(__file__).resolve().parents[2]


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/funding_review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_links(at: AppTest) -> list[object]:
    """The `st.page_link` protos on the page (AppTest has no accessor for them)."""
    found: list[object] = []

    def walk(node: object) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", None) == "page_link":
                found.append(child.proto)
            walk(child)

    walk(at.main)
    return found


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_headline_figures_equal_the_json_export(seeded_url: str) -> None:
    at = _page()
    pack = export_json(seeded_url)
    portfolio = pack["portfolio"]
    assert _metric(at, "Budget plan") == display.money_short(
        portfolio["budget_plan"], currency="GBP"
    )
    assert _metric(at, "Actual to date") == display.money_short(
        portfolio["actual_cost"], currency="GBP"
    )
    assert _metric(at, "Benefits delivered") == display.money_short(
        portfolio["benefits"], currency="GBP"
    )
    assert _metric(at, "ROI on actual cost") == display.pct(portfolio["roi"])
    table = at.dataframe[0].value
    assert sorted(table["Product"]) == sorted(p["product"] for p in pack["products"])
    assert set(table["Recommendation"]) <= {"Invest", "Fix", "Sunset"}
    # Money and percentages stay numbers, so the columns sort as numbers (not as text,
    # where "£15,200" sorts after "£130,000").
    by_name = {p["product"]: p for p in pack["products"]}
    for column in ("Plan", "Actual to date", "Forecast", "ROI", "Ask"):
        assert table[column].dtype.kind == "f", column
    for _, row in table.iterrows():
        product = by_name[row["Product"]]
        if product["budget_plan"] is not None:
            assert row["Plan"] == pytest.approx(product["budget_plan"])
        if product["roi"] is not None:
            assert row["ROI"] == pytest.approx(product["roi"] * 100)
    assert list(table.columns[:2]) == ["Product", "Recommendation"]
    assert table.columns[-1] == "Why"  # the long reasons last; a selected row shows them whole


def test_selecting_a_row_shows_why_in_full_and_links_to_the_product(seeded_url: str) -> None:
    at = _page()
    table = at.dataframe[0].value
    excel = int(table.index[table["Product"] == "Excel Classroom Courses"][0])
    at.session_state["review.table"] = {"selection": {"rows": [excel], "columns": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    why = table.loc[excel, "Why"]
    assert any(m.value == literal(why) for m in at.markdown), why
    # Streamlit's AppTest has no page_link element type yet: it is an UnknownElement.
    links = [e for e in at.main if getattr(e, "type", "") == "page_link"]
    assert (links and links[0].proto.page.endswith("product")) or links


def test_one_pager_and_its_four_risks(seeded_url: str) -> None:
    at = _page()
    at.selectbox(key="review.product").set_value("Excel Classroom Courses").run()
    assert not at.exception
    assert any("Excel Classroom Courses" in h.value for h in at.subheader)
    text = " ".join(m.value for m in at.markdown)
    for risk in ("Value", "Usability", "Feasibility", "Viability"):
        assert f"**{risk}**" in text


def test_a_scenario_shows_what_it_changes(seeded_url: str) -> None:
    engine = create_engine(seeded_url)
    with engine.connect() as conn:
        linkedin = conn.exec_driver_sql(
            "SELECT id FROM product WHERE name = 'LinkedIn Learning'"
        ).scalar_one()
    scenario = Scenario(name="Stop LinkedIn", year=2026, budget_changes={linkedin: -1.0})
    with session_scope(engine) as session:
        save_scenario(
            session=session, name=scenario.name, year=2026, payload=scenario.to_dict(), actor=EDITOR
        )
    engine.dispose()
    at = _page()
    at.sidebar.selectbox(key="review.scenario").set_value("Stop LinkedIn").run()
    assert not at.exception
    assert any(h.value == "Scenario: Stop LinkedIn" for h in at.header)
    assert any("LinkedIn Learning" in m.value and "Stops funding" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    row = table[table["Product"] == "LinkedIn Learning"].iloc[0]
    # Numbers, not words: the scenario's budget and its change in percentage points.
    assert (row["Scenario budget"], row["Scenario change"]) == (0.0, -100.0)


def test_a_product_selection_narrows_the_pack(seeded_url: str) -> None:
    at = _page()
    at.sidebar.multiselect(key="review.products").set_value(["LinkedIn Learning"]).run()
    assert not at.exception
    pack = export_json(seeded_url, "--product", "LinkedIn Learning")
    assert _metric(at, "Budget plan") == display.money_short(
        pack["portfolio"]["budget_plan"], currency="GBP"
    )
    assert list(at.dataframe[0].value["Product"]) == ["LinkedIn Learning"]
    assert json.dumps(pack)  # the same selection exports


def test_a_pdf_of_hundreds_of_pages_says_so_before_it_is_asked_for(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 2,000-product pack prints for minutes (about seven here): the button says so."""
    from exports import pdf_writer

    if pdf_writer.chromium_path(None) is None:
        pytest.skip("no Chromium: the PDF button is not drawn")
    at = _page()
    assert not [c for c in at.sidebar.caption if "pages, minutes to print" in c.value]
    monkeypatch.setattr(pdf_writer, "page_count", lambda pack: 2_010)
    at.run()
    assert not at.exception
    assert [c.value for c in at.sidebar.caption if "minutes to print" in c.value] == [
        "PDF: 2,010 pages, minutes to print; choose products above for a shorter one."
    ]
