"""The Prioritise page's what-if state: widget keys <-> `planning.scenarios.Scenario`.

Why a module: the same state is read by four views, saved, loaded, shared
as a link and opened from one, so the mapping between widget keys and a
`Scenario` is written once. Widgets are created without `value=`; their
starting values are put in `st.session_state` here, which is what lets a
loaded scenario or a shared link set every slider.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from pages.planning_readers import PlanningData
from planning.criteria import CRITERION_KEYS
from planning.scenarios import Scenario, from_query, to_query
from planning.scoring import SAATY_SCALE, ahp_weights, pairwise_matrix
from planning.whatif import Assumptions

__all__ = [
    "AHP",
    "CAP",
    "DEFAULT_WEIGHTS",
    "ELASTICITY",
    "FORCED_IN",
    "FORCED_OUT",
    "METHOD",
    "NAME",
    "SLIDERS",
    "ahp_key",
    "apply",
    "change_key",
    "changes",
    "current",
    "current_weights",
    "init",
    "mark_shared",
    "open_shared_link",
    "pairs",
    "share_query",
    "weight_key",
]

DEFAULT_WEIGHTS: dict[str, float] = {
    "strategic_fit": 3.0,
    "reach": 2.0,
    "cost_efficiency": 2.0,
    "impact_evidence": 3.0,
    "delivery_risk": 1.0,
}
SLIDERS = "Sliders"
AHP = "Pairwise comparison (AHP)"
METHOD = "prio.method"
CAP = "prio.cap"
ELASTICITY = "prio.elasticity"
FORCED_IN = "prio.forced_in"
FORCED_OUT = "prio.forced_out"
NAME = "prio.scenario_name"
_QUERY_SEEN = "prio.query_seen"
_EQUAL = "as important as"


def weight_key(criterion: str) -> str:
    return f"prio.weight.{criterion}"


def change_key(product_id: int) -> str:
    return f"prio.change.{product_id}"


def ahp_key(a: str, b: str) -> str:
    return f"prio.ahp.{a}.{b}"


def pairs() -> list[tuple[str, str]]:
    """Every pair of criteria once, in CRITERIA order (10 for 5 criteria)."""
    keys = CRITERION_KEYS
    return [(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]]


def _keep(keys: list[str]) -> None:
    """Keep the values of widgets the current view does not draw.

    Streamlit forgets a keyed widget's value after a run that does not draw
    it; the views draw different widgets, so re-assigning the values at the
    top of each run carries the whole scenario from view to view.
    """
    state = st.session_state
    for key in keys:
        if key in state:
            state[key] = state[key]


def init(data: PlanningData, year: int) -> None:
    """Give every widget of the page its starting value (once per session and year)."""
    state = st.session_state
    ids = data.inputs["product_id"].to_list()
    _keep(
        [METHOD, CAP, ELASTICITY, FORCED_IN, FORCED_OUT, NAME]
        + [weight_key(k) for k in CRITERION_KEYS]
        + [ahp_key(a, b) for a, b in pairs()]
        + [change_key(pid) for pid in ids]
    )
    state.setdefault(METHOD, SLIDERS)
    for key, weight in DEFAULT_WEIGHTS.items():
        state.setdefault(weight_key(key), weight)
    for a, b in pairs():
        state.setdefault(ahp_key(a, b), _EQUAL)
    for pid in data.inputs["product_id"]:
        state.setdefault(change_key(pid), 0)
    budgets = data.inputs["budget"].drop_nulls()
    state.setdefault(CAP, float(round(budgets.sum(), 2)) if budgets.len() else 0.0)
    state.setdefault(ELASTICITY, Assumptions().elasticity)
    state.setdefault(FORCED_IN, [])
    state.setdefault(FORCED_OUT, [])
    state.setdefault(NAME, f"Scenario {year}")


def current_weights() -> dict[str, float]:
    """The weights in force: the sliders', or the AHP eigenvector's (summing to 1)."""
    state = st.session_state
    if state.get(METHOD) == AHP:
        judgements = {(a, b): SAATY_SCALE[state[ahp_key(a, b)]] for a, b in pairs()}
        result = ahp_weights(pairwise_matrix(judgements, CRITERION_KEYS), CRITERION_KEYS)
        return dict(result.weights)
    return {key: float(state[weight_key(key)]) for key in CRITERION_KEYS}


def changes(data: PlanningData) -> dict[int, float]:
    """Budget changes as fractions, from the per-product sliders (in percent)."""
    state = st.session_state
    out = {}
    for pid in data.inputs["product_id"]:
        percent = state.get(change_key(pid), 0)
        if percent:
            out[int(pid)] = percent / 100
    return out


def _ids(names: list[str], data: PlanningData) -> frozenset[int]:
    by_name = {name: pid for pid, name in data.names.items()}
    return frozenset(by_name[n] for n in names if n in by_name)


def current(data: PlanningData, year: int) -> Scenario:
    """The page's state as a Scenario (the name is the one typed in the save box)."""
    state = st.session_state
    forced_in = _ids(state[FORCED_IN], data)
    return Scenario(
        name=state.get(NAME) or f"Scenario {year}",
        year=year,
        weights=current_weights(),
        budget_changes=changes(data),
        forced_in=forced_in,
        forced_out=_ids(state[FORCED_OUT], data) - forced_in,
        cap=float(state[CAP]),
        assumptions={"elasticity": float(state[ELASTICITY])},
    )


def apply(scenario: Scenario, data: PlanningData) -> None:
    """Set every widget to the scenario's values (the next run draws them)."""
    state = st.session_state
    state[METHOD] = SLIDERS  # a scenario stores weights, not the pairwise judgements
    for key in CRITERION_KEYS:
        state[weight_key(key)] = float(scenario.weights.get(key, 0.0))
    for pid in data.inputs["product_id"]:
        state[change_key(pid)] = round(scenario.budget_changes.get(int(pid), 0.0) * 100)
    names = data.names
    state[FORCED_IN] = sorted(names[p] for p in scenario.forced_in if p in names)
    state[FORCED_OUT] = sorted(names[p] for p in scenario.forced_out if p in names)
    if scenario.cap is not None:
        state[CAP] = float(scenario.cap)
    state[ELASTICITY] = float(scenario.assumptions.get("elasticity", Assumptions().elasticity))
    state[NAME] = scenario.name


def share_query(scenario: Scenario) -> dict[str, str]:
    """The query parameters of a link that opens the page in this state."""
    return to_query(scenario)


def _signature(params: Mapping[str, str | list[str]]) -> str:
    return repr(sorted((k, str(v)) for k, v in params.items()))


def mark_shared(query: Mapping[str, str]) -> None:
    """Note a link this session just made, so it is not re-applied on the next run."""
    st.session_state[_QUERY_SEEN] = _signature(query)


def open_shared_link(params: Mapping[str, str | list[str]], data: PlanningData) -> str | None:
    """Apply a shared link's scenario once per link; returns an error message or None.

    A link is applied when first seen in the session, so moving a slider
    afterwards is not undone by the link still in the address bar.
    """
    if "y" not in params or "name" not in params:
        return None
    signature = _signature(params)
    if st.session_state.get(_QUERY_SEEN) == signature:
        return None
    st.session_state[_QUERY_SEEN] = signature
    try:
        scenario = from_query(params)
    except ValueError as exc:
        return f"The shared link could not be opened: {exc}"
    apply(scenario, data)
    return None
