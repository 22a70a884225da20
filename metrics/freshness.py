"""How fresh each product's usage is: the day it runs to, when it was imported, and stale or not.

DESIGN.md ("Freshness"): each product carries `usage_as_of` (the latest
activity date or report period end of its usage), `last_import_at` (when
its newest usage import still in force was made) and `stale` (true when
`usage_as_of` is more than `LP_STALE_AFTER_DAYS`, default 45, before
`as_of`). A product with no usage has all three null: not tracked, never
"stale". Pages say it beside usage figures ("usage to 30 Sep 2026 (LinkedIn
Learning, imported 3 Oct)"), so a sponsor never reads September's figures
as November's.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import polars as pl

__all__ = ["FRESHNESS", "freshness"]

FRESHNESS: Final[dict[str, pl.DataType]] = {
    "product_id": pl.Int64(),
    "usage_as_of": pl.Date(),
    "last_import_at": pl.Datetime("us"),
    "stale": pl.Boolean(),
    "feed": pl.String(),
}


def freshness(
    usage: pl.DataFrame, imports: pl.DataFrame, *, as_of: date, stale_after_days: int
) -> pl.DataFrame:
    """Per product with usage or a usage import: `FRESHNESS` columns.

    Parameters
    ----------
    usage
        Usage facts (`metrics.schema.USAGE`): a row runs to the latest of
        its date, completion date and report period end.
    imports
        Usage imports in force: `product_id`, `created_at`, `feed` (the
        vendor or format that sent it).
    as_of, stale_after_days
        The report's day and the `LP_STALE_AFTER_DAYS` setting.

    Examples
    --------
    >>> from datetime import datetime
    >>> usage = pl.DataFrame({"product_id": [1, 1, 2], "date": [date(2026, 9, 30), None, None],
    ...     "completed_date": [None, None, None],
    ...     "period_end": [None, date(2026, 8, 31), date(2026, 6, 30)]})
    >>> imports = pl.DataFrame({"product_id": [1, 2],
    ...     "created_at": [datetime(2026, 10, 3, 9), datetime(2026, 7, 2)],
    ...     "feed": ["LinkedIn Learning", "usage template"]})
    >>> freshness(usage, imports, as_of=date(2026, 10, 20), stale_after_days=45).select(
    ...     "product_id", "usage_as_of", "stale").rows()
    [(1, datetime.date(2026, 9, 30), False), (2, datetime.date(2026, 6, 30), True)]
    """
    runs_to = pl.max_horizontal("date", "completed_date", "period_end")
    latest = usage.group_by("product_id").agg(runs_to.max().alias("usage_as_of"))
    newest = (
        imports.sort("created_at")
        .group_by("product_id")
        .agg(
            pl.col("created_at").last().alias("last_import_at"),
            pl.col("feed").last().alias("feed"),
        )
    )
    age = (pl.lit(as_of, dtype=pl.Date()) - pl.col("usage_as_of")).dt.total_days()
    return (
        latest.join(newest, on="product_id", how="full", coalesce=True)
        .with_columns(
            pl.when(pl.col("usage_as_of").is_not_null()).then(age > stale_after_days).alias("stale")
        )
        .select(list(FRESHNESS))
        .cast(FRESHNESS)
        .sort("product_id")
    )
