"""Fully-loaded cost: a product's year treated as an investment (Phillips "fully load all costs").

Beside the actual cost (what was spent in the year, the basis of BCR, ROI and
every cost-per figure: DESIGN, Settled questions "Which cost"), the
fully-loaded cost spreads one-off build costs over their useful life and
counts the learners' own time. It is a separate figure, labelled as such.

Components, per product and year (one row each, in this order):

=================  =====================================================  ===============
component          amount                                                 basis
=================  =====================================================  ===============
licence            Σ actual of the year's `licence` lines                 actual
design_development Σ one-off actuals (design_development, and needs       amortised
                   analysis) of the last N years ÷ N
delivery           Σ actual of the year's `delivery` lines                actual
participant_time   Σ actual of `participant_time` lines when recorded,    actual, or
                   else learning hours × loaded hourly rate               hours_x_rate
evaluation         Σ actual of the year's `evaluation` lines              actual
overhead           Σ actual of the year's `overhead` lines                actual
other              Σ actual of `other` lines and any unlisted category    actual
=================  =====================================================  ===============

A component with nothing recorded has a null amount and basis
"not_recorded" (shown as "not tracked", never as 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

import polars as pl

from metrics import common
from metrics.currency import decimals, minor_per_major

__all__ = [
    "COST_CATEGORY_LABELS",
    "COST_COMPONENTS",
    "CostBasis",
    "FullyLoadedCost",
    "fully_loaded_cost",
]

CostBasis = Literal["actual", "amortised", "hours_x_rate", "not_recorded"]

COST_CATEGORY_LABELS: Final[dict[str, str]] = {
    "licence": "Licences",
    "design_development": "Design & development",
    "delivery": "Delivery",
    "participant_time": "Participant time",
    "evaluation": "Evaluation",
    "overhead": "Overhead",
    "other": "Other",
}
"""Each budget cost category as pages and previews write it (the stored value is a key)."""

COST_COMPONENTS: Final[tuple[str, ...]] = (
    "licence",
    "design_development",
    "delivery",
    "participant_time",
    "evaluation",
    "overhead",
    "other",
)
_ONE_OFF = "design_development"
_PARTICIPANT = "participant_time"
# Needs analysis is a one-off build cost: it joins design and development.
_ALIASES: Final[Mapping[str, str]] = {
    "needs_analysis": _ONE_OFF,
    "needs analysis": _ONE_OFF,
    "needs-analysis": _ONE_OFF,
    "design and development": _ONE_OFF,
    "design & development": _ONE_OFF,
}
_COLUMNS = ("product_id", "month", "cost_category", "actual_minor")

_COMPONENTS_SCHEMA: Final[dict[str, pl.DataType]] = {
    "product_id": pl.Int64(),
    "component": pl.String(),
    "amount": pl.Float64(),
    "basis": pl.String(),
    "note": pl.String(),
}
_TOTAL_SCHEMA: Final[dict[str, pl.DataType]] = {
    "product_id": pl.Int64(),
    "fully_loaded_cost": pl.Float64(),
}


@dataclass(frozen=True)
class FullyLoadedCost:
    """The cost build-up of each product and its total.

    Attributes
    ----------
    components
        Long frame: `product_id`, `component` (one of `COST_COMPONENTS`),
        `amount` (major units of the reporting currency, null = not
        recorded), `basis` (`CostBasis`), `note` (plain-English provenance), 7 rows per product.
    total
        `product_id`, `fully_loaded_cost` (major units): Σ of the known
        components, null when none is known.
    """

    components: pl.DataFrame
    total: pl.DataFrame


def _whole_years(amortisation_years: float) -> int:
    if amortisation_years < 1 or amortisation_years != int(amortisation_years):
        msg = f"amortisation_years must be a whole number of years >= 1, got {amortisation_years}"
        raise ValueError(msg)
    return int(amortisation_years)


def _component_of(category: pl.Expr) -> pl.Expr:
    """A budget line's cost category mapped to its component (unknown -> other)."""
    name = category.str.strip_chars().str.to_lowercase()
    name = name.replace(dict(_ALIASES))
    return pl.when(name.is_in(COST_COMPONENTS)).then(name).otherwise(pl.lit("other"))


def _amount(minor: float, currency: str) -> str:
    """An amount in minor units written in major units with the currency's decimals."""
    return f"{minor / minor_per_major(currency):,.{decimals(currency)}f}"


