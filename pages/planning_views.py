"""The Prioritise page's views: each gathers its widgets, calls `planning`, draws.

The views that answer a slider live (ranking, what-if) are `st.fragment`s:
moving a slider reruns that view only, not the page.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from models.scenarios import ScenarioExistsError
from pages import display, planning_charts, planning_readers
from pages import scenario_state as state
from pages.planning_readers import PlanningData
from planning.compare import changes_between, compare_scenarios, scenario_outcome
from planning.criteria import CRITERIA, CRITERION_KEYS
from planning.scenarios import Scenario
from planning.scoring import (
    SAATY_SCALE,
    ahp_weights,
    normalise_weights,
    pairwise_matrix,
    rice_table,
)
from planning.scoring import ranking as ranked_products
from planning.selection import compare_selections, explain
from planning.whatif import Assumptions, WhatIfTotals, project, totals

__all__ = ["best_set", "compare", "ranking", "scenario_sidebar", "sensitivity", "what_if"]

_LABELS = {c.key: c.label for c in CRITERIA}


def _weights_tuple(weights: dict[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple((k, round(float(weights.get(k, 0.0)), 6)) for k in CRITERION_KEYS)


# ---------------------------------------------------------------- ranking


def _weight_inputs() -> None:
    st.radio(
        "Weights from",
        [state.SLIDERS, state.AHP],
        horizontal=True,
        key=state.METHOD,
        help="Set each weight directly, or compare the criteria two at a time and let the "
        "analytic hierarchy process derive the weights (as Microsoft Project's portfolio "
        "analysis does).",
    )
    if st.session_state[state.METHOD] == state.SLIDERS:
        columns = st.columns(len(CRITERIA))
        for column, criterion in zip(columns, CRITERIA, strict=True):
            column.slider(
                criterion.label,
                0.0,
                10.0,
                step=0.5,
                key=state.weight_key(criterion.key),
                help=criterion.help,
            )
        return
    labels = list(SAATY_SCALE)
    with st.container(border=True):
        st.caption("How important is the left criterion compared with the right one?")
        for a, b in state.pairs():
            st.select_slider(
                f"{_LABELS[a]} is … {_LABELS[b]}",
                options=labels,
                key=state.ahp_key(a, b),
            )
    judgements = {(a, b): st.session_state[state.ahp_key(a, b)] for a, b in state.pairs()}
    result = ahp_weights(pairwise_matrix(judgements, CRITERION_KEYS), CRITERION_KEYS)
    shown = " · ".join(f"{_LABELS[k]} {display.pct(w)}" for k, w in result.weights.items())
    message = (
        f"Derived weights: {shown}. Consistency ratio {result.consistency_ratio:.2f} "
        "(Saaty: 0.10 or less is consistent)."
    )
    if result.consistent:
        st.success(message)
    else:
        st.warning(message + " Some judgements contradict each other: revisit the pairs.")


@st.fragment
def ranking(data: PlanningData, year: int, as_of: date, currency: str) -> None:
    del year, as_of
    _weight_inputs()
    weights = state.current_weights()
    if normalise_weights(weights) is None:
        st.warning("Every weight is zero: set at least one weight to rank the products.")
        return
    method = st.radio(
        "Rank by",
        ["Weighted score", "RICE"],
        horizontal=True,
        key="prio.rank_by",
        help="RICE = reach (active learners) × impact × confidence ÷ effort (budget in "
        f"{currency} thousands), an alternative view popular with product teams.",
    )
    if method == "RICE":
        _rice(data, currency)
        return
    ranked = _ranked(data, weights)
    st.dataframe(
        _ranking_table(ranked, data),
        hide_index=True,
        width="stretch",
        key="prio.ranking",
        height=38 + 35 * min(ranked.height, 20),
        column_config={
            "Score": st.column_config.ProgressColumn(
                "Score", min_value=0, max_value=100, format="%.1f"
            ),
        },
    )
    st.plotly_chart(planning_charts.contributions(ranked, _LABELS), key="prio.chart.contrib")


def _ranked(data: PlanningData, weights: dict[str, float]) -> pl.DataFrame:
    return ranked_products(data.inputs, data.scores, weights, baseline=state.DEFAULT_WEIGHTS)


def _ranking_table(ranked: pl.DataFrame, data: PlanningData) -> pl.DataFrame:
    notes = ["; ".join(data.notes.get(pid, [])) or "" for pid in ranked.get_column("product_id")]
    moved = ranked.get_column("moved")
    return pl.DataFrame(
        {
            "Rank": ranked["rank"],
            "Move": [
                "" if m is None or m == 0 else (f"▲ {m}" if m > 0 else f"▼ {-m}")
                for m in moved.to_list()
            ],
            "Product": ranked["product"],
            "Score": ranked["score"],
            "Health": ranked["health"],
            **{
                f"{label} (pts)": ranked[f"contribution_{key}"].round(1)
                for key, label in _LABELS.items()
            },
            "Scored 0 because": notes,
        }
    )


_RICE_COLUMNS = (
    "rice_rank",
    "product",
    "rice_reach",
    "rice_impact",
    "rice_confidence",
    "rice_effort",
    "rice",
    "health",
)


def _rice(data: PlanningData, currency: str) -> None:
    table = rice_table(data.inputs).with_columns(pl.col("rice").round(1))
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="prio.rice",
        column_order=_RICE_COLUMNS,
        column_config={
            "rice_rank": "Rank",
            "product": "Product",
            "rice_reach": "Reach (active learners)",
            "rice_impact": "Impact (0.25–3)",
            "rice_confidence": st.column_config.NumberColumn("Confidence", format="percent"),
            "rice_effort": f"Effort ({currency}k budget)",
            "rice": "RICE",
            "health": "Health",
        },
    )
    st.caption(
        "Impact from the evidence: BCR ≥ 3 → 3, ≥ 1.5 → 2, ≥ 1 → 1, level-2 evidence → 0.5, "
        "else 0.25. Confidence from the highest Kirkpatrick level: 4 → 100%, 3 → 80%, "
        "else 50%. No usage tracked or no budget → no RICE score."
    )


# ---------------------------------------------------------------- what-if


@st.fragment
def what_if(data: PlanningData, year: int, as_of: date, currency: str) -> None:
    del as_of
    top = st.columns([1, 1, 2])
    top[0].number_input(
        f"Budget cap ({currency})", min_value=0.0, step=10_000.0, format="%.0f", key=state.CAP
    )
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
        for pid in data.inputs["product_id"]:
            st.session_state[state.change_key(pid)] = 0
        st.rerun(scope="fragment")
    scenario = state.current(data, year)
    projection = project(
        data.inputs,
        scenario.budget_changes,
        currency=currency,
        assumptions=Assumptions(elasticity=scenario.assumptions["elasticity"]),
    )
    t = totals(projection, cap=scenario.cap, currency=currency)
    _totals_row(t, currency)
    st.caption(
        f"Assumptions: learners ∝ (new budget ÷ budget)^{scenario.assumptions['elasticity']:.2f} "
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
                f"{name} ({display.money_short(budget, currency)})",
                -100,
                100,
                step=5,
                format="%d%%",
                key=state.change_key(pid),
            )
    st.plotly_chart(
        planning_charts.budget_change(projection, currency=currency), key="prio.chart.whatif"
    )
    st.dataframe(
        _projection_table(projection, currency),
        hide_index=True,
        width="stretch",
        key="prio.whatif.table",
    )


def _totals_row(t: WhatIfTotals, currency: str) -> None:
    c = st.columns(5)
    c[0].metric("Budget plan", display.money_short(t.budget, currency), border=True)
    c[1].metric(
        "Scenario spend",
        display.money_short(t.spend, currency),
        delta=display.money_short((t.spend or 0) - (t.budget or 0), currency)
        if t.spend is not None and t.budget is not None
        else None,
        delta_color="off",
        border=True,
    )
    c[2].metric(
        "Left under the cap" if not t.over_cap else "Over the cap",
        display.money_short(abs(t.gap) if t.gap is not None else None, currency),
        border=True,
        help=f"Cap {display.money(t.cap, currency)} − scenario spend.",
    )
    c[3].metric(
        "Active learners (projected)",
        display.count(t.projected_active),
        delta=display.count((t.projected_active or 0) - (t.active or 0))
        if t.projected_active is not None and t.active is not None
        else None,
        border=True,
        help=f"Summed over the {t.tracked_products} products whose usage is tracked: a person "
        "active in two products counts twice here.",
    )
    c[4].metric(
        "ROI (projected)",
        display.pct(t.projected_roi),
        delta=f"today {display.pct(t.roi)}" if t.roi is not None else None,
        delta_color="off",
        border=True,
        help="(Projected benefits − spend) ÷ spend, over products with measured benefits.",
    )


def _projection_table(projection: pl.DataFrame, currency: str) -> pl.DataFrame:
    money = [display.money(v, currency) for v in projection["spend"]]
    return pl.DataFrame(
        {
            "Product": projection["product"],
            "Change": [display.pct(v) for v in projection["change"]],
            "Budget plan": [display.money(v, currency) for v in projection["budget"]],
            "Scenario spend": money,
            "Seats": [
                "—" if s is None else f"{s:,} → {p:,}"
                for s, p in zip(projection["seats"], projection["projected_seats"], strict=True)
            ],
            "Active learners → projected": [
                display.NOT_TRACKED if a is None else f"{a:,} → {display.count(p)}"
                for a, p in zip(
                    projection["active_learners"], projection["projected_active"], strict=True
                )
            ],
            "Benefits → projected": [
                display.NOT_TRACKED
                if b is None
                else f"{display.money_short(b, currency)} → {display.money_short(p, currency)}"
                for b, p in zip(
                    projection["benefits"], projection["projected_benefits"], strict=True
                )
            ],
            "ROI (projected)": [display.pct(v) for v in projection["projected_roi"]],
        }
    )


# ---------------------------------------------------------------- best set


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
    top = st.columns([1, 3])
    top[0].number_input(
        f"Budget cap ({currency})", min_value=0.0, step=10_000.0, format="%.0f", key=state.CAP
    )
    with top[1]:
        _force_inputs(data)
    scenario = state.current(data, year)
    weights = scenario.weights
    if normalise_weights(weights) is None:
        st.warning("Every weight is zero: set at least one weight on the Ranking view.")
        return
    args = {
        "weights": _weights_tuple(weights),
        "elasticity": scenario.assumptions["elasticity"],
        "forced_in": tuple(sorted(scenario.forced_in)),
        "forced_out": tuple(sorted(scenario.forced_out)),
    }
    solved = planning_readers.solve(year, as_of, cap=float(scenario.cap or 0.0), **args)
    best = solved.optimal
    if best.status == "infeasible":
        st.error(best.message)
        return
    if best.status == "time_limit":
        st.warning(best.message)
    difference = compare_selections(best, solved.line, data.names)
    c = st.columns(4)
    c[0].metric("Best set costs", display.money_short(best.cost, currency), border=True)
    c[1].metric(
        "Its value",
        f"{best.value:,.0f} pts",
        border=True,
        help="Weighted value: each funded product's score (0-100) × the share of its output "
        "its funding level buys (diminishing returns, whole seats). Funding everything at "
        "plan scores the sum of the scores.",
    )
    c[2].metric(
        "Funding line value",
        f"{solved.line.value:,.0f} pts",
        delta=f"{solved.line.value - best.value:,.0f} pts vs best",
        delta_color="normal",
        border=True,
        help="Fund in rank order at the full budget until the next product does not fit.",
    )
    c[3].metric(
        "Products funded",
        f"{sum(1 for v in best.levels.values() if v > 0)} of {len(best.levels)}",
        border=True,
    )
    points = planning_readers.frontier(year, as_of, **args)
    st.info(explain(difference, frontier=points, names=data.names, currency=currency))
    st.dataframe(
        _selection_table(solved, data, currency),
        hide_index=True,
        width="stretch",
        key="prio.best.table",
    )
    if st.button("Use the best set in the budget what-if", key="prio.best.apply"):
        for pid, level in best.levels.items():
            st.session_state[state.change_key(pid)] = round((level - 1.0) * 100)
        st.toast("The what-if sliders now hold the best set.")
    plan_value = _plan_value(solved)
    outcome = scenario_outcome(data.inputs, data.scores, scenario, currency=currency)
    marks = {
        "Current plan": (float(data.inputs["budget"].fill_null(0).sum()), plan_value),
        "Best set at the cap": (best.cost, best.value),
        "Funding line": (solved.line.cost, solved.line.value),
    }
    if outcome.value is not None and outcome.totals.spend is not None:
        marks["Your what-if"] = (outcome.totals.spend, outcome.value)
    st.plotly_chart(
        planning_charts.frontier(points, currency=currency, marks=marks),
        key="prio.chart.frontier",
    )
    st.caption(
        "Each point of the frontier is the exact best set for that much money; the funding line "
        "funds products in rank order. Best sets at different caps are not nested: a product in "
        "the best set at one cap can drop out at a higher cap because two others then fit. "
        f"Funding levels are 0, 50, 75, 100 and 125 % of each budget; with elasticity "
        f"{scenario.assumptions['elasticity']:.2f} a product at half its budget keeps "
        f"{Assumptions(elasticity=scenario.assumptions['elasticity']).output_kept(0.5):.0%} "
        "of its value, so the best set often "
        "funds many products partly. Raise the elasticity (Budget what-if) where a product "
        "only works at full budget."
    )


def _plan_value(solved: planning_readers.Solved) -> float:
    at_plan = solved.options.filter(pl.col("level") == 1.0)
    return float(at_plan["value"].sum())


def _selection_table(
    solved: planning_readers.Solved, data: PlanningData, currency: str
) -> pl.DataFrame:
    options = solved.options
    rows = []
    for pid, name in sorted(data.names.items(), key=lambda item: item[1]):
        best = solved.optimal.levels.get(pid, 0.0)
        line = solved.line.levels.get(pid, 0.0)
        chosen = options.filter((pl.col("product_id") == pid) & (pl.col("level") == best))
        rows.append(
            {
                "Product": name,
                "Best set": "not funded" if best == 0 else f"fund at {best:.0%}",
                "Cost": display.money(chosen["cost"][0] if chosen.height else 0.0, currency),
                "Value (pts)": round(float(chosen["value"][0]), 1) if chosen.height else 0.0,
                "Funding line": "not funded" if line == 0 else f"fund at {line:.0%}",
            }
        )
    return pl.DataFrame(rows).sort(["Best set", "Product"], descending=[False, False])


# ---------------------------------------------------------------- sensitivity


def sensitivity(data: PlanningData, year: int, as_of: date, currency: str) -> None:
    scenario = state.current(data, year)
    if normalise_weights(scenario.weights) is None:
        st.warning("Every weight is zero: set at least one weight on the Ranking view.")
        return
    st.caption(
        f"Each weight and assumption is moved down and up by half while the others stay put; "
        f"the bars show the value of the best set under the "
        f"{display.money_short(scenario.cap, currency)} cap. Long bars and listed changes mark "
        "the settings the decision hangs on."
    )
    rows = planning_readers.tornado_view(
        year,
        as_of,
        weights=_weights_tuple(scenario.weights),
        elasticity=scenario.assumptions["elasticity"],
        cap=float(scenario.cap or 0.0),
        forced_in=tuple(sorted(scenario.forced_in)),
        forced_out=tuple(sorted(scenario.forced_out)),
    )
    if rows.is_empty():
        st.info("Nothing to test: no weight or assumption is set.")
        return
    labels = {**_LABELS, "elasticity": "Elasticity of reach to budget"}
    rows = rows.with_columns(
        pl.col("parameter").replace_strict(labels, default=pl.col("parameter")).alias("label")
    )
    st.plotly_chart(planning_charts.tornado(rows), key="prio.chart.tornado")
    st.dataframe(
        rows.sort("spread", descending=True).with_columns(
            pl.col("base_setting", "low_setting", "high_setting").round(2),
            _flips("flips_low"),
            _flips("flips_high"),
        ),
        column_order=(
            "label",
            "base_setting",
            "low_setting",
            "high_setting",
            "flips_low",
            "flips_high",
        ),
        column_config={
            "label": "Setting",
            "base_setting": "Today",
            "low_setting": "Lower",
            "high_setting": "Higher",
            "flips_low": "Who enters or leaves the best set when lower",
            "flips_high": "Who enters or leaves the best set when higher",
        },
        hide_index=True,
        width="stretch",
        key="prio.tornado.table",
    )


def _flips(column: str) -> pl.Expr:
    joined = pl.col(column).list.join(", ")
    return pl.when(joined == "").then(pl.lit("no change")).otherwise(joined).alias(column)


# ---------------------------------------------------------------- scenarios


def _scenario_from(payload: dict[str, object]) -> Scenario | None:
    try:
        return Scenario.from_dict(payload)
    except ValueError as exc:
        st.error(f"That saved scenario cannot be read: {exc}")
        return None


def scenario_sidebar(data: PlanningData, year: int) -> None:
    """Save, load, delete and share the page's state (the sidebar, outside every fragment)."""
    sidebar = st.sidebar
    sidebar.subheader("Scenario")
    sidebar.text_input("Name", key=state.NAME, max_chars=120)
    replace = sidebar.checkbox("Replace a saved scenario of that name", key="prio.replace")
    if sidebar.button("Save scenario", key="prio.save", icon=":material/save:"):
        scenario = state.current(data, year)
        try:
            stored = planning_readers.store(
                scenario.name, year, scenario.to_dict(), replace=replace
            )
        except ScenarioExistsError as exc:
            sidebar.error(f"{exc}: tick “Replace” to overwrite it.")
        except ValueError as exc:
            sidebar.error(str(exc))
        else:
            sidebar.success(f"Saved “{stored}”.")
    names = [s.name for s in planning_readers.saved_names(year)]
    if names:
        chosen = sidebar.selectbox("Saved scenarios", names, key="prio.load.name")
        left, right = sidebar.columns(2)
        if left.button("Load", key="prio.load", icon=":material/folder_open:"):
            payload = planning_readers.saved(chosen)
            scenario = None if payload is None else _scenario_from(payload)
            if scenario is not None:
                state.apply(scenario, data)
                st.rerun()
        if right.button("Delete", key="prio.delete", icon=":material/delete:"):
            planning_readers.delete(chosen)
            st.rerun()
    if sidebar.button("Share a link to this state", key="prio.share", icon=":material/link:"):
        query = state.share_query(state.current(data, year))
        st.query_params.from_dict(query)
        state.mark_shared(query)
        sidebar.caption("The address bar now opens this state; copy it:")
        sidebar.code(_link(query), language=None, wrap_lines=True)


