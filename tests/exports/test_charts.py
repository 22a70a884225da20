"""The pack's portfolio charts draw the largest products only, and say so (`exports.charts`).

A portfolio of hundreds of products drew one bar each: a chart tens of thousands of
pixels tall. Each chart now draws the `MOST_BARS` largest and the line under it names
the rest, so no product disappears without a word.
"""

from __future__ import annotations

from typing import Any

from exports import chart_notes, charts
from exports.charts import MOST_BARS


def _pack(n: int) -> dict[str, Any]:
    """`n` products; product k plans k thousand, spends half, benefits 2k, idles k hundred."""
    products = [
        {
            "product": f"Product {k:03d}",
            "budget_plan": 1000.0 * k,
            "actual_cost": 500.0 * k,
            "forecast_cost": 900.0 * k,
            "benefits": 2000.0 * k,
            "roi": 3.0,
            "idle_spend": 100.0 * k,
            "idle_seats": k,
            "seats": 10 * k,
        }
        for k in range(1, n + 1)
    ]
    return {"currency": "GBP", "year": 2026, "products": products}


def _bar_names(figure: Any) -> list[str]:
    return [str(name).split("<br>")[0] for name in figure.data[0].y]


def test_a_large_portfolio_draws_its_largest_products_and_names_the_rest() -> None:
    pack = _pack(30)
    spend, value, idle = (
        charts.spend_by_product(pack),
        charts.value_delivered(pack),
        charts.idle_spend(pack),
    )
    largest = [f"Product {k:03d}" for k in range(6, 31)]  # 25 largest, drawn bottom-up
    for figure in (spend, value, idle):
        assert figure is not None
        assert _bar_names(figure) == largest
    assert chart_notes.spend_note(pack) == (
        "Not shown: Product 005, Product 004, Product 003, Product 002 and Product 001"
        " (smaller plans than the 25 shown)."
    )
    assert chart_notes.value_note(pack) == (
        "Not shown: Product 005, Product 004, Product 003, Product 002 and Product 001"
        " (smaller benefits than the 25 shown)."
    )
    assert chart_notes.idle_note(pack) == (
        "Not shown: Product 005, Product 004, Product 003, Product 002 and Product 001"
        " (less idle spend than the 25 shown)."
    )


def test_a_portfolio_that_fits_draws_every_product_under_its_plain_title() -> None:
    pack = _pack(MOST_BARS)
    figure = charts.spend_by_product(pack)
    assert figure is not None
    assert len(figure.data[0].y) == MOST_BARS
    assert figure.layout.title.text == "Spend by product, 2026"
    assert chart_notes.spend_note(pack) is None
    assert chart_notes.idle_note(pack) is None
