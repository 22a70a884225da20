"""Dates in the columns a format does not read: checked, and a bad one reported as a warning.

Why: a vendor report carries more dates than the format needs ("Date
Enrolled" beside "Date Completed"). A column the import does not read can
never make it refuse a file, but a value there that is not a date often
means the export is damaged (a shifted column, a locale change), and a
silent import hides that. So such a column is read as dates too, and its
bad cells become one warning naming the column and the first row, never a
rejection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import polars as pl

from loaders.dates import DateOrder, parse_date_columns
from loaders.errors import ROW
from loaders.reading import normalise_header
from loaders.result import decision
from loaders.values import blank_missing

__all__ = ["unused_date_warnings"]

_DATE_WORDS = re.compile(r"\b(date|day|time|timestamp|accessed|enrolled|started|completed on)\b")
"""Headers that name a date: only these are checked (a title is not a date)."""


def unused_date_warnings(
    frame: pl.DataFrame, *, used: Iterable[str], order: DateOrder
) -> list[dict[str, Any]]:
    """One warning per unread date column that holds values which are not dates.

    Parameters
    ----------
    frame
        The file's table as read (columns as written, and `ROW`).
    used
        The columns the format reads (their bad values are errors elsewhere).
    order
        The format's day/month order, for columns nothing in the file decides.

    Returns
    -------
    list of dict
        `loaders.result.decision` dicts with topic "unused_column_dates",
        the column, the first bad row and value and how many cells are bad.
        A column is only judged when most of its filled cells are dates.
    """
    skip = {*used, ROW}
    candidates = {
        name: frame.get_column(name).cast(pl.String)
        for name in frame.columns
        if name not in skip and _DATE_WORDS.search(normalise_header(name))
    }
    if not candidates:
        return []
    parsed = parse_date_columns(candidates, default=order)
    rows = frame.get_column(ROW) if ROW in frame.columns else pl.Series(range(1, frame.height + 1))
    out = []
    for name, raw in candidates.items():
        filled = blank_missing(raw).is_not_null()
        bad = filled & parsed[name].values.is_null()
        count, dated = int(bad.sum()), int((filled & ~bad).sum())
        if count == 0 or dated < count:  # not a date column: nothing to say
            continue
        first = int(bad.arg_true()[0])
        value, row = raw[first], rows[first]
        out.append(
            decision(
                "unused_column_dates",
                f"column '{name}' (not used by this format): row {row} holds '{value}', "
                f"which is not a date ({count:,} such cell{'s' if count != 1 else ''}); "
                "the file was imported, check the export",
                column=name,
                row=row,
                cells=count,
                level="warning",
            )
        )
    return out
