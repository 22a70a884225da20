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
from typing import Any, Final

import polars as pl

from metrics.text import day

__all__ = [
    "FRESHNESS",
    "freshness",
    "freshness_of",
    "freshness_sentence",
    "portfolio_freshness_sentence",
]

FRESHNESS: Final[dict[str, pl.DataType]] = {
    "product_id": pl.Int64(),
    "usage_as_of": pl.Date(),
    "last_import_at": pl.Datetime("us"),
    "stale": pl.Boolean(),
    "age_days": pl.Int64(),  # days from usage_as_of to as_of
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
        The report's day and the `LP_STALE_AFTER_DAYS` setting. For a past
        year, give the year's last day: its usage is judged as of then.

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
    return freshness_of(latest, imports, as_of=as_of, stale_after_days=stale_after_days)


def freshness_of(
    runs_to: pl.DataFrame, imports: pl.DataFrame, *, as_of: date, stale_after_days: int
) -> pl.DataFrame:
    """`freshness`, from how far each product's usage runs rather than from its facts.

    `runs_to` has `product_id` and `usage_as_of` (as `freshness` finds it, or
    as `models.usage_sql.usage_runs_to` asks the database for it), so a page
    that shows only freshness need not read the facts.

    Examples
    --------
    >>> from datetime import datetime
    >>> runs_to = pl.DataFrame({"product_id": [1], "usage_as_of": [date(2026, 9, 30)]})
    >>> imports = pl.DataFrame({"product_id": [1, 2],
    ...     "created_at": [datetime(2026, 10, 3, 9), datetime(2026, 7, 2)],
    ...     "feed": ["LinkedIn Learning", "usage template"]})
    >>> freshness_of(runs_to, imports, as_of=date(2026, 12, 1), stale_after_days=45).select(
    ...     "product_id", "usage_as_of", "stale", "age_days").rows()
    [(1, datetime.date(2026, 9, 30), True, 62), (2, None, None, None)]
    """
    latest = runs_to.select("product_id", "usage_as_of")
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
            pl.when(pl.col("usage_as_of").is_not_null())
            .then(age > stale_after_days)
            .alias("stale"),
            age.alias("age_days"),
        )
        .select(list(FRESHNESS))
        .cast(FRESHNESS)
        .sort("product_id")
    )


def freshness_sentence(row: dict[str, Any], *, as_of: date) -> str:
    """What a usage figure is as of, in words, for the line beside it.

    Examples
    --------
    >>> from datetime import datetime
    >>> row = {"usage_as_of": date(2026, 9, 30), "feed": "LinkedIn Learning",
    ...        "last_import_at": datetime(2026, 10, 3, 9), "stale": True}
    >>> print(freshness_sentence(row, as_of=date(2026, 11, 23)))  # doctest: +NORMALIZE_WHITESPACE
    Usage to 30 Sep 2026 (LinkedIn Learning, imported 3 Oct 2026): 54 days old,
    import a newer report.
    """
    runs_to = row.get("usage_as_of")
    if runs_to is None:
        return "No usage imported."
    made = row.get("last_import_at")
    source = ", ".join(
        part for part in (row.get("feed"), f"imported {day(made.date())}" if made else None) if part
    )
    text = f"Usage to {day(runs_to)}" + (f" ({source})" if source else "")
    if row.get("stale"):
        return f"{text}: {(as_of - runs_to).days} days old, import a newer report."
    return f"{text}."


def portfolio_freshness_sentence(
    fresh: pl.DataFrame, names: dict[int, str], *, stale_after_days: int
) -> str | None:
    """One line for the portfolio's usage figures: how far they run, and which are stale.

    Examples
    --------
    >>> fresh = pl.DataFrame({"product_id": [1, 2, 3],
    ...     "usage_as_of": [date(2026, 11, 10), date(2026, 9, 30), date(2026, 8, 31)],
    ...     "stale": [False, True, True]})
    >>> print(portfolio_freshness_sentence(fresh, {1: "A", 2: "B", 3: "C"},
    ...     stale_after_days=45))  # doctest: +NORMALIZE_WHITESPACE
    Usage to 10 Nov 2026 at the latest; 2 products' usage is more than 45 days old
    (stale): B (to 30 Sep 2026), C (to 31 Aug 2026).
    """
    known = fresh.filter(pl.col("usage_as_of").is_not_null())
    if known.is_empty():
        return None
    latest = known.get_column("usage_as_of").max()
    stale = known.filter(pl.col("stale")).sort("usage_as_of", descending=True)
    text = f"Usage to {day(latest)} at the latest"  # type: ignore[arg-type]
    if stale.is_empty():
        return f"{text}; every product's usage is within {stale_after_days} days."
    listed = ", ".join(
        f"{names.get(pid, pid)} (to {day(when)})"
        for pid, when in stale.select("product_id", "usage_as_of").iter_rows()
    )
    products = "1 product's" if stale.height == 1 else f"{stale.height} products'"
    return f"{text}; {products} usage is more than {stale_after_days} days old (stale): {listed}."
