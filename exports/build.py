"""The funding pack as the settings and an optional saved scenario make it.

Why a module: the command line and the Funding review page must hand
`exports.payload.funding_pack` the same settings and the same scenario
block, so the Excel file a partner downloads shows exactly the page's
figures. Both call `pack_for`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from exports.collector import collector_paused
from exports.payload import FundingPack, funding_pack
from models.frames import YearFrames
from planning.compare import scenario_summary
from planning.criteria import criterion_scores, year_planning_inputs
from planning.scenarios import Scenario
from settings import Settings

__all__ = ["pack_for", "scenario_block"]


def scenario_block(
    frames: YearFrames, scenario: Scenario, *, year: int, settings: Settings
) -> dict[str, Any]:
    """The pack's `scenario` object: the scenario projected on the year's figures.

    The planning inputs are those of the Prioritise page (the same
    scorecard over the year's budget lines), so the pack shows what the
    page showed when the scenario was saved, recomputed on today's data.
    Money is in the frames' currency.
    """
    inputs = year_planning_inputs(frames, year=year, thresholds=settings.health)
    return scenario_summary(inputs, criterion_scores(inputs), scenario, currency=frames.currency)


def pack_for(
    frames: YearFrames,
    *,
    settings: Settings,
    year: int,
    as_of: date,
    generated_at: datetime | None,
    products: Sequence[str] | None = None,
    scenario: Scenario | Mapping[str, Any] | None = None,
) -> FundingPack:
    """The funding pack with every assumption taken from `settings`.

    `scenario` is a `Scenario` (projected here) or an already computed
    scenario block; None leaves the pack's `scenario` null. `generated_at`
    is the time the file is made (the command line passes now); a page
    that caches the pack passes None and stamps each download
    (`exports.payload.stamped`), so a file never carries the time the
    cache was filled. The currency is the frames' (read in
    `settings.reporting_currency`); frames in another currency are refused,
    as their figures would be labelled wrongly.
    """
    if frames.currency != settings.reporting_currency:
        msg = (
            f"the frames are in {frames.currency} but the reporting currency is "
            f"{settings.reporting_currency}"
        )
        raise ValueError(msg)
    block = (
        scenario_block(frames, scenario, year=year, settings=settings)
        if isinstance(scenario, Scenario)
        else scenario
    )
    with collector_paused():  # a pack is a million objects, none in a cycle
        return funding_pack(
            frames,
            year=year,
            as_of=as_of,
            generated_at=generated_at,
            thresholds=settings.health,
            products=products,
            amortisation_years=settings.amortisation_years,
            loaded_hourly_rate=settings.loaded_hourly_rate,
            rag_amber=settings.rag_amber,
            rag_red=settings.rag_red,
            evidence_min_n=settings.evidence_min_n,
            evidence_stale_after_days=settings.evidence_stale_after_days,
            min_group_size=settings.min_group_size,
            stale_after_days=settings.stale_after_days,
            reclaim_after_days=settings.reclaim_after_days,
            scenario=block,
        )
