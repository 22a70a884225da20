"""Expressions the metrics modules share: windows, flags, null-aware sums and ratios.

Building blocks for `metrics/` and the funding pack: the measures themselves
are the public functions of the topical modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl

from metrics.currency import decimals, minor_per_major

__all__ = [
    "as_expr",
    "check_window",
    "completion_in_window",
    "is_active",
    "is_completed",
    "major",
    "open_ended",
    "require",
    "row_in_window",
    "safe_ratio",
    "sum_or_null",
    "to_major",
]

_FAR_PAST = date(1, 1, 1)
_FAR_FUTURE = date(9999, 12, 31)


def require(df: pl.DataFrame, columns: Iterable[str], *, what: str) -> None:
    """Raise a ValueError naming the columns `df` lacks (see `metrics.schema`)."""
    missing = [name for name in columns if name not in df.columns]
    if missing:
        msg = f"{what} frame is missing column(s): {', '.join(missing)} (see metrics.schema)"
        raise ValueError(msg)


def check_window(start: date, end: date) -> None:
    """Refuse a window that ends before it starts."""
    if end < start:
        msg = f"window end {end.isoformat()} is before its start {start.isoformat()}"
        raise ValueError(msg)


def as_expr(value: pl.Expr | str) -> pl.Expr:
    """A column name or an expression, as an expression."""
    return pl.col(value) if isinstance(value, str) else value


def sum_or_null(expr: pl.Expr) -> pl.Expr:
    """Sum of the non-null values; null when every value is null (nothing recorded)."""
    return pl.when(expr.is_not_null().any()).then(expr.sum()).otherwise(None)


def to_major(minor: pl.Expr, *, currency: str) -> pl.Expr:
    """Minor units of `currency` (pence, yen, fils) to major units as Float64, null kept.

    polars divides by a constant by multiplying with its reciprocal, which
    is not correctly rounded (631 pence would give 6.3100000000000005), so
    a whole number of minor units is snapped to the nearest value with the
    currency's decimals (2 for GBP, 0 for JPY, 3 for KWD), i.e. exactly what
    Python's `631 / 100` or `1234 / 1000` gives. Fractional minor units (an
    amortised share, a benefit) are divided as they are.
    """
    places = decimals(currency)
    units = minor.cast(pl.Float64)
    amount = units / minor_per_major(currency)
    return pl.when(units == units.round(0)).then(amount.round(places)).otherwise(amount)


def major(minor: float | None, *, currency: str) -> float | None:
    """One amount in minor units of `currency` as major units; None stays None.

    Python's division of an integer by a power of ten is correctly rounded,
    so whole minor units come back exactly (631 pence -> 6.31).
    """
    return None if minor is None else minor / minor_per_major(currency)


def safe_ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """The ratio numerator ÷ denominator (Float64); null if either is null or denominator 0."""
    usable = numerator.is_not_null() & denominator.is_not_null() & (denominator != 0)
    return (
        pl.when(usable)
        .then(numerator.cast(pl.Float64) / denominator.cast(pl.Float64))
        .otherwise(None)
    )


def is_completed() -> pl.Expr:
    """True/False when the row says whether it is complete; null when it cannot tell.

    `completed` wins when given; a row with no `completed` flag but a
    `completed_date` is complete; a row with neither comes from a format that
    does not report completion.
    """
    from_date = pl.when(pl.col("completed_date").is_not_null()).then(pl.lit(True))
    return pl.coalesce(pl.col("completed"), from_date)


def is_active() -> pl.Expr:
    """Any recorded activity: minutes > 0, progress > 0 or a completion (never null)."""
    return (
        (pl.col("minutes") > 0).fill_null(False)
        | (pl.col("progress_pct") > 0).fill_null(False)
        | is_completed().fill_null(False)
    )


def _bound(expr: pl.Expr | date) -> pl.Expr:
    return pl.lit(expr, dtype=pl.Date()) if isinstance(expr, date) else expr


def _period_overlaps(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """The row's report period [period_start, period_end] overlaps [start, end].

    A period with one bound missing is taken as the single day it names.
    """
    p_start = pl.coalesce(pl.col("period_start"), pl.col("period_end"))
    p_end = pl.coalesce(pl.col("period_end"), pl.col("period_start"))
    return ((p_start <= end) & (p_end >= start)).fill_null(False)


def row_in_window(start: pl.Expr | date, end: pl.Expr | date) -> pl.Expr:
    """A usage row counts in [start, end] (both ends included).

    A row with a date of its own (`date`, or failing that `completed_date`)
    counts when either of its dates falls in the window; only a row with no
    date at all takes its report period, and counts when that period
    overlaps the window. This is the rule `models.frames.usage_frame` applies
    in SQL, so filtering twice changes nothing.
    """
    lo, hi = _bound(start), _bound(end)
    on_date = pl.col("date").is_between(lo, hi).fill_null(False)
    on_completion = pl.col("completed_date").is_between(lo, hi).fill_null(False)
    undated = pl.col("date").is_null() & pl.col("completed_date").is_null()
    return on_date | on_completion | (undated & _period_overlaps(lo, hi))


def completion_in_window(start: pl.Expr | date, end: pl.Expr | date) -> pl.Expr:
    """A completed row whose completion counts in [start, end].

    The completion is placed by its `completed_date`, else the row's `date`,
    else its report period (counted when the period overlaps the window).
    """
    lo, hi = _bound(start), _bound(end)
    placed = (
        pl.when(pl.col("completed_date").is_not_null())
        .then(pl.col("completed_date").is_between(lo, hi))
        .when(pl.col("date").is_not_null())
        .then(pl.col("date").is_between(lo, hi))
        .otherwise(_period_overlaps(lo, hi))
    )
    return is_completed().fill_null(False) & placed.fill_null(False)


def open_ended(start: pl.Expr, end: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Fill a missing contract start/end with the far past/future (open-ended)."""
    return (
        start.fill_null(pl.lit(_FAR_PAST, dtype=pl.Date())),
        end.fill_null(pl.lit(_FAR_FUTURE, dtype=pl.Date())),
    )
