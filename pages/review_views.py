"""The Funding review page's sections, drawn from the funding pack (no figure computed here).

Made for a projector: large figures, few words, the charts of the take-away
pack (`exports.charts`), so the screen and the files match.
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

__all__ = ["one_pager", "portfolio", "recommendations", "render_download", "scenario"]

Pack = Mapping[str, Any]
_HEALTH_BADGE = {"Invest": ":green-badge[● Invest]", "Fix": ":orange-badge[▲ Fix]"}
_HEALTH_BADGE["Sunset"] = ":red-badge[✖ Sunset]"
_RISK_BADGE = {
    "high": ":red-badge[high]",
    "medium": ":orange-badge[medium]",
    "low": ":green-badge[low]",
}
_RISKS = (
    ("value", "Value", "Will it pay back for the business?"),
    ("usability", "Usability", "Will learners use it?"),
    ("feasibility", "Feasibility", "Can we deliver it?"),
    ("viability", "Viability", "Does it still make sense to fund?"),
)


def render_download(writer: Callable[[Pack], bytes], pack: FundingPack) -> bytes:
    """Build a download only when asked (st.download_button calls this on click).

    The file says when it was made: the pack is stamped now, not when the
    page's cache computed it.
    """
    return writer(stamped(pack, datetime.now(UTC)))


def _money(value: float | None, currency: str) -> str:
    return display.money_short(value, currency)


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
        _money(p["budget_plan"], currency),
        border=True,
        help="Sum of the year's planned spend.",
    )
    spend = next((r for r in p.get("tdrp") or [] if r.get("key") == "spend"), {})
    share = spend.get("ytd_pct_of_plan")
    c[1].metric(
        "Spent to date",
        _money(p["actual_cost"], currency),
        delta=None if share is None else f"{display.pct(share)} of plan",
        delta_color="off",
        border=True,
    )
    c[2].metric(
        "Forecast for the year",
        _money(p["forecast_cost"], currency),
        border=True,
        help="Spent to date plus the plan of every month with no actual yet.",
    )
    c = st.columns(3)
    c[0].metric(
        "Benefits delivered",
        _money(p["benefits"], currency),
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
        _money(p["idle_spend"], currency),
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
                "Spent / plan": f"{_money(product['actual_cost'], currency)} / "
                f"{_money(product['budget_plan'], currency)}",
                "ROI": display.pct(product["roi"]),
                f"Ask {ask.get('year', '')}": "not set"
                if ask.get("plan") is None
                else _money(ask["plan"], currency),
                "Scenario": "—" if change is None else _scenario_cell(change, currency),
            }
        )
    table = pl.DataFrame(rows)
    if not pack.get("scenario"):
        table = table.drop("Scenario")
    st.dataframe(
        table, hide_index=True, width="stretch", key="review.table", height=38 + 35 * len(rows)
    )


def _scenario_cell(change: Mapping[str, Any], currency: str) -> str:
    return f"{_money(change['scenario_budget'], currency)} ({display.pct(change['change'])})"


def scenario(pack: Pack) -> None:
    """What the chosen scenario changes against the plan."""
    s, currency = pack["scenario"], pack["currency"]
    t = s["totals"]
    st.header(f"Scenario: {s['name']}")
    c = st.columns(3)
    c[0].metric(
        "Scenario budget",
        _money(t["scenario_budget"], currency),
        delta=None if t.get("change") is None else f"{_money(t['change'], currency)} vs plan",
        delta_color="off",
        border=True,
    )
    c[1].metric("Budget cap", _money(t["cap"], currency), border=True)
    gap = t["gap"]
    c[2].metric(
        "Over the cap" if gap is not None and gap < 0 else "Left under the cap",
        _money(None if gap is None else abs(gap), currency),
        border=True,
    )
    stopped = ", ".join(s.get("dropped") or []) or "nothing"
    started = ", ".join(s.get("added") or []) or "nothing new"
    st.markdown(f"**Stops funding:** {stopped}. **Starts funding:** {started}.")
    if s.get("notes"):
        st.caption(s["notes"])


def one_pager(pack: Pack) -> None:
    """One product's page: problem and people, cost, use, evidence, ask, risks."""
    products = pack["products"]
    if not products:
        return
    st.header("One-pager")
    names = [p["product"] for p in products]
    name = st.selectbox("Product", names, key="review.product")
    product = products[names.index(name)]
    currency, year = pack["currency"], pack["year"]
    profile = product.get("profile") or {}
    st.subheader(f"{product['product']}  {_HEALTH_BADGE.get(product['health'], '')}")
    st.markdown(f"#### {product.get('summary') or ''}")
    left, right = st.columns(2)
    left.markdown(
        f"**The problem it solves**  \n{profile.get('business_problem') or 'not recorded'}  \n"
        f"**Business goal:** {profile.get('business_goal') or 'not recorded'}"
    )
    right.markdown(
        f"**Customer (sponsor, who funds it):** {profile.get('sponsor') or 'not recorded'}  \n"
        f"**Users (learners):** {profile.get('target_audience') or 'not recorded'}"
        f" — {display.count(product.get('target_audience_size'))} people  \n"
        f"**Owner:** {profile.get('owner') or 'not recorded'}"
    )
    c = st.columns(4)
    c[0].metric("Spent to date", _money(product["actual_cost"], currency), border=True)
    c[1].metric(
        "Fully-loaded cost",
        _money(product.get("fully_loaded_cost"), currency),
        border=True,
        help="With one-offs amortised and participant time valued: shown beside, not used in ROI.",
    )
    c[2].metric(
        "Reach",
        display.pct(product.get("reach")),
        delta=f"{display.count(product['active_learners'])} active learners"
        if product.get("active_learners") is not None
        else None,
        delta_color="off",
        border=True,
    )
    c[3].metric("ROI on actual cost", display.pct(product["roi"]), border=True)
    left, right = st.columns(2)
    monthly = charts.monthly_plan_actual(product, year=year, currency=currency)
    if monthly is not None:
        left.plotly_chart(monthly, key="review.chart.monthly")
    evidence = charts.evidence_strength(product, currency=currency)
    if evidence is not None:
        right.plotly_chart(evidence, key="review.chart.evidence")
    ask = product.get("ask") or {}
    ask_text = (
        f"**Ask for {ask.get('year')}:** not set in the budgets yet."
        if ask.get("plan") is None
        else f"**Ask for {ask.get('year')}:** {display.money(ask['plan'], currency)}"
        + (f" ({display.pct(ask['change'])} vs {year})" if ask.get("change") is not None else "")
    )
    st.markdown(ask_text)
    st.markdown("**Risks**")
    risks = {r["kind"]: r for r in product.get("risks") or []}
    columns = st.columns(4)
    for column, (kind, label, question) in zip(columns, _RISKS, strict=True):
        risk = risks.get(kind, {"level": "low", "reason": "no signal"})
        with column.container(border=True):
            st.markdown(f"**{label}** {_RISK_BADGE.get(risk['level'], '')}")
            st.caption(question)
            st.write(risk["reason"])