def fully_loaded_cost(
    budgets: pl.DataFrame,
    *,
    year: int,
    amortisation_years: float,
    loaded_hourly_rate: float,
    currency: str,
    learning_hours: pl.DataFrame | None = None,
) -> FullyLoadedCost:
    """The fully-loaded cost build-up of each product for the year.

    Parameters
    ----------
    budgets
        Budget lines in `metrics.schema.BUDGETS` shape covering `year` *and
        the previous amortisation_years − 1 years*: a one-off posted in an
        earlier year that is missing from the frame is simply not spread
        into this one, so pass enough history (the settings' default of 2
        years needs last year's lines too).
    year
        The reporting year.
    amortisation_years
        Useful life N of one-off build costs, a whole number of years ≥ 1
        (the `amortisation_years` setting; Phillips suggests 1-2).
    loaded_hourly_rate
        Major units of `currency` per learner hour: salary plus on-costs
        (the `loaded_hourly_rate` setting). Used only when participant time
        is not recorded in the budgets.
    currency
        The reporting currency (ISO 4217) the budgets' minor units are in.
    learning_hours
        Optional frame with `product_id`, `learning_hours` for the year
        (`metrics.usage.learning_hours`); null hours are "not tracked".

    Returns
    -------
    FullyLoadedCost
        `components` (long: product_id, component, amount, basis, note) and
        `total` (product_id, fully_loaded_cost), both sorted by product.
        Products: any with a budget line in the year, a one-off actual in
        the amortisation window, or a row in `learning_hours`.

    Notes
    -----
    * Recurring components (licence, delivery, evaluation, overhead, other)
      are the year's actuals as recorded, summed in minor units. Categories
      outside the template's list count as "other", so nothing spent is
      lost; a blank actual is not yet known and adds nothing.
    * design_development (with needs analysis) is amortised:
      annual charge = Σ one-off actuals of years year − N + 1 .. year ÷ N,
      so a one-off of X posted in year y is charged X ÷ N in each of the
      years y .. y + N − 1 and exactly X over them.
    * participant_time = the year's `participant_time` actuals when any is
      recorded (basis "actual"); else learning hours × loaded hourly rate
      when the product's hours are known (basis "hours_x_rate"); else
      null, "not_recorded".
    * fully_loaded_cost = Σ known components; it differs from actual cost
      by (amortised charge − the year's one-off actuals) + the estimated
      participant time.

    Examples
    --------
    N = 2, loaded rate 45.00. Product 1: design 2025 of 20,000.00 and
    2026 of 4,000.00, licence 2026 of 12,000.00, 100 learning hours in 2026,
    no participant_time line: design (20,000 + 4,000) ÷ 2 = 12,000.00,
    licence 12,000.00, participant time 100 × 45 = 4,500.00; total
    28,500.00.
    """
    years = _whole_years(amortisation_years)
    if loaded_hourly_rate < 0:
        msg = f"loaded_hourly_rate must not be negative, got {loaded_hourly_rate}"
        raise ValueError(msg)
    common.require(budgets, _COLUMNS, what="budgets")
    first_year = year - years + 1
    lines = budgets.with_columns(
        _component_of(pl.col("cost_category")).alias("_component"),
        pl.col("month").dt.year().alias("_year"),
    )
    one_off = lines.filter(
        (pl.col("_component") == _ONE_OFF) & pl.col("_year").is_between(first_year, year)
    )
    recorded = lines.filter((pl.col("_year") == year) & (pl.col("_component") != _ONE_OFF))
    sums = {
        (row["product_id"], row["_component"]): row["minor"]
        for row in recorded.group_by("product_id", "_component")
        .agg(common.sum_or_null(pl.col("actual_minor")).alias("minor"))
        .iter_rows(named=True)
    }
    one_off_sums = {
        row["product_id"]: row["minor"]
        for row in one_off.group_by("product_id")
        .agg(common.sum_or_null(pl.col("actual_minor")).alias("minor"))
        .iter_rows(named=True)
    }
    hours: dict[int, float | None] = {}
    if learning_hours is not None:
        common.require(learning_hours, ("product_id", "learning_hours"), what="learning_hours")
        hours = dict(learning_hours.select("product_id", "learning_hours").iter_rows())
    in_year = lines.filter(pl.col("_year") == year).get_column("product_id").to_list()
    products = sorted({*in_year, *one_off.get_column("product_id").to_list(), *hours})
    products = [p for p in products if p is not None]

    rows: list[dict[str, object]] = []
    totals: list[dict[str, object]] = []
    for product in products:
        total_minor: float | None = None
        for component in COST_COMPONENTS:
            minor, amount, basis, note = _component(
                component,
                sums.get((product, component)),
                one_off_sums.get(product),
                hours.get(product),
                year=year,
                first_year=first_year,
                years=years,
                rate=loaded_hourly_rate,
                currency=currency,
            )
            if minor is not None:
                total_minor = minor if total_minor is None else total_minor + minor
            rows.append(
                {
                    "product_id": product,
                    "component": component,
                    "amount": amount,
                    "basis": basis,
                    "note": note,
                }
            )
        total = common.major(total_minor, currency=currency)
        totals.append({"product_id": product, "fully_loaded_cost": total})
    return FullyLoadedCost(
        components=pl.DataFrame(rows, schema=_COMPONENTS_SCHEMA, orient="row"),
        total=pl.DataFrame(totals, schema=_TOTAL_SCHEMA, orient="row"),
    )


def _component(
    component: str,
    recorded_minor: int | None,
    one_off_minor: int | None,
    hours: float | None,
    *,
    year: int,
    first_year: int,
    years: int,
    rate: float,
    currency: str,
) -> tuple[float | None, float | None, CostBasis, str]:
    """(amount in minor units for the total, amount in major units, basis, note) of one component.

    Recorded actuals stay whole minor units (an int), so the total of the
    recorded components is exact; only the amortised share and the hours
    estimate can carry fractions of a minor unit.
    """
    per = minor_per_major(currency)
    if component == _ONE_OFF:
        span = f"{first_year}–{year}" if years > 1 else str(year)
        if one_off_minor is None:
            return None, None, "not_recorded", f"no one-off actual recorded in {span}"
        unit = "year" if years == 1 else "years"
        note = f"one-off actuals {span} of {_amount(one_off_minor, currency)} ÷ {years} {unit}"
        return one_off_minor / years, one_off_minor / years / per, "amortised", note
    if recorded_minor is not None:
        return recorded_minor, recorded_minor / per, "actual", f"actuals recorded for {year}"
    if component == _PARTICIPANT and hours is not None:
        places = decimals(currency)
        note = (
            f"{hours:,.2f} learning hours × {rate:,.{places}f} an hour (no participant_time actual)"
        )
        return hours * rate * per, hours * rate, "hours_x_rate", note
    if component == _PARTICIPANT:
        return None, None, "not_recorded", "no participant_time actual and no learning hours"
    return None, None, "not_recorded", f"no actual recorded for {year}"
