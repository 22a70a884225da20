"""Reach and activity per product: unique and active learners, completions, hours.

Every function reads usage facts in `metrics.schema.USAGE` shape, already
resolved across overlapping imports by `models.frames.usage_frame`, and places
rows in the window by `metrics.periods.in_window`. Results are keyed by
`product_id`; a product with no usage row in the window does not appear, so
that the scorecard reports it as null ("not tracked"), never 0.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl

from metrics import common
from metrics.periods import month_bounds, year_bounds

__all__ = [
    "active_learners",
    "active_learners_by_month",
    "completions",
    "learning_hours",
    "portfolio_active_learners",
    "reach",
    "unique_learners",
    "unique_learners_by_month",
]

_COLUMNS = (
    "product_id",
    "learner_id",
    "content_id",
    "date",
    "period_start",
    "period_end",
    "minutes",
    "progress_pct",
    "completed",
    "completed_date",
)


def _window_rows(usage: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    common.check_window(start, end)
    common.require(usage, _COLUMNS, what="usage")
    return usage.filter(common.row_in_window(start, end))


def _distinct_learners(where: pl.Expr | None = None) -> pl.Expr:
    learners = pl.col("learner_id") if where is None else pl.col("learner_id").filter(where)
    return learners.drop_nulls().n_unique().cast(pl.Int64)


def unique_learners(usage: pl.DataFrame, *, start: date, end: date) -> pl.DataFrame:
    """Distinct learners of each product in the window, active or not.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `unique_learners` (Int64).

    Notes
    -----
    unique_learners = |{learner : the learner has a usage row of the product
    in the window}|, enrolled or assigned learners with no activity included.
    Products with no row in the window are absent (not tracked).

    Examples
    --------
    Learner 1 on two courses and learner 2 enrolled with no activity: 2.
    """
    return (
        _window_rows(usage, start, end)
        .group_by("product_id")
        .agg(_distinct_learners().alias("unique_learners"))
        .sort("product_id")
    )


def active_learners(usage: pl.DataFrame, *, start: date, end: date) -> pl.DataFrame:
    """Distinct learners of each product with any recorded activity in the window.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `active_learners` (Int64).

    Notes
    -----
    A row is activity when minutes > 0, progress_pct > 0 or it is completed.
    A product with rows in the window but no activity reports 0 (tracked,
    nobody active); a product with no row in the window is absent.

    Examples
    --------
    Learner 1 with 30 minutes and learner 2 enrolled with 0 minutes: 1.
    """
    return (
        _window_rows(usage, start, end)
        .group_by("product_id")
        .agg(_distinct_learners(common.is_active()).alias("active_learners"))
        .sort("product_id")
    )


def completions(usage: pl.DataFrame, *, start: date, end: date) -> pl.DataFrame:
    """Distinct (learner, content item) pairs of each product completed in the window.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `completions` (Int64, null = not tracked).

    Notes
    -----
    completions = |{(learner, content) : completed, completion in the
    window}|, so a pair completed twice, or reported by two overlapping
    reports, counts once. A completion is placed by its completed_date, else
    its date, else its report period (`metrics.periods.completion_in_window`).
    Null when none of the product's rows in the window says whether it is
    complete (`completed` and `completed_date` both null: a format with no
    completion field). A product with no row in the window is absent.

    Examples
    --------
    Learner 1 completes course A in March and again in May, learner 2
    completes course A in June: 2 completions.
    """
    common.check_window(start, end)
    common.require(usage, _COLUMNS, what="usage")
    counted = common.completion_in_window(start, end)
    pairs = pl.struct("learner_id", "content_id").filter(counted).n_unique().cast(pl.Int64)
    tracked = common.is_completed().is_not_null().any()
    return (
        usage.filter(common.row_in_window(start, end) | counted)
        .group_by("product_id")
        .agg(pl.when(tracked).then(pairs).otherwise(None).alias("completions"))
        .sort("product_id")
    )


def learning_hours(usage: pl.DataFrame, *, start: date, end: date) -> pl.DataFrame:
    """Hours of learning recorded for each product in the window.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `learning_hours` (Float64, null = not tracked).

    Notes
    -----
    learning_hours = Σ minutes ÷ 60 over the rows in the window; null when no
    row of the product records minutes. A snapshot row's minutes are the
    vendor's cumulative total as of its report's end.

    Examples
    --------
    Rows of 30, 45 and 105 minutes: 180 / 60 = 3.0 hours.
    """
    return (
        _window_rows(usage, start, end)
        .group_by("product_id")
        .agg((common.sum_or_null(pl.col("minutes")) / 60).alias("learning_hours"))
        .sort("product_id")
    )


def active_learners_by_month(usage: pl.DataFrame, *, year: int) -> pl.DataFrame:
    """Active learners of each product in each month of the year, for a trend chart.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `month` (first day of the month),
        `active_learners` (Int64), sorted by product and month.

    Notes
    -----
    Each month is its own window (`active_learners` over that month), so a
    learner active in March and April counts in both. An undated row counts
    in every month its report period overlaps. A product-month with no row
    is absent (a gap in the chart, not a zero).

    Examples
    --------
    Learner 1 active on 3 and 20 March and learner 2 on 2 April:
    March 1, April 1.
    """
    return _by_month(active_learners, "active_learners", usage, year)


def unique_learners_by_month(usage: pl.DataFrame, *, year: int) -> pl.DataFrame:
    """Unique learners (active or not) of each product in each month of the year.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `month` (first day of the month),
        `unique_learners` (Int64), sorted by product and month.

    Notes
    -----
    Each month is its own window (`unique_learners` over that month): a
    learner with rows in March and April counts in both, so the months do
    not add up to the year's unique learners. An undated row counts in
    every month its report period overlaps. A product-month with no row is
    absent (not tracked, a gap in the chart), never 0.

    Examples
    --------
    Learner 1 active on 3 March, learner 2 enrolled (0 minutes) on 9 March,
    learner 1 again on 2 April: March 2, April 1.
    """
    return _by_month(unique_learners, "unique_learners", usage, year)


def _by_month(
    measure: Callable[..., pl.DataFrame], name: str, usage: pl.DataFrame, year: int
) -> pl.DataFrame:
    """`measure` over each calendar month of `year`, stacked with a `month` column.

    The year's rows are taken once (a row in a month's window is in the year's), so
    the twelve windows filter those rather than every year's facts.
    """
    usage = _window_rows(usage, *year_bounds(year))
    months = []
    for month in range(1, 13):
        start, end = month_bounds(year, month)
        months.append(
            measure(usage, start=start, end=end).select(
                "product_id", pl.lit(start, dtype=pl.Date()).alias("month"), name
            )
        )
    return pl.concat(months).sort("product_id", "month")


def portfolio_active_learners(usage: pl.DataFrame, *, start: date, end: date) -> int | None:
    """Distinct active learners across all products in the window.

    Returns
    -------
    int or None
        The count; None when there is no usage row in the window at all.

    Notes
    -----
    A learner active in two products counts once, so this is not the sum of
    the products' active learners.

    Examples
    --------
    Learner 1 active in products A and B, learner 2 active in B: 2.
    """
    rows = _window_rows(usage, start, end)
    if rows.is_empty():
        return None
    return int(rows.select(_distinct_learners(common.is_active())).item())


def reach(
    active: pl.Expr | str = "active_learners", audience: pl.Expr | str = "target_audience_size"
) -> pl.Expr:
    """Reach of the target audience: active learners ÷ its size (a fraction).

    Notes
    -----
    reach = active learners ÷ target audience size; null when either is null
    or the audience is 0. Not capped: above 1 means people outside the
    stated audience use the product too (the audience size may be stale).

    Examples
    --------
    330 active learners in an audience of 1,200: 0.275.
    """
    return common.safe_ratio(common.as_expr(active), common.as_expr(audience)).alias("reach")
