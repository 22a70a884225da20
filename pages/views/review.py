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

from exports import chart_notes, charts
from exports.payload import FundingPack, stamped
from metrics.divergence import RULES
from metrics.freshness import portfolio_freshness_sentence
from pages import decision_tables, display, links
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


def _freshness(pack: Pack) -> None:
    """How far the selection's usage runs and which products' usage is stale, beside the figures."""
    rows = [
        (i, p["product"], p.get("usage_as_of"), p.get("stale"))
        for i, p in enumerate(pack["products"])
    ]
    schema = {"product_id": pl.Int64, "product": pl.String, "usage_as_of": pl.String,
              "stale": pl.Boolean}  # fmt: skip
    fresh = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
        pl.col("usage_as_of").str.to_date()
    )
    text = portfolio_freshness_sentence(
        fresh,
        dict(fresh.select("product_id", "product").iter_rows()),
        stale_after_days=pack["assumptions"]["stale_after_days"],
    )
    if text:
        (st.warning if fresh["stale"].fill_null(False).any() else st.caption)(literal(text))


def portfolio(pack: Pack) -> None:
    """Headline money, value and idle spend of the selection, with the charts."""
    p, currency, year = pack["portfolio"], pack["currency"], pack["year"]
    st.caption(
        f"{year} · as of {display.day(pack['as_of'])} · "
        f"{display.count(p['products'], 'products')} · "
        f"money in {currency} · “not tracked” means no data, never zero"
    )
    c = st.columns(3)
    display.figure_tile(
        c[0],
        "Budget plan",
        display.money_short(p["budget_plan"], currency),
        help="Sum of the year's planned spend.",
    )
    spend = next((r for r in p.get("tdrp") or [] if r.get("key") == "spend"), {})
    share = spend.get("ytd_pct_of_plan")
    display.figure_tile(
        c[1],
        "Actual to date",
        display.money_short(p["actual_cost"], currency),
        note=None if share is None else f"{display.pct(share)} of plan to date",
        help="Sum of recorded actuals, against the plan of the months to date (the TDRp "
        "“YTD % of plan”); the overview compares it with the whole year's plan.",
    )
    display.figure_tile(
        c[2],
        "Forecast for the year",
        display.money_short(p["forecast_cost"], currency),
        help="Actual to date plus the plan of every month with no actual yet.",
    )
    c = st.columns(3)
    display.figure_tile(
        c[0],
        "Benefits delivered",
        display.money_short(p["benefits"], currency),
        note=None if p["bcr"] is None else f"benefit-cost ratio {display.ratio(p['bcr'])}",
        help="Isolated level-4 benefits (Δ measure × unit value × attribution × confidence), "
        "first year only; products without them add none.",
    )
    display.figure_tile(
        c[1],
        "ROI on actual cost",
        display.pct(p["roi"]),
        help="(Benefits − actual cost) ÷ actual cost, over every product's cost, including "
        "products whose benefits are not measured (conservative).",
    )
    display.figure_tile(
        c[2],
        "Idle licence spend",
        display.money_short(p["idle_spend"], currency),
        note=None if p["idle_seats"] is None else f"{display.count(p['idle_seats'])} idle seats",
        help="Seats nobody used × price per seat: money to recover at renewal.",
    )
    _freshness(pack)
    left, right = st.columns(2)
    for column, figure, note, key in (
        (left, charts.spend_by_product(pack), chart_notes.spend_note(pack), "review.chart.spend"),
        (right, charts.value_delivered(pack), chart_notes.value_note(pack), "review.chart.value"),
        (st, charts.idle_spend(pack), chart_notes.idle_note(pack), "review.chart.idle"),
    ):
        if figure is not None:
            column.plotly_chart(figure, key=key)
        if note:
            column.caption(literal(note))


def recommendations(pack: Pack) -> None:
    """Invest / Fix / Sunset per product, why, the ask and the scenario's change."""
    currency = pack["currency"]
    st.header("Recommendation per product")
    scenario_rows = (pack.get("scenario") or {}).get("rows") if pack.get("scenario") else None
    table = decision_tables.review_table(list(pack["products"]), scenario_rows)
    ask_year = next((p["ask"]["year"] for p in pack["products"] if p.get("ask")), None)
    st.caption(
        f"“Ask” is the plan asked for {ask_year or 'next year'} and its change on this year's "
        "plan; — means not set or not tracked. Select a row to read why in full and open the "
        "product."
    )
    links.product_table(
        table,
        key="review.table",
        currency=currency,
        kinds=decision_tables.REVIEW_KINDS,
        year=pack["year"],
        health="Recommendation",
    )
    gaps = [
        (p["product"], p["customer_vs_user"]) for p in pack["products"] if p.get("customer_vs_user")
    ]
    if gaps:
        st.markdown("**Where the sponsor's view and the learners' diverge**")
        for product, gap in gaps:
            st.markdown(f"- **{literal(product)}**: {literal(gap)}")
        st.caption(f"The rules: {RULES}.")


def scenario(pack: Pack) -> None:
    """What the chosen scenario changes against the plan."""
    s, currency = pack["scenario"], pack["currency"]
    t = s["totals"]
    st.header(f"Scenario: {literal(s['name'])}")
    c = st.columns(3)
    display.change_tile(
        c[0],
        "Scenario budget",
        display.money_short(t["scenario_budget"], currency),
        change=t.get("change"),
        text=f"{display.signed(t.get('change'), lambda v: display.money_short(v, currency))} "
        "vs plan",
        better="neither",
    )
    display.figure_tile(c[1], "Budget cap", display.money_short(t["cap"], currency))
    gap = t["gap"]
    display.figure_tile(
        c[2],
        "Over the cap" if gap is not None and gap < 0 else "Left under the cap",
        display.money_short(cap_distance(gap), currency),
    )
    stopped = ", ".join(literal(n) for n in s.get("dropped") or []) or "nothing"
    started = ", ".join(literal(n) for n in s.get("added") or []) or "nothing new"
    st.markdown(f"**Stops funding:** {stopped}. **Starts funding:** {started}.")
    if s.get("notes"):
        st.caption(literal(s["notes"]))
