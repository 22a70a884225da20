"""Seeding goes through the real import: a second run is all duplicates and changes nothing."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from sample_data import seed_files
from sample_data.seed import seed, seed_if_empty


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
            for name in inspect(engine).get_table_names()
        }


def test_seeding_twice_changes_nothing(db_engine: Engine) -> None:
    first = seed(engine=db_engine)
    assert [r.status for r in first] == ["imported"] * len(seed_files())
    before = _counts(db_engine)
    assert before["product"] >= 12
    assert before["usage_record"] > 0
    second = seed(engine=db_engine)
    assert [r.status for r in second] == ["duplicate"] * len(seed_files())
    assert _counts(db_engine) == before


def test_seed_if_empty_only_seeds_an_empty_database(engine: Engine) -> None:
    assert seed_if_empty(engine=engine) is not None
    before = _counts(engine)
    assert seed_if_empty(engine=engine) is None
    assert _counts(engine) == before
