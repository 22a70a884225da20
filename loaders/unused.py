"""Columns a format does not read: their bad dates become warnings, never rejections.

A vendor report often carries columns the format ignores ("Last login",
"Hire date"). A value there that is not a date cannot spoil the import, so
rejecting the file would be wrong; but saying nothing hides a sign that the
export is damaged. Such cells are listed as warnings naming the row and the
column, and the file is imported as usual.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from loaders.dates import DateOrder, parse_date_columns
from loaders.errors import ROW
from loaders.formats.base import Format, flatten
from loaders.reading import Table, normalise_header
from loaders.values import blank_missing

__all__ = ["WARNING_LIMIT", "read_headers", "unused_date_warnings"]

WARNING_LIMIT = 50
"""Warnings listed per file; the rest are counted."""

# Words of a header that say the column holds dates (one parsing value is then enough).
_DATE_WORDS = ("date", "login", "accessed", "viewed", "created", "updated", "modified", "when")
_SAMPLE = 1_000


def read_headers(fmt: Format) -> set[str]:
    """The normalised headers a format reads (required, optional, usage, period, key columns)."""
    named: list[Any] = [*fmt.required, *fmt.optional, *fmt.key_headers]
    if fmt.period_columns is not None:
        named.extend(fmt.period_columns)
    if fmt.usage is not None:
        for value in vars(fmt.usage).values():
            if isinstance(value, str):
                named.append(value)
            elif isinstance(value, tuple):
                named.extend(v for v in value if isinstance(v, str | tuple))
    return {normalise_header(h) for h in flatten(named)}


def _looks_like_dates(header: str, raw: pl.Series, order: DateOrder) -> bool:
    """Whether a column is meant to hold dates: its name says so, or half its values parse."""
    sample = blank_missing(raw).drop_nulls().head(_SAMPLE)
    if sample.is_empty():
        return False
    parsed = parse_date_columns({header: sample}, default=order)[header].values
    dated = parsed.is_not_null().sum()
    if dated == 0:
        return False
    norm = normalise_header(header)
    return any(w in norm for w in _DATE_WORDS) or dated * 2 >= sample.len()


def unused_date_warnings(
    table: Table, fmt: Format, *, order: DateOrder | None = None
) -> tuple[list[dict[str, object]], int]:
    """Bad dates in the columns `fmt` does not read, as `{row, column, message}` warnings.

    Returns the first `WARNING_LIMIT` warnings and how many there were.
    A column counts as a date column when its header says so ("Last login")
    or when at least half of its filled cells are dates; its other filled
    cells are the warnings. Columns the format reads are validated (and
    rejected) by the format's handler instead.
    """
    used = read_headers(fmt)
    default = order or fmt.date_order
    warnings: list[dict[str, object]] = []
    total = 0
    for header in table.headers:
        if normalise_header(header) in used or header not in table.frame.columns:
            continue
        raw = table.frame.get_column(header)
        if not _looks_like_dates(header, raw, default):
            continue
        parsed = parse_date_columns({header: raw}, default=fmt.date_order, override=order)[header]
        bad = pl.DataFrame({ROW: table.frame.get_column(ROW), "value": raw}).filter(
            parsed.problem.is_not_null() & blank_missing(raw).is_not_null()
        )
        total += bad.height
        for row, value in bad.head(max(WARNING_LIMIT - len(warnings), 0)).iter_rows():
            warnings.append(
                {
                    "row": row,
                    "column": header,
                    "message": f"'{value}' is not a date; this column is not imported, "
                    "so the row is imported without it",
                }
            )
    return warnings, total
