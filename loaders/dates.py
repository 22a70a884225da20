"""Dates in every shape vendors write them, with day/month order decided per column.

Accepted in any date column (DESIGN.md: a format's documented shape is a
default, not a limit): ISO `2026-01-05`, ISO date-times with a zone
(`2025-01-15T10:30:00.000Z`: the date as written in that offset),
`MM/DD/YYYY`, `DD/MM/YYYY`, `M/D/YY`, `DD.MM.YYYY`, `Jan 5, 2026`,
`5 Jan 2026`, `5 janv. 26` and `YYYYMMDD`, each with or without a time after
it; and `YYYYMM` (Degreed's completion dates with the optional day left
out), which gives only a month and is read as its first day, with a decision
saying so. Month names may be English, French, Spanish, German, Portuguese,
Italian or Dutch, full or abbreviated (`loaders.month_names`): Moodle writes
dates in the exporting person's language (its French `strftimedatetimeshort`
is `%d %b %y, %H:%M`). A two-digit year is 20yy.

Day/month order of numeric dates is decided per column from its values: a
first part above 12 proves day-first, a second part above 12 proves
month-first, both in one column is an error. A column no value decides
follows another date column of the same file that was decided, else the
format's documented default, and the decision says it was ambiguous.
`--date-order` overrides all of this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Literal

import polars as pl

from loaders.month_names import MONTH_NUMBERS
from loaders.result import decision
from loaders.values import (
    Parsed,
    ascii_digits,
    blank_missing,
    distinct_values,
    on_distinct,
    without_empty_chunks,
)

__all__ = [
    "DateOrder",
    "DateShape",
    "date_shape",
    "parse_date_columns",
    "parse_dates",
    "parse_months",
]

DateOrder = Literal["dmy", "mdy"]

_END = r"(?:$|[\st,])"  # cells are lower-cased first
_ISO = rf"^(?<y>\d{{4}})[-/.](?<m>\d{{1,2}})[-/.](?<d>\d{{1,2}}){_END}"
_COMPACT = r"^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$"
_COMPACT_MONTH = r"^(?<y>(?:19|20)\d{2})(?<m>0[1-9]|1[0-2])$"  # YYYYMM: a month, no day
_NUMERIC = rf"^(?<a>\d{{1,2}})[/.\-](?<b>\d{{1,2}})[/.\-](?<y>\d{{4}}|\d{{2}}){_END}"
_LETTERS = r"\p{L}{3,12}"  # a month name or abbreviation, in any language (`month_names`)
_NAME_FIRST = rf"^(?<m>{_LETTERS})\.?\s+(?<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?<y>\d{{4}}){_END}"
# "5 Jan 2026", and Moodle's French "14 oct. 26, 16:50" (`%d %b %y`): a two-digit year too.
_DAY_FIRST = (
    rf"^(?<d>\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+(?<m>{_LETTERS})\.?[\s\-,]+"
    rf"(?<y>\d{{4}}|\d{{2}}){_END}"
)
_LEADING = r"^(?<a>\d{1,2})[/.\-](?<b>\d{1,2})[/.\-]\d{2}"
# Plain shapes one strptime reads (chrono accepts unpadded days and months).
_FAST = (
    (r"^\d{4}-\d{2}-\d{2}$", {"dmy": "%Y-%m-%d", "mdy": "%Y-%m-%d"}),
    (r"^\d{1,2}/\d{1,2}/\d{4}$", {"dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y"}),
)
_ISO_TIME = r"^\d{4}-\d{2}-\d{2}[Tt ]\d"  # Coursera, Percipio, xAPI: a time and zone follow
_LABEL = {"dmy": "day/month/year", "mdy": "month/day/year"}


@dataclass(frozen=True)
class DateShape:
    """What a column's numeric dates reveal: an example proving each order, if any."""

    numeric: bool
    day_first: str | None
    month_first: str | None


def _groups(s: pl.Series, pattern: str) -> pl.DataFrame:
    return s.str.extract_groups(pattern).struct.unnest()


