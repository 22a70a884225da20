"""The TDRp report's building blocks: each product's figures over one window, then a scope's.

`window_parts` measures every product over a window in one pass (each
measure one `group_by` over all products); `scope_figures` turns the parts
of one product, or of several together, into the report's figures. Money is
summed in minor units of the reporting currency; learners are counted once
across products (`distinct_learners`); survey figures are n-weighted. See
`metrics.tdrp` for the rules as the user reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from metrics import common
from metrics.licences import licence_position
from metrics.outcomes import actual_rows, is_application, latest_rows
from metrics.usage import portfolio_learners, usage_figures

__all__ = [
    "NOTHING",
    "Figure",
    "Parts",
    "Window",
    "distinct_learners",
    "gain_rows",
    "monetised_by_product",
    "money_by_product",
    "nps_rows",
    "ratio",
    "scope_figures",
    "survey",
    "total",
    "window_parts",
]

_FAR_PAST = date(1, 1, 1)


@dataclass(frozen=True)
class Figure:
    """One value of a measure, with the survey n behind it (None when not a survey figure)."""

    value: float | None
    n: int | None = None


@dataclass(frozen=True)
class Parts:
    """One product's measurements over a window, before anything is added across products.

    None is "not tracked", as the measure's own function says: `unique` and
    `active` are None without a usage row in the window, `completions`
    also when no row says whether it is complete. `idle_seats` is None
    when the seats in force cannot be judged (no usage over their term);
    `seats` then counts nothing. A survey figure is the latest row's value
    and n (its value may be None).
    """

    spend_minor: int | None = None
    unique: int | None = None
    active: int | None = None
    completions: int | None = None
    hours: float | None = None
    seats: int = 0
    idle_seats: int | None = None
    nps: Figure = Figure(None)
    gain: Figure = Figure(None)
    applying: Figure = Figure(None)
    benefits: float | None = None


NOTHING = Parts()
"""The parts of a product with no fact in the window."""


def total(values: Iterable[int | float | None]) -> int | float | None:
    """Sum of the known values; None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """The ratio numerator ÷ denominator; None when either is None or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def money_by_product(
    budgets: pl.DataFrame, start: date, end: date, column: str
) -> dict[int, int | None]:
    """Σ `column` (minor units) per product over the budget months starting in [start, end]."""
    month = pl.col("month").dt.truncate("1mo")
    return dict(
        budgets.filter(month.is_between(pl.lit(start), pl.lit(end)))
        .group_by("product_id")
        .agg(common.sum_or_null(pl.col(column)))
        .iter_rows()
    )


def survey(figures: Iterable[Figure]) -> Figure:
    """The products' latest survey values (one `Figure` each, in product order) as one figure.

    One product: its value and n. Several: the mean weighted by n over the
    products whose latest row has n > 0 (a figure without its n cannot be
    weighed), with n = Σ n; None when none qualifies.
    """
    rows = [(f.value, f.n) for f in figures if f.value is not None]
    if len(rows) <= 1:
        return Figure(*rows[0]) if rows else Figure(None)
    weighed = [(v, n) for v, n in rows if n is not None and n > 0]
    n_total = sum(n for _, n in weighed)
    if not n_total:
        return Figure(None)
    return Figure(sum(v * n for v, n in weighed) / n_total, n_total)


def nps_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """The level-1 rows whose measure is a net promoter score ("NPS", "net promoter")."""
    name = pl.col("measure").str.to_lowercase().fill_null("")
    is_nps = name.str.contains("nps", literal=True) | name.str.contains(
        "net promoter", literal=True
    )
    return rows.filter((pl.col("level") == 1) & is_nps)


def gain_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """The level-2 rows whose measure is a score gain (its name mentions "gain")."""
    name = pl.col("measure").str.to_lowercase().fill_null("")
    return rows.filter((pl.col("level") == 2) & name.str.contains("gain", literal=True))


@dataclass(frozen=True)
class Window:
    """What a window of the report needs besides the frames."""

    year: int
    start: date
    end: date
    currency: str


def window_parts(
    budgets: pl.DataFrame,
    contracts: pl.DataFrame,
    usage: pl.DataFrame,
    outcomes: pl.DataFrame,
    window: Window,
) -> dict[int, Parts]:
    """Every product's `Parts` over the window, each measure one `group_by` over all products.

    Products with no fact in the window are absent (their parts are `NOTHING`).
    """
    start, end, year = window.start, window.end, window.year
    found: dict[int, dict[str, Any]] = {}

    def put(name: str, pairs: Iterable[tuple[Any, ...]]) -> None:
        for pid, value in pairs:
            found.setdefault(pid, {})[name] = value

    def rows(df: pl.DataFrame, *columns: str) -> Iterable[tuple[Any, ...]]:
        return df.select("product_id", *columns).iter_rows()

    def latest(df: pl.DataFrame, column: str) -> Iterable[tuple[int, Figure]]:
        return ((p, Figure(v, n)) for p, v, n in rows(df, column, "n"))

    put("spend_minor", money_by_product(budgets, start, end, "actual_minor").items())
    figures = usage_figures(usage, start=start, end=end)
    put("unique", rows(figures, "unique_learners"))
    put("active", rows(figures, "active_learners"))
    put("completions", rows(figures, "completions"))
    put("hours", ((pid, None if m is None else m / 60) for pid, m in rows(figures, "minutes")))
    to_date = usage.filter(common.row_in_window(_FAR_PAST, end))
    seats = licence_position(contracts, to_date, start=start, end=end, currency=window.currency)
    judged = seats.filter(pl.col("idle_seats").is_not_null())  # usage over the term known
    for pid, held, idle in rows(judged, "seats", "idle_seats"):
        found.setdefault(pid, {}).update(seats=held, idle_seats=idle)
    measured = actual_rows(outcomes, year)
    put("nps", latest(latest_rows(nps_rows(measured), ["product_id"], end), "value"))
    put("gain", latest(latest_rows(gain_rows(measured), ["product_id"], end), "value"))
    put("applying", _applying(measured, end))
    level_4 = measured.filter((pl.col("level") == 4) & (pl.col("period") <= end))
    put("benefits", monetised_by_product(level_4, currency=window.currency).items())
    return {pid: Parts(**values) for pid, values in found.items()}


# polars divides a column by a constant by multiplying with its reciprocal when the
# column holds more than one value (69 / 100 gives 0.6900000000000001) and exactly when
# it holds one. The measures that divide (`learning_hours`, `application_rate`,
# `benefits`) would then give a product's figure differently in its last bit measured
# alone (one product's frames, as the Plan vs actual page reads them) and among all the
# products. `window_parts` divides the minutes per product, and the helpers below take the
# other measures' rows and formulas and divide per product, in Python: a product's figure
# is the same however many products are measured.


def _applying(measured: pl.DataFrame, end: date) -> Iterable[tuple[int, Figure]]:
    """`metrics.outcomes.application_rate`: the latest percent-applying row ÷ 100, per product.

    `measured` are the year's actual rows; a value outside 0-100 is not a percent.
    """
    rows = measured.filter(
        (pl.col("level") == 3)
        & is_application(pl.col("measure"))
        & pl.col("value").is_between(0, 100).fill_null(False)
    )
    latest = latest_rows(rows, ["product_id"], end).select("product_id", "value", "n")
    return ((pid, Figure(value / 100, n)) for pid, value, n in latest.iter_rows())


def monetised_by_product(rows: pl.DataFrame, *, currency: str) -> dict[int, float | None]:
    """Σ of each product's monetised benefits over `rows`, in major units of `currency`.

    The formula of `metrics.outcomes.monetised_minor`, row by row: s × (value
    − baseline) × unit_value × attribution/100 × confidence/100, with s = −1
    when direction is "lower"; a row missing any input adds nothing, and a
    product none of whose rows can be monetised gets None. `benefits` and
    `forecast_benefits` are this over the year's level-4 rows of their kind.
    """
    found: dict[int, list[float]] = {}
    columns = ("value", "baseline", "unit_value_minor", "attribution_pct", "confidence_pct")
    for pid, direction, *inputs in rows.select("product_id", "direction", *columns).iter_rows():
        known = found.setdefault(pid, [])
        if any(x is None for x in inputs):
            continue
        value, baseline, unit, attribution, confidence = inputs
        sign = -1.0 if direction is not None and direction.lower() == "lower" else 1.0
        known.append(
            sign * (value - baseline) * float(unit) * (attribution / 100) * (confidence / 100)
        )
    return {
        pid: common.major(sum(known), currency=currency) if known else None
        for pid, known in found.items()
    }


def distinct_learners(usage: pl.DataFrame, window: Window) -> tuple[int | None, int | None]:
    """Unique and active learners of the products in `usage` together, each counted once.

    None when no usage row falls in the window (not tracked).
    """
    return portfolio_learners(usage, start=window.start, end=window.end)


def scope_figures(
    parts: Sequence[Parts],
    *,
    currency: str,
    learners: tuple[int | None, int | None] | None = None,
) -> dict[str, Figure]:
    """Every measure's figure of a scope: one product's parts, or several in product order.

    `learners` are the scope's unique and active learners counted once
    across its products (`distinct_learners`); None takes the one
    product's own counts (several products need them given).
    """
    if learners is None:
        if len(parts) > 1:
            msg = f"{len(parts)} products: their learners counted once across them are needed"
            raise ValueError(msg)
        learners = (parts[0].unique, parts[0].active) if parts else (None, None)
    unique, active = learners

    def major(minor: int | float | None) -> float | None:
        return common.major(minor, currency=currency)

    completed = total(p.completions for p in parts)
    judged = [p for p in parts if p.idle_seats is not None]
    seats_known = sum(p.seats for p in judged)
    seats_used = seats_known - sum(p.idle_seats or 0 for p in judged)
    claimed = total(p.benefits for p in parts)
    spent = major(total(p.spend_minor for p in parts))
    usage_paid = total(p.spend_minor for p in parts if p.unique is not None)
    completions_paid = total(p.spend_minor for p in parts if p.completions is not None)
    return {
        "spend": Figure(spent),
        "unique_learners": Figure(unique),
        "active_learners": Figure(active),
        "completions": Figure(completed),
        "learning_hours": Figure(total(p.hours for p in parts)),
        "seat_utilisation": Figure(ratio(seats_used, seats_known)),
        "cost_per_active_learner": Figure(ratio(major(usage_paid), active)),
        "cost_per_completion": Figure(ratio(major(completions_paid), completed)),
        "learner_nps": survey(p.nps for p in parts),
        "score_gain": survey(p.gain for p in parts),
        "application_rate": survey(p.applying for p in parts),
        "benefits": Figure(claimed),
        "roi": Figure(None if claimed is None else ratio(_minus(claimed, spent), spent)),
        "bcr": Figure(ratio(claimed, spent)),
    }


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b
