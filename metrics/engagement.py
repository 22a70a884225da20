"""Engagement depth and product analytics: hours per learner, funnel, retention, stickiness.

Like `metrics.usage`, every function reads usage facts in
`metrics.schema.USAGE` shape and places rows in a window by
`metrics.periods.in_window` (a row's own dates, else its report period). A
product with no usage row in the window is absent ("not tracked"), never 0.
Rates are fractions.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics import common
from metrics.periods import month_bounds, year_bounds
from metrics.usage import active_learners, learning_hours

__all__ = [
    "average_retention",
    "funnel",
    "hours_per_active_learner",
    "retention_by_month",
    "stickiness_by_month",
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


def _learners(where: pl.Expr | None = None) -> pl.Expr:
    learners = pl.col("learner_id") if where is None else pl.col("learner_id").filter(where)
    return learners.drop_nulls().n_unique().cast(pl.Int64)


def hours_per_active_learner(usage: pl.DataFrame, *, start: date, end: date) -> pl.DataFrame:
    """Learning hours per active learner of each product in the window (engagement depth).

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `learning_hours`, `active_learners`,
        `hours_per_active_learner` (Float64), sorted by product.

    Notes
    -----
    hours_per_active_learner = learning hours ÷ active learners, both as in
    `metrics.usage` over the same window. Null when no row records minutes
    (hours not tracked) or nobody was active. A product with no row in the
    window is absent.

    Examples
    --------
    Rows of 30, 45 and 105 minutes by two active learners: 3.0 h ÷ 2 = 1.5.
    """
    hours = learning_hours(usage, start=start, end=end)
    active = active_learners(usage, start=start, end=end)
    return (
        hours.join(active, on="product_id", how="full", coalesce=True)
        .with_columns(
            common.safe_ratio(pl.col("learning_hours"), pl.col("active_learners")).alias(
                "hours_per_active_learner"
            )
        )
        .select("product_id", "learning_hours", "active_learners", "hours_per_active_learner")
        .sort("product_id")
    )


def funnel(usage: pl.DataFrame, *, start: date, end: date) -> pl.DataFrame:
    """Enrolled → started → completed learners of each product in the window.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `enrolled`, `started`, `completed` (Int64,
        distinct learners), `started_rate`, `completion_rate` (fractions of
        enrolled), sorted by product.

    Notes
    -----
    * enrolled = distinct learners with any usage row of the product in the
      window (= `unique_learners`);
    * started = distinct learners with any activity in it: minutes > 0,
      progress > 0 or a completion (= `active_learners`);
    * completed = distinct learners with a completion placed in the window
      (placed as in `metrics.usage.completions`; a learner completing two
      items counts once here);
    * started_rate = started ÷ enrolled; completion_rate = completed ÷
      enrolled ("of enrolled", not of started: label it so).

    A completion counted in the window always comes from a row that counts
    in the window and is active, so enrolled ≥ started ≥ completed. When
    none of the product's rows says whether it is complete (a format with
    no completion field) completed and completion_rate are null, as
    completions are. A product with no row in the window is absent.

    Examples
    --------
    Learners 1-4 have rows, 1-3 watched something, 1 and 2 completed a
    course: 4 → 3 → 2, started_rate 0.75, completion_rate 0.5.
    """
    common.check_window(start, end)
    common.require(usage, _COLUMNS, what="usage")
    counted = common.completion_in_window(start, end)
    tracked = common.is_completed().is_not_null().any()
    return (
        usage.filter(common.row_in_window(start, end))  # grouped eagerly: twice as fast here
        .group_by("product_id")
        .agg(
            _learners().alias("enrolled"),
            _learners(common.is_active()).alias("started"),
            pl.when(tracked).then(_learners(counted)).otherwise(None).alias("completed"),
        )
        .with_columns(
            common.safe_ratio(pl.col("started"), pl.col("enrolled")).alias("started_rate"),
            common.safe_ratio(pl.col("completed"), pl.col("enrolled")).alias("completion_rate"),
        )
        .sort("product_id")
    )


def _monthly(usage: pl.DataFrame, year: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(product-months with any row, distinct active (product, learner) per month).

    Months are numbered 1-12 in `_m`.
    """
    year_bounds(year)
    common.require(usage, _COLUMNS, what="usage")
    tracked, active = [], []
    for month in range(1, 13):
        start, end = month_bounds(year, month)
        rows = usage.filter(common.row_in_window(start, end))
        tag = pl.lit(month, dtype=pl.Int8()).alias("_m")
        tracked.append(rows.select("product_id", tag).unique())
        active.append(
            rows.filter(common.is_active() & pl.col("learner_id").is_not_null())
            .select("product_id", "learner_id", tag)
            .unique()
        )
    return pl.concat(tracked), pl.concat(active)


def _month_start(year: int) -> pl.Expr:
    return pl.date(year, pl.col("_m"), 1).alias("month")


