"""The pack's portfolio charts draw the largest products only, and say so (`exports.charts`).

A portfolio of hundreds of products drew one bar each: a chart tens of thousands of
pixels tall. Each chart now draws the `MOST_BARS` largest and the line under it names
the rest, so no product disappears without a word.
"""

from __future__ import annotations

from typing import Any

import pytest

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


def test_layout_parts_merge_as_plotly_merges_them() -> None:
    """`charts.merged`: nested keys merged one by one, the later part winning, as plotly does."""
    base = {"margin": {"l": 10, "b": 48}, "legend": {"x": 0, "font": {"color": "#111"}}, "h": 1}
    assert charts.merged(base, {"margin": {"b": 36}, "legend": {"x": 1}, "h": 2}) == {
        "margin": {"l": 10, "b": 36},
        "legend": {"x": 1, "font": {"color": "#111"}},
        "h": 2,
    }
    assert base["margin"] == {"l": 10, "b": 48}  # the parts are left as they were


def test_the_html_pack_builds_its_charts_without_plotlys_per_call_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each chart is one dict checked once: `add_bar`/`update_layout` cost 20 ms a chart.

    At 2,000 products (two charts each) those calls took 80 s of the HTML pack's build.
    """
    import plotly.graph_objects as go

    from exports.html_writer import render_html
    from tests.test_pack_speed_paths import pack_of, portfolio

    calls: list[str] = []
    for name in ("add_bar", "add_scatter", "update_layout", "update_xaxes", "update_yaxes"):
        monkeypatch.setattr(go.Figure, name, lambda self, *a, _n=name, **k: calls.append(_n))
    document = render_html(pack_of(portfolio(6, rows=300)))  # type: ignore[arg-type]
    assert b"Plotly.newPlot" in document
    assert calls == []
