"""The Product page's freshness line and reach by org unit, from the product's year frames.

Apart from `pages.product_reads` (one module per view, under 200 lines): both
read the same `YearFrames` and only shape what metrics return.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from metrics.freshness import freshness, freshness_sentence
from metrics.people import REACH_BY_UNIT, year_reach_by_org_unit
from models.frames import YearFrames
from pages.importing import format_label

__all__ = ["product_freshness", "product_org_units"]


def _feed(name: object) -> str | None:
    """A feed as the freshness line names it: the vendor, or the format's title without its file
    ("usage template", not "usage template (usage.csv)")."""
    return re.sub(r"\s*\([^)]*\)$", "", format_label(str(name))) if name else None


def product_freshness(
    frames: YearFrames, product_id: int, *, year: int, as_of: date, stale_after_days: int
) -> tuple[str | None, bool]:
    """The line beside the product's usage and whether it is stale (None, False: no usage).

    A past year's usage is judged at its year's end, not today.
    """
    on = min(as_of, date(year, 12, 31))
    rows = freshness(
        frames.usage, frames.usage_imports, as_of=on, stale_after_days=stale_after_days
    ).filter(pl.col("product_id") == product_id)
    if rows.is_empty():
        return None, False
    row = rows.row(0, named=True)
    return freshness_sentence({**row, "feed": _feed(row["feed"])}, as_of=on), bool(row["stale"])


def product_org_units(
    frames: YearFrames, product_id: int, *, year: int, as_of: date, min_group: int
) -> pl.DataFrame:
    """The product's reach by org unit; empty without a roster (no headcount to divide by)."""
    if frames.roster.is_empty():
        return pl.DataFrame(schema=REACH_BY_UNIT)
    rows = year_reach_by_org_unit(frames, [product_id], year=year, as_of=as_of, min_group=min_group)
    return rows.filter(pl.col("product_id") == product_id)
