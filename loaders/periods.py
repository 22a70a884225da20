"""The report period of a usage file, and the dates that cannot be in it.

A report's period comes from its own period columns, else `--period`, else
the span of its activity and completion dates (DESIGN.md, "Overlap and
undo"); a snapshot report with the latest period end wins when reading.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from loaders.dates import parse_date_columns
from loaders.errors import ROW, ErrorLog, Rejected
from loaders.formats.base import resolve
from loaders.result import decision

if TYPE_CHECKING:  # a type only: `--period` is checked before the database side loads
    from loaders.job import Job

__all__ = ["check_late_dates", "month_end", "parse_period", "report_period"]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_end(day: date) -> date:
    """Last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _bound(text: str, *, end: bool) -> date:
    text = text.strip()
    match = _MONTH.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            msg = f"'{text}' is not a month (YYYY-MM)"
            raise ValueError(msg)
        first = date(year, month, 1)
        return month_end(first) if end else first
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"'{text}' is not a month (YYYY-MM) or a date (YYYY-MM-DD)"
        raise ValueError(msg) from None


def parse_period(text: str) -> tuple[date, date]:
    """`YYYY-MM` or `YYYY-MM..YYYY-MM` (ISO dates also accepted) -> first and last day.

    Raises
    ------
    ValueError
        For anything else, or an end before the start.

    Examples
    --------
    >>> parse_period("2026-01..2026-06")
    (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    """
    start_text, _, end_text = text.partition("..")
    start = _bound(start_text, end=False)
    end = _bound(end_text or start_text, end=True)
    if end < start:
        msg = f"period '{text}' ends before it starts"
        raise ValueError(msg)
    return start, end


def report_period(job: Job, frame: pl.DataFrame) -> tuple[date, date]:
    """The report's own period columns, else `--period`, else the span of its dates.

    Raises
    ------
    Rejected
        When none of the three gives a period (the user must pass `--period`).
    """
    fmt = job.format
    own = fmt.period_columns
    if own is not None:
        cols = [resolve(h, job.table.normalised) for h in own]
        if all(cols):
            parsed = parse_date_columns(
                {c: job.table.frame.get_column(c) for c in cols if c},
                default=fmt.date_order,
                override=job.options.date_order,
            )
            start, end = (parsed[c].values for c in cols if c)
            if start.min() is not None and end.max() is not None:
                job.note(decision("period", "from the report's own period columns"))
                return start.min(), end.max()  # type: ignore[return-value]
    if job.options.period is not None:
        job.note(decision("period", "from --period"))
        return job.options.period
    dates = pl.concat([frame.get_column("activity_date"), frame.get_column("completed_date")])
    if dates.drop_nulls().is_empty():
        msg = "the report has no dates and no period; pass --period YYYY-MM[..YYYY-MM]"
        raise Rejected.single(msg)
    job.note(decision("period", "from the span of the report's activity and completion dates"))
    return dates.min(), dates.max()  # type: ignore[return-value]


def check_late_dates(
    job: Job,
    frame: pl.DataFrame,
    raw: pl.DataFrame,
    src: dict[str, str],
    end: date,
    errors: ErrorLog,
) -> None:
    """Log dates after the report period's end, or after today, as row errors."""
    today = job.settings.today()
    checked: set[str] = set()
    for c in ("activity_date", "completed_date"):
        if c not in src or src[c] in checked:
            continue
        checked.add(src[c])
        values = pl.DataFrame(
            {ROW: frame.get_column(ROW), "d": frame.get_column(c), "raw": raw.get_column(c)}
        )
        for limit, words in ((end, f"the report period end {end}"), (today, f"today ({today})")):
            late = values.filter(pl.col("d") > limit)
            values = values.filter(~(pl.col("d") > limit).fill_null(False))
            errors.add_rows(late, column=src[c], message=lambda r, w=words: _late(r, w))


def _late(row: dict[str, object], words: str) -> str:
    iso = str(row["d"])
    shown = iso if row["raw"] == iso else f"'{row['raw']}' ({iso})"
    return f"{shown} is after {words}"
