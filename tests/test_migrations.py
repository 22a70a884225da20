"""Alembic owns the schema: both starting points, on SQLite and PostgreSQL.

* an empty database upgrades to exactly `SQLModel.metadata` (Alembic's
  `compare_metadata` finds no difference), so a table change without a
  migration fails here;
* revision 0001 is exactly the schema release f3672a3 made with `create_all`;
* a database made and filled by f3672a3 upgrades keeping every row, and the
  funding pack's figures are those f3672a3 printed for it;
* a second upgrade runs no DDL and writes nothing;
* a database in an unknown state gets a one-line message, and is left alone;
* the new lifecycle stage `discovery` round-trips through the import after
  the upgrade.

How the fixtures in tests/fixtures/f3672a3/ were made (by
tests/fixtures/f3672a3/build_fixture.py, whose docstring has the commands):
commit f3672a3 was exported with ``git archive f3672a3 | tar -x -C
/tmp/f3672a3``; from there, with ``LP_AS_OF=2026-11-23`` and the default
settings (GBP), f3672a3's own import loaded the sample portfolio's
templates (products, contracts, budgets, outcomes), the first 60 rows of
the 2026 Udemy report, a three-learner LinkedIn Learning summary, a products
update that was then undone, a saved column mapping and a saved scenario
into ``portfolio.sqlite``, and the same into a fresh PostgreSQL 15 database,
dumped with ``pg_dump --inserts --no-owner --no-privileges`` into
``portfolio_postgresql.sql`` (the ``\\restrict``/``\\unrestrict`` lines of
pg_dump 15.14+ removed, so that it is plain SQL). ``pack_2026.json`` is what
f3672a3's ``python -m exports --format json --year 2026`` printed for the
SQLite file; it printed the same (but for ``generated_at``) for PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlmodel import SQLModel, select

import models.__main__ as models_cli
from exports.cli import main as exports_main
from loaders import import_file
from loaders.cli import main as loaders_main
from loaders.undo import undo_import
from models import LifecycleStage, Product, make_engine, session_scope
from models.frames import products_frame
from models.migrate import (
    BASELINE_REVISION,
    F3672A3_TABLES,
    MIGRATIONS_DIR,
    SchemaStateError,
    _newest_numbered,
    alembic_config,
    current_revision,
    head_revision,
    known_revisions,
    new_revision,
    upgrade,
)
from settings import get_settings
from tests import pg_server
from tests.actors import EDITOR

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "f3672a3"
AS_OF = "2026-11-23"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
pytestmark = pytest.mark.filterwarnings(
    # data_import and product refer to each other; SQLAlchemy says so whenever it sorts them.
    "ignore:Cannot correctly sort tables:sqlalchemy.exc.SAWarning"
)
WRITES = re.compile(r"\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


# --- databases -----------------------------------------------------------------------------------


class Databases:
    """Fresh empty databases of one backend, dropped at the end of the test."""

    def __init__(self, backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
        self.backend = backend
        self.tmp_path = tmp_path
        self.server: pg_server.PgServer | None = (
            request.getfixturevalue("postgres") if backend == "postgres" else None
        )
        self.created: list[str] = []

    def empty(self) -> str:
        """The URL of a new empty database."""
        if self.server is None:
            return f"sqlite:///{self.tmp_path / f'{uuid.uuid4().hex[:8]}.sqlite'}"
        name = f"lp_mig_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(**self._connect("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.server.url(name)

    def f3672a3(self) -> str:
        """A new database holding the portfolio f3672a3 imported (its schema, its rows)."""
        if self.server is None:
            path = self.tmp_path / f"f3672a3_{uuid.uuid4().hex[:8]}.sqlite"
            shutil.copyfile(FIXTURES / "portfolio.sqlite", path)
            return f"sqlite:///{path}"
        url = self.empty()
        dump = (FIXTURES / "portfolio_postgresql.sql").read_text(encoding="utf-8")
        with psycopg.connect(**self._connect(self.created[-1]), autocommit=True) as conn:
            conn.execute(dump)  # no parameters: the whole plain-SQL dump in one go
        return url

    def _connect(self, dbname: str) -> dict[str, Any]:
        assert self.server is not None
        return {
            "host": self.server.host,
            "port": self.server.port,
            "user": "postgres",
            "dbname": dbname,
        }

    def drop_all(self) -> None:
        if not self.created:
            return
        with psycopg.connect(**self._connect("postgres"), autocommit=True) as conn:
            for name in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def dbs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    databases = Databases(request.param, tmp_path, request)
    yield databases
    databases.drop_all()


@pytest.fixture
def settings_for(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Point DATABASE_URL (and the as-of date of the fixtures) at a database."""

    def use(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("LP_AS_OF", AS_OF)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def engine_for(url: str) -> Engine:
    """A plain engine: it neither migrates nor checks anything."""
    return create_engine(url)


# --- describing a schema -------------------------------------------------------------------------


def schema_of(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Everything DDL decides, as sorted rows, without the alembic_version table."""
    if conn.dialect.name == "sqlite":
        return _sqlite_schema(conn)
    return _postgresql_schema(conn)


def _sqlite_schema(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    tables = sorted(t for t in inspect(conn).get_table_names() if t != "alembic_version")
    out: dict[str, list[tuple[Any, ...]]] = {"tables": [(t,) for t in tables]}
    for t in tables:
        out[f"{t}.columns"] = [tuple(r) for r in conn.exec_driver_sql(f'PRAGMA table_info("{t}")')]
        out[f"{t}.foreign_keys"] = sorted(
            tuple(r)[2:] for r in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{t}")')
        )
        indexes = []
        for _seq, name, unique, origin, partial in conn.exec_driver_sql(
            f'PRAGMA index_list("{t}")'
        ):
            columns = [r[2] for r in conn.exec_driver_sql(f'PRAGMA index_info("{name}")')]
            shown = name if origin == "c" else origin  # sqlite_autoindex_* names are positional
            indexes.append((shown, unique, origin, partial, tuple(columns)))
        out[f"{t}.indexes"] = sorted(indexes)
    return out


_PG_QUERIES = {
    "columns": """
        SELECT table_name, column_name, ordinal_position, data_type, udt_name,
               character_maximum_length, is_nullable, column_default
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> 'alembic_version'""",
    "constraints": """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace
          AND conrelid::regclass::text <> 'alembic_version'""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> 'alembic_version'""",
    "enums": """
        SELECT t.typname,
               row_number() OVER (PARTITION BY t.typname ORDER BY e.enumsortorder),
               e.enumlabel
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE t.typnamespace = 'public'::regnamespace""",
    "sequences": """
        SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences
        WHERE sequence_schema = 'public'""",
}


def _postgresql_schema(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        name: sorted(tuple(r) for r in conn.execute(text(sql))) for name, sql in _PG_QUERIES.items()
    }


def rows_of(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Every row of every f3672a3 table, by primary key."""
    out = {}
    for table in sorted(F3672A3_TABLES):
        key = "key" if table == "app_state" else "id"
        rows = conn.execute(text(f'SELECT * FROM "{table}" ORDER BY "{key}"')).mappings()
        out[table] = [dict(r) for r in rows]
    return out


ADDED_COLUMNS: dict[str, set[str]] = {
    "data_import": {"created_by"},  # 0004: who made an import
    "saved_scenario": {"updated_by"},  # 0004: who saved a scenario last
}


def assert_rows_kept(conn: Connection, before: dict[str, list[dict[str, Any]]]) -> None:
    """Every old row is there with every value it had; columns later revisions added are empty."""
    after = rows_of(conn)
    added = {
        table: {key for row in rows for key in row} - {key for row in before[table] for key in row}
        for table, rows in after.items()
    }
    assert all(columns <= ADDED_COLUMNS.get(table, set()) for table, columns in added.items())
    assert all(row[key] is None for t, rows in after.items() for row in rows for key in added[t])
    assert {
        t: [{k: v for k, v in row.items() if k not in added[t]} for row in rows]
        for t, rows in after.items()
    } == before


def differences(engine: Engine) -> list[Any]:
    """What autogenerate would write: the database's schema against `SQLModel.metadata`."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def statements_during(action: Any) -> list[str]:
    """The SQL every engine sent while `action()` ran."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    return seen


# --- an empty database ---------------------------------------------------------------------------


def test_an_empty_database_upgrades_to_exactly_the_models(dbs: Databases) -> None:
    url = dbs.empty()
    engine = engine_for(url)
    try:
        result = upgrade(engine)
        assert (result.start, result.before, result.after) == ("empty", None, head_revision())
        assert result.applied == known_revisions()
        assert known_revisions()[:2] == ("0001", "0002")
        assert current_revision(engine) == head_revision()
        # No table, column, type, index or constraint differs from SQLModel.metadata.
        assert differences(engine) == []
        # And the DDL is the one create_all writes (enum values in order, VARCHAR lengths).
        reference = engine_for(dbs.empty())
        SQLModel.metadata.create_all(reference)
        with engine.connect() as migrated, reference.connect() as created:
            assert schema_of(migrated) == schema_of(created)
        reference.dispose()
    finally:
        engine.dispose()


def test_revision_0001_is_the_schema_f3672a3_made(dbs: Databases) -> None:
    made_by_f3672a3 = engine_for(dbs.f3672a3())
    only_0001 = engine_for(dbs.empty())
    try:
        with only_0001.connect() as conn:
            command.upgrade(alembic_config(conn), BASELINE_REVISION)
            conn.commit()
        assert current_revision(only_0001) == BASELINE_REVISION
        with made_by_f3672a3.connect() as old, only_0001.connect() as new:
            old_schema = schema_of(old)
            assert schema_of(new) == old_schema
            assert len(old_schema.get("tables", old_schema.get("columns"))) >= len(F3672A3_TABLES)
    finally:
        made_by_f3672a3.dispose()
        only_0001.dispose()


# --- a database made by f3672a3 ------------------------------------------------------------------


def test_a_database_filled_by_f3672a3_upgrades_keeping_every_row(dbs: Databases) -> None:
    url = dbs.f3672a3()
    plain = engine_for(url)
    with plain.connect() as conn:
        before = rows_of(conn)
        assert current_revision(plain) is None  # no alembic_version: create_all made it
    plain.dispose()
    # What f3672a3 imported, from its build script's inputs (counted by hand):
    assert {t: len(r) for t, r in before.items()} == {
        # Aaliyah and Ben: completions, course views, days logged in, minutes; Chi: no
        # completions (a blank cell), so 4 + 4 + 3
        "aggregate_usage": 11,
        "app_state": 1,  # the data version
        "budget_line": 926,  # the data rows of budgets.csv
        "column_mapping": 1,
        "content_item": 25,  # as f3672a3 matched the 60 Udemy rows' courses
        "contract": 10,  # the rows of contracts.csv
        # products, contracts, budgets, outcomes, the Udemy cut, the LinkedIn summary, and
        # the products update that was undone
        "data_import": 7,
        "learner": 24,  # as f3672a3 matched the Udemy and LinkedIn people
        "outcome_measure": 200,  # the rows of outcomes.csv
        "product": 15,  # the rows of products.csv
        "saved_scenario": 1,
        "usage_record": 60,  # the 60 Udemy rows
        "vendor": 7,  # the distinct vendors named in products.csv
    }

    engine = make_engine(url)  # what the app and every command line do at start-up
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert_rows_kept(conn, before)
        assert differences(engine) == []
    finally:
        engine.dispose()


def _figures(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every number, flag and identifying word of a pack, by a readable path.

    List items are named by their product, month, category or link where
    they have one, so a reordering does not hide a changed figure.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("product", "health", "lifecycle_stage", "category", "month", "link"):
                yield f"{path}.{key}", value
            yield from _figures(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            name = i
            if isinstance(item, dict):
                name = next(
                    (item[k] for k in ("product", "month", "category", "link") if k in item), i
                )
            yield from _figures(item, f"{path}[{name}]")
    elif isinstance(node, bool) or node is None or isinstance(node, int | float):
        yield path, node


def _same(old: Any, new: Any) -> bool:
    """Equal, floats to 1e-9 (a sum taken in another order may differ in the last bit)."""
    if isinstance(old, float) and isinstance(new, int | float) and not isinstance(new, bool):
        return new == pytest.approx(old, rel=1e-9, abs=1e-9)
    return old == new


def test_the_pack_after_the_upgrade_shows_the_figures_f3672a3_printed(
    dbs: Databases, capsysbinary: pytest.CaptureFixture[bytes], settings_for: Any
) -> None:
    printed_by_f3672a3 = json.loads((FIXTURES / "pack_2026.json").read_text(encoding="utf-8"))
    settings_for(dbs.f3672a3())
    assert exports_main(["--format", "json", "--year", "2026"]) == 0
    now = json.loads(capsysbinary.readouterr().out)
    assert (now["year"], now["as_of"]) == (2026, AS_OF)
    for part in ("products", "portfolio"):
        old = dict(_figures(printed_by_f3672a3[part]))
        new = dict(_figures(now[part]))
        # figure by figure, not a sample: 3,822 for the products and 188 for the portfolio
        assert len(old) > {"products": 3000, "portfolio": 150}[part]
        missing = sorted(set(old) - set(new))
        assert missing == [], f"{part}: figures no longer in the pack: {missing[:10]}"
        changed = {p: (v, new[p]) for p, v in old.items() if not _same(v, new[p])}
        assert changed == {}, f"{part}: figures that changed: {list(changed.items())[:10]}"
    names = [p["product"] for p in now["products"]]
    assert names == [p["product"] for p in printed_by_f3672a3["products"]]
    assert len(names) == 15


# --- a second run, unknown states ----------------------------------------------------------------


def _upgrade_again(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            before = rows_of(conn)
        results = []
        sent = statements_during(lambda: results.append(upgrade(engine)))
        (result,) = results
        assert (result.before, result.after, result.applied) == (
            head_revision(),
            head_revision(),
            (),
        )
        assert not result.changed
        assert [s for s in sent if WRITES.match(s)] == []
        assert len(sent) <= 2  # reading the revision is all it takes
        with engine.connect() as conn:
            assert rows_of(conn) == before
    finally:
        engine.dispose()


def test_a_second_upgrade_changes_nothing(dbs: Databases) -> None:
    _upgrade_again(dbs.empty())
    _upgrade_again(dbs.f3672a3())


def _tables(url: str) -> set[str]:
    engine = engine_for(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_revision_newer_than_this_code_is_refused_with_a_message(
    dbs: Databases, capsys: pytest.CaptureFixture[str], settings_for: Any, tmp_path: Path
) -> None:
    url = dbs.empty()
    make_engine(url).dispose()
    plain = engine_for(url)
    with plain.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    plain.dispose()
    with pytest.raises(SchemaStateError) as refused:
        make_engine(url)
    assert "at schema revision 9999" in str(refused.value)
    assert f"its newest is {head_revision()}" in str(refused.value)
    assert "newer release" in str(refused.value)
    # The command lines say it in one line (no traceback) and exit 1.
    assert models_cli.main(["upgrade", "--url", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("python -m models upgrade: the database ")
    assert "9999" in err and "Traceback" not in err
    assert models_cli.main(["current", "--url", url]) == 0
    assert "revision 9999" in capsys.readouterr().out
    settings_for(url)
    products = tmp_path / "products.csv"
    products.write_text("product,category\nA,other\n", encoding="utf-8")
    assert loaders_main([str(products)]) == 1
    assert "at schema revision 9999" in capsys.readouterr().err
    assert exports_main(["--format", "json"]) == 1
    assert "at schema revision 9999" in capsys.readouterr().err


def test_tables_that_are_not_f3672a3s_are_refused_and_left_alone(dbs: Databases) -> None:
    foreign = dbs.empty()
    plain = engine_for(foreign)
    with plain.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    plain.dispose()
    with pytest.raises(SchemaStateError, match="tables this application never made: notes"):
        make_engine(foreign)
    assert _tables(foreign) == {"notes"}  # nothing created, no alembic_version

    altered = dbs.f3672a3()
    plain = engine_for(altered)
    with plain.begin() as conn:
        conn.execute(text("ALTER TABLE product DROP COLUMN is_core"))
    plain.dispose()
    with pytest.raises(SchemaStateError, match=r"product: no column is_core"):
        make_engine(altered)
    assert "alembic_version" not in _tables(altered)


FAILING_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "{number}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    raise RuntimeError("this revision fails halfway")
"""


def test_a_revision_that_fails_leaves_the_revisions_before_it(
    dbs: Databases, tmp_path: Path
) -> None:
    location = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    number = f"{int(head) + 1:04d}"
    (location / "versions" / f"{number}_fails.py").write_text(
        FAILING_REVISION.format(number=number, head=head), encoding="utf-8"
    )
    url = dbs.f3672a3()
    with engine_for(url).connect() as conn:
        before = rows_of(conn)
    engine = engine_for(url)
    try:
        with pytest.raises(RuntimeError, match="fails halfway"):
            upgrade(engine, location=location)
        with engine.connect() as conn:
            assert_rows_kept(conn, before)
        tables = _tables(url)
        assert "half_done" not in tables  # the failing revision left nothing behind
        if dbs.backend == "sqlite":
            # one transaction for the whole run: as if it had never started
            assert current_revision(engine) is None
            assert "alembic_version" not in tables
        else:
            # one transaction per revision: those before the failing one stay applied
            assert current_revision(engine) == head
    finally:
        engine.dispose()


# --- lifecycle stage discovery after the upgrade -------------------------------------------------


def test_discovery_round_trips_after_the_upgrade(dbs: Databases) -> None:
    engine = make_engine(dbs.f3672a3())
    try:
        new = import_file(
            b"product,category,lifecycle_stage\nSkills Marketplace,platform,Idea\n",
            file_name="new_product.csv",
            engine=engine,
            actor=EDITOR,
        )
        assert new.status == "imported", new.errors
        moved = import_file(
            b"product,category,lifecycle_stage\nAI at Work Pilot,programme,exploration\n",
            file_name="stage_change.csv",
            engine=engine,
            actor=EDITOR,
        )
        assert moved.status == "imported", moved.errors
        with session_scope(engine) as session:
            stages = {p.name: p.lifecycle_stage for p in session.exec(select(Product)).all()}
        assert stages["Skills Marketplace"] == LifecycleStage.discovery
        assert stages["AI at Work Pilot"] == LifecycleStage.discovery
        assert stages["LinkedIn Learning"] == LifecycleStage.mature  # f3672a3's rows unchanged
        with engine.connect() as conn:
            frame = products_frame(conn)
        read = dict(zip(frame["product"], frame["lifecycle_stage"], strict=True))
        assert read["Skills Marketplace"] == "discovery"
        assert sorted(set(read.values())) == ["decline", "discovery", "growth", "mature"]
        undo_import(moved.import_id, engine=engine, actor=EDITOR)  # restores the stage it replaced
        with session_scope(engine) as session:
            pilot = session.exec(select(Product).where(Product.name == "AI at Work Pilot")).one()
        assert pilot.lifecycle_stage == LifecycleStage.pilot
    finally:
        engine.dispose()


# --- the command line ----------------------------------------------------------------------------


def _run(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "LP_AS_OF": AS_OF}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_python_m_models_upgrade_and_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh' / 'lp.sqlite'}"
    current = _run("-m", "models", "current", url=url)
    assert current.returncode == 0, current.stderr
    assert current.stdout.startswith("no database file at ")
    first = _run("-m", "models", "upgrade", url=url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (
        f"upgraded an empty database to revision {head_revision()}: "
        f"applied {', '.join(known_revisions())}"
    )
    second = _run("-m", "models", "upgrade", url=url)
    assert second.stdout.strip() == (
        f"the database is at revision {head_revision()} (current); nothing to do"
    )
    current = _run("-m", "models", "current", url=url)
    assert (
        current.stdout.strip() == f"revision {head_revision()}; newest: {head_revision()} (current)"
    )


def test_the_import_command_line_works_on_a_fresh_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lp.sqlite'}"
    products = tmp_path / "products.csv"
    products.write_text("product,category,lifecycle_stage\nLab,platform,MVP\n", encoding="utf-8")
    done = _run("-m", "loaders", str(products), url=url)
    assert done.returncode == 0, done.stderr
    assert "products.csv: imported, 1 of 1 rows" in done.stdout
    engine = engine_for(url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT lifecycle_stage FROM product")).scalar() == "pilot"
    finally:
        engine.dispose()


def test_the_export_command_line_works_on_an_empty_database(
    dbs: Databases, capsysbinary: pytest.CaptureFixture[bytes], settings_for: Any
) -> None:
    url = dbs.empty()
    if dbs.backend == "sqlite":
        Path(url.removeprefix("sqlite:///")).touch()  # an empty file: exports make no new file
    settings_for(url)
    assert exports_main(["--format", "json", "--year", "2026"]) == 0
    pack = json.loads(capsysbinary.readouterr().out)
    assert (pack["products"], pack["portfolio"]["products"]) == ([], 0)
    engine = engine_for(url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_the_revision_command_writes_the_next_numbered_file(tmp_path: Path) -> None:
    location = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    written = new_revision("nothing changed", location=location)
    number = f"{int(head_revision()) + 1:04d}"
    assert written == location / "versions" / f"{number}_nothing_changed.py"
    source = written.read_text(encoding="utf-8")
    assert f"revision = {number!r}" in source
    assert f"down_revision = {head_revision()!r}" in source
    # The models equal the revisions, so autogenerate found nothing to do.
    body = source.split("def upgrade() -> None:", 1)[1].split("def downgrade", 1)[0]
    code = [line.strip() for line in body.strip().splitlines()[1:]]
    assert [line for line in code if line and not line.startswith("#")] == ["pass"]
    assert head_revision(location=location) == number
    assert _newest_numbered(location) == number  # what start-up compares without alembic


def test_each_revision_file_is_numbered_as_its_revision() -> None:
    # Start-up takes the highest file number for the head (models.migrate._stored_head).
    files = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    assert [name[:4] for name in files] == list(known_revisions())
    assert _newest_numbered(MIGRATIONS_DIR) == head_revision()
