"""Cached readers of the Prioritise page: planning inputs, best sets, frontier, tornado.

Like `pages.reads`, they take simple arguments (a year, a date, tuples of
weights and ids), never a DataFrame, and cache small results: the planning
inputs are one row per product, and an optimisation or a frontier is cached
per cap, weights and forced choices so that going back to a setting already
seen is instant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl

from models.frames import year_frames
from pages.cache import by_data_version, connect, settings
from planning.criteria import (
    CRITERION_KEYS,
    criterion_scores,
    score_notes,
    year_planning_inputs,
)
from planning.scoring import weighted_scores
from planning.selection import (
    Selection,
    default_caps,
    efficient_frontier,
    funding_line,
    funding_options,
    optimise,
)
from planning.sensitivity import tornado
from planning.whatif import Assumptions

__all__ = [
    "PlanningData",
    "Solved",
    "Weights",
    "frontier",
    "planning_data",
    "solve",
    "tornado_view",
    "weights_key",
]

Weights = tuple[tuple[str, float], ...]
"""Weights as a hashable, ordered tuple of (criterion key, weight)."""


def weights_key(weights: Mapping[str, float]) -> Weights:
    """The weights in criterion order, as a cache key (rounded, so 0.1 + 0.2 hits 0.3)."""
    return tuple((k, round(float(weights.get(k, 0.0)), 6)) for k in CRITERION_KEYS)


@dataclass(frozen=True)
class PlanningData:
    """One row per product: the planning inputs, the 0-1 criterion scores, the notes."""

    inputs: pl.DataFrame
    scores: pl.DataFrame
    notes: dict[int, list[str]]

    @property
    def names(self) -> dict[int, str]:
        """Product id -> name."""
        return dict(zip(self.inputs["product_id"], self.inputs["product"], strict=True))


@by_data_version(max_entries=8, spinner="Reading the portfolio…")
def planning_data(year: int, as_of: date) -> PlanningData:
    """The year's planning inputs and criterion scores."""
    with connect() as conn:
        frames = year_frames(conn, year=year, currency=settings().reporting_currency)
    inputs = year_planning_inputs(frames, year=year, thresholds=settings().health).sort("product")
    return PlanningData(inputs, criterion_scores(inputs), score_notes(inputs))


@dataclass(frozen=True)
class Solved:
    """The exact best set and the funding line at one cap."""

    optimal: Selection
    line: Selection
    options: pl.DataFrame
    ranking: list[int]


def _options(
    data: PlanningData, weights: Weights, elasticity: float
) -> tuple[pl.DataFrame, list[int]]:
    scored = weighted_scores(data.scores, dict(weights))
    ranking = scored.sort("rank", nulls_last=True)["product_id"].to_list()
    options = funding_options(
        data.inputs,
        scored.select("product_id", "score"),
        currency=settings().reporting_currency,
        assumptions=Assumptions(elasticity=elasticity),
    )
    return options, ranking


@by_data_version(max_entries=64, spinner="Finding the best set…")
def solve(
    year: int,
    as_of: date,
    *,
    weights: Weights,
    elasticity: float,
    cap: float,
    forced_in: tuple[int, ...],
    forced_out: tuple[int, ...],
) -> Solved:
    """The exact optimum and the funding line under `cap`."""
    options, ranking = _options(planning_data(year, as_of), weights, elasticity)
    fin, fout = frozenset(forced_in), frozenset(forced_out)
    currency = settings().reporting_currency
    return Solved(
        optimal=optimise(options, cap=cap, forced_in=fin, forced_out=fout, currency=currency),
        line=funding_line(
            options, ranking, cap=cap, forced_in=fin, forced_out=fout, currency=currency
        ),
        options=options,
        ranking=ranking,
    )


@by_data_version(max_entries=16, spinner="Tracing the efficient frontier…")
def frontier(
    year: int,
    as_of: date,
    *,
    weights: Weights,
    elasticity: float,
    forced_in: tuple[int, ...],
    forced_out: tuple[int, ...],
) -> pl.DataFrame:
    """The efficient frontier and the funding line over 20 caps."""
    options, ranking = _options(planning_data(year, as_of), weights, elasticity)
    return efficient_frontier(
        options,
        caps=default_caps(options, n=20, currency=settings().reporting_currency),
        forced_in=frozenset(forced_in),
        forced_out=frozenset(forced_out),
        ranking=ranking,
        currency=settings().reporting_currency,
    )


@by_data_version(max_entries=16, spinner="Testing each weight and assumption…")
def tornado_view(
    year: int,
    as_of: date,
    *,
    weights: Weights,
    elasticity: float,
    cap: float,
    forced_in: tuple[int, ...],
    forced_out: tuple[int, ...],
) -> pl.DataFrame:
    """Which weight or assumption moves the best set's value most."""
    data = planning_data(year, as_of)
    return tornado(
        data.inputs,
        data.scores,
        dict(weights),
        cap=cap,
        currency=settings().reporting_currency,
        assumptions=Assumptions(elasticity=elasticity),
        forced_in=frozenset(forced_in),
        forced_out=frozenset(forced_out),
    )
