"""Prioritise, Sensitivity view: which weight or assumption the best set hangs on (a tornado)."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from pages import display, planning_charts, planning_reads
from pages import scenario_state as state
from pages.display import data_table
from pages.planning_reads import PlanningData
from pages.views.weights import LABELS
from planning.scoring import normalise_weights

__all__ = ["sensitivity"]


def sensitivity(data: PlanningData, year: int, as_of: date, currency: str) -> None:
    """Each setting moved down and up by half: the best set's value, and who enters or leaves."""
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
    rows = planning_reads.tornado_view(
        year,
        as_of,
        weights=planning_reads.weights_key(scenario.weights),
        elasticity=scenario.assumptions["elasticity"],
        cap=float(scenario.cap or 0.0),
        forced_in=tuple(sorted(scenario.forced_in)),
        forced_out=tuple(sorted(scenario.forced_out)),
    )
    if rows.is_empty():
        st.info("Nothing to test: no weight or assumption is set.")
        return
    labels = {**LABELS, "elasticity": "Elasticity of reach to budget"}
    rows = rows.with_columns(
        pl.col("parameter").replace_strict(labels, default=pl.col("parameter")).alias("label")
    )
    st.plotly_chart(planning_charts.tornado(rows), key="prio.chart.tornado")
    setting = st.column_config.NumberColumn
    data_table(
        rows.sort("spread", descending=True).with_columns(
            _flips("flips_low"), _flips("flips_high")
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
            "label": st.column_config.TextColumn("Setting", pinned=True),
            "base_setting": setting("Today", format="%.2f"),
            "low_setting": setting("Lower", format="%.2f"),
            "high_setting": setting("Higher", format="%.2f"),
            "flips_low": st.column_config.TextColumn(
                "Changes to the best set, lower", width="large"
            ),
            "flips_high": st.column_config.TextColumn(
                "Changes to the best set, higher", width="large"
            ),
        },
        hide_index=True,
        width="stretch",
        key="prio.tornado.table",
    )


def _flips(column: str) -> pl.Expr:
    joined = pl.col(column).list.join(", ")
    return pl.when(joined == "").then(pl.lit("no change")).otherwise(joined).alias(column)
