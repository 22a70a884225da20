"""The overview page, run through app.py with AppTest on a seeded sample database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from pages import display
from sample_data import FILES_DIR

ROOT = Path(__file__).resolve().parents[2]


def _run_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, label: str) -> str:
    values = {m.label: m.value for m in at.metric}
    assert label in values, f"no metric {label!r} in {sorted(values)}"
    return values[label]


def _plan_from_csv(year: int) -> float:
    """The year's plan straight from the sample budgets.csv, independently of the app."""
    budgets = pl.read_csv(FILES_DIR / "budgets.csv", infer_schema=False)
    plan = (
        budgets.filter(pl.col("month").str.starts_with(str(year)))
        .select(pl.col("plan").cast(pl.Decimal(18, 2)).sum())
        .item()
    )
    return float(plan)


def test_overview_shows_headline_figures(seeded_url: str) -> None:
    at = _run_app()
    assert at.title[0].value == "Portfolio overview"
    for label in (
        "Budget plan",
        "Actual to date",
        "Forecast",
        "Active learners",
        "Seat utilisation",
        "Idle spend",
    ):
        assert _metric(at, label) != display.NOT_TRACKED
    # Computed by hand from the sample budgets.csv: the sum of the 2026 plan column.
    assert _metric(at, "Budget plan") == display.money_short(_plan_from_csv(2026), currency="GBP")


def test_overview_table_lists_every_product_with_health(seeded_url: str) -> None:
    at = _run_app()
    table = at.dataframe[0].value
    products = pl.read_csv(FILES_DIR / "products.csv", infer_schema=False)
    assert sorted(table["Product"].tolist()) == sorted(products["product"].to_list())
    assert set(table["Health"]) <= {"Invest", "Fix", "Sunset"}
    # A product with a contract but no usage says so instead of showing zero: the column stays
    # numeric, its cell empty (st.dataframe's placeholder writes "not tracked").
    assert table["Active learners"].isna().any()
    assert (table["Active learners"].dropna() > 0).all()


def test_overview_year_switch(seeded_url: str) -> None:
    at = _run_app()
    at.sidebar.selectbox(key="overview.year").set_value(2025).run()
    assert not at.exception
    assert _metric(at, "Budget plan") == display.money_short(_plan_from_csv(2025), currency="GBP")
    assert "2025" in at.caption[0].value


@pytest.mark.parametrize("as_of", [date(2026, 11, 23)])
def test_overview_caption_says_as_of(seeded_url: str, as_of: date) -> None:
    at = _run_app()
    assert f"{as_of:%d %b %Y}" in at.caption[0].value
