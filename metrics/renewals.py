"""When each product's licence comes up for renewal, and how many days away that is.

Why a module: the Product page shows the days to renewal beside the seats,
and a renewal date is a figure of the contracts, not of a page.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics import common

__all__ = ["renewal_dates"]

_COLUMNS = ("product_id", "start", "end")


def renewal_dates(contracts: pl.DataFrame, *, start: date, end: date, as_of: date) -> pl.DataFrame:
    """Each product's next renewal among its contracts in force in the window.

    Parameters
    ----------
    contracts
        Contracts in `metrics.schema.CONTRACTS` shape (at least
        `product_id`, `start`, `end`).
    start, end
        The window (e.g. the reporting year), both days included.
    as_of
        The report's "today", from which the days are counted.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `renewal_date` (Date), `days_to_renewal`
        (Int64; negative when the date has passed), one row per product
        with a contract in force in the window, sorted by product.

    Notes
    -----
    A contract is in force when start ≤ window end and end ≥ window start; a
    missing start or end is open-ended (as in `metrics.licences`).
    renewal_date = the latest end among the product's contracts in force;
    days_to_renewal = renewal_date − as_of. Both are null when every one of
    them is open-ended (nothing to renew).

    Examples
    --------
    A contract from 2026-01-01 to 2026-12-31, as of 2026-11-23: renewal
    2026-12-31, in 7 + 31 = 38 days (the rest of November, then December).

    >>> from datetime import date
    >>> contracts = pl.DataFrame(
    ...     {"product_id": [1], "start": [date(2026, 1, 1)], "end": [date(2026, 12, 31)]}
    ... )
    >>> renewal_dates(
    ...     contracts, start=date(2026, 1, 1), end=date(2026, 12, 31), as_of=date(2026, 11, 23)
    ... )["days_to_renewal"].to_list()
    [38]
    """
    common.require(contracts, _COLUMNS, what="contracts")
    common.check_window(start, end)
    in_force = contracts.filter(
        (pl.col("start").is_null() | (pl.col("start") <= end))
        & (pl.col("end").is_null() | (pl.col("end") >= start))
    )
    renewal = pl.col("end").max().alias("renewal_date")
    return (
        in_force.group_by("product_id")
        .agg(renewal)
        .with_columns(
            (pl.col("renewal_date") - pl.lit(as_of, dtype=pl.Date()))
            .dt.total_days()
            .cast(pl.Int64)
            .alias("days_to_renewal")
        )
        .sort("product_id")
    )
