"""Navigation helpers: the page config, first-run seeding, the router flag, the year picker.

app.py sets the page config, seeds an empty database and runs the chosen
page inside `routed_by_app()`; a page run that skipped app.py catches up
with `use_app_router()`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from pages import access, warm_up
from pages.cache import engine_for, settings
from pages.reads import available_years, default_year

__all__ = [
    "PAGE_CONFIG",
    "YEAR",
    "ensure_seeded",
    "routed_by_app",
    "use_app_router",
    "year_picker",
]

PAGE_CONFIG: dict[str, str] = {
    "page_title": "Learning Portfolio",
    "page_icon": "🎓",  # an emoji is drawn locally; a :material: icon is fetched from Google
    "layout": "wide",
}
# Set while app.py runs the selected page (one script run per thread).
_ROUTER = threading.local()


@contextmanager
def routed_by_app() -> Iterator[None]:
    """Mark the page run as going through app.py (page config, seeding, navigation)."""
    _ROUTER.active = True
    try:
        yield
    finally:
        _ROUTER.active = False


def use_app_router() -> None:
    """Give a page run that skipped app.py what app.py would have set up.

    A folder named `pages/` beside app.py makes Streamlit route some runs
    itself (the first session of a fresh process opening on a page URL, and
    every AppTest run): it runs the page file alone, skipping app.py's page
    config, seeding and navigation. Such a run gets the same page config and
    seeding here and turns the legacy mode off, so the next run goes through
    app.py; it is not rerun, which would drop a button's click.
    """
    if getattr(_ROUTER, "active", False):
        return
    PagesManager.uses_pages_directory = False
    st.set_page_config(**PAGE_CONFIG)
    ensure_seeded()
    warm_up.watch()
    access.gate()


def ensure_seeded() -> int:
    """Seed an empty database once per process; returns how many files were imported.

    The sample comes in the reporting currency (generated in it when that is
    not GBP), so a first run in yen or dinars opens on a complete portfolio.
    A read-only instance changes nothing, and a production one holds an
    organisation's own data, so neither ever seeds (DESIGN.md: the sample goes
    into a local install's empty database).
    """
    config = settings()
    if config.read_only or config.mode != "local":
        return 0
    return _seed_once(config.database_url, config.reporting_currency)


@st.cache_resource(show_spinner="Loading the sample portfolio (first run only)…")
def _seed_once(url: str, currency: str) -> int:
    from sample_data.seed import FIRST_RUN, seed_if_empty  # lazily: only the first run needs it

    results = seed_if_empty(engine=engine_for(url), actor=FIRST_RUN, currency=currency)
    return 0 if results is None else sum(r.status == "imported" for r in results)


YEAR = "chosen_year"
"""Session key of the year the user chose last, on any page: every page opens on it."""


def year_picker(
    key: str, *, label: str = "Year", help: str | None = None, as_of: date | None = None
) -> int:
    """The sidebar's year choice, shared by every page; stops the page without budgets.

    Why shared: a partner who picks 2025 on the overview and opens a product
    expects 2025 there too. The choice lives in the session (`YEAR`) and in
    the address bar (`?year=`), so a link or a reload keeps it; the default is
    the as-of year.
    """
    years = available_years()
    if not years:
        st.info("No budgets imported yet: import budgets.csv on the Import data page.")
        st.stop()
    as_of = as_of or settings().today()
    wanted = _wanted_year(years)
    if key not in st.session_state or st.session_state[key] not in years:
        st.session_state[key] = wanted if wanted is not None else default_year(years, as_of)
    year = st.sidebar.selectbox(label, years, key=key, help=help)
    st.session_state[YEAR] = year
    if "y" not in st.query_params:  # a Prioritise share link carries its own year
        st.query_params["year"] = str(year)
    return int(year)


def _wanted_year(years: list[int]) -> int | None:
    """The year asked for: the session's last choice, else the link's `year` (or `y`)."""
    chosen = st.session_state.get(YEAR)
    if chosen in years:
        return chosen
    for name in ("year", "y"):
        text = st.query_params.get(name)
        if text is not None and text.strip().isdigit() and int(text) in years:
            return int(text)
    return None
