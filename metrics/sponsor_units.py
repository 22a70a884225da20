"""The sponsor's units: the org units a product is for, and their reach, in one sentence.

Definition (README, "People and fresh data"): a product's *sponsor's units*
are the roster's org units that its ``target_audience`` text names, or,
when that names none, that its ``sponsor`` text names. A unit is named
when its name appears in the text as whole words, ignoring case, with any
run of spaces or hyphens between its words ("Sales team" names Sales,
"customer  service agents" names Customer Service, "Shops" does not name
Ops). A unit of several words matches only as a phrase, and where two
units overlap the longest name wins: "Sales Ops team" names Sales Ops, not
Sales. Punctuation in a unit's name is literal ("R&D (UK)" is matched as
typed, never read as a pattern).

A product whose texts name no unit ("All employees", "New joiners") has no
sponsor's units; the pages and the pack then show its reach across the
whole organisation (`organisation_reach`): its active learners ÷ everyone
in post, with the same privacy rule as reach by org unit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final, Literal, TypeAlias

import polars as pl

from metrics import text
from metrics.people import headcount, reach_by_org_unit

__all__ = [
    "NONE_NAMED",
    "ORGANISATION_REACH",
    "WHOLE_ORGANISATION",
    "NamedIn",
    "organisation_reach",
    "sponsor_units",
    "sponsor_units_line",
    "unit_figure",
    "year_organisation_reach",
]

NamedIn: TypeAlias = Literal["target_audience", "sponsor"]

NONE_NAMED: Final = "no org unit named in its target audience"
"""What the sponsor's units line says of a product naming none (its whole organisation's
reach follows)."""
WHOLE_ORGANISATION: Final = "whole organisation"
"""How `organisation_reach` names the one unit everyone belongs to."""

ORGANISATION_REACH: Final[dict[str, pl.DataType]] = {
    "product_id": pl.Int64(),  # null: the portfolio
    "headcount": pl.Int64(),
    "active_learners": pl.Int64(),
    "reach": pl.Float64(),
    "suppressed": pl.Boolean(),
}

_SOURCES: Final[tuple[NamedIn, ...]] = ("target_audience", "sponsor")
_BETWEEN_WORDS: Final = r"[\s\-]+"
_SPLIT: Final = re.compile(_BETWEEN_WORDS)
_WORD_EDGE: Final = re.compile(r"\w")


def _key(expr: pl.Expr) -> pl.Expr:
    """A name as compared: lower case, runs of spaces and hyphens as one space."""
    return expr.str.to_lowercase().str.replace_all(_BETWEEN_WORDS, " ").str.strip_chars()


def _unit_pattern(unit: str) -> str:
    """One unit as a regex: its words literal, spaces or hyphens between, whole words at the ends.

    A word boundary is asked for only at an end that is a word character:
    "R&D (UK)" ends in ")", which already ends a word.
    """
    name = unit.strip()
    words = [re.escape(w) for w in _SPLIT.split(name) if w]
    body = _BETWEEN_WORDS.join(words)
    start = r"\b" if _WORD_EDGE.match(name[0]) else ""
    end = r"\b" if _WORD_EDGE.match(name[-1]) else ""
    return f"{start}{body}{end}"


def _pattern(units: Sequence[str]) -> str:
    """Every unit in one alternation, longest first: at a position the longest name matches."""
    ordered = sorted(units, key=lambda u: (-len(_SPLIT.sub(" ", u.strip())), u))
    return "(?i)(?:" + "|".join(_unit_pattern(u) for u in ordered) + ")"


def sponsor_units(products: pl.DataFrame, units: pl.DataFrame) -> pl.DataFrame:
    """The roster's org units each product's target audience (else its sponsor) names.

    Parameters
    ----------
    products
        `product_id`, `target_audience`, `sponsor` (free text; null allowed).
    units
        `org_unit`: the roster's org units (repeats and blanks ignored).

    Returns
    -------
    pl.DataFrame
        `product_id`, `sponsor_units` (list of the units as the roster spells
        them, in the order the text names them; empty when none is named),
        `named_in` ("target_audience", "sponsor", or null when none is
        named); one row per product, in the order of `products`.

    Notes
    -----
    One pass: the unit names make one case-insensitive alternation,
    longest name first, which every text is searched with at once
    (`str.extract_all`); the matches are mapped back to the roster's
    spelling by their lower-cased, space-collapsed form. The target
    audience is read first; the sponsor only when it names no unit.

    Examples
    --------
    >>> products = pl.DataFrame({"product_id": [1, 2, 3],
    ...     "target_audience": ["Sales Ops team", "All employees", "New joiners"],
    ...     "sponsor": ["CRO", "COO", "Customer Service Director"]})
    >>> units = pl.DataFrame({"org_unit": ["Sales", "Sales Ops", "Customer Service"]})
    >>> sponsor_units(products, units).rows()
    [(1, ['Sales Ops'], 'target_audience'), (2, [], None), (3, ['Customer Service'], 'sponsor')]
    """
    names = [
        name
        for name in units.get_column("org_unit").cast(pl.String).unique(maintain_order=True)
        if name is not None and any(_SPLIT.split(name.strip()))  # not blank, spaces or hyphens
    ]
    empty = pl.lit([], dtype=pl.List(pl.String()))
    base = products.select(pl.col("product_id").cast(pl.Int64))
    if not names:
        return base.with_columns(
            empty.alias("sponsor_units"), pl.lit(None, pl.String()).alias("named_in")
        )
    pattern = _pattern(names)
    spelled = pl.DataFrame({"org_unit": names}).with_columns(_key(pl.col("org_unit")).alias("_key"))
    found = (
        products.select(
            pl.col("product_id").cast(pl.Int64),
            *(pl.col(s).cast(pl.String).str.extract_all(pattern).alias(s) for s in _SOURCES),
        )
        .unpivot(index="product_id", on=list(_SOURCES), variable_name="named_in", value_name="_hit")
        .with_columns(
            pl.col("named_in")
            .replace_strict(dict(zip(_SOURCES, range(2), strict=True)))
            .alias("_rank")
        )
        .explode("_hit")
        .with_row_index("_order")
        .drop_nulls("_hit")
        .with_columns(_key(pl.col("_hit")).alias("_key"))
        .join(spelled, on="_key", how="inner")
        # The target audience decides; the sponsor only when the audience names no unit.
        .filter(pl.col("_rank") == pl.col("_rank").min().over("product_id"))
        .sort("_order")
        .group_by("product_id", maintain_order=True)
        .agg(
            pl.col("org_unit").unique(maintain_order=True).alias("sponsor_units"),
            pl.col("named_in").first(),
        )
    )
    return base.join(found, on="product_id", how="left", maintain_order="left").with_columns(
        pl.col("sponsor_units").fill_null(empty)
    )


def organisation_reach(
    usage: pl.DataFrame,
    heads: pl.DataFrame,
    *,
    product_ids: list[int],
    start: date,
    end: date,
    min_group: int,
) -> pl.DataFrame:
    """Each product's (and the portfolio's) reach across the whole organisation.

    Parameters
    ----------
    usage
        Usage facts (`metrics.schema.USAGE`).
    heads
        `metrics.people.headcount`: `org_unit`, `headcount` (people in post).
    product_ids, start, end, min_group
        As in `metrics.people.reach_by_org_unit`.

    Returns
    -------
    pl.DataFrame
        `ORGANISATION_REACH`: one row per product with usage in the window,
        then the portfolio's (`product_id` null).

    Notes
    -----
    Reach = active learners of the product, in any unit (or none) ÷ the
    headcount of every unit together; it is `metrics.people.reach_by_org_unit`
    with the whole organisation as its one unit, so the privacy rule is the
    same: 1 to ``min_group − 1`` active learners are hidden (null,
    ``suppressed``), and so is a headcount that small, with the reach over
    it (a reach over a hidden headcount would give it away; 0 active stays a
    reach of 0). Without a roster the headcount and the reach are null. A
    product with no usage in the window has no row (not tracked).

    Examples
    --------
    480 active learners of 4,000 in post: reach 480 / 4000 = 0.12.
    """
    everyone = (
        usage.select("learner_id")
        .unique()
        .with_columns(pl.lit(WHOLE_ORGANISATION).alias("org_unit"))
    )
    total = (
        heads.select(
            pl.lit(WHOLE_ORGANISATION).alias("org_unit"),
            pl.col("headcount").sum().cast(pl.Int64).alias("headcount"),
        )
        if heads.height
        else heads.select("org_unit", pl.col("headcount").cast(pl.Int64))
    )
    rows = reach_by_org_unit(
        usage,
        everyone,
        total,
        product_ids=product_ids,
        start=start,
        end=end,
        min_group=min_group,
    )
    # A ratio over a hidden headcount would give the headcount away (6 active, reach 2.0: 3).
    hidden_heads = pl.col("headcount").is_null() & (pl.col("active_learners") != 0)
    return rows.select(list(ORGANISATION_REACH)).with_columns(
        pl.when(hidden_heads).then(None).otherwise(pl.col("reach")).alias("reach")
    )


def year_organisation_reach(
    frames: Any, product_ids: list[int], *, year: int, as_of: date, min_group: int
) -> pl.DataFrame:
    """`organisation_reach` of a year's frames (`models.frames.YearFrames`), on the reporting date.

    Headcount on the earlier of `as_of` and the year's last day, as
    `metrics.people.year_reach_by_org_unit`.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    return organisation_reach(
        frames.usage.filter(pl.col("product_id").is_in(product_ids)),
        headcount(frames.roster, on=min(as_of, end)),
        product_ids=product_ids,
        start=start,
        end=end,
        min_group=min_group,
    )


