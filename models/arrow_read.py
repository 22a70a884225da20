"""Large reads straight into Arrow through ADBC, where the database allows it.

The year's usage facts are the pages' largest read (a million rows a year is
ordinary, ten million for a large employer). A DB-API driver builds a Python
object per cell (about 2 s for 9 M cells on these machines); the ADBC drivers
(Apache Arrow's database connectivity: SQLite's C library, PostgreSQL's binary
COPY) fill Arrow columns in C, three to six times faster, with no Python object
per row.

ADBC opens its own connection, so it only sees what is committed. A read made
inside a transaction that has written (an import checking its own rows, a
test's fixture) must see its own writes: `fetch_arrow` answers None there, and
for an in-memory database or any other dialect, and the caller reads through
its DB-API cursor instead. Any ADBC failure does the same: the fast path is an
optimisation, never a second source of truth.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection

__all__ = ["fetch_arrow"]

log = logging.getLogger(__name__)

# Marks the typed first row that fixes the SQLite driver's column types (see `_sqlite`).
_SEED = "_lp_seed"


def fetch_arrow(conn: Connection, sql: str, seed: dict[str, str]) -> pa.Table | None:
    """The result of `sql` (no parameters) as an Arrow table, or None to read it otherwise.

    `seed` maps each selected column, in order, to an SQL literal of its type
    (`0`, `0.5`, `''`): SQLite's driver infers a column's type from the first
    rows it sees, so a column that starts with nulls would come back as int64
    and fail on the first date. A typed first row, dropped afterwards, fixes
    the types.
    """
    try:
        if conn.dialect.name == "sqlite":
            return _sqlite(conn, sql, seed)
        if conn.dialect.name == "postgresql":
            return _postgresql(conn, sql)
    except Exception:  # any failure falls back to the DB-API read
        log.warning("the Arrow read failed; reading through the DB-API cursor", exc_info=True)
    return None


def _sqlite(conn: Connection, sql: str, seed: dict[str, str]) -> pa.Table | None:
    path = conn.engine.url.database
    if not path or path == ":memory:" or path.startswith("file:") or not Path(path).is_file():
        return None
    if getattr(conn.connection.dbapi_connection, "in_transaction", True):
        return None  # this connection has written: only it sees those rows
    import adbc_driver_sqlite.dbapi as adbc_sqlite

    first = ", ".join(f"{literal} AS {name}" for name, literal in seed.items())
    seeded = f"SELECT 1 AS {_SEED}, {first} UNION ALL SELECT 0, * FROM ({sql})"
    with adbc_sqlite.connect(str(Path(path).resolve())) as adbc, adbc.cursor() as cursor:
        cursor.execute(seeded)
        table = cursor.fetch_arrow_table()
    seeds = table.column(_SEED)
    if len(seeds) and seeds[0].as_py() == 1 and pc.sum(seeds).as_py() == 1:
        table = table.slice(1)  # the seed came first, as SQLite emits UNION ALL: no copy
    else:
        table = table.filter(pc.equal(seeds, 0))
    return table.drop_columns([_SEED])


def _postgresql(conn: Connection, sql: str) -> pa.Table | None:
    written = conn.exec_driver_sql("SELECT pg_current_xact_id_if_assigned() IS NOT NULL").scalar()
    if written:
        return None  # this transaction has written: only it sees those rows
    import adbc_driver_postgresql.dbapi as adbc_pg

    uri = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with adbc_pg.connect(uri) as adbc, adbc.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetch_arrow_table()
