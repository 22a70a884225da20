"""Funding review: the portfolio's figures, the recommendations and the scenario, from the pack.

Made for a projector: large figures, few words, the charts of the take-away
pack (`exports.charts`), so the screen and the files match. No figure is
computed here: every one is read from the funding pack.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import polars as pl
import streamlit as st

from exports import charts
from exports.payload import FundingPack, stamped
from pages import display
from pages.display import data_table
from pages.safe_text import literal
from planning.readouts import cap_distance

__all__ = ["Pack", "portfolio", "recommendations", "render_download", "scenario"]

Pack = Mapping[str, Any]


def render_download(writer: Callable[[Pack], bytes], pack: FundingPack) -> bytes:
    """Build a download only when asked (st.download_button calls this on click).

    The file says when it was made: the pack is stamped now, not when the
    page's cache computed it.
    """
    return writer(stamped(pack, datetime.now(UTC)))


def portfolio(pack: Pack) -> None:
    """Headline money, value and idle spend of the selection, with the charts."""
    p, currency, year = pack["portfolio"], pack["currency"], pack["year"]
    st.caption(
        f"{year} · as of {pack['as_of']} · {p['products']} products · money in {currency} · "
        "“not tracked” means no data, never zero"
    )
    c = st.columns(3)
    c[0].metric(
        "Budget plan",
        display.money_short(p["budget_plan"], currency),
        border=True,
        help="Sum of the year's planned spend.",
    )
    spend = next((r for r in p.get("tdrp") or [] if r.get("key") == "spend"), {})
    share = spend.get("ytd_pct_of_plan")
    c[1].metric(
        "Spent to date",
        display.money_short(p["actual_cost"], currency),
        delta=None if share is None else f"{display.pct(share)} of plan",
        delta_color="off",
        border=True,
    )
    c[2].metric(
        "Forecast for the year",
        display.money_short(p["forecast_cost"], currency),
        border=True,
        help="Spent to date plus the plan of every month with no actual yet.",
    )
    c = st.columns(3)
    c[0].metric(
        "Benefits delivered",
        display.money_short(p["benefits"], currency),
        delta=None if p["bcr"] is None else f"{display.ratio(p['bcr'])} benefit-cost ratio",
        delta_color="off",
        border=True,
        help="Isolated level-4 benefits (Δ measure × unit value × attribution × confidence), "
        "first year only; products without them add none.",
    )
    c[1].metric(
        "ROI on actual cost",
        display.pct(p["roi"]),
        border=True,
        help="(Benefits − actual cost) ÷ actual cost, over every product's cost, including "
        "products whose benefits are not measured (conservative).",
    )
    c[2].metric(
        "Idle licence spend",
        display.money_short(p["idle_spend"], currency),
        delta=None if p["idle_seats"] is None else f"{display.count(p['idle_seats'])} idle seats",
        delta_color="off",
        border=True,
        help="Seats nobody used × price per seat: money to recover at renewal.",
    )
    left, right = st.columns(2)
    for column, figure, key in (
        (left, charts.spend_by_product(pack), "review.chart.spend"),
        (right, charts.value_delivered(pack), "review.chart.value"),
    ):
        if figure is not None:
            column.plotly_chart(figure, key=key)
    idle = charts.idle_spend(pack)
    if idle is not None:
        st.plotly_chart(idle, key="review.chart.idle")


def recommendations(pack: Pack) -> None:
    """Invest / Fix / Sunset per product, why, the ask and the scenario's change."""
    currency = pack["currency"]
    st.header("Recommendation per product")
    changes = {r["product"]: r for r in (pack.get("scenario") or {}).get("rows", [])}
    rows = []
    for product in pack["products"]:
        ask = product.get("ask") or {}
        change = changes.get(product["product"])
        rows.append(
            {
                "Product": product["product"],
                "Recommendation": product["health"],
                "Why": "; ".join(product.get("health_reasons") or []),
                "Spent / plan": f"{display.money_short(product['actual_cost'], currency)} / "
                f"{display.money_short(product['budget_plan'], currency)}",
                "ROI": display.pct(product["roi"]),
                f"Ask {ask.get('year', '')}": "not set"
                if ask.get("plan") is None
                else display.money_short(ask["plan"], currency),
                "Scenario": "—" if change is None else _scenario_cell(change, currency),
            }
        )
    table = pl.DataFrame(rows)
    if not pack.get("scenario"):
        table = table.drop("Scenario")
    data_table(
        table, hide_index=True, width="stretch", key="review.table", height=38 + 35 * len(rows)
    )


def _scenario_cell(change: Mapping[str, Any], currency: str) -> str:
    budget = display.money_short(change["scenario_budget"], currency)
    return f"{budget} ({display.pct(change['change'])})"


def scenario(pack: Pack) -> None:
    """What the chosen scenario changes against the plan."""
    s, currency = pack["scenario"], pack["currency"]
    t = s["totals"]
    st.header(f"Scenario: {literal(s['name'])}")
    c = st.columns(3)
    c[0].metric(
        "Scenario budget",
        display.money_short(t["scenario_budget"], currency),
        delta=None
        if t.get("change") is None
        else f"{display.money_short(t['change'], currency)} vs plan",
        delta_color="off",
        border=True,
    )
    c[1].metric("Budget cap", display.money_short(t["cap"], currency), border=True)
    gap = t["gap"]
    c[2].metric(
        "Over the cap" if gap is not None and gap < 0 else "Left under the cap",
        display.money_short(cap_distance(gap), currency),
        border=True,
    )
    stopped = ", ".join(literal(n) for n in s.get("dropped") or []) or "nothing"
    started = ", ".join(literal(n) for n in s.get("added") or []) or "nothing new"
    st.markdown(f"**Stops funding:** {stopped}. **Starts funding:** {started}.")
    if s.get("notes"):
        st.caption(literal(s["notes"]))
