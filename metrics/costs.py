"""Budget plan, actual cost and forecast per product (TDRp management-report columns).

Every function reads budget lines in `metrics.schema.BUDGETS` shape (one row
per product x month x cost category, money in integer minor units of the
reporting currency) and returns major units as Float64: the integers are
summed first and converted once at the end (`currency`: ÷ 100 for GBP, ÷ 1
for JPY, ÷ 1,000 for KWD), so totals are exact to the minor unit. A product
with no budget line in the year does not appear in the result.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import polars as pl

from metrics import common
from metrics.periods import month_bounds, year_bounds

__all__ = [
    "ASK_SOURCES",
    "actual_cost",
    "budget_ask",
    "budget_plan",
    "budget_variance",
    "cost_by_category",
    "forecast_cost",
    "monthly_plan_actual",
    "pct_of_plan",
    "run_rate_forecast",
    "share_of_plan",
]

ASK_SOURCES: Final[tuple[str, ...]] = ("budgets", "not set")
"""Where a budget ask comes from: next year's budget lines, or none recorded."""

_COLUMNS = ("product_id", "month", "plan_minor", "actual_minor")


def _in_year(budgets: pl.DataFrame, year: int) -> pl.DataFrame:
    common.require(budgets, _COLUMNS, what="budgets")
    return budgets.filter(pl.col("month").dt.year() == year)


def _per_product(
    budgets: pl.DataFrame, year: int, minor: str, name: str, currency: str
) -> pl.DataFrame:
    total = common.sum_or_null(pl.col(minor))
    return (
        _in_year(budgets, year)
        .group_by("product_id")
        .agg(common.to_major(total, currency=currency).alias(name))
        .sort("product_id")
    )


def budget_plan(budgets: pl.DataFrame, *, year: int, currency: str) -> pl.DataFrame:
    """Planned spend of each product in the year.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `budget_plan` (major units of `currency`, Float64).

    Notes
    -----
    budget_plan = Σ plan over the year's budget lines (all cost categories).
    Null when the product has budget lines in the year but no plan on any
    of them; a product with no line at all is absent.

    Examples
    --------
    Plans of 1,000.00 (licence, Jan) and 250.50 (delivery, Feb) give
    1,250.50.
    """
    return _per_product(budgets, year, "plan_minor", "budget_plan", currency)


def actual_cost(budgets: pl.DataFrame, *, year: int, currency: str) -> pl.DataFrame:
    """Recorded spend of each product in the year.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `actual_cost` (major units of `currency`, Float64).

    Notes
    -----
    actual_cost = Σ actual over the year's budget lines whose actual is
    recorded. A blank actual is "not yet known" and is skipped; a 0 is a
    known zero. Null when no actual is recorded at all in the year.

    Examples
    --------
    Actuals of 900.00, blank and 0.00 give 900.00; only blanks give null.
    """
    return _per_product(budgets, year, "actual_minor", "actual_cost", currency)


def forecast_cost(budgets: pl.DataFrame, *, year: int, currency: str) -> pl.DataFrame:
    """Year-end forecast of each product's spend: actuals so far plus the plan of the rest.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `forecast_cost` (major units of `currency`, Float64).

    Notes
    -----
    forecast = Σ over the months of the year of: the month's actuals when
    the product has an actual recorded in that month in any cost category,
    else the month's plan. A month with an actual for licences but none for
    delivery therefore contributes its actuals only (DESIGN, Settled
    questions, "Forecast"). Months with neither plan nor actual add nothing;
    null when the product has no plan and no actual in the year.

    Examples
    --------
    Jan: licence plan 1,000, actual 1,100; delivery plan 500, no actual.
    Feb: licence plan 1,000, no actual. Forecast = 1,100 (Jan actuals only)
    + 1,000 (Feb plan) = 2,100.00.
    """
    monthly = (
        _in_year(budgets, year)
        .group_by("product_id", pl.col("month").dt.truncate("1mo"))
        .agg(
            pl.col("actual_minor").is_not_null().any().alias("has_actual"),
            common.sum_or_null(pl.col("actual_minor")).alias("actual"),
            common.sum_or_null(pl.col("plan_minor")).alias("plan"),
        )
    )
    contribution = pl.when(pl.col("has_actual")).then(pl.col("actual")).otherwise(pl.col("plan"))
    return (
        monthly.group_by("product_id")
        .agg(
            common.to_major(common.sum_or_null(contribution), currency=currency).alias(
                "forecast_cost"
            )
        )
        .sort("product_id")
    )


def _complete_months(year: int, as_of: date) -> int:
    """How many months of `year` have ended on or before `as_of` (0..12)."""
    year_bounds(year)
    return sum(month_bounds(year, month)[1] <= as_of for month in range(1, 13))


