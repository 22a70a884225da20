"""Prioritise, Budget what-if view: move each product's budget, see spend, learners and ROI move."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from metrics.changes import difference
from metrics.currency import decimals
from pages import decision_tables, display, planning_charts
from pages import scenario_state as state
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
        "as measured, so a product without measured benefits projects none."
    )
    with st.container(border=True):
        st.markdown("**Change each product's budget** (−100 % stops it, +100 % doubles it)")
        inputs = _slider_rows(data, scenario.budget_changes)
        columns = st.columns(3)
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
    display.show_table(
        decision_tables.projection_table(projection),
        key="prio.whatif.table",
        currency=currency,
        kinds=decision_tables.PROJECTION_KINDS,
        pinned="Product",
        placeholder="—",
        height=display.table_height(projection.height),
    )
    st.caption("— : no licence (seats), or not tracked (learners, benefits, ROI).")


_SLIDERS_IN_VIEW = 30


def _slider_rows(data: PlanningData, changed: dict[int, float]) -> pl.DataFrame:
    """The products to draw a slider for: all of a portfolio of up to `_SLIDERS_IN_VIEW`.

    Why: 2,000 sliders made a tab no one could scroll through in a meeting. A larger
    portfolio draws the products picked by name, and always the ones already changed (a
    loaded scenario's, a shared link's), so no change is out of sight.
    """
    inputs = data.inputs
    if inputs.height <= _SLIDERS_IN_VIEW:
        return inputs
    names = inputs.sort("budget", descending=True, nulls_last=True)["product"].to_list()
    moved = [data.names[pid] for pid in changed if pid in data.names]
    known = set(names)  # a name no longer in the portfolio leaves the list
    picked = [n for n in st.session_state.get(state.PICKED, []) if n in known]
    st.session_state[state.PICKED] = list(dict.fromkeys([*picked, *moved]))
    chosen = st.multiselect(
        f"Products to change ({inputs.height:,} in the portfolio, largest budget first)",
        names,
        key=state.PICKED,
        placeholder="Type a product's name",
        help="Every product you changed stays on the list, so no change is out of sight.",
    )
    return inputs.filter(pl.col("product").is_in(chosen))


def _totals_row(t: WhatIfTotals, currency: str) -> None:
    """The totals in two rows of three, so no figure is cut to "£1.…" at 1280 wide.

    Learners and ROI here are not the overview's or the Funding review's, and
    their labels and the caption say so: learners are added up product by
    product, and ROI covers only the products with measured benefits, on plan.
    """
    spend_change = difference(t.spend, t.budget)
    learners_change = difference(t.projected_active, t.active)
    top, bottom = st.columns(3), st.columns(3)
    display.figure_tile(top[0], "Budget plan", display.money_short(t.budget, currency))
    display.change_tile(
        top[1],
        "Scenario spend",
        display.money_short(t.spend, currency),
        change=spend_change,
        text=f"{display.signed(spend_change, lambda v: display.money_short(v, currency))} vs plan",
        better="neither",
    )
    display.figure_tile(
        top[2],
        "Over the cap" if t.over_cap else "Left under the cap",
        display.money_short(cap_distance(t.gap), currency),
        help=f"Cap {display.money(t.cap, currency)} − scenario spend.",
    )
    display.change_tile(
        bottom[0],
        "Learners, summed by product",
        display.count(t.projected_active),
        change=learners_change,
        text=f"{display.signed(learners_change, display.count)} vs plan",
        better="higher",
        help="Projected active learners of the "
        f"{display.count(t.tracked_products, 'products')} whose usage is tracked, added up: "
        "a person active in two products counts twice.",
    )
    roi_change = difference(t.projected_roi, t.roi)
    display.change_tile(
        bottom[1],
        "ROI of measured products",
        display.pct(t.projected_roi),
        change=roi_change,
        text=f"{display.signed(roi_change, display.pct)} vs plan",
        better="higher",
        help="(Projected benefits − spend) ÷ spend, over the products with measured benefits, "
        f"on plan cost; at the unchanged plan it is {display.pct(t.roi)} (the change is in "
        "percentage points).",
    )
    st.caption(
        "Not the overview's figures, on purpose: learners are added up product by product "
        "(the overview counts each person once), and ROI covers only the "
        f"{display.count(t.roi_products, 'products')} with measured benefits, on plan cost "
        "(the Funding review's “ROI on actual cost” divides all benefits by every product's "
        "actual cost)."
    )
