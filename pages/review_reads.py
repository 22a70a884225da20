"""Cached reader of the Funding review page: the funding pack the page and its downloads share.

The page draws the pack (`exports.payload`) rather than recomputing
anything, so the Excel, HTML and PDF a partner takes away hold exactly the
figures on the screen. The pack is cached per year, product selection,
scenario (and its stored content, so a re-saved scenario recomputes) and
data version.
"""

from __future__ import annotations

from datetime import date

from exports.build import pack_for
from exports.payload import FundingPack
from models.frames import pack_frames
from pages.cache import by_data_version, connect, settings
from pages.reads import saved_payload, saved_scenario

__all__ = ["review_pack"]


def review_pack(
    year: int, as_of: date, products: tuple[str, ...] | None, scenario: str | None
) -> FundingPack:
    """The funding pack for the page's choices.

    Raises
    ------
    pages.reads.ScenarioUnreadableError
        When the chosen saved scenario no longer validates.
    """
    payload = None if scenario is None else saved_payload(scenario)
    stored = None if payload is None else repr(sorted(payload.items()))
    return _pack(year, as_of, products, scenario, stored)


@by_data_version(max_entries=16, spinner="Preparing the funding pack…")
def _pack(
    year: int,
    as_of: date,
    products: tuple[str, ...] | None,
    scenario: str | None,
    stored: str | None,
) -> FundingPack:
    del stored  # part of the cache key only: a re-saved scenario recomputes
    chosen = None if scenario is None else saved_scenario(scenario)
    with connect() as conn:
        frames = pack_frames(conn, year=year, currency=settings().reporting_currency)
    return pack_for(
        frames,
        settings=settings(),
        year=year,
        as_of=as_of,
        generated_at=None,  # cached: each download is stamped when it is built
        products=products,
        scenario=chosen,
    )
