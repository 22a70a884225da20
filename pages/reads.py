"""Cached readers of the portfolio: years, products, the overview's figures, the TDRp report.

They take simple arguments (a year, a date, an id), never a DataFrame, and
cache aggregates rather than raw facts (`st.cache_data` pickles its value
on every hit). `by_data_version` keys each on the data version, so a change
made in one browser shows in every other at its next rerun. Saved
scenarios are read uncached: the query is tiny and a save must show at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from metrics.freshness import portfolio_freshness_sentence
from metrics.people import ALL_PRODUCTS, year_reach_by_org_unit
from metrics.scorecard import PortfolioSummary, in_order, portfolio_summary, year_scorecard
from metrics.tdrp import tdrp_report
from models import session_scope
from models.frames import budget_years, products_frame, year_frames
from models.scenarios import ScenarioInfo, list_scenarios, load_scenario
from pages.cache import by_data_version, connect, engine, settings
from pages.freshness_reads import named_freshness
from planning.scenarios import Scenario

__all__ = [
    "PortfolioView",
    "ScenarioUnreadableError",
    "available_years",
    "default_year",
    "portfolio_view",
    "product_ids",
    "product_names",
    "saved_names",
    "saved_payload",
    "saved_scenario",
    "tdrp_view",
]


@by_data_version(max_entries=8)
def available_years() -> list[int]:
    """Years that have budget lines, newest first."""
    with connect() as conn:
        return budget_years(conn)


def default_year(years: list[int], as_of: date) -> int:
    """The year a page opens on: the as-of year when it has budgets, else the latest."""
    return as_of.year if as_of.year in years else years[0]


@by_data_version(max_entries=8)
def product_ids() -> dict[str, int]:
    """Product name -> id, alphabetical."""
    with connect() as conn:
        frame = products_frame(conn).sort("product")
    return dict(zip(frame["product"], frame["product_id"], strict=True))


def product_names() -> list[str]:
    """Product names for pickers, alphabetical."""
    return list(product_ids())


@dataclass(frozen=True)
class PortfolioView:
    """Everything the overview draws for one year."""

    scorecard: pl.DataFrame
    summary: PortfolioSummary
    freshness: pl.DataFrame  # metrics.freshness, with each product's name
    freshness_text: str | None  # "Usage to 10 Nov 2026 at the latest; …"
    reach_units: pl.DataFrame  # metrics.reach_by_org_unit with `product` ("All products")
    roster_size: int  # people on the roster; 0 without one


@by_data_version(max_entries=16, spinner="Computing the portfolio…")
def portfolio_view(year: int, as_of: date) -> PortfolioView:
    """The scorecard and the portfolio totals for `year`."""
    with connect() as conn:
        frames = year_frames(conn, year=year, currency=settings().reporting_currency)
    config = settings()
    card = year_scorecard(frames, year=year, thresholds=config.health)
    fresh = named_freshness(frames, year, as_of)
    names = dict(fresh.select("product_id", "product").iter_rows())
    units = year_reach_by_org_unit(
        frames,
        frames.products.get_column("product_id").to_list(),
        year=year,
        as_of=as_of,
        min_group=config.min_group_size,
    ).join(frames.products.select("product_id", "product"), on="product_id", how="left")
    return PortfolioView(
        scorecard=card,
        summary=portfolio_summary(card, frames.usage, year=year, currency=frames.currency),
        freshness=fresh.sort("product"),
        freshness_text=portfolio_freshness_sentence(
            fresh, names, stale_after_days=config.stale_after_days
        ),
        reach_units=units.with_columns(pl.col("product").fill_null(ALL_PRODUCTS)),
        roster_size=frames.roster.height,
    )


@by_data_version(max_entries=32, spinner="Computing the report…")
def tdrp_view(year: int, as_of: date, product_id: int | None) -> pl.DataFrame:
    """The TDRp management report for the portfolio (None) or one product.

    The RAG tolerances are the settings' (`LP_RAG_AMBER`, `LP_RAG_RED`), as
    the funding pack's, so the page and the pack give a row the same status.
    """
    scope = None if product_id is None else (product_id,)
    with connect() as conn:
        # One product's report needs only its own rows (tdrp_report filters to them).
        frames = year_frames(
            conn,
            year=year,
            currency=settings().reporting_currency,
            with_previous=True,
            product_ids=scope,
        )
    return tdrp_report(
        *in_order(frames),
        year=year,
        as_of=as_of,
        currency=frames.currency,
        product_ids=scope,
        amber=settings().rag_amber,
        red=settings().rag_red,
    )


class ScenarioUnreadableError(ValueError):
    """A saved scenario that no longer validates (e.g. written by a newer version)."""


def saved_names(year: int | None = None) -> list[ScenarioInfo]:
    """Saved scenarios, newest first."""
    with session_scope(engine()) as session:
        return list_scenarios(session=session, year=year)


def saved_payload(name: str) -> dict[str, object] | None:
    """A saved scenario's stored dict, or None when there is none of that name."""
    with session_scope(engine()) as session:
        return load_scenario(session=session, name=name)


def saved_scenario(name: str) -> Scenario | None:
    """A saved scenario, or None when there is none of that name.

    Raises
    ------
    ScenarioUnreadableError
        When the stored scenario no longer validates, naming it.
    """
    payload = saved_payload(name)
    if payload is None:
        return None
    try:
        return Scenario.from_dict(payload)
    except ValueError as exc:
        msg = f"the saved scenario {name!r} cannot be read: {exc}"
        raise ScenarioUnreadableError(msg) from exc
