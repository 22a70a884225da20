"""Suppliers, renewals and seats to reclaim in the funding pack (issue 19).

Why a module: the pack must carry the Suppliers page's figures, computed by
the functions that page calls (`metrics.suppliers.contract_positions`,
`vendor_comparison`, `renewals_to_decide`; `metrics.reclaim.year_reclaim`
and `reconciliation_sentence`), from the frames the pack already holds: no
second database read, no figure computed another way. `exports.payload`
turns these raw values into JSON ones (money to the currency's minor unit).

What it adds (keys in `SUPPLIER_PRODUCT_KEYS`, `SUPPLIER_PORTFOLIO_KEYS`):

* each product: ``seats_to_reclaim`` and ``reclaim_value`` (null when the
  product has no usage, or no contract in force on its report's end: it is
  then not on the Seats to reclaim list), ``reclaim_reconciliation`` (the
  sentence relating its idle seats and its seats to reclaim) and
  ``renewal_to_decide`` (its contract is flagged on the Renewals tab);
* the portfolio: ``seats_to_reclaim`` and ``reclaim_value`` over the
  selected products (null when none is on the list), ``vendors`` (the vendor
  comparison, `VENDOR_KEYS`) and ``renewals_to_decide`` (`RENEWAL_KEYS`).

Never a person: the list of people to reclaim seats from stays on the page
and in ``python -m exports --format reclaim``.

Which data: the pack's frames hold the previous year's usage too
(`models.frames.pack_frames`), while the Seats to reclaim view reads the
year's (`models.frames.year_frames`: the year and the terms of its contracts
in force). `page_usage` keeps exactly the rows that read keeps (the same
window rule, `metrics.common.row_in_window`), so a learner's first and last
activity are looked for in the same usage as on the page. The renewals are
those of the pack's year, days counted from ``as_of``: the Renewals tab's
when the pack's year is the as-of year (the default); for a past year every
term has ended, so none is to decide.

A product selection narrows everything to the selected products: the
vendors compare them only, as the portfolio's other figures do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import polars as pl

from metrics import common
from metrics.periods import year_bounds
from metrics.reclaim import reconciliation_sentence, year_reclaim
from metrics.suppliers import contract_positions, renewals_to_decide, vendor_comparison
from models.frames import YearFrames

__all__ = [
    "RENEWAL_KEYS",
    "SUPPLIER_PORTFOLIO_KEYS",
    "SUPPLIER_PRODUCT_KEYS",
    "VENDOR_KEYS",
    "SupplierFigures",
    "page_usage",
    "supplier_figures",
]

SUPPLIER_PRODUCT_KEYS: Final[tuple[str, ...]] = (
    "seats_to_reclaim",
    "reclaim_value",
    "reclaim_reconciliation",
    "renewal_to_decide",
)
"""Keys each product gains (after the reach and freshness keys)."""

SUPPLIER_PORTFOLIO_KEYS: Final[tuple[str, ...]] = (
    "seats_to_reclaim",
    "reclaim_value",
    "vendors",
    "renewals_to_decide",
)
"""Keys the portfolio gains."""

VENDOR_KEYS: Final[tuple[str, ...]] = (
    "vendor",
    "contracts",
    "seats",
    "contract_value",
    "actual_cost",
    "active_learners",
    "completions",
    "cost_per_active_learner",
    "cost_per_completion",
    "seat_utilisation",
    "idle_spend",
)
"""Each vendor, as the Suppliers page's "Vendors compared" table shows it
(`metrics.suppliers.vendor_comparison`; utilisation a fraction)."""

RENEWAL_KEYS: Final[tuple[str, ...]] = (
    "product",
    "vendor",
    "renewal_date",
    "days_to_renewal",
    "reason",
    "seat_utilisation",
    "idle_spend",
    "seats",
)
"""Each contract to decide (`metrics.suppliers.renewals_to_decide`): renewal_date is the
contract's end; reason "low utilisation" or "usage not tracked"."""

Json = dict[str, Any]


@dataclass(frozen=True)
class SupplierFigures:
    """Raw values (money unrounded, dates as dates) for `exports.payload` to make JSON-ready.

    `products`: per product id, `SUPPLIER_PRODUCT_KEYS`; `portfolio`:
    `SUPPLIER_PORTFOLIO_KEYS`.
    """

    products: dict[int, Json]
    portfolio: Json


