"""Cached readers: the only way pages get data.

They take simple arguments (a year, a date, the data version), never a
DataFrame, and cache aggregates rather than raw facts (`st.cache_data`
pickles its value on every hit). Every write bumps the data version, so a
change made in one browser shows in every other at its next rerun.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import polars as pl
import streamlit as st
from sqlalchemy import Engine
from streamlit.runtime.pages_manager import PagesManager

from loaders import ImportResult, import_file, parse_period
from loaders.mappings import all_formats
from loaders.preview import preview_file
from metrics.costs import monthly_plan_actual
from metrics.engagement import funnel, retention_by_month
from metrics.evidence import chain_of_evidence
from metrics.investment import fully_loaded_cost
from metrics.monetisation import benefit_assumptions
from metrics.periods import year_bounds
from metrics.scorecard import PortfolioSummary, portfolio_summary, product_scorecard
from metrics.tdrp import tdrp_report
from metrics.usage import active_learners_by_month, learning_hours
from models import data_version, make_engine, session_scope
from models.frames import budgets_frame, products_frame, year_frames
from settings import Settings, get_settings

__all__ = [
    "ImportOptions",
    "PortfolioView",
    "Preview",
    "available_years",
    "engine",
    "ensure_seeded",
    "portfolio_view",
    "preview",
    "product_names",
    "run_import",
    "year_picker",
]

ProgressCallback = Callable[[float, str], None]
PAGE_CONFIG: dict[str, str] = {
    "page_title": "Learning Portfolio",
    "page_icon": ":material/school:",
    "layout": "wide",
}
# Set while app.py runs the selected page (one script run per thread).
_ROUTER = threading.local()


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    """One engine per process and database URL (from DATABASE_URL)."""
    return _engine_for(settings().database_url)


def settings() -> Settings:
    return get_settings()


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


def ensure_seeded() -> int:
    """Seed an empty database once per process; returns how many files were imported."""
    return _seed_once(settings().database_url)


@st.cache_resource(show_spinner="Loading the sample portfolio (first run only)…")
def _seed_once(url: str) -> int:
    from sample_data.seed import seed_if_empty  # imported lazily: only the first run needs it

    results = seed_if_empty(engine=_engine_for(url))
    return 0 if results is None else sum(r.status == "imported" for r in results)


def current_version() -> int:
    """The data version every write bumps (one tiny query per rerun)."""
    with session_scope(engine()) as session:
        return data_version(session=session)


def year_picker(
    key: str, *, label: str = "Year", help: str | None = None, as_of: date | None = None
) -> int:
    """The sidebar's year choice, defaulting to the as-of year; stops the page without budgets."""
    years = available_years()
    if not years:
        st.info("No budgets imported yet: import budgets.csv on the Import data page.")
        st.stop()
    today = (as_of or settings().today()).year
    return st.sidebar.selectbox(
        label, years, index=years.index(today) if today in years else 0, key=key, help=help
    )


def available_years() -> list[int]:
    """Years that have budget lines, newest first."""
    return _available_years(current_version(), settings().database_url)


@st.cache_data(max_entries=8, show_spinner=False)
def _available_years(version: int, url: str) -> list[int]:
    del version  # part of the cache key only
    with _engine_for(url).connect() as conn:
        budgets = budgets_frame(conn)
    if budgets.is_empty():
        return []
    return sorted(budgets["month"].dt.year().unique().to_list(), reverse=True)


@dataclass(frozen=True)
class PortfolioView:
    """Everything the overview draws for one year."""

    scorecard: pl.DataFrame
    summary: PortfolioSummary
    monthly: pl.DataFrame


def portfolio_view(year: int, as_of: date) -> PortfolioView:
    """The scorecard, the portfolio totals and the monthly spend for `year`."""
    return _portfolio_view(year, as_of, current_version(), settings().database_url)


