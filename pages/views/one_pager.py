"""Funding review, one-pager: one product's problem and people, cost, use, evidence, ask, risks."""

from __future__ import annotations

import streamlit as st

from exports import charts
from pages import display
from pages.views.review import Pack

__all__ = ["one_pager"]
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
    c[0].metric("Spent to date", display.money_short(product["actual_cost"], currency), border=True)
    c[1].metric(
        "Fully-loaded cost",
        display.money_short(product.get("fully_loaded_cost"), currency),
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