def unit_figure(row: Mapping[str, Any] | None, *, min_group: int) -> str:
    """One unit's reach in words, never a figure about 1 to ``min_group − 1`` people.

    Parameters
    ----------
    row
        A `reach_by_org_unit` (or `organisation_reach`) row: `headcount`,
        `active_learners`, `reach`, `suppressed`; None for a unit with no row
        (no one in post and no active learner).
    min_group
        `LP_MIN_GROUP_SIZE`.

    Examples
    --------
    >>> unit_figure({"headcount": 285, "active_learners": 120, "reach": 120 / 285,
    ...     "suppressed": False}, min_group=5)
    'reach 42% (120 of 285 in post)'
    >>> unit_figure({"headcount": 12, "active_learners": None, "reach": None,
    ...     "suppressed": True}, min_group=5)
    'fewer than 5 active learners'
    """
    if row is None:
        return "no one in post and no active learners"
    active, heads, reach = row.get("active_learners"), row.get("headcount"), row.get("reach")
    if row.get("suppressed"):
        return f"fewer than {min_group} active learners"
    if active is None:
        return f"usage {text.NOT_TRACKED}"
    if heads is not None and reach is not None:
        return f"reach {text.pct(reach)} ({text.count(active)} of {text.count(heads)} in post)"
    small = f"none or fewer than {min_group} in post"
    if active == 0:  # no active learner in a unit whose headcount is hidden
        return f"reach {text.pct(0.0)} (0 active; {small})"
    # Never a reach over a hidden headcount: active ÷ reach would give the headcount away.
    return f"{text.count(active, 'active learners')}; headcount not shown ({small})"


