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
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection

__all__ = ["fetch_arrow"]

log = logging.getLogger(__name__)

# Marks the typed first row that fixes the SQLite driver's column types (see `_sqlite`).
_SEED = "_lp_seed"
# Rows converted at a time: the raw Arrow of one chunk (text dates and all) is
# all that is alive beside the converted frames, so a ten-million-row read
# peaks near its result's size instead of twice or three times it.
CHUNK_ROWS = 262_144

T = TypeVar("T")


def fetch_arrow(
    conn: Connection, sql: str, seed: dict[str, str], convert: Callable[[pa.Table], T]
) -> list[T] | None:
    """The result of `sql` (no parameters), `convert`ed chunk by chunk; None to read it otherwise.

    `seed` maps each selected column, in order, to an SQL literal of its type
    (`0`, `0.5`, `''`): SQLite's driver infers a column's type from the first
    rows it sees, so a column that starts with nulls would come back as int64
    and fail on the first date. A typed first row, dropped afterwards, fixes
    the types. `convert` gets tables of about `CHUNK_ROWS` rows (at least one,
    possibly empty) and what it returns is kept, in order.
    """
    try:
        if conn.dialect.name == "sqlite":
            return _sqlite(conn, sql, seed, convert)
        if conn.dialect.name == "postgresql":
            return _postgresql(conn, sql, convert)
    except Exception:  # any failure falls back to the DB-API read
        log.warning("the Arrow read failed; reading through the DB-API cursor", exc_info=True)
    return None


def _chunks(
    reader: pa.RecordBatchReader, convert: Callable[[pa.Table], T], *, seeded: bool
) -> list[T]:
    """Convert the batches of `reader`, a chunk of about `CHUNK_ROWS` rows at a time."""
    out: list[T] = []
    pending: list[pa.RecordBatch] = []
    rows = 0
    first = seeded
    for batch in reader:
        if first:
            batch = _unseeded(batch)
            first = False
        elif seeded:
            batch = batch.drop_columns([_SEED])
        pending.append(batch)
        rows += batch.num_rows
        if rows >= CHUNK_ROWS:
            out.append(convert(pa.Table.from_batches(pending)))
            pending, rows = [], 0
    if pending or not out:
        schema = pending[0].schema if pending else _schema(reader, seeded=seeded)
        out.append(convert(pa.Table.from_batches(pending, schema=schema)))
    return out


def _schema(reader: pa.RecordBatchReader, *, seeded: bool) -> pa.Schema:
    schema = reader.schema
    return schema.remove(schema.get_field_index(_SEED)) if seeded else schema


def _unseeded(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The first batch without its typed first row (and every batch without the marker)."""
    seeds = batch.column(_SEED)
    if len(seeds) and seeds[0].as_py() == 1 and pc.sum(seeds).as_py() == 1:
        batch = batch.slice(1)  # the seed came first, as SQLite emits UNION ALL: no copy
    else:
        batch = batch.filter(pc.equal(seeds, 0))
    return batch.drop_columns([_SEED])


def _sqlite(
    conn: Connection, sql: str, seed: dict[str, str], convert: Callable[[pa.Table], T]
) -> list[T] | None:
    path = conn.engine.url.database
    if not path or path == ":memory:" or path.startswith("file:") or not Path(path).is_file():
        return None
    if getattr(conn.connection.dbapi_connection, "in_transaction", True):
        return None  # this connection has written: only it sees those rows
    import adbc_driver_sqlite.dbapi as adbc_sqlite

    first = ", ".join(f"{literal} AS {name}" for name, literal in seed.items())
    seeded = f"SELECT 1 AS {_SEED}, {first} UNION ALL SELECT 0, * FROM ({sql})"
    with adbc_sqlite.connect(str(Path(path).resolve())) as adbc, adbc.cursor() as cursor:
        cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(CHUNK_ROWS)})
        cursor.execute(seeded)
        return _chunks(cursor.fetch_record_batch(), convert, seeded=True)


def _postgresql(conn: Connection, sql: str, convert: Callable[[pa.Table], T]) -> list[T] | None:
    written = conn.exec_driver_sql("SELECT pg_current_xact_id_if_assigned() IS NOT NULL").scalar()
    if written:
        return None  # this transaction has written: only it sees those rows
    import adbc_driver_postgresql.dbapi as adbc_pg

    uri = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with adbc_pg.connect(uri) as adbc, adbc.cursor() as cursor:
        cursor.execute(sql)
        return _chunks(cursor.fetch_record_batch(), convert, seeded=False)
