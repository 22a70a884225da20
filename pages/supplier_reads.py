"""Cached readers of the Suppliers page: contracts by vendor, renewals to decide, history.

Each takes simple arguments (a year, a date, an id) and returns the
`metrics.suppliers` frames, keyed by the data version (`by_data_version`),
so an import shows at the next rerun. The low-utilisation threshold is the
health rule's (`LP_HEALTH_UTILISATION_FIX_BELOW`): one setting, one meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from metrics.scorecard import year_scorecard
from metrics.suppliers import (
    contract_history,
    contract_positions,
    renewal_rule,
    renewals_summary,
    renewals_to_decide,
    vendor_comparison,
)
from models.frames import contract_versions_frame, contracts_frame, products_frame, year_frames
from pages.cache import by_data_version, connect, settings
from pages.reclaim_reads import ReclaimView, reclaim_from

__all__ = [
    "RenewalsView",
    "SupplierView",
    "SuppliersYear",
    "contract_history_view",
    "contracted_products",
    "reclaim_view",
    "renewals_view",
    "supplier_view",
    "suppliers_year",
    "year_views",
]


@dataclass(frozen=True)
class SupplierView:
    """The year's contracts in force and the vendors compared (`metrics.suppliers`)."""

    contracts: pl.DataFrame  # contract_positions
    vendors: pl.DataFrame  # vendor_comparison


@dataclass(frozen=True)
class RenewalsView:
    """The renewals to decide as of a date, with the rule and the stake in words."""

    renewals: pl.DataFrame  # renewals_to_decide
    rule: str  # "Flagged: renewing within 90 days and under 50% of seats in use, …"
    summary: str  # "2 contracts to decide: £126,615 of idle spend at stake …"
    year: int  # the year whose contracts were looked at (the as-of date's)


@dataclass(frozen=True)
class SuppliersYear:
    """Every tab's figures of one year, from one read of its frames."""

    year: int
    suppliers: SupplierView
    reclaim: ReclaimView  # the Seats to reclaim tab (`pages.reclaim_reads`)


@by_data_version(max_entries=16, spinner="Computing the suppliers…")
def suppliers_year(year: int, as_of: date, after_days: int, stale_after_days: int) -> SuppliersYear:
    """Contracts, vendors and seats to reclaim in `year`, days counted from `as_of`.

    One reader for the page's tabs, which Streamlit draws together: each reading
    the year's usage on its own read it twice on a cold run (issue 20).
    `after_days` and `stale_after_days` are `LP_RECLAIM_AFTER_DAYS` and
    `LP_STALE_AFTER_DAYS`.
    """
    config = settings()
    with connect() as conn:
        frames = year_frames(conn, year=year, currency=config.reporting_currency)
        reclaim = reclaim_from(
            conn,
            frames,
            year=year,
            as_of=as_of,
            after_days=after_days,
            stale_after_days=stale_after_days,
        )
    card = year_scorecard(frames, year=year, thresholds=config.health)
    positions = contract_positions(
        frames.contracts, card, frames.budgets, year=year, as_of=as_of, currency=frames.currency
    )
    vendors = vendor_comparison(positions, card, frames.usage, year=year, currency=frames.currency)
    return SuppliersYear(year, SupplierView(contracts=positions, vendors=vendors), reclaim)


def year_views(year: int, as_of: date) -> SuppliersYear:
    """`suppliers_year` with the settings' days: the page takes it once and hands it round.

    Once, because every cache hit unpickles the whole value (the list of seats
    to reclaim included).
    """
    config = settings()
    return suppliers_year(year, as_of, config.reclaim_after_days, config.stale_after_days)


def supplier_view(year: int, as_of: date) -> SupplierView:
    """Contracts in force in `year` and the vendors side by side, days counted from `as_of`."""
    return year_views(year, as_of).suppliers


def reclaim_view(year: int, as_of: date) -> ReclaimView:
    """Seats to reclaim in `year` as of `as_of`, after the settings' days."""
    return year_views(year, as_of).reclaim


def renewals_view(as_of: date, views: SuppliersYear | None = None) -> RenewalsView:
    """Renewals to decide as of `as_of`, over the contracts in force in its year.

    Why the as-of year whatever the year chosen: a renewal is a decision to
    make from today, on today's use of the seats. `views`, the page's year
    (`year_views`), is used when it is that year.
    """
    below = settings().health.utilisation_fix_below
    chosen = views if views is not None and views.year == as_of.year else None
    current = chosen.suppliers if chosen is not None else supplier_view(as_of.year, as_of)
    renewals = renewals_to_decide(current.contracts, below=below)
    return RenewalsView(
        renewals=renewals,
        rule=renewal_rule(below),
        summary=renewals_summary(renewals, currency=settings().reporting_currency),
        year=as_of.year,
    )


@by_data_version(max_entries=8)
def contracted_products() -> dict[str, int]:
    """Name -> id of the products with a contract in any year, alphabetical."""
    with connect() as conn:
        ids = contracts_frame(conn).get_column("product_id").unique()
        products = products_frame(conn)
    chosen = products.filter(pl.col("product_id").is_in(ids.to_list())).sort("product")
    return dict(zip(chosen["product"], chosen["product_id"], strict=True))


@by_data_version(max_entries=32)
def contract_history_view(product_id: int) -> pl.DataFrame:
    """Every contract term of one product, every year, with what changed (`contract_history`)."""
    with connect() as conn:
        contracts = contracts_frame(conn).filter(pl.col("product_id") == product_id)
        versions = contract_versions_frame(conn).filter(pl.col("product_id") == product_id)
    return contract_history(contracts, versions, currency=settings().reporting_currency)
