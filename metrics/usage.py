"""Reach and activity per product: unique and active learners, completions, hours.

Every function reads usage facts in `metrics.schema.USAGE` shape, already
resolved across overlapping imports by `models.frames.usage_frame`, and places
rows in the window by `metrics.periods.in_window`. Results are keyed by
`product_id`; a product with no usage row in the window does not appear, so
that the scorecard reports it as null ("not tracked"), never 0.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics import common
from metrics.periods import year_bounds

__all__ = [
    "active_learners",
    "active_learners_by_month",
    "completions",
    "learning_hours",
    "portfolio_active_learners",
    "portfolio_learners",
    "reach",
    "unique_learners",
    "unique_learners_by_month",
    "usage_figures",
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


def _window_rows(usage: pl.DataFrame, start: date, end: date) -> pl.LazyFrame:
    """The rows in the window, lazily.

    A count over the whole window (`portfolio_learners`) then reads them in
    place rather than from a copy (ten million rows are 0.6 GB). A `group_by`
    whose counts filter their rows (active learners, completions) collects
    them first: the lazy engine took 1.5-2 times as long for the same groups.
    """
    common.check_window(start, end)
    common.require(usage, _COLUMNS, what="usage")
    return usage.lazy().filter(common.row_in_window(start, end))


def _distinct_learners(where: pl.Expr | None = None) -> pl.Expr:
    learners = pl.col("learner_id") if where is None else pl.col("learner_id").filter(where)
    return learners.drop_nulls().n_unique().cast(pl.Int64)


def _unique() -> pl.Expr:
    return _distinct_learners().alias("unique_learners")


def _active() -> pl.Expr:
    return _distinct_learners(common.is_active()).alias("active_learners")


def _completions(start: date, end: date) -> pl.Expr:
    """Completed (learner, content) pairs placed in the window; null when none says."""
    counted = common.completion_in_window(start, end)
    pairs = pl.struct("learner_id", "content_id").filter(counted).n_unique().cast(pl.Int64)
    tracked = common.is_completed().is_not_null().any()
    return pl.when(tracked).then(pairs).otherwise(None).alias("completions")


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
    rows = _window_rows(usage, start, end).collect()  # grouped eagerly: see `_window_rows`
    return rows.group_by("product_id").agg(_unique()).sort("product_id")


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
    rows = _window_rows(usage, start, end).collect()  # grouped eagerly: see `_window_rows`
    return rows.group_by("product_id").agg(_active()).sort("product_id")


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
    # A completion placed in the window is on a row in the window (its completion
    # date, else its date, else its period is in it), so the window's rows hold them all.
    return (
        _window_rows(usage, start, end)
        .collect()  # grouped eagerly: see `_window_rows`
        .group_by("product_id")
        .agg(_completions(start, end))
        .sort("product_id")
    )


def usage_figures(usage: pl.DataFrame, *, start: date, end: date) -> pl.DataFrame:
    """Unique and active learners, completions and minutes of each product, in one pass.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `unique_learners`, `active_learners`,
        `completions` (Int64) and `minutes` (Float64, null = not tracked),
        sorted by product.

    Notes
    -----
    Each count is exactly its own function's (`unique_learners`,
    `active_learners`, `completions`), and minutes are `learning_hours`'
    Σ minutes before the division (callers divide per product: see
    `metrics.tdrp_scope`). Why one function: the scorecard and every TDRp
    window need all of them, and at a million rows one filter and one
    `group_by` cost about a third of four.

    Examples
    --------
    Learner 1 with 30 minutes completing course A, learner 2 enrolled with
    0 minutes: unique 2, active 1, completions 1, minutes 30.0.
    """
    # Collected before the sum: a lazy group_by adds a product's minutes in another order
    # than an eager one (the last bit of 79,148.88 differed), and a product's figure must
    # be the same measured alone or among others (`metrics.tdrp_scope`).
    return (
        _window_rows(usage, start, end)
        .collect()
        .group_by("product_id")
        .agg(
            _unique(),
            _active(),
            _completions(start, end),
            common.sum_or_null(pl.col("minutes")).cast(pl.Float64).alias("minutes"),
        )
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
        .collect()  # summed eagerly, as `usage_figures` says why
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
    active = pl.when(common.is_active()).then(pl.col("learner_id"))
    return _by_month(active, "active_learners", usage, year)


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
    return _by_month(pl.col("learner_id"), "unique_learners", usage, year)


def _by_month(learner: pl.Expr, name: str, usage: pl.DataFrame, year: int) -> pl.DataFrame:
    """Distinct non-null `learner` values per product in each calendar month of `year`.

    A row counts in a month exactly when `row_in_window` places it in the
    month's window: the month of its date, the month of its completion date
    (a row of March completed in April counts in both), and, for a row with
    neither, every month its report period overlaps in the year. Each row is
    given those months, and one `group_by` over (product, month) counts them
    (twelve windows filtered one by one cost five times as much at a million
    rows). One lazy query over the few columns it needs, so ten million rows
    are not copied whole for the months they fall in.
    """
    first, last = year_bounds(year)
    common.check_window(first, last)
    common.require(usage, _COLUMNS, what="usage")
    p_start = pl.coalesce(pl.col("period_start"), pl.col("period_end"))
    p_end = pl.coalesce(pl.col("period_end"), pl.col("period_start"))
    rows = (
        usage.lazy()
        .filter(common.row_in_window(first, last))
        .select(
            "product_id",
            learner.alias("_learner"),
            "date",
            "completed_date",
            p_start.alias("_from"),
            p_end.alias("_to"),
        )
    )

    def on(column: str) -> pl.LazyFrame:
        within = pl.col(column).is_between(first, last).fill_null(False)
        month = pl.col(column).dt.month_start().alias("month")
        return rows.filter(within).select("product_id", "_learner", month)

    undated = pl.col("date").is_null() & pl.col("completed_date").is_null()
    months = pl.date_ranges(
        pl.max_horizontal("_from", pl.lit(first)).dt.month_start(),
        pl.min_horizontal("_to", pl.lit(last)),
        interval="1mo",
    )
    by_period = (
        rows.filter(undated & pl.col("_from").is_not_null())
        .select("product_id", "_learner", months.alias("month"))
        .explode("month")
    )
    count = pl.col("_learner").drop_nulls().n_unique().cast(pl.Int64).alias(name)
    return (
        pl.concat([on("date"), on("completed_date"), by_period])
        .group_by("product_id", "month")
        .agg(count)
        .select("product_id", pl.col("month").cast(pl.Date()), name)
        .sort("product_id", "month")
        .collect()
    )


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
    return portfolio_learners(usage, start=start, end=end)[1]


def portfolio_learners(
    usage: pl.DataFrame, *, start: date, end: date
) -> tuple[int | None, int | None]:
    """Distinct unique and active learners across all products in the window, in one pass.

    Returns
    -------
    tuple of int or None
        (unique, active); both None when no usage row falls in the window.

    Notes
    -----
    `unique_learners` and `active_learners` of the products taken together:
    a learner of two products counts once.

    Examples
    --------
    Learner 1 active in products A and B, learner 2 enrolled in B with no
    activity: (2, 1).
    """
    rows = _window_rows(usage, start, end)
    found, unique, active = rows.select(pl.len(), _unique(), _active()).collect().row(0)
    return (int(unique), int(active)) if found else (None, None)


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