def run_rate_forecast(
    budgets: pl.DataFrame, *, year: int, as_of: date, currency: str
) -> pl.DataFrame:
    """Year-end forecast of each product's spend at the pace of its months so far.

    Parameters
    ----------
    budgets
        Budget lines in `metrics.schema.BUDGETS` shape.
    year
        The year to forecast.
    as_of
        The report's "today": only months of `year` that have ended by this
        date count.
    currency
        The reporting currency (ISO 4217) the minor units are in.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `actual_to_date` (major units), `months_elapsed`
        (Int64), `run_rate_forecast` (major units of `currency`, Float64); one row per product
        with a budget line in the year, sorted by product.

    Notes
    -----
    run_rate_forecast = actual to date ÷ months elapsed × 12, where

    * the months considered are the *complete* months of `year` up to
      `as_of` (a month counts once its last day is on or before `as_of`;
      a part month would drag the pace down);
    * of those, only the months in which the product has an actual recorded
      in any cost category count (a 0 is recorded; a blank is "not yet
      known", DESIGN "Actual cost"): months elapsed is how many such months
      there are, and actual to date is the sum of their actuals. A month
      whose invoices are not posted yet is thus left out of both sides
      instead of counting as a month of zero spend. This is the same
      "month with any actual" the default forecast uses
      (`forecast_cost`, DESIGN Settled questions "Forecast").

    For a past year every month is complete. Null (with months elapsed 0)
    when no complete month has an actual: a year that has not started, or
    a product with plans only. Lumpy spend (an annual licence paid in
    January) makes any run rate misleading, and a product that started
    spending mid-year is annualised as if it had run all year (× 12, the
    DESIGN formula); show it beside the default forecast, which follows
    the plan's own phasing.

    Examples
    --------
    As of 2026-11-23 the complete months are January to October. Actuals of
    1,000.00 in each of January to September, October not posted yet and
    300.00 in November: 9,000.00 ÷ 9 × 12 = 12,000.00 (November is not
    complete, October has no actual).
    """
    complete = _complete_months(year, as_of)
    monthly = (
        _in_year(budgets, year)
        .group_by("product_id", pl.col("month").dt.month().alias("_m"))
        .agg(common.sum_or_null(pl.col("actual_minor")).alias("_actual"))
        .with_columns(
            ((pl.col("_m") <= complete) & pl.col("_actual").is_not_null()).alias("_counts")
        )
    )
    months = pl.col("_m").filter(pl.col("_counts")).n_unique().cast(pl.Int64)
    to_date = common.sum_or_null(pl.col("_actual").filter(pl.col("_counts")))
    return (
        monthly.group_by("product_id")
        .agg(to_date.alias("_to_date"), months.alias("months_elapsed"))
        .select(
            "product_id",
            common.to_major(pl.col("_to_date"), currency=currency).alias("actual_to_date"),
            "months_elapsed",
            common.to_major(
                common.safe_ratio(pl.col("_to_date") * 12, pl.col("months_elapsed")),
                currency=currency,
            ).alias("run_rate_forecast"),
        )
        .sort("product_id")
    )


def budget_variance(
    cost: pl.Expr | str = "forecast_cost", plan: pl.Expr | str = "budget_plan"
) -> pl.Expr:
    """Spend over (+) or under (−) plan, in major units, as an expression.

    Parameters
    ----------
    cost, plan
        Columns (names or expressions) holding the cost and the plan in
        major units; by default the scorecard's `forecast_cost` and `budget_plan`.

    Returns
    -------
    pl.Expr
        Named `budget_variance`.

    Notes
    -----
    variance = cost − plan; null when either is null.

    Examples
    --------
    Forecast 11,800.00 against a plan of 10,000.00: +1,800.00.
    """
    return (common.as_expr(cost) - common.as_expr(plan)).alias("budget_variance")


def pct_of_plan(
    cost: pl.Expr | str = "forecast_cost", plan: pl.Expr | str = "budget_plan"
) -> pl.Expr:
    """Cost as a fraction of plan (TDRp "% of plan"), as an expression.

    Returns
    -------
    pl.Expr
        Named `pct_of_plan`, a fraction (1.18 = 18 % over plan).

    Notes
    -----
    pct_of_plan = cost ÷ plan; null when either is null or the plan is 0.

    Examples
    --------
    Forecast 11,800.00 against a plan of 10,000.00: 1.18.
    """
    return common.safe_ratio(common.as_expr(cost), common.as_expr(plan)).alias("pct_of_plan")


def monthly_plan_actual(budgets: pl.DataFrame, *, year: int, currency: str) -> pl.DataFrame:
    """Plan and actual of each product in each month of the year, for charts.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `month` (first day of the month), `plan`,
        `actual` (major units of `currency`, Float64), sorted by product and month.

    Notes
    -----
    plan and actual are sums over the month's cost categories; each is null
    when nothing is recorded for it that month. Only months with a budget
    line appear.

    Examples
    --------
    Jan licence plan 1,000.00 actual 1,100.00 and delivery plan 500.00
    with no actual give (2026-01-01, 1,500.00, 1,100.00).
    """
    return (
        _in_year(budgets, year)
        .group_by("product_id", pl.col("month").dt.truncate("1mo"))
        .agg(*_plan_actual(currency))
        .sort("product_id", "month")
    )


