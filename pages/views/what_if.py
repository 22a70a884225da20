"""Prioritise, Budget what-if view: move each product's budget, see spend, learners and ROI move."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from metrics.changes import difference
from metrics.currency import decimals
from pages import display, planning_charts
from pages import scenario_state as state
from pages.display import data_table
from pages.planning_reads import PlanningData
from pages.safe_text import literal
from planning.readouts import cap_distance
from planning.whatif import Assumptions, WhatIfTotals, project, totals

__all__ = ["cap_input", "what_if"]


def cap_input(currency: str) -> None:
    """The budget cap (shared by the what-if and the best set), in the currency's decimals.

    Pence in GBP, fils in KWD, whole yen in JPY: the input shows and takes
    what the currency has (ISO 4217, `metrics.currency.decimals`), and the
    step buttons move it by 10,000 of the major unit.
    """
    _round_cap(currency)
    st.number_input(
        f"Budget cap ({currency})",
        min_value=0.0,
        step=10_000.0,
        format=f"%.{decimals(currency)}f",
        key=state.CAP,
        on_change=_round_cap,
        args=(currency,),
    )


def _round_cap(currency: str) -> None:
    """Round the cap to the currency's minor unit (whole yen, fils) before its input is drawn.

    Why: a cap from the plan total (a float sum), a saved scenario or a shared
    link may carry finer digits than the input shows; the scenario then holds
    what the page shows. Called after a typed change too.
    """
    if state.CAP in st.session_state:
        cap = float(st.session_state[state.CAP])
        st.session_state[state.CAP] = round(cap, decimals(currency))


@st.fragment
def what_if(data: PlanningData, year: int, as_of: date, currency: str) -> None:
    """The cap, the elasticity, one slider per product, the totals and the projection."""
    del as_of
    top = st.columns([1, 1, 2])
    with top[0]:
        cap_input(currency)
    top[1].slider(
        "Elasticity of reach to budget",
        0.0,
        1.0,
        step=0.05,
        key=state.ELASTICITY,
        help="How learners answer to money: learners ∝ (new budget ÷ budget)^elasticity. "
        "0.6 (default): diminishing returns, +25 % money gives about +14 % learners; "
        "1: proportional; 0: money changes nothing until the product stops.",
    )
    if top[2].button("Reset every product to its plan", key="prio.reset"):
        state.reset_changes(data)
        st.rerun(scope="fragment")
    scenario = state.current(data, year)
    elasticity = scenario.assumptions["elasticity"]
    projection = project(
        data.inputs,
        scenario.budget_changes,
        currency=currency,
        assumptions=Assumptions(elasticity=elasticity),
    )
    t = totals(projection, cap=scenario.cap, currency=currency)
    _totals_row(t, currency)
    st.caption(
        f"Assumptions: learners ∝ (new budget ÷ budget)^{elasticity:.2f} "
        "(diminishing returns); a licence product buys whole seats and its learners are capped "
        "by them; learners never exceed the target audience; benefits per active learner stay "
        f"as measured, so a product without measured benefits projects none. ROI covers the "
        f"{t.roi_products} products with measured benefits, on plan cost."
    )
    with st.container(border=True):
        st.markdown("**Change each product's budget** (−100 % stops it, +100 % doubles it)")
        columns = st.columns(3)
        inputs = data.inputs
        rows = zip(inputs["product_id"], inputs["product"], inputs["budget"], strict=True)
        for i, (pid, name, budget) in enumerate(rows):
            columns[i % 3].slider(
                f"{literal(name)} ({display.money_short(budget, currency)})",
                -100,
                100,
                step=5,
                format="%d%%",
                key=state.change_key(pid),
            )
    st.plotly_chart(
        planning_charts.budget_change(projection, currency=currency), key="prio.chart.whatif"
    )
    data_table(
        _projection_table(projection, currency),
        hide_index=True,
        width="stretch",
        key="prio.whatif.table",
    )


def _totals_row(t: WhatIfTotals, currency: str) -> None:
    """The totals as cards that wrap onto a second line rather than cut "KWD 1.6m" to "KWD …"."""
    row = st.container(horizontal=True)
    row.metric("Budget plan", display.money_short(t.budget, currency), border=True)
    spend_change = difference(t.spend, t.budget)
    row.metric(
        "Scenario spend",
        display.money_short(t.spend, currency),
        delta=None if spend_change is None else display.money_short(spend_change, currency),
        delta_color="off",
        border=True,
    )
    row.metric(
        "Over the cap" if t.over_cap else "Left under the cap",
        display.money_short(cap_distance(t.gap), currency),
        border=True,
        help=f"Cap {display.money(t.cap, currency)} − scenario spend.",
    )
    learners_change = difference(t.projected_active, t.active)
    row.metric(
        "Active learners (projected)",
        display.count(t.projected_active),
        delta=None if learners_change is None else display.count(learners_change),
        border=True,
        help=f"Summed over the {t.tracked_products} products whose usage is tracked: a person "
        "active in two products counts twice here.",
    )
    row.metric(
        "ROI (projected)",
        display.pct(t.projected_roi),
        delta=f"today {display.pct(t.roi)}" if t.roi is not None else None,
        delta_color="off",
        border=True,
        help="(Projected benefits − spend) ÷ spend, over products with measured benefits.",
    )


def _arrow(before: str, after: str) -> str:
    return f"{before} → {after}"


def _projection_table(projection: pl.DataFrame, currency: str) -> pl.DataFrame:
    def money(column: str) -> list[str]:
        return [display.money(v, currency) for v in projection[column]]

    def short(v: float | None) -> str:
        return display.money_short(v, currency)

    return pl.DataFrame(
        {
            "Product": projection["product"],
            "Change": [display.pct(v) for v in projection["change"]],
            "Budget plan": money("budget"),
            "Scenario spend": money("spend"),
            "Seats": [
                "—" if s is None else _arrow(display.count(s), display.count(p))
                for s, p in zip(projection["seats"], projection["projected_seats"], strict=True)
            ],
            "Active learners → projected": [
                display.NOT_TRACKED if a is None else _arrow(display.count(a), display.count(p))
                for a, p in zip(
                    projection["active_learners"], projection["projected_active"], strict=True
                )
            ],
            "Benefits → projected": [
                display.NOT_TRACKED if b is None else _arrow(short(b), short(p))
                for b, p in zip(
                    projection["benefits"], projection["projected_benefits"], strict=True
                )
            ],
            "ROI (projected)": [display.pct(v) for v in projection["projected_roi"]],
        }
    )
