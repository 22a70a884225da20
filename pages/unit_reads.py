"""Cached readers of the filter by org unit: the units to offer, and the figures narrowed to some.

Apart from `pages.reads` and `pages.product_reads` (one module per view,
under 200 lines). The chosen units are part of every cache key (a tuple in
the filter's order), beside the year, the date and the data version.
"""

from __future__ import annotations

from datetime import date

from metrics.people import (
    UnitFigures,
    headcount,
    learner_org_units,
    org_unit_choices,
    year_figures_in_units,
)
from models.frames import learner_keys_frame, roster_frame, usage_units_frame, year_frames
from pages.cache import by_data_version, connect, settings

__all__ = ["org_unit_options", "portfolio_in_units", "product_in_units"]


@by_data_version(max_entries=8)
def org_unit_options(year: int, as_of: date) -> list[str]:
    """The org units to filter by, biggest headcount first; empty when none is known.

    Known: the roster's units and those usage rows give learners (DESIGN.md's
    learner-to-unit rule), `unassigned` last when a learner falls there.
    """
    with connect() as conn:
        roster = roster_frame(conn)
        placed = learner_org_units(learner_keys_frame(conn), roster, usage_units_frame(conn))
    return org_unit_choices(placed, headcount(roster, on=min(as_of, date(year, 12, 31))))


def _in_units(
    year: int, as_of: date, units: tuple[str, ...], product_ids: tuple[int, ...] | None
) -> UnitFigures:
    config = settings()
    with connect() as conn:
        frames = year_frames(
            conn, year=year, currency=config.reporting_currency, product_ids=product_ids
        )
    return year_figures_in_units(
        frames,
        units,
        year=year,
        as_of=as_of,
        min_group=config.min_group_size,
        thresholds=config.health,
    )


@by_data_version(max_entries=16, spinner="Narrowing the portfolio to the org units…")
def portfolio_in_units(year: int, as_of: date, units: tuple[str, ...]) -> UnitFigures:
    """Every product's usage figures of `year` over the learners of `units` (small ones hidden)."""
    return _in_units(year, as_of, units, None)


@by_data_version(max_entries=32, spinner="Narrowing the product to the org units…")
def product_in_units(
    product_id: int, year: int, as_of: date, units: tuple[str, ...]
) -> UnitFigures:
    """One product's usage figures of `year` over the learners of `units` (small ones hidden)."""
    return _in_units(year, as_of, units, (product_id,))
