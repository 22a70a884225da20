"""Shared fixtures: every test gets its own fresh database.

`engine` is a temporary SQLite file. `db_engine` runs a test once on SQLite
and once on a real PostgreSQL server (started once per session, one fresh
database per test). Without PostgreSQL binaries the PostgreSQL half is
skipped, unless LP_REQUIRE_POSTGRES=1 (set by CI), where it fails.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from models import make_engine
from models.arrow_read import close_connections
from tests import pg_server

# The scripts that made the committed fixtures once (with tools such as xlwt that the project
# does not install): kept beside their files to say how, never collected as tests.
collect_ignore_glob = ["fixtures/*/build_*.py"]

ROOT = Path(__file__).resolve().parents[1]

# Learner keys are hashed with a key generated per install (loaders.pseudonym): tests and the
# app servers they start (which inherit the environment) share one throwaway key file, so no
# test writes a key into the repository's data/ folder.
os.environ.setdefault(
    "LP_PSEUDONYM_KEY_FILE", str(Path(tempfile.mkdtemp(prefix="lp-key-")) / "pseudonym.key")
)

# Warming the pages' caches after each import (pages.warm_up) is for people: in tests it
# would run a background pass after every import, on the same two cores, past the end of
# the test that made its database. Its own tests turn it on.
os.environ.setdefault("LP_WARM_UP", "false")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'test.sqlite'}")
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg_server.PgServer]:
    try:
        server = pg_server.start()
    except (RuntimeError, OSError) as exc:
        if os.environ.get("LP_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but could not start: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.sqlite'}")
        yield eng
        eng.dispose()
        return
    server: pg_server.PgServer = request.getfixturevalue("postgres")
    name = f"lp_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = make_engine(server.url(name))
    yield eng
    eng.dispose()
    close_connections()  # the Arrow reads' kept connections to this database
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.seeded import build_template

    return build_template(tmp_path_factory.mktemp("seeded"))


@pytest.fixture
def seeded_url(
    seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh copy of the seeded sample database, selected through DATABASE_URL."""
    from settings import get_settings
    from tests.seeded import AS_OF, copy_of

    url = copy_of(seeded_template, tmp_path / "seeded.sqlite")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LP_AS_OF", AS_OF)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
