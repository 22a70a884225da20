"""Fixtures for the loader tests: a fixed "today", table counts, a small portfolio."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from loaders import import_file
from settings import get_settings
from tests.actors import EDITOR

TABLES = (
    "vendor",
    "product",
    "data_import",
    "contract",
    "budget_line",
    "outcome_measure",
    "learner",
    "content_item",
    "usage_record",
    "aggregate_usage",
    "app_state",
)

PRODUCTS_CSV = (
    b"product,category,vendor,owner,sponsor,target_audience,lifecycle_stage,business_goal,"
    b"strategic_fit\n"
    b"Linked Library,content_library,LinkedIn,Ana,CFO,All staff,mature,Skills,4\n"
    b"Udemy Seats,content library,Udemy,Ben,CTO,Engineers,growth,Tech skills,5\n"
    b"Compliance Hub,compliance,Cornerstone OnDemand,Cy,COO,All staff,mature,Compliance,3\n"
    b"Leadership Academy,academy,,Di,CEO,Managers,pilot,Better managers,4\n"
)


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Today is 2026-11-23 for every loader test; identities are not stored."""
    monkeypatch.setenv("LP_AS_OF", "2026-11-23")
    monkeypatch.delenv("LP_STORE_IDENTITIES", raising=False)
    monkeypatch.delenv("LP_CURRENCY", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def counts(engine: Engine) -> dict[str, int]:
    """Rows in every table: what "nothing changed" is checked against."""
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}


def fk_violations(engine: Engine) -> list[tuple[object, ...]]:
    """SQLite's own referential check (imports write with per-row checks off)."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()]


@pytest.fixture
def portfolio(engine: Engine) -> Engine:
    """Four products; three name a vendor (LinkedIn, Udemy, Cornerstone)."""
    result = import_file(PRODUCTS_CSV, file_name="products.csv", engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors
    return engine


def year_pack_of(engine: Engine, product: str) -> dict[str, object]:
    """The 2026 funding pack's object for `product`, as `python -m exports` would build it."""
    from datetime import date

    from exports.build import pack_for
    from models.frames import pack_frames

    settings = get_settings()
    with engine.connect() as conn:
        frames = pack_frames(conn, year=2026, currency=settings.reporting_currency)
    pack = pack_for(
        frames,
        settings=settings,
        year=2026,
        as_of=date(2026, 11, 23),
        generated_at=None,
        products=[product],
    )
    return {**pack["products"][0], "_pack": pack}


def assert_refused_at(engine: Engine, data: bytes, *, row: int, column: str, message: str) -> None:
    """Importing `data` is refused naming `row` and `column`, and no table changes."""
    before = counts(engine)
    result = import_file(data, file_name="bad.csv", engine=engine, actor=EDITOR)
    assert result.status == "rejected"
    assert any(
        e["row"] == row and e["column"] == column and message in e["message"] for e in result.errors
    ), result.errors
    assert counts(engine) == before
