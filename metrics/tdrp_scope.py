"""The TDRp report's building blocks: a set of products' figures over one window.

The frames passed in are already filtered to the products in scope. Money is
summed in minor units of the reporting currency; learners are counted once
across products; survey figures are n-weighted. See `metrics.tdrp` for the
rules as the user reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl

from metrics import common
from metrics.licences import licence_position
from metrics.outcomes import actual_rows, application_rate, benefits, latest_rows
from metrics.usage import active_learners, completions, learning_hours, unique_learners

__all__ = [
    "Figure",
    "Window",
    "gain_rows",
    "money_by_product",
    "nps_rows",
    "ratio",
    "survey",
    "total",
    "window_figures",
]

_FAR_PAST = date(1, 1, 1)


@dataclass(frozen=True)
class Figure:
    """One value of a measure, with the survey n behind it (None when not a survey figure)."""

    value: float | None
    n: int | None = None


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


def _by_product(df: pl.DataFrame, column: str) -> dict[int, float | None]:
    return dict(df.select("product_id", column).iter_rows())


def _single(df: pl.DataFrame, column: str) -> int | None:
    return None if df.is_empty() else df.get_column(column).item()


def survey(latest: pl.DataFrame, column: str) -> Figure:
    """The products' latest survey values as one figure.

    One product: its value and n. Several: the mean weighted by n over the
    products whose latest row has n > 0 (a figure without its n cannot be
    weighed), with n = Σ n; None when none qualifies.
    """
    rows = [(v, n) for v, n in latest.select(column, "n").iter_rows() if v is not None]
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


def window_figures(
    budgets: pl.DataFrame,
    contracts: pl.DataFrame,
    usage: pl.DataFrame,
    outcomes: pl.DataFrame,
    window: Window,
) -> tuple[dict[str, Figure], Mapping[str, set[int]]]:
    """Every measure's figure over the window, and which products each rests on.

    The second value names the products whose spend the cost-per figures
    use: `usage_tracked` (a usage row in the window) and
    `completions_tracked` (completions known).
    """
    start, end, year = window.start, window.end, window.year

    def major(minor: int | float | None) -> float | None:
        return common.major(minor, currency=window.currency)

    spend = money_by_product(budgets, start, end, "actual_minor")
    everyone = usage.with_columns(pl.lit(0, dtype=pl.Int64()).alias("product_id"))
    unique = _single(unique_learners(everyone, start=start, end=end), "unique_learners")
    active = _single(active_learners(everyone, start=start, end=end), "active_learners")
    usage_tracked = set(unique_learners(usage, start=start, end=end).get_column("product_id"))
    done = _by_product(completions(usage, start=start, end=end), "completions")
    completions_tracked = {p for p, c in done.items() if c is not None}
    hours = total(
        _by_product(learning_hours(usage, start=start, end=end), "learning_hours").values()
    )
    completed = total(done.values())

    to_date = usage.filter(common.row_in_window(_FAR_PAST, end))
    seats = licence_position(
        contracts, to_date, start=start, end=end, currency=window.currency
    ).filter(pl.col("idle_seats").is_not_null())
    seats_known = int(seats.get_column("seats").sum())
    seats_used = seats_known - int(seats.get_column("idle_seats").sum())

    rows = actual_rows(outcomes, year)
    nps = latest_rows(nps_rows(rows), ["product_id"], end)
    gain = latest_rows(gain_rows(rows), ["product_id"], end)
    applying = application_rate(outcomes, year=year, as_of=end)
    claimed = total(
        _by_product(
            benefits(outcomes.filter(pl.col("period") <= end), year=year, currency=window.currency),
            "benefits",
        ).values()
    )
    spent = major(total(spend.values()))
    figures = {
        "spend": Figure(spent),
        "unique_learners": Figure(unique),
        "active_learners": Figure(active),
        "completions": Figure(completed),
        "learning_hours": Figure(hours),
        "seat_utilisation": Figure(ratio(seats_used, seats_known)),
        "cost_per_active_learner": Figure(
            ratio(major(total(spend.get(p) for p in usage_tracked)), active)
        ),
        "cost_per_completion": Figure(
            ratio(major(total(spend.get(p) for p in completions_tracked)), completed)
        ),
        "learner_nps": survey(nps, "value"),
        "score_gain": survey(gain, "value"),
        "application_rate": survey(applying, "application_rate"),
        "benefits": Figure(claimed),
        "roi": Figure(None if claimed is None else ratio(_minus(claimed, spent), spent)),
        "bcr": Figure(ratio(claimed, spent)),
    }
    tracked = {"usage_tracked": usage_tracked, "completions_tracked": completions_tracked}
    return figures, tracked


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b