def retention_by_month(usage: pl.DataFrame, *, year: int) -> pl.DataFrame:
    """Month-over-month retention of active learners, per product and month of the year.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `month` (first day), `active_learners`,
        `previous_active` (active learners of the month before), `retained`
        (of those, active again this month), `retention` (fraction in
        [0, 1]); one row per product-month with a usage row, sorted.

    Notes
    -----
    retention(m) = |active(m − 1) ∩ active(m)| ÷ |active(m − 1)|, with
    "active" as in `metrics.usage.active_learners` over each calendar month.

    Null rules: January has no previous month inside the year, so its
    previous_active, retained and retention are null (the figure does not
    depend on whether December's usage was passed in). previous_active is
    null when the product has no usage row in the previous month (not
    tracked) and 0 when it has rows but nobody active; retention and
    retained are null in both cases. A product-month with no usage row is
    absent.

    An undated row counts in every month its report period overlaps, so a
    learner in a quarterly report without dates looks retained across its
    three months; dated (event) rows give true month-to-month retention.

    Examples
    --------
    March: learners 1, 2, 3, 4 active; April: learners 2, 4 and 5 active.
    April's retention = |{2, 4}| ÷ 4 = 0.5 (learner 5 is new, not retained).
    """
    tracked, active = _monthly(usage, year)
    keys = ["product_id", "_m"]
    counts = active.group_by(keys).agg(pl.len().cast(pl.Int64).alias("active_learners"))
    previous = active.with_columns((pl.col("_m") + 1).cast(pl.Int8()))
    retained = (
        active.join(previous, on=[*keys, "learner_id"])
        .group_by(keys)
        .agg(pl.len().cast(pl.Int64).alias("_retained"))
    )
    shifted = tracked.with_columns((pl.col("_m") + 1).cast(pl.Int8()), pl.lit(True).alias("_prev"))
    prev_counts = counts.with_columns((pl.col("_m") + 1).cast(pl.Int8())).rename(
        {"active_learners": "_prev_active"}
    )
    prev_active = (
        pl.when(pl.col("_m") == 1)
        .then(None)
        .when(pl.col("_prev").fill_null(False))
        .then(pl.col("_prev_active").fill_null(0))
        .alias("previous_active")
    )
    has_base = pl.col("previous_active") > 0
    return (
        tracked.join(counts, on=keys, how="left")
        .join(shifted, on=keys, how="left")
        .join(prev_counts, on=keys, how="left")
        .join(retained, on=keys, how="left")
        .with_columns(pl.col("active_learners").fill_null(0), prev_active)
        .with_columns(
            pl.when(has_base).then(pl.col("_retained").fill_null(0)).alias("retained"),
        )
        .with_columns(
            common.safe_ratio(pl.col("retained"), pl.col("previous_active")).alias("retention")
        )
        .select(
            "product_id",
            _month_start(year),
            "active_learners",
            "previous_active",
            "retained",
            "retention",
        )
        .sort("product_id", "month")
    )


def stickiness_by_month(usage: pl.DataFrame, *, year: int) -> pl.DataFrame:
    """Stickiness (average daily active ÷ monthly active learners) per product and month.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `month` (first day), `dated_active_learners`
        (learners with activity on a known day), `active_learner_days`,
        `stickiness` (fraction in [0, 1]); one row per product-month with a
        usage row, sorted.

    Notes
    -----
    stickiness = mean over the month's days of DAU ÷ MAU
    = active learner-days ÷ (dated active learners × days in the month),
    where an active row's day is its `date`, else its `completed_date`.
    Rows with no date of their own (a report period only) cannot be placed
    on a day and are left out of both counts. Null when the product-month
    has no dated active row. Meaningful for event data (a row per day of
    activity); a snapshot report has at most one date per learner and item,
    so its stickiness is a floor.

    Examples
    --------
    April (30 days): learner 1 active on 10 days, learner 2 on 5:
    15 ÷ (2 × 30) = 0.25, the same as the average DAU of 0.5 over a MAU of 2.
    """
    tracked, _ = _monthly(usage, year)
    day = pl.coalesce(pl.col("date"), pl.col("completed_date"))
    dated = (
        usage.filter(common.is_active() & pl.col("learner_id").is_not_null())
        .with_columns(day.alias("_day"))
        .filter(pl.col("_day").dt.year() == year)
        .with_columns(pl.col("_day").dt.month().cast(pl.Int8()).alias("_m"))
        .group_by("product_id", "_m")
        .agg(
            pl.col("learner_id").n_unique().cast(pl.Int64).alias("dated_active_learners"),
            pl.struct("learner_id", "_day").n_unique().cast(pl.Int64).alias("active_learner_days"),
        )
    )
    month = _month_start(year)
    days = pl.col("month").dt.month_end().dt.day()
    return (
        tracked.join(dated, on=["product_id", "_m"], how="left")
        .with_columns(month)
        .with_columns(
            common.safe_ratio(
                pl.col("active_learner_days"), pl.col("dated_active_learners") * days
            ).alias("stickiness")
        )
        .select("product_id", "month", "dated_active_learners", "active_learner_days", "stickiness")
        .sort("product_id", "month")
    )


def average_retention(retention: pl.DataFrame) -> pl.DataFrame:
    """Each product's month-over-month retention, averaged over the months that have one.

    Parameters
    ----------
    retention
        The output of `retention_by_month` (at least `product_id` and
        `retention`).

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `average_retention` (a fraction in [0, 1]), one
        row per product of `retention`, sorted.

    Notes
    -----
    average_retention = the plain mean of the months' `retention` values;
    months with a null retention (January, or no active learners the month
    before) are left out, not counted as 0. Null when no month has one.
    Each month weighs the same, whatever its number of learners.

    Examples
    --------
    Retention 0.5 in April, 0.75 in May and null in January: (0.5 + 0.75) ÷ 2.

    >>> frame = pl.DataFrame({"product_id": [1, 1, 1], "retention": [None, 0.5, 0.75]})
    >>> average_retention(frame)["average_retention"].to_list()
    [0.625]
    """
    common.require(retention, ("product_id", "retention"), what="retention")
    return (
        retention.group_by("product_id")
        .agg(pl.col("retention").mean().alias("average_retention"))
        .sort("product_id")
    )
