"""Two `python -m loaders` processes importing into one PostgreSQL database at the same time.

This is what two app servers (or a server and a nightly script) do in a team
deployment. The processes are started together and each imports a file of a
few thousand rows, so their imports usually overlap (nothing here forces it:
test_concurrent_imports.py races the import function behind a barrier, on
SQLite and PostgreSQL). Whatever the interleaving, two different files both
land completely, and one file given to both lands once (one process says
`imported`, the other `duplicate`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests import pg_server
from tests.loaders.conftest import PRODUCTS_CSV
from tests.loaders.factories import linkedin_csv

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3000


@pytest.fixture
def pg_url(postgres: pg_server.PgServer) -> Iterator[str]:
    """A fresh database on the session's PostgreSQL server."""
    name = f"lp_cli_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield postgres.url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "LP_AS_OF": "2026-11-23",
        "LP_MODE": "production",
        "LP_PSEUDONYM_KEY": "concurrent-cli-test-key",
    }


def _cli(url: str, *paths: Path) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "loaders", *map(str, paths), "--json"],
        cwd=ROOT, env=_env(url), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _at_once(url: str, *paths: Path) -> list[dict[str, object]]:
    """One `python -m loaders --json FILE` process per path, all started before any is waited on."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "loaders", str(path), "--json"],
            cwd=ROOT,
            env=_env(url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in paths
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, out + err
        results.append(json.loads(out))
    return results


def _scalar(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def shop(pg_url: str, tmp_path: Path) -> str:
    products = tmp_path / "products.csv"
    products.write_bytes(PRODUCTS_CSV)
    assert [r["status"] for r in _cli(pg_url, products)] == ["imported"]
    return pg_url


def test_two_processes_import_two_files_at_once_and_both_land(shop: str, tmp_path: Path) -> None:
    first = tmp_path / "week1.csv"  # learners 0 .. ROWS-1
    second = tmp_path / "week2.csv"  # learners ROWS/2 .. ROWS*3/2-1: half shared
    first.write_text(linkedin_csv(ROWS, start=0, viewed="10/14/2026"), encoding="utf-8")
    second.write_text(linkedin_csv(ROWS, start=ROWS // 2, viewed="10/21/2026"), encoding="utf-8")
    results = _at_once(shop, first, second)
    assert [(r["status"], r["rows_imported"]) for r in results] == [
        ("imported", ROWS),
        ("imported", ROWS),
    ], results
    assert _scalar(shop, "SELECT COUNT(*) FROM usage_record") == 2 * ROWS
    assert _scalar(shop, "SELECT COUNT(*) FROM learner") == ROWS * 3 // 2  # distinct people
    assert _scalar(shop, "SELECT COUNT(*) FROM content_item") == 2  # LL0, LL1: shared
    assert _scalar(shop, "SELECT COUNT(*) FROM data_import WHERE undone_at IS NULL") == 3


def test_two_processes_import_one_file_at_once_and_it_lands_once(shop: str, tmp_path: Path) -> None:
    data = linkedin_csv(ROWS, start=0)
    left, right = tmp_path / "left", tmp_path / "right"
    for folder in (left, right):  # the same content, uploaded from two places
        folder.mkdir()
        (folder / "week.csv").write_text(data, encoding="utf-8")
    results = _at_once(shop, left / "week.csv", right / "week.csv")
    assert sorted(str(r["status"]) for r in results) == ["duplicate", "imported"], results
    assert _scalar(shop, "SELECT COUNT(*) FROM usage_record") == ROWS  # counted once
    assert _scalar(shop, "SELECT COUNT(*) FROM data_import WHERE file_name = 'week.csv'") == 1
