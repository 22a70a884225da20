"""The overview's per-product charts draw at most `MOST_BARS` products, and say who is left out.

At 2,000 products "Spend vs plan by product" was 68,000 pixels tall (34 a bar): Chromium
drew nothing, and every chart and table below it sat a minute's scroll away. The seat
chart and the reach heat-map grew the same way. Each now keeps the largest (the funding
review's rule, `exports.charts.MOST_BARS`), and the line under it names the rest.
"""

from __future__ import annotations

import polars as pl

from exports.charts import MOST_BARS
from pages import chart_notes, charts, people_charts
from pages.people_charts import ALL


def _card(n: int) -> pl.DataFrame:
    """`n` products: product k plans k thousand, spends half; the even ones hold k seats idle."""
    ks = list(range(1, n + 1))
    return pl.DataFrame(
        {
            "product": [f"Product {k:03d}" for k in ks],
            "budget_plan": [1000.0 * k for k in ks],
            "actual_cost": [500.0 * k for k in ks],
            "forecast_cost": [900.0 * k for k in ks],
            "seats": [10 * k if k % 2 == 0 else None for k in ks],
            "idle_seats": [k if k % 2 == 0 else None for k in ks],
            "idle_spend": [100.0 * k if k % 2 == 0 else None for k in ks],
        }
    )


def _names(figure: object) -> list[str]:
    return list(figure.data[0].y)  # type: ignore[attr-defined]


def test_spend_vs_plan_draws_the_largest_plans_and_names_the_rest() -> None:
    card = _card(30)
    figure = charts.spend_vs_plan(card, year=2026, currency="GBP")
    assert _names(figure) == [f"Product {k:03d}" for k in range(6, 31)]  # drawn bottom-up
    assert figure.layout.height < 1200  # 25 bars and the legend, not 30 or 2,000
    assert chart_notes.spend_note(card) == (
        "Not shown: Product 005, Product 004, Product 003, Product 002 and Product 001"
        " (smaller plans than the 25 shown)."
    )


def test_seat_use_draws_the_most_idle_spend_and_names_the_rest() -> None:
    card = _card(60)  # 30 licensed: products 2, 4, ..., 60
    figure = charts.seat_use(card, currency="GBP")
    assert _names(figure) == [f"Product {k:03d}" for k in range(12, 61, 2)]
    assert chart_notes.seat_note(card) == (
        "Not shown: Product 010, Product 008, Product 006, Product 004 and Product 002"
        " (less idle spend than the 25 shown)."
    )


def test_a_portfolio_that_fits_draws_every_product_and_says_nothing_more() -> None:
    card = _card(MOST_BARS)
    assert len(_names(charts.spend_vs_plan(card, year=2026, currency="GBP"))) == MOST_BARS
    assert chart_notes.spend_note(card) is None
    assert chart_notes.seat_note(card) is None


def test_the_products_left_without_a_plan_are_still_named_first() -> None:
    card = pl.concat([_card(26), _card(1).with_columns(
        product=pl.lit("Idle idea"), budget_plan=None, actual_cost=None
    )])  # fmt: skip
    assert chart_notes.spend_note(card) == (
        "Not shown: Idle idea (no plan or spend this year);"
        " Product 001 (smaller plans than the 25 shown)."
    )


def _reach_rows(n: int) -> pl.DataFrame:
    """`n` products in two units; product k has k active learners in each (hidden below 5)."""
    rows = []
    for k in range(1, n + 1):
        for unit in ("Sales", "Ops"):
            hidden = k < 5
            rows.append(
                {
                    "product": f"Product {k:03d}",
                    "org_unit": unit,
                    "headcount": 100,
                    "active_learners": None if hidden else k,
                    "reach": None if hidden else k / 100,
                    "suppressed": hidden,
                }
            )
    rows += [
        {"product": ALL, "org_unit": u, "headcount": 100, "active_learners": 90, "reach": 0.9,
         "suppressed": False}
        for u in ("Sales", "Ops")
    ]  # fmt: skip
    return pl.DataFrame(rows)


def test_the_reach_map_keeps_the_most_active_products_a_to_z_under_the_portfolio() -> None:
    rows = _reach_rows(40)
    figure = people_charts.reach_heatmap(rows, min_group=5)
    shown = list(figure.data[0].y)
    assert shown[-1] == ALL  # on top
    # the 25 most active (16 to 40), A to Z from the top: plotly draws the first row lowest
    assert shown[:-1] == [f"Product {k:03d}" for k in range(40, 15, -1)]
    assert figure.layout.height < 1200
    assert people_charts.heatmap_note(rows) == (
        "The 25 products with the most active learners of 40; the table above lists every product."
    )
    assert people_charts.heatmap_note(_reach_rows(MOST_BARS)) is None


def test_a_long_table_scrolls_within_instead_of_growing_past_what_chromium_draws() -> None:
    """A product table shows every row up to `ROWS_IN_VIEW`; a longer one scrolls inside."""
    from pages.display import ROWS_IN_VIEW, table_height

    assert table_height(16) == 38 + 35 * 16  # a sample portfolio: every row, no inner scroll
    assert table_height(2_000) == table_height(ROWS_IN_VIEW) < 2_000  # not 70,038 px
