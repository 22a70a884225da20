"""The Import page's data-freshness table: every product's feed, how far it runs, how old."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from pages import display
from pages.importing import format_label

__all__ = ["freshness_table"]


def freshness_table(view: pl.DataFrame, *, as_of: date, stale_after_days: int) -> None:
    """One row per product with usage: feed, last period, import time, age; stale ones first.

    `view` is `pages.freshness_reads.freshness_view` (`metrics.freshness` with the names).

    Why on the Import page: it is where someone can act on a stale feed, by
    importing the vendor's newer report.
    """
    fresh = view.filter(pl.col("usage_as_of").is_not_null())
    if fresh.is_empty():
        st.info("No usage imported yet: nothing to be fresh or stale.")
        return
    table = fresh.sort(["stale", "usage_as_of"], descending=[True, False]).select(
        pl.col("product").alias("Product"),
        pl.col("feed").map_elements(format_label, return_dtype=pl.String).alias("Feed"),
        pl.col("usage_as_of").alias("Usage to"),
        pl.col("last_import_at").alias("Imported (UTC)"),
        pl.col("age_days").alias("Age (days)"),
        pl.when(pl.col("stale")).then(pl.lit("stale")).otherwise(pl.lit("")).alias("Status"),
    )
    stale = int(fresh["stale"].fill_null(False).sum())
    st.caption(
        f"Usage more than {stale_after_days} days old on {display.day(as_of)} is stale "
        f"(LP_STALE_AFTER_DAYS): {stale} of {display.count(fresh.height, 'products')}."
    )
    display.data_table(
        table,
        hide_index=True,
        width="stretch",
        key="import.freshness",
        column_config={
            "Product": st.column_config.TextColumn(pinned=True),
            "Usage to": st.column_config.DateColumn(format="D MMM YYYY"),
            "Imported (UTC)": st.column_config.DatetimeColumn(format="D MMM YYYY HH:mm"),
            "Age (days)": st.column_config.NumberColumn(format="%d"),
        },
    )
