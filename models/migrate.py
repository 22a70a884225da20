"""Alembic owns the schema: bring any database this application made to the current revision.

`upgrade(engine)` is what `python -m models upgrade` and `models.make_engine`
run. It recognises three starting points and refuses anything else with a
message (a `SchemaStateError`), never a traceback:

* an **empty** database: every revision runs, from 0001;
* a database made by release **f3672a3** (the last one that used
  `create_all`): its tables are there but there is no `alembic_version`
  table. Its tables and columns are recognised exactly, it is stamped
  ``0001`` (the revision that creates precisely that schema) and upgraded;
* a database with an ``alembic_version`` this code knows: the revisions
  after it run; at the newest one nothing runs at all (no DDL, no write).

Why so careful about the start: stamping a database with a revision whose
schema it does not have would make every later migration fail halfway, or
worse, succeed on the wrong tables. A revision this code does not know means
the database was upgraded by a newer release; running the old code on it
would misread its tables.

How a run is made safe (a database at the newest revision is recognised by
one read, without any lock, so start-ups cost nothing once it is current):

* **SQLite**: the whole run (check, stamp, every revision) is one
  ``BEGIN IMMEDIATE`` transaction on a connection of its own, with foreign
  keys off, because batch mode rebuilds a table (copy, drop, rename) and a
  ``DROP TABLE`` of a referenced table would otherwise fail or cascade; the
  foreign keys are checked (``PRAGMA foreign_key_check``) before the commit.
  The immediate lock also makes a second process wait instead of migrating
  the same file twice.
* **PostgreSQL**: a session advisory lock serialises concurrent start-ups;
  each revision runs in its own transaction (PostgreSQL's DDL is
  transactional), so a revision that must run outside a transaction block
  (``ALTER TYPE ... ADD VALUE`` before PostgreSQL 12) can.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:  # alembic itself is imported where it is used (see `_stored_head`)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

__all__ = [
    "BASELINE_REVISION",
    "F3672A3_TABLES",
    "MIGRATIONS_DIR",
    "SchemaStateError",
    "UpgradeResult",
    "alembic_config",
    "current_revision",
    "head_revision",
    "known_revisions",
    "new_revision",
    "upgrade",
]

MIGRATIONS_DIR: Final = Path(__file__).resolve().parent / "migrations"
BASELINE_REVISION: Final = "0001"
VERSION_TABLE: Final = "alembic_version"
# Any constant will do; it only has to be the same for every process of this application.
_PG_LOCK_KEY: Final = 0x4C50_4D49_4752  # "LPMIGR"

# The tables and columns `SQLModel.metadata.create_all` made at release f3672a3: what
# revision 0001 creates. A database without `alembic_version` is stamped 0001 only when its
# tables are exactly these.
_F3672A3_COLUMNS: Final = {
    "aggregate_usage": "id import_id product_id learner_id period_start period_end measure value",
    "app_state": "key value",
    "budget_line": "id import_id product_id month cost_category plan_minor actual_minor",
    "column_mapping": "id name vendor grain columns date_order created_at",
    "content_item": "id product_id external_id title content_type",
    "contract": (
        "id import_id product_id vendor_id start end seats price_per_seat_minor currency "
        "renewal_date"
    ),
    "data_import": (
        "id file_name content_hash kind format vendor product_id grain period_start period_end "
        "rows_read rows_imported rows_rejected status notes undo_data created_at undone_at"
    ),
    "learner": "id key key_kind email display_name org_unit created_at",
    "outcome_measure": (
        "id import_id product_id period level measure value n baseline unit_value_minor "
        "attribution_pct confidence_pct direction kind"
    ),
    "product": (
        "id name category lifecycle_stage owner sponsor target_audience target_audience_size "
        "business_problem business_goal strategic_fit is_core vendor_id import_id created_at "
        "updated_at"
    ),
    "saved_scenario": "id name year payload created_at updated_at",
    "usage_record": (
        "id import_id product_id learner_id content_item_id activity_date minutes progress_pct "
        "completed completed_date"
    ),
    "vendor": "id name name_key created_at",
}
F3672A3_TABLES: Final[dict[str, frozenset[str]]] = {
    table: frozenset(columns.split()) for table, columns in _F3672A3_COLUMNS.items()
}


class SchemaStateError(RuntimeError):
    """The database is in a state this code cannot upgrade; the message says why and what to do."""


@dataclass(frozen=True)
class UpgradeResult:
    """What one `upgrade` did.

    Attributes
    ----------
    start
        ``"empty"``, ``"f3672a3"`` (tables made by ``create_all``, stamped 0001)
        or the revision the database was at.
    before, after
        The revision before (None for an empty or f3672a3 database) and after.
    applied
        The revisions that ran, oldest first; empty when the database was current.
    """

    start: str
    before: str | None
    after: str
    applied: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether anything was written (a stamp or a revision)."""
        return self.start == "f3672a3" or bool(self.applied)

    def describe(self) -> str:
        """One line for the command line and the logs."""
        if not self.changed:
            return f"the database is at revision {self.after} (current); nothing to do"
        if not self.applied:
            return f"stamped a database made by release f3672a3 as revision {self.after}"
        origin = {
            "empty": "an empty database",
            "f3672a3": f"a database made by release f3672a3 (stamped {BASELINE_REVISION})",
        }.get(self.start, f"revision {self.before}")
        return f"upgraded {origin} to revision {self.after}: applied {', '.join(self.applied)}"


