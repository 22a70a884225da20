"""The Seats to reclaim view's figures (issue 19): per product, the list, the totals.

Computed from the year's frames the Suppliers page reads once for all its tabs
(`pages.supplier_reads.suppliers_year`, cached by the data version, the year, the
as-of date and `LP_RECLAIM_AFTER_DAYS`, so a changed setting or a new import shows at
the next rerun). The figures come from `metrics.reclaim`; this module only adds, when
identities are stored, the listed learners' e-mails and names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection

from metrics.reclaim import reconciliation_sentence, year_reclaim, year_reclaim_rows
from models.frames import YearFrames, learner_identities_frame
from pages.cache import settings

__all__ = ["ReclaimView", "reclaim_from"]


@dataclass(frozen=True)
class ReclaimView:
    """What the view draws for one year.

    `products` holds `metrics.reclaim.Reclaim.products` (with `stale`) with each
    product's name (`product`) and its `reconciliation` sentence, by name; `rows` the list to act on
    (`metrics.reclaim.RECLAIM_COLUMNS`), leavers first. `identities` says whether
    learners are shown by e-mail (stored identities) or by pseudonym.
    """

    products: pl.DataFrame
    rows: pl.DataFrame
    to_reclaim: int
    value: float
    after_days: int
    currency: str
    identities: bool


def reclaim_from(
    conn: Connection,
    frames: YearFrames,
    *,
    year: int,
    as_of: date,
    after_days: int,
    stale_after_days: int,
) -> ReclaimView:
    """Seats to reclaim in `year` as of `as_of` from its frames: no activity for `after_days`.

    `stale_after_days` (`LP_STALE_AFTER_DAYS`) marks each product whose report is stale.
    `conn` reads the listed learners' e-mails when identities are stored. Uncached: the
    Suppliers page's one cached reader (`pages.supplier_reads.suppliers_year`) calls it
    on the frames it read for every tab.
    """
    config = settings()
    result = year_reclaim(
        frames, year=year, as_of=as_of, after_days=after_days, stale_after_days=stale_after_days
    )
    identities = None
    if config.store_identities:
        ids = result.people.get_column("learner_id").unique().sort().to_list()
        identities = learner_identities_frame(conn, ids)
    rows = year_reclaim_rows(frames, result, identities=identities)
    named = result.products.join(
        frames.products.select("product_id", "product"), on="product_id", how="left"
    )
    sentences = [reconciliation_sentence(r, after_days=after_days) for r in named.to_dicts()]
    products = named.with_columns(pl.Series("reconciliation", sentences, dtype=pl.String)).sort(
        "product"
    )
    return ReclaimView(
        products=products,
        rows=rows,
        to_reclaim=result.to_reclaim,
        value=result.value,
        after_days=after_days,
        currency=result.currency,
        identities=config.store_identities,
    )
