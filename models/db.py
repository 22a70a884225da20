"""The engine, sessions and the data version.

One `make_engine(url)` per process (the app caches it with
`st.cache_resource`, the command lines call it directly) and one
`session_scope()` per unit of work. `make_engine` brings the schema to the
newest migration (`models.migrate.upgrade`): Alembic owns the schema and
nothing here calls `create_all` (running the migrations on a fresh SQLite
file takes about as long, some 40 ms, so even test fixtures use them).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine, select

from models import tables  # noqa: F401  (registers every table on SQLModel.metadata)
from models.migrate import upgrade
from models.tables import AppState, Product

__all__ = [
    "DATA_VERSION_KEY",
    "SQLITE_PRAGMAS",
    "bump_data_version",
    "claim_state",
    "data_version",
    "has_products",
    "make_engine",
    "session_scope",
]

DATA_VERSION_KEY = "data_version"


_PAGE_BYTES = 8192
SQLITE_PRAGMAS: tuple[str, ...] = (
    f"PRAGMA page_size={_PAGE_BYTES}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=30000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)
"""What every SQLite connection runs first (`_sqlite_pragmas` says why WAL and 8 KiB pages).

Also the settings of the import bench's command floor (`bench/import_bench.py`),
so that floor writes into the same kind of database as the import.
"""


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """WAL and a busy timeout, so a long import does not block a scenario save.

    Why 8 KiB pages (SQLite's default is 4 KiB): every page an import writes
    goes to the write-ahead log and then to the file, one system call
    each, so half as many pages is half as many calls; measured on a 1M-row
    import (`bench/import_bench.py`), 4.7 s with 4 KiB pages, 4.45 s with
    8 KiB and no better with 16 KiB. The size is set when a database is
    created (before its first table); on an existing file the pragma
    changes nothing, so older databases keep their pages.
    """
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def make_engine(url: str, *, migrate: bool = True) -> Engine:
    """Build the engine for `url` and bring its schema to the newest migration.

    A SQLite file's folder is created on demand so a fresh clone runs with no
    set-up. `migrate=False` leaves the schema as it is (a test that builds
    an old database on purpose).

    Raises
    ------
    models.migrate.SchemaStateError
        When the database is in a state no migration starts from; nothing
        is changed then and the message says what to do.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        _bind_none_directly()
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if migrate:
        try:
            upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
    return engine


def _bind_none_directly() -> None:
    """Make `sqlite3` bind a None parameter without looking for a way to adapt it.

    Why: `sqlite3` binds an exact int, float or str at once, but for any
    other value (None included) it first looks for an adapter, then for
    `__adapt__` and `__conform__` methods, before binding NULL. On a bulk
    insert that is half a microsecond per null cell: a third of a second
    for a 1M-row usage report where most rows have no completion date.
    With an adapter registered for None (`{}.get`, which returns None for
    any key) the first lookup succeeds and NULL is bound as before; the
    stored values do not change. Registering it is process-wide and
    idempotent; None is not one of the base types whose adapters slow
    every other value down.
    """
    sqlite3.register_adapter(type(None), {}.get)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def bump_data_version(*, session: Session) -> None:
    """Mark the data as changed inside the caller's transaction."""
    updated = session.execute(
        text("UPDATE app_state SET value = value + 1 WHERE key = :k"), {"k": DATA_VERSION_KEY}
    )
    if updated.rowcount == 0:  # type: ignore[attr-defined]
        session.add(AppState(key=DATA_VERSION_KEY, value=1))
        session.flush()


def claim_state(session: Session, key: str, value: int) -> int:
    """Store `value` under `key` unless a value is already there; return the stored one.

    Insert-or-get in one statement (`ON CONFLICT DO NOTHING`, on SQLite and
    PostgreSQL alike), so two processes claiming at once agree on one value.
    """
    insert = sqlite_insert
    if session.get_bind().dialect.name == "postgresql":  # loaded only where it is needed
        from sqlalchemy.dialects.postgresql import insert
    statement = insert(AppState).values(key=key, value=value).on_conflict_do_nothing()
    session.execute(statement)
    return session.execute(select(AppState.value).where(AppState.key == key)).scalar_one()


def data_version(*, session: Session) -> int:
    """The counter every write bumps; cached readers are keyed on it."""
    row = session.get(AppState, DATA_VERSION_KEY)
    return row.value if row else 0


def has_products(*, session: Session) -> bool:
    """Whether the database holds a portfolio yet (first-run seeding checks this)."""
    return session.exec(select(Product.id).limit(1)).first() is not None
