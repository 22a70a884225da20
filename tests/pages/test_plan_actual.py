"""The Plan vs actual page: TDRp groups, spend row equal to the budget figures."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from pages import display
from sample_data import FILES_DIR

ROOT = Path(__file__).resolve().parents[2]


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/plan_actual.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _plan(product: str | None) -> float:
    budgets = pl.read_csv(FILES_DIR / "budgets.csv", infer_schema=False)
    rows = budgets.filter(pl.col("month").str.starts_with("2026"))
    if product is not None:
        rows = rows.filter(pl.col("product") == product)
    return float(rows.select(pl.col("plan").cast(pl.Decimal(18, 2)).sum()).item())


def test_portfolio_report_has_three_groups_and_the_spend_plan(seeded_url: str) -> None:
    at = _page()
    headers = [h.value for h in at.subheader]
    assert [h.split(":")[0] for h in headers] == ["Outcome", "Effectiveness", "Efficiency"]
    efficiency = at.dataframe[2].value
    spend = efficiency[efficiency["Measure"] == "Spend"].iloc[0]
    # Computed from budgets.csv: the sum of the 2026 plan column.
    assert spend["Plan"] == display.money(_plan(None), currency="GBP")


def test_one_product_report(seeded_url: str) -> None:
    at = _page()
    at.sidebar.selectbox(key="tdrp.scope").set_value("LinkedIn Learning").run()
    assert not at.exception
    efficiency = at.dataframe[2].value
    spend = efficiency[efficiency["Measure"] == "Spend"].iloc[0]
    assert spend["Plan"] == display.money(_plan("LinkedIn Learning"), currency="GBP")
    assert "LinkedIn Learning" in at.caption[0].value
