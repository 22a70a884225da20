"""Licence economics per product: seats in force, utilisation, idle seats and idle spend.

Definitions (DESIGN, "Definitions" and Settled questions, "Seats"):

* seats = Σ seats of the product's contracts in force during the window
  (a contract is in force when [start, end] overlaps the window; a missing
  start or end is open-ended);
* the contract term = the union of those contracts' terms, from the earliest
  start to the latest end;
* active = distinct active learners of the product over the contract term
  (rows placed by `metrics.periods.in_window`);
* seat_utilisation = min(active, seats) ÷ seats, capped at 1;
* over_subscribed_by = max(active − seats, 0);
* idle_seats = max(seats − active, 0);
* idle_spend = idle_seats × price per seat, where several contracts are
  priced by the seat-weighted average: Σ (seats × price) ÷ Σ seats.

Null rules: no contract in force ⇒ the product is absent (seats and all else
null in the scorecard). Contract in force but no usage row over the term ⇒
seats known, everything else null (usage not tracked). Zero seats ⇒
utilisation null, idle seats 0, idle spend 0.

Summing the seats of every contract in force means a renewal inside the
window (old and new terms both overlapping it) counts both contracts' seats
against the learners of both terms: the seats bought, not the seats held at
one time. Pass a usage frame that covers the contract terms; usage read for
the year only counts the active learners inside the year.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics import common

__all__ = [
    "contracts_in_force",
    "idle_seats",
    "idle_spend",
    "licence_position",
    "over_subscribed_by",
    "seat_utilisation",
    "seats_in_force",
]

_CONTRACT_COLUMNS = ("product_id", "start", "end", "seats", "price_per_seat_minor")
_USAGE_COLUMNS = (
    "product_id",
    "learner_id",
    "date",
    "period_start",
    "period_end",
    "minutes",
    "progress_pct",
    "completed",
    "completed_date",
)


def contracts_in_force(
    contracts: pl.DataFrame, *, start: date, end: date, currency: str
) -> pl.DataFrame:
    """Each product's contracts in force in the window, rolled up.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `seats` (Int64), `contract_value` (major units
        of `currency`, Σ seats × price per seat), `price_per_seat` (major
        units, seat-weighted average; null when seats total 0), `term_start`,
        `term_end` (the union of the contracts' terms), `contracts` (how
        many).

    Notes
    -----
    A contract is in force when start ≤ window end and end ≥ window start;
    a missing start or end is open-ended (its term shows 0001-01-01 or
    9999-12-31). A product with no contract in force is absent.

    Examples
    --------
    300 seats at 120.00 and 100 seats at 80.00 give 400 seats, value
    44,000.00 and a weighted price of 44,000 / 400 = 110.00.
    """
    terms = _in_force(contracts, start, end)
    return terms.select(
        "product_id",
        "seats",
        common.to_major(pl.col("_value_minor"), currency=currency).alias("contract_value"),
        common.to_major(
            common.safe_ratio(pl.col("_value_minor"), pl.col("seats")), currency=currency
        ).alias("price_per_seat"),
        "term_start",
        "term_end",
        "contracts",
    )


def _in_force(contracts: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """Contracts in force rolled up per product, their value in minor units (`_value_minor`)."""
    common.check_window(start, end)
    common.require(contracts, _CONTRACT_COLUMNS, what="contracts")
    c_start, c_end = common.open_ended(pl.col("start"), pl.col("end"))
    in_force = contracts.filter((c_start <= end) & (c_end >= start)).with_columns(
        c_start.alias("start"), c_end.alias("end")
    )
    value_minor = common.sum_or_null(pl.col("seats") * pl.col("price_per_seat_minor"))
    return (
        in_force.group_by("product_id")
        .agg(
            pl.col("seats").sum().cast(pl.Int64).alias("seats"),
            value_minor.alias("_value_minor"),
            pl.col("start").min().alias("term_start"),
            pl.col("end").max().alias("term_end"),
            pl.len().cast(pl.Int64).alias("contracts"),
        )
        .select(
            "product_id",
            "seats",
            "term_start",
            "term_end",
            "contracts",
            "_value_minor",
        )
        .sort("product_id")
    )


def licence_position(
    contracts: pl.DataFrame, usage: pl.DataFrame, *, start: date, end: date, currency: str
) -> pl.DataFrame:
    """Seats, active learners over the term, utilisation and idle seats/spend per product.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `seats`, `active_in_term`, `seat_utilisation`,
        `over_subscribed_by`, `idle_seats`, `idle_spend`, `contract_value`,
        `price_per_seat` (money in major units of `currency`), `term_start`,
        `term_end`; one row per product with a contract in force.

    Notes
    -----
    See the module docstring for the formulas and null rules. Idle spend is
    computed in minor units as idle_seats × Σ (seats × price) ÷ Σ seats, so
    a single contract's idle spend is exact to the minor unit.

    Examples
    --------
    500 seats at 150.00, 320 learners active over the term: utilisation
    320 / 500 = 0.64, 180 idle seats, idle spend 180 × 150 = 27,000.00.
    """
    money = (
        common.to_major(pl.col(f"_{name}_minor"), currency=currency).alias(name)
        for name in ("idle_spend", "contract_value", "price_per_seat")
    )
    return _position(contracts, usage, start, end).select(
        "product_id",
        "seats",
        "active_in_term",
        "seat_utilisation",
        "over_subscribed_by",
        "idle_seats",
        *money,
        "term_start",
        "term_end",
    )


def _position(contracts: pl.DataFrame, usage: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """`licence_position` with its money in minor units (`_<name>_minor`), any currency."""
    terms = _in_force(contracts, start, end)
    common.require(usage, _USAGE_COLUMNS, what="usage")
    active = (
        usage.join(terms.select("product_id", "term_start", "term_end"), on="product_id")
        .filter(common.row_in_window(pl.col("term_start"), pl.col("term_end")))
        .group_by("product_id")
        .agg(
            pl.col("learner_id")
            .filter(common.is_active())
            .drop_nulls()
            .n_unique()
            .cast(pl.Int64)
            .alias("active_in_term")
        )
    )
    seats, used = pl.col("seats"), pl.col("active_in_term")
    idle = pl.max_horizontal(seats - used, pl.lit(0, dtype=pl.Int64()))
    idle_spend_minor = (
        pl.when(idle == 0)
        .then(pl.lit(0.0))
        .otherwise(common.safe_ratio(idle * pl.col("_value_minor"), seats))
    )
    tracked = used.is_not_null()
    return terms.join(active, on="product_id", how="left", maintain_order="left").with_columns(
        pl.when(tracked)
        .then(common.safe_ratio(pl.min_horizontal(used, seats), seats))
        .alias("seat_utilisation"),
        pl.when(tracked)
        .then(pl.max_horizontal(used - seats, pl.lit(0, dtype=pl.Int64())))
        .alias("over_subscribed_by"),
        pl.when(tracked).then(idle).alias("idle_seats"),
        pl.when(tracked).then(idle_spend_minor).alias("_idle_spend_minor"),
        pl.col("_value_minor").alias("_contract_value_minor"),
        common.safe_ratio(pl.col("_value_minor"), seats).alias("_price_per_seat_minor"),
    )


def _measure(
    name: str, contracts: pl.DataFrame, usage: pl.DataFrame, start: date, end: date
) -> pl.DataFrame:
    """One count or rate of `_position` (no money, so no currency)."""
    return _position(contracts, usage, start, end).select("product_id", name)


def seats_in_force(contracts: pl.DataFrame, *, start: date, end: date) -> pl.DataFrame:
    """Seats of each product's contracts in force in the window.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `seats` (Int64).

    Notes
    -----
    seats = Σ seats of the contracts whose term overlaps the window. A
    product with no contract in force is absent (null seats).

    Examples
    --------
    A 300-seat contract for 2026 and a 100-seat top-up from July: 400.
    """
    return _in_force(contracts, start, end).select("product_id", "seats")


def seat_utilisation(
    contracts: pl.DataFrame, usage: pl.DataFrame, *, start: date, end: date
) -> pl.DataFrame:
    """Share of the seats in force used by an active learner over the contract term.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `seat_utilisation` (fraction in [0, 1]).

    Notes
    -----
    seat_utilisation = min(active, seats) ÷ seats; null when the product has
    no usage over the term or no seats. See the module docstring.

    Examples
    --------
    320 active learners on 500 seats: 0.64; 620 on 500: 1.0.
    """
    return _measure("seat_utilisation", contracts, usage, start, end)


def idle_seats(
    contracts: pl.DataFrame, usage: pl.DataFrame, *, start: date, end: date
) -> pl.DataFrame:
    """Seats in force that no active learner used over the contract term.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `idle_seats` (Int64, in [0, seats]).

    Notes
    -----
    idle_seats = max(seats − active, 0); null when usage is not tracked.

    Examples
    --------
    320 active learners on 500 seats: 180.
    """
    return _measure("idle_seats", contracts, usage, start, end)


def idle_spend(
    contracts: pl.DataFrame, usage: pl.DataFrame, *, start: date, end: date, currency: str
) -> pl.DataFrame:
    """Money paid for idle seats.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `idle_spend` (major units of `currency`, ≤ the
        contracts' value).

    Notes
    -----
    idle_spend = idle_seats × seat-weighted price per seat; null when usage
    is not tracked.

    Examples
    --------
    180 idle seats at 150.00: 27,000.00.
    """
    return licence_position(contracts, usage, start=start, end=end, currency=currency).select(
        "product_id", "idle_spend"
    )


def over_subscribed_by(
    contracts: pl.DataFrame, usage: pl.DataFrame, *, start: date, end: date
) -> pl.DataFrame:
    """Active learners beyond the seats bought.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `over_subscribed_by` (Int64, ≥ 0).

    Notes
    -----
    over_subscribed_by = max(active − seats, 0); null when usage is not
    tracked. Utilisation is capped at 1, so this is where overuse shows.

    Examples
    --------
    620 active learners on 500 seats: 120.
    """
    return _measure("over_subscribed_by", contracts, usage, start, end)