def date_shape(raw: pl.Series) -> DateShape:
    """Look at the numeric dates of a column for proof of their day/month order."""
    distinct = distinct_values(raw, ordered=True)  # the first proof is the same
    s = ascii_digits(blank_missing(raw if distinct is None else distinct))[0]
    parts = s.str.extract_groups(_LEADING).struct.unnest()
    first, second = (parts.get_column(k).cast(pl.Int32) for k in ("a", "b"))
    if first.is_null().all():
        return DateShape(numeric=False, day_first=None, month_first=None)
    day_first = s.filter(first > 12).head(1).to_list() if (first.max() or 0) > 12 else []
    month_first = s.filter(second > 12).head(1).to_list() if (second.max() or 0) > 12 else []
    return DateShape(
        numeric=True,
        day_first=day_first[0] if day_first else None,
        month_first=month_first[0] if month_first else None,
    )


def _fast(s: pl.Series, order: DateOrder) -> pl.Series | None:
    """One strptime when every value has the same plain shape (the common case), else None."""
    present = s.drop_nulls()
    for pattern, formats in _FAST:
        if present.str.contains(pattern).all():
            return s.str.to_date(formats[order], strict=False)
    if present.str.contains(_ISO_TIME).all():  # ISO date-times: the date as written
        return s.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    return None


def parse_dates(raw: pl.Series, *, order: DateOrder, distinct: pl.Series | None = None) -> Parsed:
    """Parse a column in any accepted shape; numeric day/month dates in `order`.

    `distinct` passes `values.distinct_values(raw)` when the caller has it already.
    """
    return on_distinct(raw, partial(_parse_dates, order=order), distinct=distinct)


def _parse_dates(raw: pl.Series, *, order: DateOrder) -> Parsed:
    # '２０２６-０１-０５' reads as 2026-01-05; pl.format below panics on an empty chunk.
    cleaned = ascii_digits(blank_missing(without_empty_chunks(raw)))[0]
    fast = _fast(cleaned, order)
    if fast is not None:
        return _with_problems(cleaned, fast.alias(raw.name))
    s = cleaned.str.to_lowercase()
    iso = _groups(s, _ISO)
    compact = _groups(s, _COMPACT)
    month_only = _groups(s, _COMPACT_MONTH)
    numeric = _groups(s, _NUMERIC)
    named = [_groups(s, _NAME_FIRST), _groups(s, _DAY_FIRST)]
    day, month = ("a", "b") if order == "dmy" else ("b", "a")
    year2 = _full_year(numeric.get_column("y"))
    months = [
        f.get_column("m").replace_strict(MONTH_NUMBERS, default=None, return_dtype=pl.String)
        for f in named
    ]
    first_day = (
        month_only["m"]
        .is_not_null()
        .replace_strict({True: "01", False: None}, return_dtype=pl.String)
    )
    y = pl.coalesce(
        iso["y"], compact["y"], month_only["y"], year2, named[0]["y"], _full_year(named[1]["y"]),
        pl.lit(None, pl.String),
    )  # fmt: skip
    m = pl.coalesce(iso["m"], compact["m"], month_only["m"], numeric[month], months[0], months[1])
    d = pl.coalesce(iso["d"], compact["d"], first_day, numeric[day], named[0]["d"], named[1]["d"])
    text = pl.select(pl.format("{}-{}-{}", y, m.str.zfill(2), d.str.zfill(2)).alias("t"))
    values = text.get_column("t").str.to_date("%Y-%m-%d", strict=False)
    return _with_problems(s, values.alias(raw.name))


def _full_year(year: pl.Series) -> pl.Series:
    """Two-digit years as 20yy (Moodle's `%y`), four-digit ones as written."""
    return year.zip_with(year.str.len_chars() != 2, "20" + year)


def _with_problems(cleaned: pl.Series, values: pl.Series) -> Parsed:
    bad = (cleaned.is_not_null() & values.is_null()).fill_null(False)
    problem = pl.select(pl.when(bad).then(pl.lit("is not a date")).otherwise(None)).to_series()
    return Parsed(values, problem)


def _decide(
    column: str,
    shape: DateShape,
    *,
    default: DateOrder,
    override: DateOrder | None,
    decided: Mapping[str, DateOrder],
) -> tuple[DateOrder, dict[str, object] | None, str | None]:
    if override is not None:
        note = decision(
            "date_order",
            f"read as {_LABEL[override]} (--date-order)",
            column=column,
            value=override,
            ambiguous=False,
        )
        return override, note, None
    if not shape.numeric:
        return default, None, None
    if shape.day_first and shape.month_first:
        problem = (
            f"mixes day-first ('{shape.day_first}') and month-first ('{shape.month_first}') "
            "dates; fix the column or pass --date-order dmy|mdy"
        )
        return default, None, problem
    if shape.day_first or shape.month_first:
        order: DateOrder = "dmy" if shape.day_first else "mdy"
        example = shape.day_first or shape.month_first
        note = decision(
            "date_order",
            f"read as {_LABEL[order]} ('{example}' decides it)",
            column=column,
            value=order,
            ambiguous=False,
        )
        return order, note, None
    if decided:
        other, order = next(iter(decided.items()))
        why = f"no value decides it; follows column {other} of the same file"
    else:
        order = default
        why = "no value decides it; the format's default"
    note = decision(
        "date_order",
        f"read as {_LABEL[order]} ({why})",
        column=column,
        value=order,
        ambiguous=True,
    )
    return order, note, None


