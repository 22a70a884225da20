"""A product's reach by org unit, as a table of numbers (the Product page, under Use)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pages import display

__all__ = ["org_unit_table"]


def org_unit_table(rows: pl.DataFrame, *, min_group: int, currency: str, key: str) -> None:
    """Org unit, headcount, active learners and reach, biggest units first; hidden cells blank.

    `rows` are one product's `metrics.reach_by_org_unit` rows. Numbers stay
    numbers (they sort as numbers); a blank cell is a hidden figure or a unit
    without a headcount, and the caption says which is which.
    """
    if rows.is_empty():
        return
    table = rows.select(
        pl.col("org_unit").alias("Org unit"),
        pl.col("headcount").alias("Headcount"),
        pl.col("active_learners").alias("Active learners"),
        (pl.col("reach") * 100).alias("Reach"),
        pl.when(pl.col("suppressed"))
        .then(pl.lit(f"fewer than {min_group}"))
        .otherwise(pl.lit(""))
        .alias("Hidden"),
    )
    st.caption(
        f"Reach by org unit: active learners ÷ people in post. A blank figure is about fewer "
        f"than {min_group} people (hidden) or, for headcount, a unit the roster does not list."
    )
    display.show_table(
        table,
        key=key,
        currency=currency,
        kinds={"Headcount": "count", "Active learners": "count", "Reach": "percent"},
        pinned="Org unit",
        placeholder="",
    )
