"""Reporting windows, and which usage rows fall in them.

A window is a closed date range [start, end]. Usage rows are placed by their
own dates when they have one, else by the period of the report they came in
(DESIGN, Settled questions, "Periods").
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from metrics import common

__all__ = ["completion_in_window", "in_window", "month_bounds", "year_bounds"]

_WINDOW_COLUMNS = ("date", "completed_date", "period_start", "period_end")
_COMPLETION_COLUMNS = (*_WINDOW_COLUMNS, "completed")


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of a calendar year.

    Parameters
    ----------
    year
        Calendar year, 1..9999.

    Returns
    -------
    tuple of date
        (1 January, 31 December) of `year`, both included in the window.

    Examples
    --------
    >>> year_bounds(2026)
    (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    """
    if not 1 <= year <= 9999:
        msg = f"year {year} is not between 1 and 9999"
        raise ValueError(msg)
    return date(year, 1, 1), date(year, 12, 31)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a calendar month.

    Examples
    --------
    >>> month_bounds(2026, 2)
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """
    if not 1 <= month <= 12:
        msg = f"month {month} is not between 1 and 12"
        raise ValueError(msg)
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, following - timedelta(days=1)


def in_window(usage: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """Usage rows that count in the window [start, end].

    Parameters
    ----------
    usage
        Usage facts in `metrics.schema.USAGE` shape.
    start, end
        The window, both days included.

    Returns
    -------
    pl.DataFrame
        The rows of `usage` that count in the window, columns unchanged.

    Notes
    -----
    A row with a date of its own counts when that date is in the window:
    its `date`, or its `completed_date` (a row completed in the window had
    activity in it). Only a row with neither date takes its report period
    and counts when [period_start, period_end] overlaps the window; a period
    with one bound missing is the single day it names, and an undated row
    with no period counts nowhere. This is the same rule
    `models.frames.usage_frame` applies when it reads a window, so a frame
    read for a window and filtered again is unchanged.

    Examples
    --------
    A row dated 2025-12-30 in a report for 2026 counts in 2025, not 2026;
    an undated row of a report for Nov 2025 .. Jan 2026 counts in both years.
    """
    common.check_window(start, end)
    common.require(usage, _WINDOW_COLUMNS, what="usage")
    return usage.filter(common.row_in_window(start, end))


def completion_in_window(usage: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """Usage rows recording a completion that counts in the window [start, end].

    Returns
    -------
    pl.DataFrame
        The completed rows of `usage` whose completion falls in the window.

    Notes
    -----
    A row is completed when `completed` is true, or when `completed` is
    null and it has a `completed_date`. The completion is placed by its
    `completed_date`, else by the row's `date`, else by its report period
    (counted in every window the period overlaps). Rows are not
    de-duplicated here: `metrics.usage.completions` counts distinct
    (learner, content) pairs.

    Examples
    --------
    A row dated 2025-12-20 with completed_date 2026-01-04 is a 2026
    completion; an undated completed row of a Q1 2026 report is a 2026 one.
    """
    common.check_window(start, end)
    common.require(usage, _COMPLETION_COLUMNS, what="usage")
    return usage.filter(common.completion_in_window(start, end))
