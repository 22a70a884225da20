"""Imports at the same moment, from separate processes, on SQLite and on PostgreSQL.

Each round starts its processes behind one barrier so their imports overlap:
the same file uploaded several times at once lands exactly once (the others say
`duplicate`), and two different files sharing learners and content both land
completely. `LP_RACE_ROUNDS` sets the rounds (default 3; the closing note of
issue 14 quotes 20).
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.synchronize import Barrier

import pytest
from sqlalchemy import Engine, text

from loaders import import_file
from models import make_engine
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV
from tests.loaders.factories import linkedin_csv

ROUNDS = int(os.environ.get("LP_RACE_ROUNDS", "3"))
SPAWN = multiprocessing.get_context("spawn")


def _import(url: str, data: bytes, name: str, barrier: Barrier) -> tuple[str, int, str]:
    """One process: connect, wait for the others, import; (status, rows, first error)."""
    engine = make_engine(url)
    barrier.wait(timeout=120)
    result = import_file(data, file_name=name, engine=engine, actor=EDITOR)
    engine.dispose()
    error = str(result.errors[0]["message"]) if result.errors else ""
    return result.status, result.rows_imported, error


def _race(url: str, files: list[tuple[bytes, str]]) -> list[tuple[str, int, str]]:
    barrier = SPAWN.Manager().Barrier(len(files))
    with SPAWN.Pool(len(files)) as pool:
        waiting = [pool.apply_async(_import, (url, data, name, barrier)) for data, name in files]
        return [w.get(timeout=300) for w in waiting]


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


@pytest.fixture
def shop(db_engine: Engine) -> Engine:
    assert import_file(
        PRODUCTS_CSV, file_name="products.csv", engine=db_engine, actor=EDITOR
    ).status == ("imported")
    return db_engine


def test_the_same_file_uploaded_four_times_at_once_lands_once(shop: Engine) -> None:
    url = shop.url.render_as_string(hide_password=False)
    for round_ in range(ROUNDS):
        data = linkedin_csv(30, start=1000 * round_).encode()
        outcomes = _race(url, [(data, f"week{round_}.csv")] * 4)
        statuses = sorted(status for status, _, _ in outcomes)
        assert statuses == ["duplicate", "duplicate", "duplicate", "imported"], outcomes
        live = f"SELECT COUNT(*) FROM data_import WHERE file_name = 'week{round_}.csv'"
        assert _scalar(shop, live) == 1
    assert _scalar(shop, "SELECT COUNT(*) FROM usage_record") == 30 * ROUNDS  # counted once


def test_two_files_sharing_learners_both_land_completely(shop: Engine) -> None:
    url = shop.url.render_as_string(hide_password=False)
    for round_ in range(ROUNDS):
        base = 1000 * round_
        first = linkedin_csv(40, start=base, viewed="10/14/2026").encode()  # learners 0-39
        second = linkedin_csv(40, start=base + 20, viewed="10/21/2026").encode()  # 20-59
        outcomes = _race(url, [(first, f"a{round_}.csv"), (second, f"b{round_}.csv")])
        assert [o[:2] for o in outcomes] == [("imported", 40), ("imported", 40)], outcomes
    assert _scalar(shop, "SELECT COUNT(*) FROM usage_record") == 80 * ROUNDS
    assert _scalar(shop, "SELECT COUNT(*) FROM learner") == 60 * ROUNDS  # distinct people
    assert _scalar(shop, "SELECT COUNT(*) FROM content_item") == 2  # LL0, LL1: shared