def _link(query: dict[str, str]) -> str:
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?")[0]
    return f"{base}?{urlencode(query)}"


def compare(data: PlanningData, year: int, as_of: date, currency: str) -> None:
    del as_of
    saved = [s.name for s in planning_readers.saved_names(year)]
    current = state.current(data, year)
    options = ["(this page, unsaved)", *saved]
    picked = st.multiselect(
        "Scenarios to compare (two or three)",
        options,
        default=options[: min(3, len(options))],
        max_selections=3,
        key="prio.compare",
    )
    scenarios: list[Scenario] = []
    for name in picked:
        if name == options[0]:
            scenarios.append(Scenario.from_dict({**current.to_dict(), "name": name}))
            continue
        payload = planning_readers.saved(name)
        scenario = None if payload is None else _scenario_from(payload)
        if scenario is not None:
            scenarios.append(scenario)
    if len(scenarios) < 2:
        st.info("Save a scenario (sidebar), then pick two or three here to compare them.")
        return
    table = compare_scenarios(data.inputs, data.scores, scenarios, currency=currency)
    st.dataframe(
        _compare_table(table, currency), hide_index=True, width="stretch", key="prio.compare.table"
    )
    base = scenarios[0]
    for other in scenarios[1:]:
        gained, lost, resized = changes_between(data.inputs, base, other)
        st.markdown(
            f"**{other.name}** vs **{base.name}**: "
            f"funds {', '.join(gained) or 'no other product'}; "
            f"stops {', '.join(lost) or 'nothing'}; "
            f"resizes {', '.join(resized) or 'nothing'}."
        )


def _compare_table(table: pl.DataFrame, currency: str) -> pl.DataFrame:
    formats = {
        "Spend": "money",
        "Change vs plan": "money",
        "Budget cap": "money",
        "Gap to cap (− = over)": "money",
        "Products funded": "count",
        "Active learners (projected)": "count",
        "Benefits (projected)": "money",
        "ROI on plan (projected)": "pct",
        "Weighted value (points)": "count",
    }
    show = {
        "money": lambda v: display.money(v, currency),
        "count": display.count,
        "pct": display.pct,
    }
    out: dict[str, list[str]] = {"Measure": table["measure"].to_list()}
    for column in table.columns[1:]:
        out[column] = [
            show[formats.get(m, "count")](v)
            for m, v in zip(table["measure"], table[column], strict=True)
        ]
    return pl.DataFrame(out)