@st.cache_data(max_entries=16, show_spinner="Computing the portfolio…")
def _portfolio_view(year: int, as_of: date, version: int, url: str) -> PortfolioView:
    del version  # part of the cache key only
    with _engine_for(url).connect() as conn:
        frames = year_frames(conn, year=year, currency=settings().reporting_currency)
    card = product_scorecard(
        frames.products,
        frames.budgets,
        frames.contracts,
        frames.usage,
        frames.outcomes,
        year=year,
        as_of=as_of,
        currency=frames.currency,
        thresholds=settings().health,
    )
    return PortfolioView(
        scorecard=card,
        summary=portfolio_summary(card, frames.usage, year=year, currency=frames.currency),
        monthly=monthly_plan_actual(frames.budgets, year=year, currency=frames.currency),
    )


def product_names() -> list[str]:
    """Product names for pickers, alphabetical."""
    return list(product_ids())


@dataclass(frozen=True)
class ImportOptions:
    """The upload page's choices, as `python -m loaders` takes them."""

    product: str | None = None
    period: str | None = None
    date_order: str | None = None


@dataclass(frozen=True)
class Preview:
    """A file's dry run, as the upload page shows it."""

    result: ImportResult
    rows: pl.DataFrame | None
    unknown_headers: list[str] | None  # set when no format knows the file: offer a mapping


def preview(file_id: str, name: str, data: bytes, options: ImportOptions) -> Preview:
    """Dry-run one uploaded file, once per file, options and data version (kept per session).

    Uploads can be large, so the preview is remembered in the session rather
    than hashed by `st.cache_data` on every rerun.
    """
    key = ("import.preview", file_id, options, current_version())
    cache: dict[tuple[object, ...], Preview] = st.session_state.setdefault("import.previews", {})
    if key not in cache:
        try:
            period = parse_period(options.period) if options.period else None
        except ValueError as exc:
            rejected = ImportResult(file=name, status="rejected")
            rejected.errors = [{"row": None, "column": None, "message": str(exc)}]
            rejected.errors_total = 1
            return Preview(rejected, None, None)
        found = preview_file(
            data,
            file_name=name,
            engine=engine(),
            formats=all_formats(engine=engine()),
            product=options.product,
            period=period,
            date_order=options.date_order,  # type: ignore[arg-type]
        )
        cache.clear()  # keep only the latest previews: uploads can be large
        cache[key] = Preview(found.result, found.rows, found.headers if found.unknown else None)
    return cache[key]