def alembic_config(
    connection: Connection | None = None, *, location: Path = MIGRATIONS_DIR
) -> Config:
    """Alembic's configuration, in code: no ``alembic.ini`` is needed anywhere.

    `connection` is handed to ``env.py`` through ``Config.attributes``; the
    migrations run on it and nothing else. `location` is the migrations
    folder (``env.py``, the script template, ``versions/``); only tests of
    the revision command give another one (a copy).
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(location))
    config.set_main_option("path_separator", "os")
    # "%%" because Config options go through ConfigParser interpolation.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _scripts(location: Path) -> ScriptDirectory:
    """The revision files, read once per process (they do not change while it runs)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(location=location))


def known_revisions(*, location: Path = MIGRATIONS_DIR) -> tuple[str, ...]:
    """Every revision this code knows, oldest first (the history is one straight line)."""
    return tuple(s.revision for s in reversed(list(_scripts(location).walk_revisions())))


def head_revision(*, location: Path = MIGRATIONS_DIR) -> str:
    """The newest revision this code knows (what `upgrade` brings a database to)."""
    known = known_revisions(location=location)
    if not known:  # pragma: no cover - the package always ships revisions
        msg = f"no migration revisions found in {location / 'versions'}"
        raise RuntimeError(msg)
    return known[-1]


def current_revision(engine: Engine) -> str | None:
    """The database's revision, None when it has no ``alembic_version`` (empty or f3672a3)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_NUMBERED: Final = re.compile(r"(\d{4})_\w*\.py")


def _newest_numbered(location: Path) -> str | None:
    """The highest number among the revision files ``versions/NNNN_*.py``.

    It is the head: revisions are numbered in order (`new_revision` writes
    the head's number + 1, and the tests check every file's revision
    against its number and this against alembic's own reading).
    """
    names = (p.name for p in (location / "versions").glob("*.py"))
    numbers = [m.group(1) for n in names if (m := _NUMBERED.fullmatch(n))]
    return max(numbers) if numbers else None


def _stored_head(engine: Engine, location: Path) -> str | None:
    """The newest revision when the database is at it, else None; without loading alembic.

    Why: importing alembic (with mako and pygments) took about 65 ms of
    every command's start, and a database at the newest revision, the usual
    case, needs none of it: one plain query of ``alembic_version`` against
    the newest revision file's number answers. Anything else (no version
    table, several rows, an older revision) goes the way it always went.
    """
    newest = _newest_numbered(location)
    if newest is None:
        return None
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        stored = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return newest if stored == [newest] else None


def _where(conn: Connection) -> str:
    return conn.engine.url.render_as_string(hide_password=True)


def _legacy_mismatch(conn: Connection, tables: set[str]) -> list[str]:
    """How the tables differ from release f3672a3's (empty when they are exactly those)."""
    problems: list[str] = []
    missing = sorted(set(F3672A3_TABLES) - tables)
    unexpected = sorted(tables - set(F3672A3_TABLES))
    if missing:
        problems.append(f"missing tables {', '.join(missing)}")
    if unexpected:
        problems.append(f"tables this application never made: {', '.join(unexpected)}")
    inspector = inspect(conn)
    for table in sorted(set(F3672A3_TABLES) & tables):
        columns = {c["name"] for c in inspector.get_columns(table)}
        expected = F3672A3_TABLES[table]
        if columns != expected:
            diff = [
                *(f"no column {c}" for c in sorted(expected - columns)),
                *(f"unknown column {c}" for c in sorted(columns - expected)),
            ]
            problems.append(f"{table}: {', '.join(diff)}")
    return problems


def _start_of(conn: Connection, known: tuple[str, ...]) -> tuple[str, str | None]:
    """Where an upgrade starts: ("empty" | "f3672a3" | "revision", the revision or None)."""
    tables = set(inspect(conn).get_table_names())
    if VERSION_TABLE in tables:
        from alembic.runtime.migration import MigrationContext

        revision = MigrationContext.configure(conn).get_current_revision()
        if revision is None and tables - {VERSION_TABLE}:
            msg = (
                f"the database {_where(conn)} has an empty {VERSION_TABLE} table next to "
                f"{len(tables) - 1} other tables, so its schema revision is unknown; restore it "
                "from a backup or point DATABASE_URL at an empty database"
            )
            raise SchemaStateError(msg)
        if revision is not None and revision not in known:
            msg = (
                f"the database {_where(conn)} is at schema revision {revision}, which this "
                f"version of the application does not know (its newest is {known[-1]}): "
                "it was upgraded by a newer release; run that release, or restore a backup "
                "taken before the upgrade"
            )
            raise SchemaStateError(msg)
        return ("revision", revision) if revision is not None else ("empty", None)
    if not tables:
        return "empty", None
    problems = _legacy_mismatch(conn, tables)
    if problems:
        msg = (
            f"the database {_where(conn)} has tables but no schema revision, and they are not "
            f"those of an earlier release of this application ({'; '.join(problems)}); "
            "nothing was changed: point DATABASE_URL at an empty database or at one this "
            "application made"
        )
        raise SchemaStateError(msg)
    return "f3672a3", None


