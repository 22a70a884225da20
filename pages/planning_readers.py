"""Cached readers for the Prioritise and Funding review pages.

Like `pages.readers`, they take simple arguments (a year, a date, tuples of
weights and ids) and the data version, never a DataFrame, and they cache
small results: the planning inputs are one row per product, and an
optimisation or a frontier is cached per cap, weights and forced choices so
that going back to a setting already seen is instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
import streamlit as st

from metrics.scorecard import year_scorecard
from models import session_scope
from models.frames import year_frames
from models.scenarios import (
    ScenarioInfo,
    delete_scenario,
    list_scenarios,
    load_scenario,
    save_scenario,
)
from pages.readers import _engine_for, current_version, engine, settings
from planning.criteria import criterion_scores, planning_inputs, score_notes
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
    "delete",
    "frontier",
    "planning_data",
    "saved",
    "saved_names",
    "solve",
    "store",
    "tornado_view",
]

Weights = tuple[tuple[str, float], ...]
"""Weights as a hashable, ordered tuple of (criterion key, weight)."""


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


def planning_data(year: int, as_of: date) -> PlanningData:
    """The year's planning inputs and criterion scores (cached per data version)."""
    return _planning_data(year, as_of, current_version(), settings().database_url)


@st.cache_data(max_entries=8, show_spinner="Reading the portfolio…")
def _planning_data(year: int, as_of: date, version: int, url: str) -> PlanningData:
    del version  # part of the cache key only
    with _engine_for(url).connect() as conn:
        frames = year_frames(conn, year=year, currency=settings().reporting_currency)
    card = year_scorecard(frames, year=year, as_of=as_of, thresholds=settings().health)
    inputs = planning_inputs(
        card,
        frames.products,
        frames.contracts,
        frames.outcomes,
        year=year,
        as_of=as_of,
        currency=frames.currency,
    ).sort("product")
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
    """The exact optimum and the funding line under `cap` (cached per setting)."""
    return _solve(
        year,
        as_of,
        weights,
        elasticity,
        cap,
        forced_in,
        forced_out,
        current_version(),
        settings().database_url,
    )


@st.cache_data(max_entries=64, show_spinner="Finding the best set…")
def _solve(
    year: int,
    as_of: date,
    weights: Weights,
    elasticity: float,
    cap: float,
    forced_in: tuple[int, ...],
    forced_out: tuple[int, ...],
    version: int,
    url: str,
) -> Solved:
    data = _planning_data(year, as_of, version, url)
    options, ranking = _options(data, weights, elasticity)
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


def frontier(
    year: int,
    as_of: date,
    *,
    weights: Weights,
    elasticity: float,
    forced_in: tuple[int, ...],
    forced_out: tuple[int, ...],
) -> pl.DataFrame:
    """The efficient frontier and the funding line over 20 caps (cached per setting)."""
    return _frontier(
        year,
        as_of,
        weights,
        elasticity,
        forced_in,
        forced_out,
        current_version(),
        settings().database_url,
    )


@st.cache_data(max_entries=16, show_spinner="Tracing the efficient frontier…")
def _frontier(
    year: int,
    as_of: date,
    weights: Weights,
    elasticity: float,
    forced_in: tuple[int, ...],
    forced_out: tuple[int, ...],
    version: int,
    url: str,
) -> pl.DataFrame:
    data = _planning_data(year, as_of, version, url)
    options, ranking = _options(data, weights, elasticity)
    return efficient_frontier(
        options,
        caps=default_caps(options, n=20, currency=settings().reporting_currency),
        forced_in=frozenset(forced_in),
        forced_out=frozenset(forced_out),
        ranking=ranking,
        currency=settings().reporting_currency,
    )


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
    """Which weight or assumption moves the best set's value most (cached per setting)."""
    return _tornado(
        year,
        as_of,
        weights,
        elasticity,
        cap,
        forced_in,
        forced_out,
        current_version(),
        settings().database_url,
    )


@st.cache_data(max_entries=16, show_spinner="Testing each weight and assumption…")
def _tornado(
    year: int,
    as_of: date,
    weights: Weights,
    elasticity: float,
    cap: float,
    forced_in: tuple[int, ...],
    forced_out: tuple[int, ...],
    version: int,
    url: str,
) -> pl.DataFrame:
    data = _planning_data(year, as_of, version, url)
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


def saved_names(year: int | None = None) -> list[ScenarioInfo]:
    """Saved scenarios, newest first (a small query; not cached, so a save shows at once)."""
    with session_scope(engine()) as session:
        return list_scenarios(session=session, year=year)


def saved(name: str) -> dict[str, object] | None:
    """A saved scenario's stored dict."""
    with session_scope(engine()) as session:
        return load_scenario(session=session, name=name)


def store(name: str, year: int, payload: dict[str, object], *, replace: bool) -> str:
    """Save a scenario; raises `models.scenarios.ScenarioExistsError` or ValueError."""
    with session_scope(engine()) as session:
        return save_scenario(
            session=session, name=name, year=year, payload=payload, replace=replace
        )


def delete(name: str) -> bool:
    """Delete a saved scenario."""
    with session_scope(engine()) as session:
        return delete_scenario(session=session, name=name)
