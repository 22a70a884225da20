"""People: each learner's org unit, headcount on the reporting date, and reach by org unit.

DESIGN.md ("People roster"):

* *Headcount* of an org unit = people of the roster in it and in post on
  the reporting date `on` (the earlier of `as_of` and the year's end):
  start blank or on/before `on`, end blank or on/after it.
* A learner's org unit = the roster's (whatever the person's dates: dates
  only decide headcount), else the org unit of their most recent dated
  usage row (any product), else ``unassigned``.
* *Reach by org unit* = active learners of the product (or the portfolio)
  in the unit ÷ its headcount (null without a headcount).
* **Privacy:** a figure counting 1 to ``min_group − 1`` people is
  suppressed: null, and for active learners `suppressed: true` (the page
  says "fewer than 5"); 0 is shown. Reach is null when its active learners
  are suppressed, and 0 when there are none (even where the headcount
  itself is suppressed). A headcount of 1 to ``min_group − 1`` alone is a
  null headcount with `suppressed: false`. A unit is listed when it has a
  headcount or an active learner.

The product rows come from one `group_by` over the year's facts joined to
the learners' units, the portfolio's from one more; no loop over products.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import polars as pl

from metrics import common

__all__ = [
    "ALL_PRODUCTS",
    "REACH_BY_UNIT",
    "UNASSIGNED",
    "headcount",
    "learner_org_units",
    "reach_by_org_unit",
    "year_reach_by_org_unit",
]

ALL_PRODUCTS: Final = "All products"
"""How the pages name the portfolio's rows (`reach_by_org_unit`'s null product)."""
UNASSIGNED: Final = "unassigned"
"""The org unit of a learner neither the roster nor any usage row places."""

REACH_BY_UNIT: Final[dict[str, pl.DataType]] = {
    "product_id": pl.Int64(),  # null: the portfolio
    "org_unit": pl.String(),
    "headcount": pl.Int64(),
    "active_learners": pl.Int64(),
    "reach": pl.Float64(),
    "suppressed": pl.Boolean(),
}


def headcount(people: pl.DataFrame, *, on: date) -> pl.DataFrame:
    """People in post on `on`, per org unit: `org_unit`, `headcount` (units with none left out).

    Examples
    --------
    >>> roster = pl.DataFrame({"org_unit": ["Sales", "Sales", "Ops"],
    ...     "start_date": [date(2026, 1, 1), None, date(2027, 1, 1)],
    ...     "end_date": [None, date(2026, 3, 31), None]})
    >>> headcount(roster, on=date(2026, 6, 30)).rows()
    [('Sales', 1)]
    """
    day = pl.lit(on, dtype=pl.Date())
    in_post = (pl.col("start_date").is_null() | (pl.col("start_date") <= day)) & (
        pl.col("end_date").is_null() | (pl.col("end_date") >= day)
    )
    return (
        people.filter(in_post)
        .group_by("org_unit")
        .agg(pl.len().cast(pl.Int64).alias("headcount"))
        .sort("org_unit")
    )


def learner_org_units(
    learners: pl.DataFrame, people: pl.DataFrame, usage_units: pl.DataFrame
) -> pl.DataFrame:
    """Each learner's org unit: the roster's, else their latest dated usage row's, else unassigned.

    Parameters
    ----------
    learners
        `learner_id`, `key` (the learner key the roster is keyed by).
    people
        The roster: `learner_key`, `org_unit`.
    usage_units
        Per usage import still in force: `learner_id`, `org_unit`, `day`
        (the latest date of the learner's rows there, or the report's end
        for undated rows), `import_id`.

    Returns
    -------
    pl.DataFrame
        `learner_id`, `org_unit`, one row per learner of `learners`.
    """
    roster = people.select(pl.col("learner_key").alias("key"), pl.col("org_unit").alias("_roster"))
    latest = (
        usage_units.sort("day", "import_id", nulls_last=False)
        .group_by("learner_id")
        .agg(pl.col("org_unit").last().alias("_usage"))
    )
    return (
        learners.select("learner_id", "key")
        .join(roster, on="key", how="left")
        .join(latest, on="learner_id", how="left")
        .select(
            "learner_id",
            pl.coalesce("_roster", "_usage", pl.lit(UNASSIGNED)).alias("org_unit"),
        )
    )


def _suppressed(count: pl.Expr, min_group: int) -> pl.Expr:
    return count.is_between(1, min_group - 1)


def _finish(
    counts: pl.DataFrame, heads: pl.DataFrame, *, min_group: int, every_unit: bool
) -> pl.DataFrame:
    """Active learners joined to headcount, reach computed, small figures suppressed.

    With `every_unit`, units with a headcount and no active learner are added.
    """
    active, heads_n = pl.col("active_learners"), pl.col("headcount")
    hidden = _suppressed(active, min_group)
    reach = (
        pl.when(hidden)
        .then(None)
        .when(active == 0)
        .then(pl.when(heads_n.is_not_null()).then(0.0))
        .otherwise(common.safe_ratio(active.cast(pl.Float64), heads_n.cast(pl.Float64)))
    )
    how = "full" if every_unit else "left"
    return (
        counts.join(heads, on="org_unit", how=how, coalesce=True)
        .with_columns(active.fill_null(0))
        .select(
            "product_id",
            "org_unit",
            pl.when(_suppressed(heads_n, min_group))
            .then(None)
            .otherwise(heads_n)
            .alias("headcount"),
            pl.when(hidden).then(None).otherwise(active).alias("active_learners"),
            reach.alias("reach"),
            hidden.alias("suppressed"),
        )
    )


def reach_by_org_unit(
    usage: pl.DataFrame,
    units: pl.DataFrame,
    heads: pl.DataFrame,
    *,
    product_ids: list[int],
    start: date,
    end: date,
    min_group: int,
) -> pl.DataFrame:
    """Reach by org unit for each product of `product_ids` and for the portfolio.

    Parameters
    ----------
    usage
        Usage facts (`metrics.schema.USAGE`).
    units
        `learner_org_units`: `learner_id`, `org_unit`.
    heads
        `headcount`: `org_unit`, `headcount`.
    product_ids
        The products to report; each with usage in the window gets every
        unit with a headcount (one without usage is not tracked: no rows).
    start, end
        The window (the reporting year); activity as `metrics.active_learners`.
    min_group
        `LP_MIN_GROUP_SIZE`: figures of 1 to ``min_group − 1`` people are hidden.

    Returns
    -------
    pl.DataFrame
        `REACH_BY_UNIT` columns: one row per product and listed unit, then
        the portfolio's rows (`product_id` null); units by headcount, largest
        first, then by name.
    """
    in_window = usage.filter(common.row_in_window(start, end))
    # A product with no usage in the window is not tracked: no rows, never a row of zeros.
    tracked = set(in_window.get_column("product_id").unique().to_list())
    product_ids = [pid for pid in product_ids if pid in tracked]
    active = (
        in_window.filter(common.is_active())
        .select("product_id", "learner_id")
        .unique()
        .join(units, on="learner_id", how="left")
        .with_columns(pl.col("org_unit").fill_null(UNASSIGNED))
    )
    per_product = active.group_by("product_id", "org_unit").agg(
        pl.col("learner_id").n_unique().cast(pl.Int64).alias("active_learners")
    )
    # Every product lists every unit with a headcount (0 active is a figure), and its own others.
    grid = pl.DataFrame({"product_id": product_ids}, schema={"product_id": pl.Int64()}).join(
        heads.select("org_unit"), how="cross"
    )
    products = grid.join(
        per_product, on=["product_id", "org_unit"], how="full", coalesce=True
    ).filter(pl.col("product_id").is_in(product_ids))
    portfolio = active.group_by("org_unit").agg(
        pl.col("learner_id").n_unique().cast(pl.Int64).alias("active_learners")
    )
    rows = [
        _finish(
            products.select("product_id", "org_unit", "active_learners"),
            heads,
            min_group=min_group,
            every_unit=False,
        ),
        _finish(
            portfolio.with_columns(pl.lit(None, pl.Int64).alias("product_id")),
            heads,
            min_group=min_group,
            every_unit=True,
        ),
    ]
    order = heads.select("org_unit", pl.col("headcount").alias("_size"))
    out = pl.concat([r.select(list(REACH_BY_UNIT)) for r in rows]).cast(REACH_BY_UNIT)
    return (
        out.join(order, on="org_unit", how="left")
        .sort(
            [pl.col("product_id").is_null(), "product_id", "_size", "org_unit"],
            descending=[False, False, True, False],
            nulls_last=True,
        )
        .drop("_size")
    )


def year_reach_by_org_unit(
    frames: Any, product_ids: list[int], *, year: int, as_of: date, min_group: int
) -> pl.DataFrame:
    """`reach_by_org_unit` of a year's frames (`models.frames.YearFrames`), on the reporting date.

    Why one entry point: the overview, the Product page and the pack read the
    roster, the learners' keys and their usage units the same way; headcount
    is taken on the earlier of `as_of` and the year's last day.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    return reach_by_org_unit(
        frames.usage.filter(pl.col("product_id").is_in(product_ids)),
        learner_org_units(frames.learner_keys, frames.roster, frames.usage_units),
        headcount(frames.roster, on=min(as_of, end)),
        product_ids=product_ids,
        start=start,
        end=end,
        min_group=min_group,
    )
