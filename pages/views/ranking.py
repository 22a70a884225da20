"""Prioritise, Ranking view: weighted scores, what drives them, and how far each product moved."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from pages import planning_charts
from pages import scenario_state as state
from pages.display import data_table
from pages.planning_reads import PlanningData
from pages.views.rice import rice
from pages.views.weights import LABELS, weight_inputs
from planning.scoring import normalise_weights
from planning.scoring import ranking as ranked_products

__all__ = ["ranking"]


@st.fragment
def ranking(data: PlanningData, year: int, as_of: date, currency: str) -> None:
    """The weights, then the products ranked by weighted score (or by RICE)."""
    del year, as_of
    weight_inputs()
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
        rice(data, currency)
        return
    ranked = ranked_products(data.inputs, data.scores, weights, baseline=state.DEFAULT_WEIGHTS)
    weighted = sum(1 for w in weights.values() if w > 0)
    st.caption(
        "A criterion not tracked for a product (no usage imported, no strategic fit set) is "
        "left out of its score, and the weights are re-normalised over the criteria it has: "
        f"“Scored on” says how many of the {weighted} weighted criteria count, and the "
        "criterion's cell reads “not tracked”. No outcome evidence is itself a result: it "
        "scores 0."
    )
    data_table(
        _table(ranked, data, weighted),
        hide_index=True,
        width="stretch",
        key="prio.ranking",
        height=38 + 35 * min(ranked.height, 20),
        placeholder="not tracked",
        column_config={
            "Product": st.column_config.TextColumn(pinned=True),
            "Score": st.column_config.ProgressColumn(
                "Score", min_value=0, max_value=100, format="%.1f"
            ),
            "How it was scored": st.column_config.TextColumn(width="large"),
            **{
                f"{label} (pts)": st.column_config.NumberColumn(format="%.1f")
                for label in LABELS.values()
            },
        },
    )
    st.plotly_chart(planning_charts.contributions(ranked, LABELS), key="prio.chart.contrib")


def _move(moved: int | None) -> str:
    if moved is None or moved == 0:
        return ""
    return f"▲ {moved}" if moved > 0 else f"▼ {-moved}"


def _table(ranked: pl.DataFrame, data: PlanningData, weighted: int) -> pl.DataFrame:
    """Rank, product, score and health first; how it was scored; then points per criterion."""
    notes = ["; ".join(data.notes.get(pid, [])) for pid in ranked.get_column("product_id")]
    return pl.DataFrame(
        {
            "Rank": ranked["rank"],
            "Product": ranked["product"],
            "Score": ranked["score"],
            "Health": ranked["health"],
            "Move": [_move(m) for m in ranked.get_column("moved").to_list()],
            "Scored on": [f"{n} of {weighted}" for n in ranked["criteria_scored"]],
            "How it was scored": notes,
            **{f"{label} (pts)": ranked[f"contribution_{key}"] for key, label in LABELS.items()},
        }
    )