def sponsor_units_line(
    units: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    organisation: Mapping[str, Any] | None,
    *,
    min_group: int,
) -> str:
    """The sponsor's units and their reach, as the pages and the packs say it.

    Parameters
    ----------
    units
        The product's sponsor's units (`sponsor_units`).
    rows
        The product's `reach_by_org_unit` rows (empty: usage not tracked).
    organisation
        Its `organisation_reach` row; None when no roster is imported.
    min_group
        `LP_MIN_GROUP_SIZE`.

    Returns
    -------
    str
        "Sales — reach 42% (120 of 285 in post); Sales Ops — fewer than 5
        active learners"; for a product naming no unit, "no org unit named
        in its target audience; whole organisation — reach 12% (480 of
        4,000 in post)"; without a roster, that reach by org unit is not
        tracked.
    """
    if organisation is None:
        return f"no roster imported: reach by org unit {text.NOT_TRACKED}"
    if not units:
        whole = unit_figure(organisation, min_group=min_group)
        return f"{NONE_NAMED}; whole organisation — {whole}"
    if not rows:
        return "; ".join(f"{u} — usage {text.NOT_TRACKED}" for u in units)
    by_unit = {r.get("org_unit"): r for r in rows}
    return "; ".join(f"{u} — {unit_figure(by_unit.get(u), min_group=min_group)}" for u in units)
