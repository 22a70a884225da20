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

__all__ = [
    "RenewalsView",
    "SupplierView",
    "contract_history_view",
    "contracted_products",
    "renewals_view",
    "supplier_view",
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


@by_data_version(max_entries=16, spinner="Computing the suppliers…")
def supplier_view(year: int, as_of: date) -> SupplierView:
    """Contracts in force in `year` and the vendors side by side, days counted from `as_of`."""
    config = settings()
    with connect() as conn:
        frames = year_frames(conn, year=year, currency=config.reporting_currency)
    card = year_scorecard(frames, year=year, thresholds=config.health)
    positions = contract_positions(
        frames.contracts, card, frames.budgets, year=year, as_of=as_of, currency=frames.currency
    )
    vendors = vendor_comparison(positions, card, frames.usage, year=year, currency=frames.currency)
    return SupplierView(contracts=positions, vendors=vendors)


def renewals_view(as_of: date) -> RenewalsView:
    """Renewals to decide as of `as_of`, over the contracts in force in its year.

    Why the as-of year whatever the year chosen: a renewal is a decision to
    make from today, on today's use of the seats.
    """
    below = settings().health.utilisation_fix_below
    renewals = renewals_to_decide(supplier_view(as_of.year, as_of).contracts, below=below)
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
