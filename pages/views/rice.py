"""Prioritise, RICE view: reach × impact × confidence ÷ effort, the product teams' ranking."""

from __future__ import annotations

import streamlit as st

from pages.display import data_table
from pages.planning_reads import PlanningData
from planning.scoring import rice_table

__all__ = ["rice"]

_COLUMNS = (
    "rice_rank",
    "product",
    "rice_reach",
    "rice_impact",
    "rice_confidence",
    "rice_effort",
    "rice",
    "health",
)


def rice(data: PlanningData, currency: str) -> None:
    """The RICE table, best first, with how impact and confidence are read from the evidence."""
    data_table(
        rice_table(data.inputs),
        hide_index=True,
        width="stretch",
        key="prio.rice",
        column_order=_COLUMNS,
        column_config={
            "rice_rank": "Rank",
            "product": "Product",
            "rice_reach": "Reach (active learners)",
            "rice_impact": "Impact (0.25–3)",
            "rice_confidence": st.column_config.NumberColumn("Confidence", format="percent"),
            "rice_effort": f"Effort ({currency}k budget)",
            "rice": st.column_config.NumberColumn("RICE", format="%.1f"),
            "health": "Health",
        },
    )
    st.caption(
        "Impact from the evidence: BCR ≥ 3 → 3, ≥ 1.5 → 2, ≥ 1 → 1, level-2 evidence → 0.5, "
        "else 0.25. Confidence from the highest Kirkpatrick level: 4 → 100%, 3 → 80%, "
        "else 50%. No usage tracked or no budget → no RICE score."
    )
