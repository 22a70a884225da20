"""When each product's licence comes up for renewal, and how many days away that is.

Why a module: the Product page shows the days to renewal beside the seats,
and a renewal date is a figure of the contracts, not of a page.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics import common
from metrics.text import day

__all__ = ["RENEWAL_WARNING_DAYS", "renewal_dates", "renewal_sentence", "renews_soon"]

RENEWAL_WARNING_DAYS = 90
"""A renewal this close (days) is a warning on the page: time to decide on the seats."""

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
        (Int64; negative when the date has passed) and `renewed` (a later
        contract of the product starts after that date, by any date: a past
        term was renewed, not ended), one row per product with a contract in
        force in the window, sorted by product.

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
    later = contracts.select("product_id", next_start=pl.col("start"))
    terms = in_force.group_by("product_id").agg(renewal)
    renewed = (
        terms.join(later, on="product_id")
        .filter(pl.col("next_start") > pl.col("renewal_date"))
        .select("product_id", renewed=pl.lit(True))
        .unique()
    )
    return (
        terms.join(renewed, on="product_id", how="left")
        .with_columns(pl.col("renewed").fill_null(False))
        .with_columns(
            (pl.col("renewal_date") - pl.lit(as_of, dtype=pl.Date()))
            .dt.total_days()
            .cast(pl.Int64)
            .alias("days_to_renewal")
        )
        .sort("product_id")
    )


def renewal_sentence(renewal: date | None, days: int | None, *, renewed: bool) -> str:
    """The renewal in words, as the Product page says it beside the seats.

    Why words, not "Days to renewal −336": a past year's term has ended (or
    was renewed) on a date; a future one renews on a date, so many days away.

    Examples
    --------
    >>> renewal_sentence(date(2026, 12, 31), 38, renewed=False)
    'Renews on 31 Dec 2026, in 38 days.'
    >>> renewal_sentence(date(2025, 12, 31), -327, renewed=True)
    'This term was renewed on 31 Dec 2025.'
    >>> renewal_sentence(date(2025, 12, 31), -327, renewed=False)
    'This term ended on 31 Dec 2025.'
    >>> renewal_sentence(None, None, renewed=False)
    'Open-ended contract: nothing to renew.'
    """
    if renewal is None or days is None:
        return "Open-ended contract: nothing to renew."
    when = day(renewal)
    if days < 0:
        return f"This term {'was renewed' if renewed else 'ended'} on {when}."
    if days == 0:
        return f"Renews today, {when}."
    return f"Renews on {when}, in {days:,} day{'s' if days != 1 else ''}."


def renews_soon(days: int | None) -> bool:
    """Whether a renewal `days` away is within `RENEWAL_WARNING_DAYS` (today included).

    Examples
    --------
    >>> renews_soon(38), renews_soon(0), renews_soon(91), renews_soon(-5), renews_soon(None)
    (True, True, False, False, False)
    """
    return days is not None and 0 <= days <= RENEWAL_WARNING_DAYS