def run_import(
    name: str, data: bytes, options: ImportOptions, *, progress: ProgressCallback | None = None
) -> ImportResult:
    """Import one uploaded file for real (all-or-nothing)."""
    try:
        period = parse_period(options.period) if options.period else None
    except ValueError as exc:
        rejected = ImportResult(file=name, status="rejected")
        rejected.errors = [{"row": None, "column": None, "message": str(exc)}]
        rejected.errors_total = 1
        return rejected
    kwargs: dict[str, object] = (
        {"progress": progress} if progress is not None and _HAS_PROGRESS else {}
    )
    return import_file(
        data,
        file_name=name,
        engine=engine(),
        formats=all_formats(engine=engine()),
        product=options.product,
        period=period,
        date_order=options.date_order,  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


_HAS_PROGRESS = "progress" in inspect.signature(import_file).parameters


def tdrp_view(year: int, as_of: date, product_id: int | None) -> pl.DataFrame:
    """The TDRp management report for the portfolio (None) or one product."""
    return _tdrp_view(year, as_of, product_id, current_version(), settings().database_url)


@st.cache_data(max_entries=32, show_spinner="Computing the report…")
def _tdrp_view(
    year: int, as_of: date, product_id: int | None, version: int, url: str
) -> pl.DataFrame:
    del version  # part of the cache key only
    scope = None if product_id is None else (product_id,)
    with _engine_for(url).connect() as conn:
        # One product's report needs only its own rows (tdrp_report filters to them).
        frames = year_frames(
            conn,
            year=year,
            currency=settings().reporting_currency,
            with_previous=True,
            product_ids=scope,
        )
    return tdrp_report(
        frames.products,
        frames.budgets,
        frames.contracts,
        frames.usage,
        frames.outcomes,
        year=year,
        as_of=as_of,
        currency=frames.currency,
        product_ids=scope,
    )


def product_ids() -> dict[str, int]:
    """Product name -> id, alphabetical."""
    return _product_ids(current_version(), settings().database_url)


@st.cache_data(max_entries=8, show_spinner=False)
def _product_ids(version: int, url: str) -> dict[str, int]:
    del version  # part of the cache key only
    with _engine_for(url).connect() as conn:
        frame = products_frame(conn).sort("product")
    return dict(zip(frame["product"], frame["product_id"], strict=True))


@dataclass(frozen=True)
class ProductView:
    """Everything the Product page draws for one product and year."""

    card: dict[str, object]
    info: dict[str, object]
    monthly: pl.DataFrame
    active_by_month: pl.DataFrame
    funnel: dict[str, object] | None
    retention: pl.DataFrame
    cost_build_up: pl.DataFrame
    fully_loaded: float | None
    contracts: pl.DataFrame
    evidence: pl.DataFrame
    assumptions: pl.DataFrame


def product_view(product_id: int, year: int, as_of: date) -> ProductView:
    """One product's figures for `year` (cached per data version)."""
    return _product_view(product_id, year, as_of, current_version(), settings().database_url)


def _only(frame: pl.DataFrame, product_id: int) -> pl.DataFrame:
    return frame.filter(pl.col("product_id") == product_id)


@st.cache_data(max_entries=32, show_spinner="Computing the product…")
def _product_view(product_id: int, year: int, as_of: date, version: int, url: str) -> ProductView:
    del version  # part of the cache key only
    with _engine_for(url).connect() as conn:
        # Every figure below is per product, so the product's own frames give the
        # same row as the portfolio's would, for a fraction of the read.
        frames = year_frames(
            conn,
            year=year,
            currency=settings().reporting_currency,
            with_previous=True,
            product_ids=(product_id,),
        )
    start, end = year_bounds(year)
    currency = frames.currency
    this_year = frames.budgets.filter(pl.col("month").dt.year() == year)
    card = product_scorecard(
        frames.products,
        this_year,
        frames.contracts,
        frames.usage,
        frames.outcomes,
        year=year,
        as_of=as_of,
        currency=currency,
        thresholds=settings().health,
    )
    hours = learning_hours(frames.usage, start=start, end=end)
    loaded = fully_loaded_cost(
        frames.budgets,
        year=year,
        amortisation_years=settings().amortisation_years,
        loaded_hourly_rate=settings().loaded_hourly_rate,
        currency=currency,
        learning_hours=hours,
    )
    funnels = _only(funnel(frames.usage, start=start, end=end), product_id)
    total = _only(loaded.total, product_id)["fully_loaded_cost"]
    return ProductView(
        card=_only(card, product_id).row(0, named=True),
        info=_only(frames.products, product_id).row(0, named=True),
        monthly=_only(monthly_plan_actual(this_year, year=year, currency=currency), product_id),
        active_by_month=_only(active_learners_by_month(frames.usage, year=year), product_id),
        funnel=funnels.row(0, named=True) if funnels.height else None,
        retention=_only(retention_by_month(frames.usage, year=year), product_id),
        cost_build_up=_only(loaded.components, product_id),
        fully_loaded=total[0] if total.len() else None,
        contracts=_only(frames.contracts, product_id).filter(
            (pl.col("start") <= end) & (pl.col("end") >= start)
        ),
        evidence=_only(
            chain_of_evidence(
                frames.products,
                frames.usage,
                frames.outcomes,
                this_year,
                frames.contracts,
                year=year,
                as_of=as_of,
                currency=currency,
            ),
            product_id,
        ),
        assumptions=_only(
            benefit_assumptions(frames.outcomes, year=year, currency=currency), product_id
        ),
    )
