"""Large reads straight into Arrow through ADBC, on PostgreSQL.

The year's usage facts are the pages' largest read (a million rows a year is
ordinary, ten million for a large employer). A DB-API driver builds a Python
object per cell (about 2 s for 9 M cells on these machines); PostgreSQL's ADBC
driver (Apache Arrow's database connectivity, over binary COPY) fills Arrow
columns in C, with no Python object per row.

Not on SQLite: `adbc-driver-sqlite` bundles its own SQLite, whose file locks
do not see Python's (DESIGN.md: later commits in the same process fail with
`disk I/O error`), so SQLite is read through the DB-API cursor.

ADBC opens its own connection, so it only sees what is committed. A read made
inside a transaction that has written must see its own writes: `fetch_arrow`
answers None there, and for any other dialect, and the caller reads through
its DB-API cursor instead. Any ADBC failure does the same: the fast path is an
optimisation, never a second source of truth.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import pyarrow as pa
from sqlalchemy import Connection

__all__ = ["fetch_arrow"]

log = logging.getLogger(__name__)

# Rows converted at a time: the raw Arrow of one chunk (text dates and all) is
# all that is alive beside the converted frames, so a ten-million-row read
# peaks near its result's size instead of twice or three times it.
CHUNK_ROWS = 262_144

T = TypeVar("T")


def fetch_arrow(conn: Connection, sql: str, convert: Callable[[pa.Table], T]) -> list[T] | None:
    """The result of `sql` (no parameters), `convert`ed chunk by chunk; None to read it otherwise.

    `convert` gets tables of about `CHUNK_ROWS` rows (at least one,
    possibly empty) and what it returns is kept, in order.
    """
    try:
        if conn.dialect.name == "postgresql":
            return _postgresql(conn, sql, convert)
    except Exception:  # any failure falls back to the DB-API read
        log.warning("the Arrow read failed; reading through the DB-API cursor", exc_info=True)
    return None


def _chunks(reader: pa.RecordBatchReader, convert: Callable[[pa.Table], T]) -> list[T]:
    """Convert the batches of `reader`, a chunk of about `CHUNK_ROWS` rows at a time."""
    out: list[T] = []
    pending: list[pa.RecordBatch] = []
    rows = 0
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= CHUNK_ROWS:
            out.append(convert(pa.Table.from_batches(pending)))
            pending, rows = [], 0
    if pending or not out:
        out.append(convert(pa.Table.from_batches(pending, schema=reader.schema)))
    return out


def _postgresql(conn: Connection, sql: str, convert: Callable[[pa.Table], T]) -> list[T] | None:
    written = conn.exec_driver_sql("SELECT pg_current_xact_id_if_assigned() IS NOT NULL").scalar()
    if written:
        return None  # this transaction has written: only it sees those rows
    import adbc_driver_postgresql.dbapi as adbc_pg

    uri = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with adbc_pg.connect(uri) as adbc, adbc.cursor() as cursor:
        cursor.execute(sql)
        return _chunks(cursor.fetch_record_batch(), convert)