def page_usage(frames: YearFrames, *, year: int) -> pl.DataFrame:
    """The usage rows `models.frames.year_frames` reads for `year`, out of wider frames.

    Notes
    -----
    The window is the year widened to the terms of the contracts in force in
    it (start ≤ 31 Dec and end ≥ 1 Jan), and a row is in it by
    `metrics.common.row_in_window`, the rule `models.frames.usage_frame`
    applies in SQL. The pack's frames reach back a further year (the TDRp
    "last year" column): without this, a seat holder first seen last year
    would not count as a new starter here while the page leaves them out.

    Examples
    --------
    A 2026 pack with one contract from 1 Jul 2025 to 30 Jun 2026: the rows
    from 1 Jul 2025 to 31 Dec 2026 are kept, those of January 2025 are not.
    """
    start, end = year_bounds(year)
    contracts = frames.contracts
    in_force = contracts.filter((pl.col("start") <= end) & (pl.col("end") >= start))
    low = min([start, *in_force.get_column("start").to_list()])
    high = max([end, *in_force.get_column("end").to_list()])
    return frames.usage.filter(common.row_in_window(low, high))


def supplier_figures(
    frames: YearFrames,
    scorecard: pl.DataFrame,
    ids: Sequence[int],
    *,
    year: int,
    as_of: date,
    below: float,
    after_days: int,
    stale_after_days: int,
) -> SupplierFigures:
    """Seats to reclaim, renewals to decide and the vendors compared, for the pack.

    Parameters
    ----------
    frames
        The pack's frames (`models.frames.pack_frames`).
    scorecard
        `metrics.scorecard.year_scorecard` of `year` over them, every product
        (the selection is `ids`).
    ids
        The selected products' ids.
    year, as_of
        The reporting year and day.
    below
        The low-utilisation threshold of the renewals (the health rule's
        ``utilisation_fix_below``, as on the Renewals tab).
    after_days, stale_after_days
        `LP_RECLAIM_AFTER_DAYS` and `LP_STALE_AFTER_DAYS`.

    Returns
    -------
    SupplierFigures
        See the module docstring. The portfolio's seats to reclaim and their
        value are `metrics.reclaim.Reclaim`'s totals when every listed
        product is selected (the page's headline), else the Σ over the
        selected ones.
    """
    chosen = pl.col("product_id").is_in(list(ids))
    currency = frames.currency
    positions = contract_positions(
        frames.contracts, scorecard, frames.budgets, year=year, as_of=as_of, currency=currency
    ).filter(chosen)
    card = scorecard.filter(chosen)
    vendors = vendor_comparison(positions, card, frames.usage, year=year, currency=currency)
    renewals = renewals_to_decide(positions, below=below)
    flagged = set(renewals.get_column("product").to_list())

    reclaim = year_reclaim(
        dataclasses.replace(frames, usage=page_usage(frames, year=year)),
        year=year,
        as_of=as_of,
        after_days=after_days,
        stale_after_days=stale_after_days,
    )
    listed = {r["product_id"]: r for r in reclaim.products.to_dicts()}
    products: dict[int, Json] = {}
    for row in card.select("product_id", "product").iter_rows(named=True):
        found = listed.get(row["product_id"])
        products[row["product_id"]] = {
            "seats_to_reclaim": None if found is None else found["to_reclaim"],
            "reclaim_value": None if found is None else found["reclaim_value"],
            "reclaim_reconciliation": (
                None if found is None else reconciliation_sentence(found, after_days=after_days)
            ),
            "renewal_to_decide": row["product"] in flagged,
        }
    mine = [listed[pid] for pid in ids if pid in listed]
    if not mine:
        to_reclaim, value = None, None
    elif len(mine) == len(listed):
        to_reclaim, value = reclaim.to_reclaim, reclaim.value
    else:
        to_reclaim = sum(r["to_reclaim"] for r in mine)
        value = sum(r["reclaim_value"] for r in mine)
    return SupplierFigures(
        products=products,
        portfolio={
            "seats_to_reclaim": to_reclaim,
            "reclaim_value": value,
            "vendors": vendors.select(VENDOR_KEYS).to_dicts(),
            "renewals_to_decide": renewals.select(
                *(k if k != "renewal_date" else pl.col("end").alias(k) for k in RENEWAL_KEYS)
            ).to_dicts(),
        },
    )
