"""Cached reader of the Funding review page: the funding pack the page and its downloads share.

The page draws the pack (`exports.payload`) rather than recomputing
anything, so the Excel, HTML and PDF a partner takes away hold exactly the
figures on the screen. The pack is cached per year, product selection,
scenario and data version.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from exports.build import pack_for
from exports.payload import FundingPack
from models.frames import pack_frames
from pages.planning_readers import saved
from pages.readers import _engine_for, current_version, settings
from planning.scenarios import Scenario

__all__ = ["ScenarioUnreadableError", "review_pack"]


class ScenarioUnreadableError(ValueError):
    """A saved scenario that no longer validates (e.g. written by a newer version)."""


def review_pack(
    year: int, as_of: date, products: tuple[str, ...] | None, scenario: str | None
) -> FundingPack:
    """The funding pack for the page's choices (cached per data version)."""
    payload = None if scenario is None else saved(scenario)
    stored = None if payload is None else repr(sorted(payload.items()))
    return _review_pack(
        year, as_of, products, scenario, stored, current_version(), settings().database_url
    )


@st.cache_data(max_entries=16, show_spinner="Preparing the funding pack…")
def _review_pack(
    year: int,
    as_of: date,
    products: tuple[str, ...] | None,
    scenario: str | None,
    stored: str | None,
    version: int,
    url: str,
) -> FundingPack:
    del version, stored  # part of the cache key only: a re-saved scenario recomputes
    chosen = None
    if scenario is not None:
        payload = saved(scenario)
        if payload is not None:
            try:
                chosen = Scenario.from_dict(payload)
            except ValueError as exc:
                msg = f"the saved scenario {scenario!r} cannot be read: {exc}"
                raise ScenarioUnreadableError(msg) from exc
    with _engine_for(url).connect() as conn:
        frames = pack_frames(conn, year=year, currency=settings().reporting_currency)
    return pack_for(
        frames,
        settings=settings(),
        year=year,
        as_of=as_of,
        generated_at=datetime.now(UTC),
        products=products,
        scenario=chosen,
    )
