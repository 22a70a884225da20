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
    # numeric, its cell empty (st.dataframe's placeholder writes "—").
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


def test_tiles_show_arrows_only_for_a_change_and_the_right_way(seeded_url: str) -> None:
    at = _run_app()
    tiles = {m.label: m.proto for m in at.metric}
    # A share of the plan is a fact, not a change: no arrow, no colour.
    spent = tiles["Actual to date"]
    assert spent.delta.endswith("of the year's plan")
    assert spent.direction == spent.MetricDirection.NONE
    # The forecast against the plan is a change: signed, its arrow follows the sign and an
    # overspend is red (more spend is worse).
    forecast = tiles["Forecast"]
    assert forecast.delta.startswith(("+", "−")) and forecast.delta.endswith("vs plan")
    going_up = forecast.delta.startswith("+")
    assert forecast.direction == (
        forecast.MetricDirection.UP if going_up else forecast.MetricDirection.DOWN
    )
    assert forecast.color == (forecast.MetricColor.RED if going_up else forecast.MetricColor.GREEN)


def test_the_product_table_sorts_as_numbers_and_pins_the_product(seeded_url: str) -> None:
    at = _run_app()
    frame = at.dataframe[0]
    table = frame.value
    for column in ("Plan", "Actual to date", "Forecast", "Idle spend", "ROI", "Reach"):
        assert table[column].dtype.kind == "f", column  # numbers: a sort is by value
    # The sample's plan figures, computed from budgets.csv: numbers sort £15,200 < £108,600,
    # where text put "£15,200" after "£130,000".
    ordered = sorted(table["Plan"].dropna())
    assert ordered[0] < 20_000 < 100_000 < ordered[-1]
    config = frame.proto.columns
    assert '"pinned":true' in config.replace(" ", "") and '"Product"' in config
    assert list(table.columns[:2]) == ["Product", "Health"] and table.columns[-1] == "Why"


def test_the_chosen_year_carries_to_the_next_page_and_the_address(seeded_url: str) -> None:
    at = _run_app()
    at.sidebar.selectbox(key="overview.year").set_value(2025).run()
    assert at.query_params["year"] == "2025"
    at.switch_page("pages/product.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox(key="product.year").value == 2025
    at.switch_page("pages/plan_actual.py").run()
    assert at.sidebar.selectbox(key="tdrp.year").value == 2025


def test_a_link_with_a_year_opens_on_that_year(seeded_url: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["year"] = "2025"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox(key="overview.year").value == 2025
