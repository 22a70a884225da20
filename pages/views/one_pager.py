"""A product's one-pager: problem and people, cost, use, evidence, ask, risks.

The Funding review draws it from the pack; the Product page draws the same
blocks (`profile_block`, `ask_line`, `risks_block`) from the same
assembler (`metrics.one_pagers`), so the two read alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from exports import charts
from metrics.health import HEALTH_BADGES
from metrics.risks import risk_cards
from metrics.text import pct, signed
from pages import display
from pages.safe_text import literal
from pages.views.review import Pack

__all__ = ["ask_line", "one_pager", "profile_block", "risks_block"]
_BADGE_COLOUR = {"Invest": "green", "Fix": "orange", "Sunset": "red"}
_RISK_COLOUR = {"high": "red", "medium": "orange", "low": "green"}
_NOT_RECORDED = "not recorded"


def profile_block(profile: Mapping[str, Any], audience_size: float | None) -> None:
    """The problem it solves and for whom: goal, customer (sponsor), users, owner."""
    left, right = st.columns(2)
    left.markdown(
        f"**The problem it solves**  \n{_field(profile, 'business_problem')}  \n"
        f"**Business goal:** {_field(profile, 'business_goal')}"
    )
    right.markdown(
        f"**Customer (sponsor, who funds it):** {_field(profile, 'sponsor')}  \n"
        f"**Users (learners):** {_field(profile, 'target_audience')}"
        f" — {display.count(audience_size, 'people')}  \n"
        f"**Owner:** {_field(profile, 'owner')}"
    )


def _field(profile: Mapping[str, Any], key: str) -> str:
    """A profile text as Markdown showing it as typed; "not recorded" when blank."""
    return literal(profile.get(key) or _NOT_RECORDED)


def ask_line(ask: Mapping[str, Any], *, year: int, currency: str) -> None:
    """Next year's budget ask and its change on this year's plan."""
    if ask.get("plan") is None:
        st.markdown(f"**Ask for {ask.get('year', year + 1)}:** not set in the budgets yet.")
        return
    change = ask.get("change")
    note = "" if change is None else f" ({signed(change, pct)} vs {year}'s plan)"
    st.markdown(f"**Ask for {ask['year']}:** {display.money(ask['plan'], currency)}{note}")


def risks_block(risks: Sequence[Mapping[str, Any]]) -> None:
    """The four risks, each with its question; a risk not assessed reads "not tracked"."""
    st.markdown("**Risks**")
    for column, card in zip(st.columns(4), risk_cards(risks), strict=True):
        colour = _RISK_COLOUR.get(card.level or "", "gray")
        with column.container(border=True):
            st.markdown(f"**{card.title}** :{colour}-badge[{card.level_text}]")
            st.caption(card.question)
            st.write(card.reason)


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
    health = product["health"]
    colour = _BADGE_COLOUR.get(health, "gray")
    badge = f":{colour}-badge[{HEALTH_BADGES.get(health, health)}]" if health else ""
    st.subheader(f"{literal(product['product'])}  {badge}")
    st.markdown(f"#### {product.get('summary') or ''}")
    profile_block(product.get("profile") or {}, product.get("target_audience_size"))
    c = [*st.columns(2), *st.columns(2)]  # four across cut "not tracked" at 1280×720
    display.figure_tile(
        c[0], "Actual to date", display.money_short(product["actual_cost"], currency)
    )
    display.figure_tile(
        c[1],
        "Fully-loaded cost",
        display.money_short(product.get("fully_loaded_cost"), currency),
        help="With one-offs amortised and participant time valued: shown beside, not used in ROI.",
    )
    display.figure_tile(
        c[2],
        "Reach",
        display.pct(product.get("reach")),
        note=display.count(product.get("active_learners"), "active learners")
        if product.get("active_learners") is not None
        else None,
        help="Active learners ÷ the target audience.",
    )
    display.figure_tile(c[3], "ROI on actual cost", display.pct(product["roi"]))
    left, right = st.columns(2)
    monthly = charts.monthly_plan_actual(product, year=year, currency=currency)
    if monthly is not None:
        left.plotly_chart(monthly, key="review.chart.monthly")
    evidence = charts.evidence_strength(product, currency=currency)
    if evidence is not None:
        right.plotly_chart(evidence, key="review.chart.evidence")
    ask_line(product.get("ask") or {}, year=year, currency=currency)
    risks_block(product.get("risks") or [])
