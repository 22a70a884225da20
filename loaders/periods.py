"""The report period of a usage file, and the dates that cannot be in it.

A report's period comes from its own period columns, else `--period`, else
the span of its activity and completion dates (DESIGN.md, "Overlap and
undo"); a snapshot report with the latest period end wins when reading.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

__all__ = ["month_end", "parse_period"]

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
