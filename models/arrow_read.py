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

Its connections are kept for the next read (`_Pool`): opening one costs a
PostgreSQL backend's start-up, 0.08-0.16 s here, which the Product page paid
four times per cold run (more than its reads took). They run in autocommit,
so an idle one holds no transaction or snapshot open.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pyarrow as pa
from sqlalchemy import Connection

__all__ = ["close_connections", "fetch_arrow"]

log = logging.getLogger(__name__)

# Rows converted at a time: the raw Arrow of one chunk (text dates and all) is
# all that is alive beside the converted frames, so a ten-million-row read
# peaks near its result's size instead of twice or three times it.
CHUNK_ROWS = 262_144

T = TypeVar("T")

# Idle connections kept per database: enough for the few sessions a server reads for at
# once; a burst beyond it opens more and closes them afterwards.
IDLE_PER_DATABASE = 4


class _Pool:
    """Idle ADBC connections per database URL, one reader at a time on each.

    An ADBC connection is not safe to share between threads (Streamlit runs
    each session's script in its own), so a reader takes one out and puts it
    back; one that failed is closed, never returned.
    """

    def __init__(self) -> None:
        self._idle: dict[str, list[Any]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def connection(self, uri: str, *, fresh: bool = False) -> Iterator[Any]:
        """A connection to `uri`: a kept one unless `fresh`, given back after a clean use."""
        adbc = None
        if not fresh:
            with self._lock:
                idle = self._idle.setdefault(uri, [])
                adbc = idle.pop() if idle else None
        if adbc is None:
            import adbc_driver_postgresql.dbapi as adbc_pg

            adbc = adbc_pg.connect(uri, autocommit=True)
        try:
            yield adbc
        except BaseException:
            adbc.close()
            raise
        with self._lock:
            idle = self._idle.setdefault(uri, [])
            if len(idle) < IDLE_PER_DATABASE:
                idle.append(adbc)
                adbc = None
        if adbc is not None:
            adbc.close()

    def close(self) -> None:
        """Close every idle connection (tests, and a process that is done reading)."""
        with self._lock:
            idle = [adbc for kept in self._idle.values() for adbc in kept]
            self._idle.clear()
        for adbc in idle:
            adbc.close()


_POOL = _Pool()
# Closed while the interpreter still stands: left to the garbage collector at exit, a kept
# connection's finaliser ran after the ADBC module was torn down and printed "Exception
# ignored in: Connection.__del__" (seen at the end of bench/pages_bench.py on PostgreSQL).
atexit.register(_POOL.close)


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
    uri = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        return _read(uri, sql, convert, fresh=False)
    except Exception:  # a kept connection the server has closed since (a restart, a timeout)
        log.info("a kept ADBC connection failed; reading on a new one", exc_info=True)
        return _read(uri, sql, convert, fresh=True)


def _read(uri: str, sql: str, convert: Callable[[pa.Table], T], *, fresh: bool) -> list[T]:
    with _POOL.connection(uri, fresh=fresh) as adbc, adbc.cursor() as cursor:
        cursor.execute(sql)
        return _chunks(cursor.fetch_record_batch(), convert)


def close_connections() -> None:
    """Close the idle ADBC connections kept for the next read."""
    _POOL.close()
