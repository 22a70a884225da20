"""Seats to reclaim: who holds a licence seat without using it, and what those seats cost.

Definitions (issue 19; DESIGN.md "Definitions", "Seats", "People roster", "Freshness"),
with N the `LP_RECLAIM_AFTER_DAYS` setting (default 60):

* *report end* of a product = its `usage_as_of` (`metrics.freshness`), capped at the
  reporting date (the earlier of `as_of` and the year's end). No usage: no report end.
* its *contract* = its contracts in force on the report end (start ≤ report end ≤ end, a
  blank bound open-ended), rolled up as `metrics.licences` does: seats summed, term from
  the earliest start to the latest end, price per seat seat-weighted (Σ seats × price ÷
  Σ seats). No contract in force that day: the product is not listed.
* usage counted = rows placed on or before the report end (`common.row_in_window`).
* *seat holder* = a learner with any counted row in the term, active or not (enrolled
  and assigned rows count).
* *last active* = the latest day of the learner's active rows (`common.is_active`): the
  later of its date and completion date, else its report period's end; never after the
  report end. *First seen* = the earliest day of any of the learner's rows on the
  product (the vendor's join or assignment date), else its report period's start. Both
  are looked for in the usage given: for `year_reclaim`, the year's and its contracts'
  terms (`models.frames.year_frames`), so the page and the command line agree.
* *leaver* = roster `end_date` before the reporting date (not the report end: a stale
  report must not hide a leaver): listed first, active or not ("left on …").
* *active lately* = last active > report end − N days: not listed (unless a leaver).
* *new starter* = roster `start_date` or first seen > report end − N days: left out.
* *inactive* = every other holder: listed ("no activity since …" or "never active").
* *to reclaim* = min(leavers + inactive, seats); its *value* = to reclaim × price per seat.

Reconciliation with idle seats (the `metrics.licences` definition, max(seats − active,
0) over the term, computed by `licence_position` on the same contracts and counted
usage). Idle counts seats nobody used over the whole term; to reclaim counts people
not active lately. They meet exactly as

    idle = to_reclaim + never_assigned − over_held + new_not_active + lately_before_term
           − leavers_active_lately − active_earlier + over_used + capped

where never_assigned = max(seats − holders, 0), over_held = max(holders − seats, 0),
new_not_active = new starters (not leavers) with no activity in the term,
lately_before_term = others active lately but only before the term began,
leavers_active_lately = leavers active in the term and lately, active_earlier =
listed people active in the term but not lately, over_used = max(active − seats, 0)
(idle is floored at 0) and capped = listed beyond the seats. Example: 200 seats, 120
holders, 80 active over the term, 55 listed of whom 15 were active earlier in the term:
idle = 200 − 80 = 120 = 55 + 80 − 15.

One join and one `group_by` per level (learner, then product); no loop over products.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import polars as pl

from metrics import common
from metrics.freshness import freshness
from metrics.licences import idle_seats, licence_position
from metrics.people import learner_org_units
from metrics.text import count, day

__all__ = [
    "PARTS",
    "RECLAIM_COLUMNS",
    "Reclaim",
    "contracts_on_report_end",
    "learner_labels",
    "pseudonym",
    "reclaim_rows",
    "reconciliation_sentence",
    "report_ends",
    "seat_holders",
    "seats_to_reclaim",
    "year_reclaim",
    "year_reclaim_rows",
]

_FAR_PAST: Final = date(1, 1, 1)
_POSITION: Final = ("product_id", "active_in_term", "idle_seats", "over_subscribed_by")
_PEOPLE: Final[dict[str, pl.DataType]] = {
    "learner_id": pl.Int64(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
}

PARTS: Final[tuple[tuple[str, int, str], ...]] = (
    ("never_assigned", 1, "{n} seat{s} {was} never assigned to anyone (idle, but no one to "
     "reclaim {it} from)"),
    ("new_not_active", 1, "{n} new starter{s} {has} not been active in the term yet (idle, but "
     "left out as new)"),
    ("lately_before_term", 1, "{n} {person} {was} active in the last {days} days, but only "
     "before the term began (idle in this term, yet in use)"),
    ("over_used", 1, "{n} more {person} {was} active than there are seats (idle seats stop "
     "at 0)"),
    ("capped", 1, "{n} {person} to reclaim beyond the seats {is} not counted (capped at the "
     "seats)"),
    ("over_held", -1, "{n} more {person} {has} access than the seats bought (reclaimable, not "
     "idle)"),
    ("leavers_active_lately", -1, "{n} leaver{s} {was} active in the last {days} days "
     "(reclaimable, not idle)"),
    ("active_earlier", -1, "{n} {person} {was} active earlier in the term but not in the last "
     "{days} days (reclaimable, not idle)"),
)  # fmt: skip
"""The parts that take seats to reclaim to idle seats: (column, sign, words). Sign +1: idle
but not to reclaim; −1: to reclaim but not idle. idle = to_reclaim + Σ sign × part."""


def _words(template: str, n: int, *, days: int) -> str:
    """A part in words, singular for 1 ("1 person was …") and plural otherwise."""
    one = n == 1
    forms = {"s": "", "it": "it", "person": "person", "was": "was", "has": "has", "is": "is"}
    plural = {"s": "s", "it": "them", "person": "people", "was": "were", "has": "have", "is": "are"}
    return template.format(n=count(n), days=days, **(forms if one else plural))


def report_ends(fresh: pl.DataFrame, *, reporting_date: date) -> pl.DataFrame:
    """Each product's report end: `usage_as_of` capped at `reporting_date` (kept beside it).

    Examples
    --------
    >>> fresh = pl.DataFrame({"product_id": [1, 2, 3],
    ...     "usage_as_of": [date(2026, 9, 30), date(2027, 1, 31), None]})
    >>> ends = report_ends(fresh, reporting_date=date(2026, 12, 31))
    >>> ends.select("product_id", "report_end").rows()
    [(1, datetime.date(2026, 9, 30)), (2, datetime.date(2026, 12, 31))]
    """
    cap = pl.lit(reporting_date, dtype=pl.Date())
    return fresh.filter(pl.col("usage_as_of").is_not_null()).select(
        "product_id",
        pl.min_horizontal("usage_as_of", cap).alias("report_end"),
        cap.alias("reporting_date"),
    )


def _on_report_end(contracts: pl.DataFrame, ends: pl.DataFrame) -> pl.DataFrame:
    c_start, c_end = common.open_ended(pl.col("start"), pl.col("end"))
    day_ = pl.col("report_end")
    return contracts.join(ends, on="product_id").filter((c_start <= day_) & (c_end >= day_))


def contracts_on_report_end(contracts: pl.DataFrame, ends: pl.DataFrame) -> pl.DataFrame:
    """Per product, its contracts in force on its report end, rolled up.

    Returns
    -------
    pl.DataFrame
        `product_id`, `report_end`, `vendor` (the contracts' vendors), `seats`,
        `value_minor` (Σ seats × price per seat, minor units), `term_start`,
        `term_end`, `contracts`. A product with no contract that day is absent.

    Examples
    --------
    300 seats at 120.00 and 100 at 80.00, both in force on 30 Sep: 400 seats worth
    44,000.00, so 110.00 a seat (as `metrics.licences.contracts_in_force`).
    """
    c_start, c_end = common.open_ended(pl.col("start"), pl.col("end"))
    return (
        _on_report_end(contracts, ends)
        .group_by("product_id")
        .agg(
            pl.col("report_end").first(),
            pl.col("vendor").drop_nulls().unique().sort().str.join(", "),
            pl.col("seats").sum().cast(pl.Int64),
            common.sum_or_null(pl.col("seats") * pl.col("price_per_seat_minor")).alias(
                "value_minor"
            ),
            c_start.min().alias("term_start"),
            c_end.max().alias("term_end"),
            pl.len().cast(pl.Int64).alias("contracts"),
        )
        .sort("product_id")
    )


def _counted(usage: pl.DataFrame, ends: pl.DataFrame) -> pl.DataFrame:
    """Usage rows placed on or before their product's report end."""
    return usage.join(ends, on="product_id").filter(
        common.row_in_window(_FAR_PAST, pl.col("report_end"))
    )


def seat_holders(
    usage: pl.DataFrame,
    contracts: pl.DataFrame,
    ends: pl.DataFrame,
    people: pl.DataFrame,
    *,
    after_days: int,
) -> pl.DataFrame:
    """Every seat holder of every product with a contract on its report end, classified.

    Parameters
    ----------
    usage, contracts
        `metrics.schema.USAGE` and `CONTRACTS` frames.
    ends
        `report_ends`: `product_id`, `report_end`, `reporting_date`.
    people
        The roster by learner: `learner_id`, `start_date`, `end_date` (one row a learner).
    after_days
        N, `LP_RECLAIM_AFTER_DAYS`.

    Returns
    -------
    pl.DataFrame
        One row per (product, holder): `product_id`, `learner_id`, `report_end`,
        `last_active`, `first_seen`, `left_on` (the roster end date of a leaver),
        `active_in_term`, `lately`, `leaver`, `new_starter`, `listed` (booleans).

    Examples
    --------
    Report end 22 Nov 2026, N = 60 (so "lately" is after 23 Sep): Ann active 1 Oct is not
    listed; Bo last active 3 Mar is listed, "no activity since 3 Mar 2026"; Cy, assigned 1
    Nov and never active, is a new starter; Di, active 1 Nov but gone on 31 Oct, is a leaver.
    """
    terms = contracts_on_report_end(contracts, ends).select("product_id", "term_start", "term_end")
    # Only the products with a contract on their report end hold seats: their rows alone are
    # placed (the others' would be dropped by the join with the terms anyway).
    held = ends.join(terms, on="product_id", how="semi")
    rows = _counted(usage, held).join(terms, on="product_id")
    end = pl.col("report_end")
    own_last = pl.max_horizontal("date", "completed_date")
    own_first = pl.min_horizontal("date", "completed_date")
    last_day = pl.min_horizontal(pl.coalesce(own_last, "period_end"), end)
    first_day = pl.coalesce(own_first, "period_start", "period_end")
    in_term = common.row_in_window(pl.col("term_start"), pl.col("term_end"))
    active = common.is_active()
    holders = (
        rows.group_by("product_id", "learner_id")
        .agg(
            end.first(),
            pl.col("reporting_date").first(),
            in_term.any().alias("_holds"),
            (active & in_term).any().alias("active_in_term"),
            last_day.filter(active).max().alias("last_active"),
            first_day.min().alias("first_seen"),
        )
        .filter(pl.col("_holds"))
        .join(people.select(list(_PEOPLE)), on="learner_id", how="left")
    )
    since = end - pl.duration(days=after_days)
    leaver = (pl.col("end_date") < pl.col("reporting_date")).fill_null(False)
    lately = (pl.col("last_active") > since).fill_null(False)
    new = (pl.col("start_date") > since).fill_null(False) | (
        pl.col("first_seen") > since
    ).fill_null(False)
    return holders.select(
        "product_id",
        "learner_id",
        "report_end",
        "last_active",
        "first_seen",
        pl.when(leaver).then(pl.col("end_date")).alias("left_on"),
        "active_in_term",
        lately.alias("lately"),
        leaver.alias("leaver"),
        new.alias("new_starter"),
        (leaver | (~lately & ~new)).alias("listed"),
    ).sort("product_id", "learner_id")


@dataclass(frozen=True)
class Reclaim:
    """Seats to reclaim: per product, the people listed, and the totals.

    `products`: `product_id`, `vendor`, `report_end`, `term_start`, `term_end`,
    `contracts`, `seats`, `price_per_seat` (major units), `holders`, `active_in_term`,
    `idle_seats`, `leavers`, `inactive`, `new_starters` (left out), `to_reclaim`,
    `reclaim_value` (major units) and each of `PARTS`. `people`: the holders listed
    (`seat_holders` columns plus `vendor` and `reason`), leavers first. Totals in
    `to_reclaim` and `value` (major units of `currency`); `after_days` is N.
    """

    products: pl.DataFrame
    people: pl.DataFrame
    to_reclaim: int
    value: float
    after_days: int
    currency: str


def _reason(people: pl.DataFrame) -> pl.Expr:
    """Why a listed holder is listed: "left on …", "no activity since …" or "never active".

    Each distinct day is written once (`metrics.text.day`), not once per person.
    """
    days = pl.concat([people["left_on"], people["last_active"]]).drop_nulls().unique()
    words = {when: day(when) for when in days.to_list()}

    def on(column: str) -> pl.Expr:
        return pl.col(column).replace_strict(words, default=None, return_dtype=pl.String)

    return (
        pl.when(pl.col("left_on").is_not_null())
        .then(pl.concat_str(pl.lit("left on "), on("left_on")))
        .when(pl.col("last_active").is_null())
        .then(pl.lit("never active"))
        .otherwise(pl.concat_str(pl.lit("no activity since "), on("last_active")))
    )


def seats_to_reclaim(
    usage: pl.DataFrame,
    contracts: pl.DataFrame,
    ends: pl.DataFrame,
    people: pl.DataFrame,
    *,
    after_days: int,
    currency: str,
) -> Reclaim:
    """Seats to reclaim per product and in total, the people listed, and the reconciliation.

    See the module docstring for every definition. Money is computed in minor units
    (to reclaim × Σ seats × price ÷ Σ seats, exact for one contract) and returned in
    major units of `currency`.

    Examples
    --------
    200 seats at 150.00; 55 listed (5 leavers, 50 inactive): 55 to reclaim, worth
    55 × 150 = 8,250.00. With 210 listed on 200 seats: 200 to reclaim (capped), 10 capped.
    """
    holders = seat_holders(usage, contracts, ends, people, after_days=after_days)
    lately, leaver, new = pl.col("lately"), pl.col("leaver"), pl.col("new_starter")
    in_term, listed = pl.col("active_in_term"), pl.col("listed")
    counts = holders.group_by("product_id").agg(
        pl.len().cast(pl.Int64).alias("holders"),
        leaver.sum().cast(pl.Int64).alias("leavers"),
        (listed & ~leaver).sum().cast(pl.Int64).alias("inactive"),
        (~leaver & ~lately & new).sum().cast(pl.Int64).alias("new_starters"),
        (~in_term & ~leaver & new).sum().cast(pl.Int64).alias("new_not_active"),
        (~in_term & ~leaver & ~new & lately).sum().cast(pl.Int64).alias("lately_before_term"),
        (leaver & in_term & lately).sum().cast(pl.Int64).alias("leavers_active_lately"),
        (listed & in_term & ~lately).sum().cast(pl.Int64).alias("active_earlier"),
    )
    terms = contracts_on_report_end(contracts, ends)
    # Idle seats as metrics.licences counts them, on the same contracts and counted usage:
    # every contract kept is in force on its product's report end, so inside this window.
    position = pl.DataFrame(schema=dict.fromkeys(_POSITION, pl.Int64()))
    days = ends.get_column("report_end").drop_nulls().sort()
    if not days.is_empty():
        on_end = _on_report_end(contracts, ends)
        position = licence_position(  # a row per contracted product: only their usage counts
            on_end.select(contracts.columns),
            _counted(usage, ends.join(on_end, on="product_id", how="semi")).select(usage.columns),
            start=days.first(),  # type: ignore[arg-type]
            end=days.last(),  # type: ignore[arg-type]
            currency=currency,
        ).select(_POSITION)
    seats, held = pl.col("seats"), pl.col("holders")
    n_listed = pl.col("leavers") + pl.col("inactive")
    zero = pl.lit(0, dtype=pl.Int64())
    reclaim = pl.min_horizontal(n_listed, seats)
    value_minor = (
        pl.when(reclaim == 0)
        .then(pl.lit(0.0))
        .otherwise(common.safe_ratio(reclaim * pl.col("value_minor"), seats))
    )
    products = (
        terms.join(counts, on="product_id", how="left")
        .join(position, on="product_id", how="left")
        .with_columns(pl.col(list(counts.columns[1:])).fill_null(0))
        .with_columns(
            reclaim.alias("to_reclaim"),
            value_minor.alias("_value_minor"),
            pl.max_horizontal(seats - held, zero).alias("never_assigned"),
            pl.max_horizontal(held - seats, zero).alias("over_held"),
            pl.col("over_subscribed_by").alias("over_used"),
            (n_listed - reclaim).alias("capped"),
        )
    )
    price = common.safe_ratio(pl.col("value_minor"), seats)
    out = products.select(
        "product_id", "vendor", "report_end", "term_start", "term_end", "contracts", "seats",
        common.to_major(price, currency=currency).alias("price_per_seat"),
        "holders", "active_in_term", "idle_seats", "leavers", "inactive", "new_starters",
        "to_reclaim",
        common.to_major(pl.col("_value_minor"), currency=currency).alias("reclaim_value"),
        *(name for name, _, _ in PARTS),
    ).sort("product_id")  # fmt: skip
    chosen = holders.filter(listed)
    listed_people = (
        chosen.join(terms.select("product_id", "vendor"), on="product_id", how="left")
        .with_columns(_reason(chosen).alias("reason"))
        .sort(["leaver", "left_on", "product_id", "last_active", "learner_id"],
              descending=[True, False, False, False, False], nulls_last=False)
    )  # fmt: skip
    total_minor = float(products["_value_minor"].fill_null(0).sum()) if products.height else 0.0
    return Reclaim(
        products=out,
        people=listed_people,
        to_reclaim=int(out["to_reclaim"].sum()),
        value=float(common.major(total_minor, currency=currency) or 0.0),
        after_days=after_days,
        currency=currency,
    )


def reconciliation_sentence(row: dict[str, Any], *, after_days: int) -> str:
    """Whether idle seats and seats to reclaim agree for a product, or why they differ.

    `row` is a `Reclaim.products` row (optionally with `year_idle_seats`, the idle seats
    of the year's figure, which counts every contract in force in the year). Each part
    that is not 0 is named; idle = to reclaim + the "idle" parts − the "reclaimable" ones.

    Examples
    --------
    >>> row = {"idle_seats": 120, "to_reclaim": 55, "never_assigned": 80, "active_earlier": 15}
    >>> print(reconciliation_sentence(row, after_days=60))  # doctest: +NORMALIZE_WHITESPACE
    Idle seats 120 and seats to reclaim 55 differ: 80 seats were never assigned to anyone
    (idle, but no one to reclaim them from); 15 people were active earlier in the term but
    not in the last 60 days (reclaimable, not idle).
    """
    idle, reclaim = row.get("idle_seats"), row["to_reclaim"]
    if idle is None:
        return "Idle seats are not tracked (no usage in the term): nothing to compare."
    parts = [_words(words, row[name], days=after_days) for name, _, words in PARTS if row.get(name)]
    head = f"Idle seats {count(idle)} and seats to reclaim {count(reclaim)}"
    if idle != reclaim:
        text = f"{head} differ: {'; '.join(parts)}."
    elif parts:
        text = f"{head} agree in number, not in people: {'; '.join(parts)}."
    else:
        text = f"{head} agree: every idle seat is held by someone to reclaim."
    year_idle = row.get("year_idle_seats")
    if year_idle is not None and year_idle != idle:
        text += (
            f" The year's idle seats figure ({count(year_idle)}) counts every contract in force "
            f"in the year and all its term's activity; this compares the contract in force on "
            f"{day(row['report_end'])}, with activity up to that day."
        )
    return text


def pseudonym(key: str) -> str:
    """The label of a learner whose identity is not stored: "L-" and 12 hex digits.

    A digest of the stored keyed hash (never the key itself), so it is the same on every
    server sharing the pseudonym key, and whoever holds that key and an identity can
    find it again.

    Examples
    --------
    >>> pseudonym("ab" * 32)
    'L-271a413bd339'
    """
    return "L-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def learner_labels(learners: pl.DataFrame) -> pl.DataFrame:
    """`learner_id`, `learner`: the e-mail, else the name, else `pseudonym` of the key.

    `learners` has `learner_id` and `key`, and `email` / `display_name` when identities
    are stored (absent or null otherwise, so the label is a pseudonym).

    Examples
    --------
    >>> learners = pl.DataFrame({"learner_id": [1, 2], "key": ["ab" * 32, "cd" * 32],
    ...     "email": ["ann@corp.example", None]})
    >>> learner_labels(learners).rows()
    [(1, 'ann@corp.example'), (2, 'L-3985dac9133f')]
    """
    known = [pl.col(c) for c in ("email", "display_name") if c in learners.columns]
    fallback = pl.col("key").map_elements(pseudonym, return_dtype=pl.String)
    return learners.select("learner_id", pl.coalesce(*known, fallback).alias("learner"))


RECLAIM_COLUMNS: Final = (
    "product", "vendor", "learner", "org_unit", "reason", "last_active", "first_seen", "left_on",
)  # fmt: skip
"""The list's columns, as the page shows them and the CSV writes them."""


def reclaim_rows(
    reclaim: Reclaim, *, products: pl.DataFrame, learners: pl.DataFrame, units: pl.DataFrame
) -> pl.DataFrame:
    """The list to act on, in `RECLAIM_COLUMNS`; no learner key in it.

    Leavers first (earliest leaving day first), then by product and oldest activity
    (never active first), then by learner.

    Parameters
    ----------
    reclaim
        `seats_to_reclaim` (or `year_reclaim`).
    products
        `product_id`, `product`.
    learners
        As `learner_labels` takes them; only the listed learners are labelled.
    units
        `metrics.people.learner_org_units`: `learner_id`, `org_unit`.
    """
    listed = reclaim.people.select("learner_id").unique()
    labels = learner_labels(learners.join(listed, on="learner_id", how="semi"))
    return (
        reclaim.people.join(products.select("product_id", "product"), on="product_id", how="left")
        .join(labels, on="learner_id", how="left")
        .join(units, on="learner_id", how="left")
        .sort(["leaver", "left_on", "product", "last_active", "learner"],
              descending=[True, False, False, False, False], nulls_last=False)
        .select(RECLAIM_COLUMNS)
    )  # fmt: skip


def year_reclaim(
    frames: Any, *, year: int, as_of: date, after_days: int, stale_after_days: int
) -> Reclaim:
    """`seats_to_reclaim` of a year's frames (`models.frames.YearFrames`).

    The reporting date is the earlier of `as_of` and the year's end. Each product also
    carries `year_idle_seats`, the year's idle seats figure (`metrics.licences.idle_seats`
    over the year, as the scorecard shows it) for the reconciliation sentence, and `stale`
    (`metrics.freshness` with `stale_after_days`, `LP_STALE_AFTER_DAYS`): a list drawn
    from a stale report is as old as the report.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    on = min(as_of, end)
    fresh = freshness(
        frames.usage, frames.usage_imports, as_of=on, stale_after_days=stale_after_days
    )
    people = frames.learner_keys.join(
        frames.roster.rename({"learner_key": "key"}), on="key", how="inner"
    ).select(list(_PEOPLE))
    result = seats_to_reclaim(
        frames.usage,
        frames.contracts,
        report_ends(fresh, reporting_date=on),
        people,
        after_days=after_days,
        currency=frames.currency,
    )
    year_idle = idle_seats(frames.contracts, frames.usage, start=start, end=end).rename(
        {"idle_seats": "year_idle_seats"}
    )
    products = result.products.join(year_idle, on="product_id", how="left").join(
        fresh.select("product_id", "stale"), on="product_id", how="left"
    )
    return Reclaim(
        products=products,
        people=result.people,
        to_reclaim=result.to_reclaim,
        value=result.value,
        after_days=after_days,
        currency=result.currency,
    )


def year_reclaim_rows(
    frames: Any, reclaim: Reclaim, *, identities: pl.DataFrame | None = None
) -> pl.DataFrame:
    """`reclaim_rows` of a year's frames (`models.frames.YearFrames`).

    `identities` (`learner_id`, `email`, `display_name`) is given only when identities
    are stored; without it every learner is shown by `pseudonym`.
    """
    learners = frames.learner_keys
    if identities is not None:
        learners = learners.join(identities, on="learner_id", how="left")
    return reclaim_rows(
        reclaim,
        products=frames.products,
        learners=learners,
        units=learner_org_units(frames.learner_keys, frames.roster, frames.usage_units),
    )
