"""The weights of the criteria: sliders, or pairwise judgements turned into weights (AHP)."""

from __future__ import annotations

import streamlit as st

from pages import display
from pages import scenario_state as state
from planning.criteria import CRITERIA
from planning.scoring import SAATY_SCALE

__all__ = ["LABELS", "weight_inputs"]

LABELS: dict[str, str] = {c.key: c.label for c in CRITERIA}
"""Criterion key -> the label the page shows."""


def weight_inputs() -> None:
    """The weight widgets: one slider per criterion, or the pairwise comparisons."""
    state.keep_weights()  # the hidden set keeps its values (switching back restores them)
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
    with st.container(border=True):
        st.caption("How important is the left criterion compared with the right one?")
        for a, b in state.pairs():
            st.select_slider(
                f"{LABELS[a]} is … {LABELS[b]}",
                options=list(SAATY_SCALE),
                key=state.ahp_key(a, b),
            )
    result = state.ahp_result()
    shown = " · ".join(f"{LABELS[k]} {display.pct(w)}" for k, w in result.weights.items())
    message = (
        f"Derived weights: {shown}. Consistency ratio {result.consistency_ratio:.2f} "
        "(Saaty: 0.10 or less is consistent)."
    )
    if result.consistent:
        st.success(message)
    else:
        st.warning(message + " Some judgements contradict each other: revisit the pairs.")
