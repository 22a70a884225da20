"""Display helpers shared by the pages: figures in words, and tables with numbers kept numbers.

Formatting is presentation, not a formula: numbers arrive computed by
`metrics/`, every figure in words comes from `metrics.text` (re-exported
here for the pages), and `show_table` keeps money and counts as numbers
that `st.column_config` formats (so they sort and export as numbers), with
"not tracked" for a missing cell. The tables themselves: `pages.tables`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import polars as pl
import streamlit as st

from exports.safety import neutralise_frame
from metrics.text import (
    NOT_TRACKED,
    count,
    currency_symbol,
    money,
    money_exact,
    money_format,
    money_short,
    pct,
    percent_recorded,
    ratio,
    score,
)

__all__ = [
    "NOT_TRACKED",
    "ColumnKind",
    "count",
    "currency_symbol",
    "data_table",
    "money",
    "money_exact",
    "money_short",
    "pct",
    "percent_recorded",
    "ratio",
    "score",
    "show_table",
]

ColumnKind = Literal["money", "money_exact", "count", "percent_recorded"]


def _column(kind: ColumnKind, currency: str) -> object:
    formats = {
        "money": money_format(currency),
        "money_exact": money_format(currency, exact=True),
        "count": "%,d",
        "percent_recorded": "%.0f%%",
    }
    return st.column_config.NumberColumn(format=formats[kind])


def data_table(frame: pl.DataFrame, **options: Any) -> None:
    """`st.dataframe` of `frame` with formula-like text made inert (`neutralise_frame`).

    Every table on a page has a "Download as CSV" button that writes cells as
    they are, so a name such as ``=HYPERLINK(...)`` must already be inert here.
    """
    st.dataframe(neutralise_frame(frame), **options)


def show_table(
    frame: pl.DataFrame,
    *,
    key: str,
    currency: str,
    kinds: Mapping[str, ColumnKind] | None = None,
    height: int | None = None,
) -> None:
    """Draw `frame`, its numeric columns formatted by kind; a missing cell reads "not tracked"."""
    data_table(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        height=height or "auto",
        placeholder=NOT_TRACKED,
        column_config={name: _column(kind, currency) for name, kind in (kinds or {}).items()},
    )
