"""Seeding goes through the real import: a second run is all duplicates and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import polars as pl
import pytest
from sqlalchemy import Engine, inspect, text

from metrics.scorecard import portfolio_summary, year_scorecard
from models.frames import year_frames
from sample_data import FILES_DIR, seed_files
from sample_data.seed import seed, seed_if_empty
from settings import get_settings
from tests.actors import EDITOR

AS_OF = date(2026, 11, 23)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
            for name in inspect(engine).get_table_names()
        }


def test_seeding_twice_changes_nothing(db_engine: Engine) -> None:
    first = seed(engine=db_engine, actor=EDITOR)
    assert [r.status for r in first] == ["imported"] * len(seed_files())
    before = _counts(db_engine)
    assert before["product"] >= 12
    assert before["usage_record"] > 0
    second = seed(engine=db_engine, actor=EDITOR)
    assert [r.status for r in second] == ["duplicate"] * len(seed_files())
    assert _counts(db_engine) == before


def test_seed_if_empty_only_seeds_an_empty_database(engine: Engine) -> None:
    assert seed_if_empty(engine=engine, actor=EDITOR) is not None
    before = _counts(engine)
    assert seed_if_empty(engine=engine, actor=EDITOR) is None
    assert _counts(engine) == before


def _pounds(column: str, year: str, places: int) -> Decimal:
    """The year's total of a budgets.csv column of the committed (GBP) files, by hand.

    Each line is rounded to `places` decimals (half to even) first, the way the
    sample written in a currency with fewer decimals books it.
    """
    budgets = pl.read_csv(FILES_DIR / "budgets.csv", infer_schema_length=0)
    lines = budgets.filter(pl.col("month").str.starts_with(year))[column].drop_nulls()
    step = Decimal(1).scaleb(-places)
    return sum((Decimal(v).quantize(step, rounding=ROUND_HALF_EVEN) for v in lines), Decimal(0))


@pytest.fixture(params=["JPY", "KWD"])
def currency(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("LP_CURRENCY", request.param)
    get_settings.cache_clear()
    yield request.param
    get_settings.cache_clear()


def test_seeding_in_another_currency_imports_the_whole_sample(
    engine: Engine, currency: str
) -> None:
    # The committed files say GBP and carry pence: imported as they are, a JPY or KWD
    # deployment would reject contracts.csv (and, in JPY, budgets.csv). Seeding writes the
    # sample in the reporting currency instead.
    first = seed_if_empty(engine=engine, actor=EDITOR)
    assert first is not None
    assert [(r.file, r.status) for r in first] == [(p.name, "imported") for p in seed_files()]
    with engine.connect() as conn:
        assert set(conn.execute(text("SELECT currency FROM contract")).scalars()) == {currency}
        frames = year_frames(conn, year=2026, currency=currency)
    card = year_scorecard(frames, year=2026, thresholds=get_settings().health)
    totals = portfolio_summary(card, frames.usage, year=2026, currency=currency)
    # Computed by hand from the committed budgets.csv: plans are whole pounds, so the plan
    # is the same figure in yen and dinars; actuals are rounded to whole yen line by line
    # (0.13 → 0) and exact in fils.
    places = 0 if currency == "JPY" else 3
    assert totals.budget_plan == pytest.approx(float(_pounds("plan", "2026", 2)))
    assert totals.actual_cost == pytest.approx(float(_pounds("actual", "2026", places)))
    before = _counts(engine)
    second = seed(engine=engine, actor=EDITOR)
    assert [r.status for r in second] == ["duplicate"] * len(seed_files())
    assert _counts(engine) == before
