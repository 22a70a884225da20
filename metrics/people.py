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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import polars as pl

from metrics import common
from metrics.health import HealthThresholds
from metrics.scorecard import in_order, product_scorecard
from metrics.usage import learning_hours, portfolio_active_learners

__all__ = [
    "ALL_PRODUCTS",
    "REACH_BY_UNIT",
    "UNASSIGNED",
    "UNIT_COUNTS",
    "UNIT_FIGURES",
    "UnitFigures",
    "count_hidden",
    "figures_in_units",
    "headcount",
    "learner_org_units",
    "org_unit_choices",
    "people_in_units",
    "reach_by_org_unit",
    "usage_in_units",
    "year_figures_in_units",
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
    A reach over a hidden headcount is hidden too (null, `suppressed` false as
    DESIGN says for a hidden headcount): 6 active at a reach of 2.0 would tell
    that the unit has 3 people. Nobody active stays a reach of 0, which tells
    nothing about the headcount.
    """
    active, heads_n = pl.col("active_learners"), pl.col("headcount")
    hidden = _suppressed(active, min_group)
    reach = (
        pl.when(hidden)
        .then(None)
        .when(active == 0)
        .then(pl.when(heads_n.is_not_null()).then(0.0))
        .when(_suppressed(heads_n, min_group))
        .then(None)
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
    usage: pl.DataFrame | pl.LazyFrame,
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
        Usage facts (`metrics.schema.USAGE`), eager or lazy (a lazy filter of
        the year's facts is not copied whole: ten million rows are 0.6 GB).
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
    in_window = usage.lazy().filter(common.row_in_window(start, end))
    # Each active row takes its learner's unit and the counts are distinct learners, so the
    # (product, learner) pairs need not be made unique first (at a million rows nearly all
    # are, and that pass cost more than the join). Units travel as small integer codes: ten
    # million rows each carrying their unit's name held a gigabyte for the count.
    names = pl.concat([units.get_column("org_unit").drop_nulls(), pl.Series([UNASSIGNED])])
    codes = pl.DataFrame({"org_unit": names.unique(maintain_order=True)}).with_row_index("_unit")
    unassigned = codes.filter(pl.col("org_unit") == UNASSIGNED).get_column("_unit").item()
    coded = units.lazy().join(codes.lazy(), on="org_unit").select("learner_id", "_unit")
    active = (
        in_window.filter(common.is_active())
        .select("product_id", "learner_id")
        .join(coded, on="learner_id", how="left")
        .with_columns(pl.col("_unit").fill_null(unassigned))
    )
    count = pl.col("learner_id").n_unique().cast(pl.Int64).alias("active_learners")
    seen, per_product, portfolio = pl.collect_all(
        [
            in_window.select(pl.col("product_id").unique()),
            active.group_by("product_id", "_unit").agg(count),
            active.group_by("_unit").agg(count),
        ]
    )
    per_product = per_product.join(codes, on="_unit").drop("_unit")
    portfolio = portfolio.join(codes, on="_unit").drop("_unit")
    # A product with no usage in the window is not tracked: no rows, never a row of zeros.
    tracked = set(seen.get_column("product_id").to_list())
    product_ids = [pid for pid in product_ids if pid in tracked]
    # Every product lists every unit with a headcount (0 active is a figure), and its own others.
    grid = pl.DataFrame({"product_id": product_ids}, schema={"product_id": pl.Int64()}).join(
        heads.select("org_unit"), how="cross"
    )
    products = grid.join(
        per_product, on=["product_id", "org_unit"], how="full", coalesce=True
    ).filter(pl.col("product_id").is_in(product_ids))
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
        frames.usage.lazy().filter(pl.col("product_id").is_in(product_ids)),
        learner_org_units(frames.learner_keys, frames.roster, frames.usage_units),
        headcount(frames.roster, on=min(as_of, end)),
        product_ids=product_ids,
        start=start,
        end=end,
        min_group=min_group,
    )


# --- The org-unit filter: usage figures narrowed to the learners of some units --------------

UNIT_COUNTS: Final = ("unique_learners", "active_learners", "completions")
"""Scorecard counts a filter by org unit narrows (`figures_in_units`)."""
UNIT_FIGURES: Final = (
    *UNIT_COUNTS,
    "learning_hours",
    "cost_per_active_learner",
    "cost_per_completion",
)
"""Every figure a filter by org unit narrows; the rest of a scorecard stays the product's."""
_RATIO_OF: Final = {
    "cost_per_active_learner": "active_learners",
    "cost_per_completion": "completions",
}


def usage_in_units(
    usage: pl.DataFrame, units_of_learners: pl.DataFrame, units: Sequence[str]
) -> pl.DataFrame:
    """The usage rows of learners whose org unit is one of `units`: a semi-join, one pass.

    Parameters
    ----------
    usage
        Usage facts (`metrics.schema.USAGE`), of any products.
    units_of_learners
        `learner_org_units`: `learner_id`, `org_unit`. A learner it does not
        list is `unassigned`, as in `reach_by_org_unit`.
    units
        The org units chosen; empty keeps no row (the pages do not narrow
        without a choice).

    Returns
    -------
    pl.DataFrame
        The rows of `usage` kept, unchanged and in its order.

    Examples
    --------
    Learners 1 (Sales), 2 (Ops) and 3 (on no list) with a row each:
    ``units=["Sales", "unassigned"]`` keeps the rows of 1 and 3.
    """
    chosen = list(dict.fromkeys(units))
    placed = units_of_learners.select("learner_id", pl.col("org_unit").alias("_unit"))
    in_units = (
        usage.select("learner_id")
        .unique()
        .join(placed, on="learner_id", how="left")
        .filter(pl.col("_unit").fill_null(UNASSIGNED).is_in(chosen))
        .select("learner_id")
    )
    return usage.join(in_units, on="learner_id", how="semi", maintain_order="left")


def org_unit_choices(units_of_learners: pl.DataFrame, heads: pl.DataFrame) -> list[str]:
    """The org units a filter offers: by headcount (largest first), then by name.

    Units with a headcount come first, largest first (ties by name); then the
    units only learners' usage rows give, by name; `unassigned` last, when a
    learner falls there. Empty when nothing places anyone (no roster and no
    usage row with an org unit): the pages then show no filter.

    Examples
    --------
    Headcount Sales 7, Ops 7, Legal 2; a learner placed in Finance by usage and
    one in no unit: ``["Ops", "Sales", "Legal", "Finance", "unassigned"]``.
    """
    sized = heads.filter(pl.col("headcount") > 0).sort(
        ["headcount", "org_unit"], descending=[True, False]
    )
    named = sized.get_column("org_unit").to_list()
    others = set(units_of_learners.get_column("org_unit").drop_nulls().to_list()) - set(named)
    rest = sorted(others - {UNASSIGNED}, key=lambda u: (u.casefold(), u))
    if not named and not rest:
        return []
    return [*named, *rest, *([UNASSIGNED] if UNASSIGNED in others else [])]


def people_in_units(
    units_of_learners: pl.DataFrame, heads: pl.DataFrame, units: Sequence[str]
) -> int:
    """How many people the chosen units hold: their headcount, else their distinct learners.

    Notes
    -----
    people = Σ headcount of the chosen units that have one + distinct
    learners placed (`learner_org_units`) in the chosen units that have
    none (units only usage rows name, `unassigned`). The privacy rule reads
    it: fewer than `LP_MIN_GROUP_SIZE` people and no figure about them shows.

    Examples
    --------
    Sales (headcount 7) and Finance (no headcount, 3 learners placed there): 10.
    """
    chosen = list(dict.fromkeys(units))
    sized = heads.filter(pl.col("org_unit").is_in(chosen) & (pl.col("headcount") > 0))
    unsized = set(chosen) - set(sized.get_column("org_unit").to_list())
    learners = units_of_learners.filter(pl.col("org_unit").is_in(list(unsized)))
    return int(sized.get_column("headcount").sum()) + learners.get_column("learner_id").n_unique()


def count_hidden(count: int | None, *, people: int, min_group: int) -> bool:
    """Whether a count of the chosen units' learners is hidden (DESIGN.md, privacy).

    Hidden when the units hold fewer than `min_group` people (any figure about
    them, 0 included, is about 1 to ``min_group − 1`` people) or the count
    itself is 1 to ``min_group − 1``; a 0 of a large enough group shows, and a
    missing count (not tracked) is not hidden.

    Examples
    --------
    >>> count_hidden(3, people=600, min_group=5), count_hidden(0, people=3, min_group=5)
    (True, True)
    >>> count_hidden(0, people=600, min_group=5), count_hidden(None, people=3, min_group=5)
    (False, False)
    """
    if count is None:
        return False
    return people < min_group or 1 <= count < min_group


def figures_in_units(
    whole: pl.DataFrame, narrowed: pl.DataFrame, *, people: int, min_group: int
) -> pl.DataFrame:
    """A scorecard whose usage figures are those of the chosen units' learners, small ones hidden.

    Parameters
    ----------
    whole
        The scorecard of every learner (`metrics.scorecard`), with
        `learning_hours` joined on when it is to be narrowed too.
    narrowed
        The same scorecard computed over `usage_in_units`: only its
        `UNIT_FIGURES` columns are read.
    people
        `people_in_units` of the chosen units.
    min_group
        `LP_MIN_GROUP_SIZE`.

    Returns
    -------
    pl.DataFrame
        `whole`, in its order, with each `UNIT_FIGURES` column it has taken
        from `narrowed`, and `hidden` (a list of the names of the figures
        hidden). Everything else (cost, seats and seat utilisation, reach of
        the target audience, health) stays the product's: seats and target
        audiences are not set per unit.

    Notes
    -----
    * A product whose figure is tracked and whose units' learners have no
      row counts 0 (tracked, nobody there); a figure not tracked stays null.
    * Hidden (null, named in `hidden`): every figure when the units hold
      fewer than `min_group` people; otherwise every figure when the
      product's unique learners in the units are 1 to ``min_group − 1``
      (each figure is then about them), active learners and completions
      when they are 1 to ``min_group − 1``, and a cost ratio with its count.
    * The cost ratios are the narrowed scorecard's: the whole product's
      actual cost ÷ the units' count.

    Examples
    --------
    A product with 41,250.00 actual cost, 330 active learners of whom 30 in
    Sales: cost per active learner in Sales 41,250 / 30 = 1,375.00.
    """
    names = [n for n in UNIT_FIGURES if n in whole.columns and n in narrowed.columns]
    theirs = narrowed.select("product_id", *(pl.col(n).alias(f"_{n}") for n in names))
    # A tracked figure with no row in the units is 0; a ratio is null without its count.
    value = {
        n: pl.when(pl.col(n).is_not_null()).then(
            pl.col(f"_{n}") if n in _RATIO_OF else pl.col(f"_{n}").fill_null(0)
        )
        for n in names
    }
    small = {n: value[n].is_between(1, min_group - 1) for n in UNIT_COUNTS if n in names}
    about_few = pl.lit(people < min_group) | small.get("unique_learners", pl.lit(False))
    hide = {n: about_few | small.get(n, pl.lit(False)) for n in names}
    for ratio, count in _RATIO_OF.items():
        if ratio in hide and count in hide:
            hide[ratio] = hide[ratio] | hide[count]
    # Named hidden only where the product tracks the figure: "not tracked" stays that.
    hidden = pl.concat_list(
        [pl.when(hide[n] & pl.col(n).is_not_null()).then(pl.lit(n)) for n in names]
        or [pl.lit(None, pl.String)]
    ).list.drop_nulls()
    return (
        whole.join(theirs, on="product_id", how="left", maintain_order="left")
        .with_columns(
            *(pl.when(hide[n]).then(None).otherwise(value[n]).alias(n) for n in names),
            hidden.alias("hidden"),
        )
        .drop(f"_{n}" for n in names)
    )


@dataclass(frozen=True)
class UnitFigures:
    """A year's usage figures narrowed to the learners of some org units (`year_figures_in_units`).

    `scorecard` is `figures_in_units` (the products' rows, `hidden` naming
    the figures hidden); `active_learners` counts distinct active learners of
    the units across the products (None: not tracked, or hidden when
    `active_hidden`); `people` is `people_in_units`.
    """

    units: tuple[str, ...]
    people: int
    scorecard: pl.DataFrame
    active_learners: int | None
    active_hidden: bool


def year_figures_in_units(
    frames: Any,
    units: Sequence[str],
    *,
    year: int,
    as_of: date,
    min_group: int,
    thresholds: HealthThresholds,
) -> UnitFigures:
    """The scorecard of a year's frames (`models.frames.YearFrames`) over the units' learners.

    Why one entry point: the overview and the Product page narrow the same
    way. The learners' units and the headcount are read as in
    `year_reach_by_org_unit`; the narrowed scorecard is `product_scorecard`
    itself over `usage_in_units`, with learning hours joined to both.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    placed = learner_org_units(frames.learner_keys, frames.roster, frames.usage_units)
    people = people_in_units(placed, headcount(frames.roster, on=min(as_of, end)), units)
    products, budgets, contracts, usage, outcomes = in_order(frames, year=year)
    narrowed_usage = usage_in_units(usage, placed, units)

    def card(rows: pl.DataFrame) -> pl.DataFrame:
        scored = product_scorecard(
            products, budgets, contracts, rows, outcomes,
            year=year, currency=frames.currency, thresholds=thresholds,
        )  # fmt: skip
        hours = learning_hours(rows, start=start, end=end)
        return scored.join(hours, on="product_id", how="left", maintain_order="left")

    ids = products.get_column("product_id").to_list()
    in_products = pl.col("product_id").is_in(ids)
    tracked = portfolio_active_learners(usage.filter(in_products), start=start, end=end)
    active = portfolio_active_learners(narrowed_usage.filter(in_products), start=start, end=end)
    active = active if tracked is None else active or 0
    hidden = count_hidden(active, people=people, min_group=min_group)
    return UnitFigures(
        units=tuple(units),
        people=people,
        scorecard=figures_in_units(
            card(usage), card(narrowed_usage), people=people, min_group=min_group
        ),
        active_learners=None if hidden else active,
        active_hidden=hidden,
    )