def parse_date_columns(
    columns: Mapping[str, pl.Series],
    *,
    default: DateOrder,
    override: DateOrder | None = None,
) -> dict[str, Parsed]:
    """Parse several date columns of one file, deciding each column's day/month order.

    Parameters
    ----------
    columns
        Column name as written in the file -> its text cells.
    default
        The format's documented order, used when nothing in the file decides.
    override
        The user's `--date-order`, which beats every inference.
    """
    distinct = {name: distinct_values(raw, ordered=True) for name, raw in columns.items()}
    shapes = {
        name: date_shape(raw if distinct[name] is None else distinct[name])
        for name, raw in columns.items()
    }
    decided: dict[str, DateOrder] = {}
    for name, shape in shapes.items():
        if shape.day_first and not shape.month_first:
            decided[name] = "dmy"
        elif shape.month_first and not shape.day_first:
            decided[name] = "mdy"
    out: dict[str, Parsed] = {}
    for name, raw in columns.items():
        order, note, problem = _decide(
            name, shapes[name], default=default, override=override, decided=decided
        )
        parsed = parse_dates(raw, order=order, distinct=distinct[name])
        note = _month_only(raw, name, note, distinct=distinct[name])
        out[name] = Parsed(parsed.values, parsed.problem, note, problem)
    return out


def _month_only(
    raw: pl.Series,
    column: str,
    note: dict[str, object] | None,
    *,
    distinct: pl.Series | None = None,
) -> dict[str, object] | None:
    """Add to a column's decision that its `YYYYMM` values were read as their month's first day.

    `distinct` (the column's distinct values, when known) answers the usual
    "none" without a pass over every row.
    """
    if distinct is not None and not distinct.str.contains(_COMPACT_MONTH).any():
        return note
    found = blank_missing(raw).str.contains(_COMPACT_MONTH).fill_null(False)
    count = int(found.sum())
    if not count:
        return note
    example = raw.filter(found)[0]
    words = f"{count} value(s) give only a month (YYYYMM, e.g. '{example}'): read as its first day"
    if note is None:
        return decision("month_only_dates", words, column=column, value="first_day", count=count)
    return {**note, "message": f"{note['message']}; {words}", "month_only": count}


_YEAR_MONTH = r"^(?<y>\d{4})[-/.](?<m>\d{1,2})$"


def parse_months(
    raw: pl.Series, *, column: str, default: DateOrder, override: DateOrder | None = None
) -> Parsed:
    """Months as their first day: `YYYY-MM`, or any accepted date (its month).

    Examples
    --------
    >>> parse_months(pl.Series(["2026-03", "2026-03-17"]), column="month",
    ...              default="dmy").values.to_list()
    [datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)]
    """
    s = ascii_digits(blank_missing(without_empty_chunks(raw)))[0]  # pl.format: no empty chunk
    ym = s.str.extract_groups(_YEAR_MONTH).struct.unnest()
    month_text = pl.select(pl.format("{}-{}-01", ym["y"], ym["m"].str.zfill(2)).alias("t"))
    months = month_text.get_column("t").str.to_date("%Y-%m-%d", strict=False)
    rest = s.set(ym["y"].is_not_null(), None)
    dated = parse_date_columns({column: rest}, default=default, override=override)[column]
    values = months.fill_null(dated.values.dt.month_start()).alias(column)
    bad = (s.is_not_null() & values.is_null()).fill_null(False)
    problem = pl.select(
        pl.when(pl.lit(bad)).then(pl.lit("is not a month (YYYY-MM)")).otherwise(None)
    ).to_series()
    note = dated.decision if dated.values.is_not_null().any() else None
    return Parsed(values, problem, note, dated.column_problem)
