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
    day,
    day_time,
    money,
    money_exact,
    money_format,
    money_short,
    pct,
    percent_recorded,
    ratio,
    score,
    signed,
)

__all__ = [
    "NOT_TRACKED",
    "Better",
    "ColumnKind",
    "change_tile",
    "count",
    "currency_symbol",
    "data_table",
    "day",
    "day_time",
    "figure_tile",
    "money",
    "money_exact",
    "money_short",
    "pct",
    "percent_points",
    "percent_recorded",
    "ratio",
    "score",
    "show_table",
    "signed",
    "table_height",
]

Better = Literal["higher", "lower", "neither"]

ColumnKind = Literal[
    "money", "money_exact", "count", "percent", "percent_recorded", "text", "long_text"
]
"""How a table column is drawn: "percent" holds percentage points (−33.4 for −33 %, as
`pages.tables.percent_points` writes them), "percent_recorded" a share as recorded (0-100),
"text" a column of words (pinned or sized, not formatted), "long_text" one given the room of a
sentence (a measure's name), so it is not cut at 1280 px."""


def _column(kind: ColumnKind, currency: str, *, pinned: bool = False) -> object:
    if kind == "text":
        return st.column_config.TextColumn(pinned=pinned or None)
    if kind == "long_text":
        return st.column_config.TextColumn(pinned=pinned or None, width=240)
    formats = {
        "money": money_format(currency),
        "money_exact": money_format(currency, exact=True),
        "count": "%,d",
        "percent": "%.0f%%",
        "percent_recorded": "%.0f%%",
    }
    return st.column_config.NumberColumn(format=formats[kind], pinned=pinned or None)


def percent_points(values: pl.Series | list[float | None]) -> pl.Series:
    """Fractions as percentage points (0.86 -> 86.0) for a "percent" column; None stays None.

    Why points: the column's printf format ("%.0f%%") writes the number as it
    is, and the column still sorts as numbers.
    """
    return pl.Series(values, dtype=pl.Float64) * 100


def figure_tile(
    where: Any, label: str, value: str, *, note: str | None = None, help: str | None = None
) -> None:
    """A headline figure; `note` is a plain fact under it ("86% of plan"), with no arrow.

    Why: Streamlit draws an arrow beside any delta, so "↑ 1,625 idle seats"
    read as a rise; a fact that is not a change gets no arrow and no colour.
    """
    where.metric(
        label, value, delta=note, delta_color="off", delta_arrow="off", border=True, help=help
    )


def change_tile(
    where: Any,
    label: str,
    value: str,
    *,
    change: float | None,
    text: str,
    better: Better,
    help: str | None = None,
) -> None:
    """A headline figure with a change under it: the arrow follows the sign of `change`.

    Parameters
    ----------
    change
        The change as a number (its sign sets the arrow; 0 or None: no arrow).
    text
        The change in words, with its sign ("+£45k vs plan"); `metrics.text.signed`.
    better
        Which way is good news: green for it, red against it, grey for "neither".
        Why explicit: Streamlit reads the sign from the text, and the true minus
        ("−£45k") is not a "-" to it, so it drew "↑ −£45k".
    """
    moved = change is not None and change != 0
    arrow = "off" if not moved else ("up" if change > 0 else "down")
    colour = "gray"
    if moved and better != "neither":
        colour = "green" if (change > 0) == (better == "higher") else "red"
    where.metric(
        label,
        value,
        delta=text if change is not None else None,
        delta_color=colour,
        delta_arrow=arrow,
        border=True,
        help=help,
    )


ROWS_IN_VIEW = 40
"""Rows a product table shows in full; a longer one scrolls within (at 2,000 products a
table 70,000 px tall drew nothing in Chromium, and everything after it sat far below)."""


def table_height(rows: int) -> int:
    """Pixels for a table of `rows` rows: all of them up to `ROWS_IN_VIEW`, that many beyond."""
    return 38 + 35 * min(rows, ROWS_IN_VIEW)


def data_table(frame: pl.DataFrame, **options: Any) -> Any:
    """`st.dataframe` of `frame` with formula-like text made inert (`neutralise_frame`).

    Every table on a page has a "Download as CSV" button that writes cells as
    they are, so a name such as ``=HYPERLINK(...)`` must already be inert here.
    """
    return st.dataframe(neutralise_frame(frame), **options)


def show_table(
    frame: pl.DataFrame,
    *,
    key: str,
    currency: str,
    kinds: Mapping[str, ColumnKind] | None = None,
    height: int | None = None,
    pinned: str | None = None,
    placeholder: str = NOT_TRACKED,
    **options: Any,
) -> Any:
    """Draw `frame`, its numeric columns formatted by kind; a missing cell reads "not tracked".

    `pinned` names the column that stays in view while the rest scrolls (the
    product, so a wide table never hides whose figures these are); `options`
    go to `st.dataframe` (row selection, say), whose return value is returned.
    """
    config = {name: _column(kind, currency) for name, kind in (kinds or {}).items()}
    if pinned is not None:
        config[pinned] = _column(
            kinds.get(pinned, "text") if kinds else "text", currency, pinned=True
        )
    return data_table(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        height=height or "auto",
        placeholder=placeholder,
        column_config=config,
        **options,
    )