def _sqlite_migration_connect(dbapi_connection: object, _record: object) -> None:
    """The driver's own transaction handling off, so that SQLAlchemy's BEGIN is the real one."""
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=OFF")  # batch mode drops and renames tables
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def _sqlite_connection(engine: Engine) -> Iterator[Connection]:
    """One immediate transaction, foreign keys off, checked before the commit."""
    database = engine.url.database
    if database in (None, "", ":memory:"):
        # Only this engine's pool can see an in-memory database; nothing to race with.
        with engine.begin() as conn:
            yield conn
        return
    migrator = create_engine(engine.url, poolclass=NullPool)
    event.listen(migrator, "connect", _sqlite_migration_connect)
    event.listen(migrator, "begin", _begin_immediate)
    try:
        with migrator.connect() as conn, conn.begin():
            yield conn
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                tables = sorted({str(row[0]) for row in broken})
                msg = (
                    f"the upgrade of {_where(conn)} would leave {len(broken)} rows whose "
                    f"foreign keys point nowhere (in {', '.join(tables)}); nothing was changed"
                )
                raise SchemaStateError(msg)
    finally:
        migrator.dispose()
        # The caller's pooled connections cached the schema before the run; SQLite refreshes
        # that cache for queries but not for every PRAGMA, so they are replaced.
        engine.dispose()


@contextmanager
def _postgresql_connection(engine: Engine) -> Iterator[Connection]:
    """A session advisory lock held for the whole run; revisions commit one by one."""
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_LOCK_KEY})
        conn.commit()
        try:
            yield conn
            conn.commit()
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_LOCK_KEY})
            conn.commit()


def _migration_connection(engine: Engine) -> AbstractContextManager[Connection]:
    if engine.dialect.name == "sqlite":
        return _sqlite_connection(engine)
    if engine.dialect.name == "postgresql":
        return _postgresql_connection(engine)
    msg = f"schema migrations support SQLite and PostgreSQL, not {engine.dialect.name}"
    raise SchemaStateError(msg)


def upgrade(engine: Engine, *, location: Path = MIGRATIONS_DIR) -> UpgradeResult:
    """Bring the database behind `engine` to the newest revision, keeping every row.

    A database already at the newest revision costs one query, takes no
    lock and does not load alembic (`_stored_head`); otherwise the start is
    checked again under the lock, so two processes starting together
    migrate once.

    Raises
    ------
    SchemaStateError
        When the database is neither empty, nor made by f3672a3, nor at a
        revision this code knows; nothing is changed then.
    """
    current = _stored_head(engine, location)
    if current is not None:
        return UpgradeResult(start="revision", before=current, after=current, applied=())
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    known = known_revisions(location=location)
    head = known[-1]
    with _migration_connection(engine) as conn:
        start, before = _start_of(conn, known)
        if before == head:  # another process got there first
            return UpgradeResult(start=start, before=before, after=head, applied=())
        if conn.dialect.name == "postgresql":
            conn.commit()  # end the reads' transaction: each revision then commits on its own
        config = alembic_config(conn, location=location)
        if start == "f3672a3":
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, "head")
        after = MigrationContext.configure(conn).get_current_revision()
    if after != head:  # pragma: no cover - alembic raises before this could happen
        msg = f"the upgrade stopped at revision {after}, not {head}"
        raise SchemaStateError(msg)
    base = BASELINE_REVISION if start == "f3672a3" else before
    applied = known[known.index(base) + 1 :] if base is not None else known
    return UpgradeResult(start=start, before=before, after=head, applied=applied)


def new_revision(
    message: str, *, autogenerate: bool = True, location: Path = MIGRATIONS_DIR
) -> Path:
    """Write the next numbered revision file, autogenerated against a scratch database at head.

    The scratch database is a temporary SQLite file upgraded to the newest
    revision, so the new file holds exactly what `SQLModel.metadata` has and
    the revisions do not. Read it before committing: autogenerate does not see
    a new value of a PostgreSQL enum type (write ``ALTER TYPE ... ADD VALUE``
    by hand, as revision 0002 does) nor renames (it writes a drop and an add).
    """
    from alembic import command

    rev_id = f"{int(head_revision(location=location)) + 1:04d}"
    with tempfile.TemporaryDirectory(prefix="lp-revision-") as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'head.sqlite'}")
        try:
            upgrade(engine, location=location)
            with engine.connect() as conn:
                config = alembic_config(conn, location=location)
                script = command.revision(
                    config, message=message, autogenerate=autogenerate, rev_id=rev_id
                )
                conn.commit()
        finally:
            engine.dispose()
    _scripts.cache_clear()
    if script is None or isinstance(script, list):  # pragma: no cover - one head, one script
        msg = "alembic wrote no revision file"
        raise RuntimeError(msg)
    return Path(script.path)
