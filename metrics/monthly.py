"""The twelve months of a year side by side: plan, actual and active learners.

Why a module of its own: the one-pager's month-by-month table and chart
(of a product, and of the portfolio in the funding pack) need every month
of the year, a month with nothing recorded included (as a null, never a 0),
and the portfolio must count a learner of two products once a month. The
pages and the pack place these rows; nothing downstream adds them up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from metrics.costs import monthly_plan_actual
from metrics.usage import active_learners_by_month

__all__ = ["MONTHLY_COLUMNS", "PORTFOLIO_ID", "monthly_figures"]

MONTHLY_COLUMNS: Final[tuple[str, ...]] = (
    "product_id",
    "month",
    "plan",
    "actual",
    "active_learners",
)
PORTFOLIO_ID: Final = 0
"""The `product_id` of the products taken together (`monthly_figures(..., together=True)`)."""


def monthly_figures(
    budgets: pl.DataFrame,
    usage: pl.DataFrame,
    *,
    year: int,
    currency: str,
    product_ids: Sequence[int],
    together: bool = False,
) -> pl.DataFrame:
    """Twelve rows per product (or for the products together): plan, actual, active learners.

    Parameters
    ----------
    budgets, usage
        Frames in `metrics.schema` shapes (other years are ignored).
    year
        The year whose months are listed.
    currency
        The reporting currency of the budgets' minor units.
    product_ids
        The products to list, in this order (a product with no data still
        gets its twelve rows, all null).
    together
        True: the products taken as one (the portfolio's row), twelve rows
        with `product_id` = `PORTFOLIO_ID`. Plan and actual are then summed
        over the products in minor units and converted once, and active
        learners are distinct over them: a learner of two products counts
        once a month.

    Returns
    -------
    pl.DataFrame
        Columns `MONTHLY_COLUMNS`: `month` is "YYYY-MM"; `plan` and `actual`
        in major units (Float64); `active_learners` (Int64).

    Notes
    -----
    plan and actual are `metrics.monthly_plan_actual` (Σ over the month's
    cost categories), active learners `metrics.active_learners_by_month`;
    each is null for a month with nothing recorded.

    Examples
    --------
    A product with a January plan of 1,500.00 (actual 1,100.00) and 40
    learners active in March: "2026-01" (1,500.00, 1,100.00, null),
    "2026-03" (null, null, 40), and ten rows of nulls.
    """
    if together:
        wanted = pl.col("product_id").is_in(list(product_ids))
        as_one = pl.lit(PORTFOLIO_ID, dtype=pl.Int64()).alias("product_id")
        budgets = budgets.filter(wanted).with_columns(as_one)
        usage = usage.filter(wanted).with_columns(as_one)
        product_ids = [PORTFOLIO_ID]
    months = pl.DataFrame(
        {"month": pl.date_range(pl.date(year, 1, 1), pl.date(year, 12, 1), "1mo", eager=True)}
    )
    ids = pl.DataFrame({"product_id": list(product_ids)}, schema={"product_id": pl.Int64()})
    money = monthly_plan_actual(budgets, year=year, currency=currency)
    learners = active_learners_by_month(usage, year=year)
    return (
        ids.with_row_index("_order")
        .join(months, how="cross")
        .join(money, on=["product_id", "month"], how="left")
        .join(learners, on=["product_id", "month"], how="left")
        .sort("_order", "month")
        .select(
            "product_id",
            pl.col("month").dt.strftime("%Y-%m"),
            "plan",
            "actual",
            pl.col("active_learners").cast(pl.Int64()),
        )
    )