def share_of_plan(cost: float | None, plan: float | None) -> float | None:
    """One cost as a fraction of its plan (the "74% of plan" under a forecast).

    Parameters
    ----------
    cost, plan
        Amounts in the same currency (major units); None when not tracked.

    Returns
    -------
    float or None
        cost ÷ plan; None when either is None or the plan is 0 (the scalar
        twin of `pct_of_plan`).

    Examples
    --------
    >>> share_of_plan(118_000.0, 100_000.0), share_of_plan(5.0, 0.0), share_of_plan(None, 1.0)
    (1.18, None, None)
    """
    if cost is None or plan is None or plan == 0:
        return None
    return cost / plan


def _plan_actual(currency: str) -> tuple[pl.Expr, pl.Expr]:
    """Σ plan and Σ actual of budget lines, in major units of `currency` (null: none recorded)."""
    return (
        common.to_major(common.sum_or_null(pl.col("plan_minor")), currency=currency).alias("plan"),
        common.to_major(common.sum_or_null(pl.col("actual_minor")), currency=currency).alias(
            "actual"
        ),
    )


def cost_by_category(
    budgets: pl.DataFrame, *, year: int, currency: str, order: tuple[str, ...] = ()
) -> pl.DataFrame:
    """Plan and actual of each product and cost category in the year.

    Parameters
    ----------
    budgets
        Budget lines (`metrics.schema.BUDGETS`, with `cost_category`).
    year
        The year whose lines count.
    currency
        The reporting currency of the minor units.
    order
        Categories listed first, in this order (the template's, e.g.
        `metrics.investment.COST_COMPONENTS`); any other category after
        them, alphabetically.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `category`, `plan`, `actual` (major units,
        Float64), sorted by product then category.

    Notes
    -----
    plan = Σ plan_minor ÷ minor units per major unit, likewise actual; each
    is null when no line of that product and category records it (a blank
    actual is "not yet known", not 0). A category with no line in the year
    does not appear.

    Examples
    --------
    Licence lines of plan 1,000.00 and 500.00 with actuals 900.00 and
    blank, and a delivery line of plan 200.00: licence (1,500.00, 900.00),
    delivery (200.00, null).
    """
    common.require(budgets, (*_COLUMNS, "cost_category"), what="budgets")
    rank = {name: i for i, name in enumerate(order)}
    return (
        _in_year(budgets, year)
        .group_by("product_id", pl.col("cost_category").alias("category"))
        .agg(*_plan_actual(currency))
        .with_columns(
            pl.col("category")
            .replace_strict(rank, default=len(rank), return_dtype=pl.Int64())
            .alias("_rank")
        )
        .sort("product_id", "_rank", "category")
        .drop("_rank")
    )


def budget_ask(budgets: pl.DataFrame, *, year: int, currency: str) -> pl.DataFrame:
    """Each product's budget ask for the year after `year`, and its change on `year`'s plan.

    Parameters
    ----------
    budgets
        Budget lines reaching into `year` + 1 (the ask is next year's plan).
    year
        The reporting year.
    currency
        The reporting currency of the minor units.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `year` (`year` + 1), `plan` (Σ plan of next
        year, major units), `change` (a fraction), `source` (`ASK_SOURCES`):
        one row per product with a budget line in either year.

    Notes
    -----
    plan = Σ plan_minor of `year` + 1 ÷ minor units per major unit, null
    (source "not set") when no line of next year records a plan; change =
    next plan ÷ this year's plan − 1, computed on the minor units, null when
    either plan is null or this year's plan is 0.

    Examples
    --------
    A plan of 100,000.00 this year and 110,000.00 next: plan 110,000.00,
    change 0.10, source "budgets".
    """
    common.require(budgets, _COLUMNS, what="budgets")
    plans = (
        budgets.filter(pl.col("month").dt.year().is_in([year, year + 1]))
        .group_by("product_id")
        .agg(
            common.sum_or_null(
                pl.col("plan_minor").filter(pl.col("month").dt.year() == year)
            ).alias("_this"),
            common.sum_or_null(
                pl.col("plan_minor").filter(pl.col("month").dt.year() == year + 1)
            ).alias("_next"),
        )
    )
    return plans.select(
        "product_id",
        pl.lit(year + 1, dtype=pl.Int64()).alias("year"),
        common.to_major(pl.col("_next"), currency=currency).alias("plan"),
        (common.safe_ratio(pl.col("_next"), pl.col("_this")) - 1).alias("change"),
        pl.when(pl.col("_next").is_null())
        .then(pl.lit(ASK_SOURCES[1]))
        .otherwise(pl.lit(ASK_SOURCES[0]))
        .alias("source"),
    ).sort("product_id")
