"""The Prioritise page's what-if state: widget keys <-> `planning.scenarios.Scenario`.

Why a module: five views read the same state, and it is saved, loaded and
shared as a link, so the mapping between widget keys and a `Scenario` is
written once. Widgets are created without `value=`; their values live in
`st.session_state`, which lets a loaded scenario or a shared link set every
slider. A scenario belongs to a year: switching the year resets the cap and
the name, while the weights and the elasticity (how to judge) carry over.
"""

from __future__ import annotations

import streamlit as st

from pages.planning_reads import PlanningData
from planning.criteria import CRITERION_KEYS, DEFAULT_WEIGHTS
from planning.readouts import plan_total
from planning.scenarios import Scenario
from planning.scoring import AhpResult, ahp_weights, pairwise_matrix
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
    "PICKED",
    "SLIDERS",
    "ahp_key",
    "ahp_result",
    "apply",
    "change_key",
    "changes",
    "current",
    "current_weights",
    "init",
    "keep_weights",
    "pairs",
    "reset_changes",
    "set_changes",
    "weight_key",
]

SLIDERS = "Sliders"
AHP = "Pairwise comparison (AHP)"
METHOD = "prio.method"
CAP = "prio.cap"
ELASTICITY = "prio.elasticity"
FORCED_IN = "prio.forced_in"
FORCED_OUT = "prio.forced_out"
NAME = "prio.scenario_name"
PICKED = "prio.whatif.picked"  # the products whose sliders a large portfolio draws
_YEAR = "prio.state_year"  # the year the cap and the name were set for
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
    """Keep the values of widgets this run does not draw (else Streamlit forgets them)."""
    state = st.session_state
    for key in keys:
        if key in state:
            state[key] = state[key]


def _default_name(year: int) -> str:
    return f"Scenario {year}"


def init(data: PlanningData, year: int) -> None:
    """Give every widget of the page its starting value (once per session and year).

    When the year has changed since the last run, the cap and the name
    belong to the other year: they are reset to this year's defaults.
    """
    state = st.session_state
    ids = data.inputs["product_id"].to_list()
    _keep([METHOD, CAP, ELASTICITY, FORCED_IN, FORCED_OUT, NAME, PICKED])
    _keep([change_key(p) for p in ids])
    state.setdefault(METHOD, SLIDERS)
    keep_weights()
    for pid in ids:
        state.setdefault(change_key(pid), 0)
    if state.get(_YEAR, year) != year:  # another year's cap and name: start afresh
        del state[CAP], state[NAME]
    state[_YEAR] = year
    state.setdefault(CAP, plan_total(data.inputs))
    state.setdefault(ELASTICITY, Assumptions().elasticity)
    state.setdefault(FORCED_IN, [])
    state.setdefault(FORCED_OUT, [])
    state.setdefault(NAME, _default_name(year))


def keep_weights() -> None:
    """Keep the weight sliders and the pairwise judgements, whichever of them is hidden.

    Why: a fragment run drawing the AHP pairs made Streamlit forget the sliders (back at 0).
    """
    _keep([weight_key(k) for k in CRITERION_KEYS] + [ahp_key(a, b) for a, b in pairs()])
    for key, weight in DEFAULT_WEIGHTS.items():
        st.session_state.setdefault(weight_key(key), weight)
    for a, b in pairs():
        st.session_state.setdefault(ahp_key(a, b), _EQUAL)


def ahp_result() -> AhpResult:
    """The weights and consistency the pairwise judgements on the page give (AHP)."""
    judgements = {(a, b): st.session_state[ahp_key(a, b)] for a, b in pairs()}
    return ahp_weights(pairwise_matrix(judgements, CRITERION_KEYS), CRITERION_KEYS)


def current_weights() -> dict[str, float]:
    """The weights in force: the sliders', or the AHP eigenvector's (summing to 1)."""
    state = st.session_state
    if state.get(METHOD) == AHP:
        return dict(ahp_result().weights)
    return {key: float(state[weight_key(key)]) for key in CRITERION_KEYS}


def changes(data: PlanningData) -> dict[int, float]:
    """Budget changes as fractions, from the per-product sliders (in percent)."""
    state = st.session_state
    out = {}
    for pid in data.inputs["product_id"]:
        percent = state.get(change_key(pid), 0)
        if percent:
            out[int(pid)] = percent / 100  # the sliders are in whole percents
    return out


def set_changes(fractions: dict[int, float]) -> None:
    """Move the per-product sliders to these budget changes (fractions)."""
    for pid, fraction in fractions.items():
        st.session_state[change_key(pid)] = round(fraction * 100)


def reset_changes(data: PlanningData) -> None:
    """Every product back to its plan (all sliders at 0 %)."""
    set_changes({int(pid): 0.0 for pid in data.inputs["product_id"]})


def _ids(names: list[str], data: PlanningData) -> frozenset[int]:
    by_name = {name: pid for pid, name in data.names.items()}
    return frozenset(by_name[n] for n in names if n in by_name)


def current(data: PlanningData, year: int) -> Scenario:
    """The page's state as a Scenario (the name is the one typed in the save box)."""
    state = st.session_state
    forced_in = _ids(state[FORCED_IN], data)
    return Scenario(
        name=state.get(NAME) or _default_name(year),
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
    set_changes(
        {int(p): scenario.budget_changes.get(int(p), 0.0) for p in data.inputs["product_id"]}
    )
    names = data.names
    state[FORCED_IN] = sorted(names[p] for p in scenario.forced_in if p in names)
    state[FORCED_OUT] = sorted(names[p] for p in scenario.forced_out if p in names)
    if scenario.cap is not None:
        state[CAP] = float(scenario.cap)
    state[ELASTICITY] = float(scenario.assumptions.get("elasticity", Assumptions().elasticity))
    state[NAME] = scenario.name
