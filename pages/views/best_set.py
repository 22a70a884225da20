"""Prioritise, Best set view: the exact best set under the cap, against the funding line."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from metrics.changes import difference
from pages import display, planning_charts, planning_reads
from pages import scenario_state as state
from pages.planning_reads import PlanningData, Solved
from pages.safe_text import literal
from pages.views.what_if import cap_input
from planning.compare import scenario_outcome
from planning.decisions import best_set_sentence, decided_out
from planning.readouts import levels_as_changes, plan_total, selection_table, value_at_plan
from planning.scoring import normalise_weights
from planning.selection import compare_selections, explain
from planning.whatif import Assumptions

__all__ = ["best_set"]


def _force_inputs(data: PlanningData) -> None:
    names = sorted(data.names.values())
    forced_in = st.session_state[state.FORCED_IN]
    st.session_state[state.FORCED_OUT] = [
        n for n in st.session_state[state.FORCED_OUT] if n not in forced_in
    ]
    left, right = st.columns(2)
    left.multiselect(
        "Always fund (forced in)",
        names,
        key=state.FORCED_IN,
        help="Mandatory products, e.g. regulatory compliance: funded whatever their score.",
    )
    right.multiselect(
        "Never fund (forced out)",
        [n for n in names if n not in st.session_state[state.FORCED_IN]],
        key=state.FORCED_OUT,
        help="Products already decided against.",
    )


def best_set(data: PlanningData, year: int, as_of: date, currency: str) -> None:
    """The cap and forced choices, the best set's figures, its table and the frontier."""
    top = st.columns([1, 3])
    with top[0]:
        cap_input(currency)
    with top[1]:
        _force_inputs(data)
    scenario = state.current(data, year)
    if normalise_weights(scenario.weights) is None:
        st.warning("Every weight is zero: set at least one weight on the Ranking view.")
        return
    respect = st.toggle(
        "Respect my cuts",
        value=True,
        key="prio.best.respect",
        help="Leave out every product you cut to −100 % in the Budget what-if and every "
        "product labelled Sunset (unless you force it in). Off: the optimiser may fund them.",
    )
    decided = {
        pid: why
        for pid, why in decided_out(data.inputs, scenario.budget_changes).items()
        if respect and pid not in scenario.forced_in
    }
    decided |= {pid: "you chose never to fund it" for pid in scenario.forced_out}
    args = {
        "weights": planning_reads.weights_key(scenario.weights),
        "elasticity": scenario.assumptions["elasticity"],
        "forced_in": tuple(sorted(scenario.forced_in)),
        "forced_out": tuple(sorted(decided)),
    }
    solved = planning_reads.solve(year, as_of, cap=float(scenario.cap or 0.0), **args)
    best = solved.optimal
    if best.status == "infeasible":
        st.error(literal(best.message))
        return
    if best.status == "time_limit":
        st.warning(literal(best.message))
    _figures(solved, currency)
    points = planning_reads.frontier(year, as_of, **args)
    versus = compare_selections(best, solved.line, data.names)
    st.info(literal(best_set_sentence(best.levels, data.names, decided)))
    with st.expander("Against the funding line (rank order), product by product"):
        st.write(literal(explain(versus, frontier=points, names=data.names, currency=currency)))
    table = _table(solved, data)
    display.show_table(
        table,
        key="prio.best.table",
        currency=currency,
        kinds={
            "Product": "text",
            "Best set": "percent",
            "Cost": "money",
            "Funding line": "percent",
        },
        pinned="Product",
        height=display.table_height(table.height),
        placeholder="—",
    )
    st.caption(
        "Funding levels are % of each product's plan (0 % = not funded); they sort as numbers."
    )
    if st.button("Use the best set in the budget what-if", key="prio.best.apply"):
        state.set_changes(levels_as_changes(best.levels))
        st.toast("The what-if sliders now hold the best set.")
    outcome = scenario_outcome(data.inputs, data.scores, scenario, currency=currency)
    marks = {
        "Current plan": (plan_total(data.inputs), value_at_plan(solved.options)),
        "Best set at the cap": (best.cost, best.value),
        "Funding line": (solved.line.cost, solved.line.value),
    }
    if outcome.value is not None and outcome.totals.spend is not None:
        marks["Your what-if"] = (outcome.totals.spend, outcome.value)
    st.plotly_chart(
        planning_charts.frontier(points, currency=currency, marks=marks),
        key="prio.chart.frontier",
    )
    elasticity = scenario.assumptions["elasticity"]
    st.caption(
        "Each point of the frontier is the exact best set for that much money; the funding line "
        "funds products in rank order. Best sets at different caps are not nested: a product in "
        "the best set at one cap can drop out at a higher cap because two others then fit. "
        f"Funding levels are 0, 50, 75, 100 and 125 % of each budget; with elasticity "
        f"{elasticity:.2f} a product at half its budget keeps "
        f"{Assumptions(elasticity=elasticity).output_kept(0.5):.0%} "
        "of its value, so the best set often "
        "funds many products partly. Raise the elasticity (Budget what-if) where a product "
        "only works at full budget."
    )


def _figures(solved: Solved, currency: str) -> None:
    """The best set's figures as cards that wrap rather than cut a long currency code."""
    best, line = solved.optimal, solved.line
    row = st.container(horizontal=True)
    row.metric("Best set costs", display.money_short(best.cost, currency), border=True)
    row.metric(
        "Its value",
        f"{display.score(best.value)} pts",
        border=True,
        help="Weighted value: each funded product's score (0-100) × the share of its output "
        "its funding level buys (diminishing returns, whole seats). Funding everything at "
        "plan scores the sum of the scores.",
    )
    behind = difference(line.value, best.value)
    display.change_tile(
        row,
        "Funding line value",
        f"{display.score(line.value)} pts",
        change=behind,
        text=f"{display.signed(behind, display.score)} pts vs best",
        better="higher",
        help="Fund in rank order at the full budget until the next product does not fit.",
    )
    row.metric("Products funded", f"{len(best.funded)} of {len(best.levels)}", border=True)


def _table(solved: Solved, data: PlanningData) -> pl.DataFrame:
    """Levels as percentage points, cost and value as numbers: every column sorts as numbers."""
    rows = selection_table(solved.options, solved.optimal, solved.line, data.names)
    return pl.DataFrame(
        {
            "Product": rows["product"],
            "Best set": display.percent_points(rows["best_level"]),
            "Cost": rows["cost"],
            "Value (pts)": rows["value"].round(1),
            "Funding line": display.percent_points(rows["line_level"]),
        }
    )
