"""Writing inside the import's transaction: the import row and bulk facts.

Facts are written with chunked DB-API `executemany` on a cursor of the
session's own connection, never one ORM object per row (DESIGN.md, "Rules
of the house"). Two things make it fast, both measured on these machines
for a 1M-row usage insert (`bench/import_bench.py`):

* each statement inserts a block of rows (`VALUES (...), (...), ...`,
  200 at a time), which takes about 40 % off the time of one statement per
  row: the driver's per-row work (reset, step, parameter dispatch) was the
  larger part of it;
* each chunk's values are converted column by column with `Series.to_list`
  and fed as lazy iterators, so no list of a million row tuples is built
  (building one cost as much again as converting the columns); an integer
  column with one value throughout (the import id), or a column null
  throughout, is written as a literal; booleans are bound as 0/1 integers.

Everything happens in the caller's transaction, so a failure leaves no trace.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, select
from sqlmodel import Session

from loaders.references import checked_once
from models.db import session_scope
from models.enums import ImportStatus
from models.tables import DataImport

__all__ = [
    "find_duplicate",
    "import_session",
    "insert_frame",
    "insert_new_returning",
    "select_chunked",
    "utc_now",
]

_CHUNK_ROWS = 50_000  # rows converted (to Python objects, or CSV for COPY) at a time
_BLOCK_ROWS = 200  # rows per INSERT statement
_CHUNK_KEYS = 5_000  # under SQLite's 32,766 and PostgreSQL's 65,535 parameters
_LARGE = 100_000
_CACHE_KIB = -65_536  # negative: KiB, so 64 MB


def utc_now() -> datetime:
    """Timestamps are stored in UTC, as `models.tables.utcnow` does."""
    return datetime.now(UTC)


def _placeholder(conn: Connection) -> str:
    style = conn.dialect.paramstyle
    if style == "qmark":
        return "?"
    if style in ("format", "pyformat"):
        return "%s"
    msg = f"unsupported DB-API paramstyle {style!r}"
    raise NotImplementedError(msg)


def _adapt(frame: pl.DataFrame, conn: Connection) -> pl.DataFrame:
    """SQLite gets dates as ISO text and booleans as 0/1 (as SQLAlchemy stores them).

    PostgreSQL gets Python objects. Why the booleans: `sqlite3` binds an
    exact `int` directly but sends a `bool` (a subclass) through its adapter
    lookup first; the stored integer is the same, the lookup was about a
    tenth of a 1M-row usage insert.
    """
    if conn.dialect.name != "sqlite":
        return frame
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Boolean():
            exprs.append(pl.col(name).cast(pl.Int8))
        elif dtype == pl.Date():
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            exprs.append(
                pl.col(name).dt.replace_time_zone(None).dt.strftime("%Y-%m-%d %H:%M:%S.%6f")
            )
    return frame.with_columns(exprs) if exprs else frame


def insert_frame(
    conn: Connection,
    table: str,
    frame: pl.DataFrame,
    *,
    on_chunk: Callable[[int], None] | None = None,
    skip_existing: bool = False,
) -> int:
    """Insert every row of `frame` (columns named as the table's) into `table`.

    Parameters
    ----------
    conn
        The import's connection; rows go through its own DB-API connection,
        so they are inside its transaction.
    table
        The table's name.
    frame
        One column per table column, in any order.
    on_chunk
        Called after each chunk with the number of rows written so far.
    skip_existing
        Add ``ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL): a row whose
        unique key another import wrote meanwhile is skipped, not an error,
        so two imports sharing learners or content both land; the caller
        reads the ids back by key.

    Returns
    -------
    int
        Rows written.
    """
    if frame.is_empty():
        return 0
    if not skip_existing and _copyable(conn, frame):
        return _copy_frame(conn, table, frame, on_chunk=on_chunk)
    tail = " ON CONFLICT DO NOTHING" if skip_existing else ""
    _insert_values(conn, table, frame, tail=tail, on_chunk=on_chunk)
    return frame.height


def insert_new_returning(
    conn: Connection, table: str, frame: pl.DataFrame, *, returning: Sequence[str]
) -> list[tuple[Any, ...]]:
    """Insert the rows of `frame` whose unique key is not taken; the `returning` columns of each.

    PostgreSQL only (``INSERT ... ON CONFLICT DO NOTHING RETURNING``). A row
    skipped because another import wrote its key meanwhile returns nothing:
    the caller reads those back by key. Why not insert, then read every key
    back: that read was 0.55 s of a 1M-row import's 125,000 new learners.
    """
    if not _on_psycopg(conn):
        msg = "insert_new_returning needs PostgreSQL through psycopg"
        raise NotImplementedError(msg)
    if frame.is_empty():
        return []
    quote = conn.dialect.identifier_preparer.quote
    tail = f" ON CONFLICT DO NOTHING RETURNING {', '.join(quote(c) for c in returning)}"
    returned: list[tuple[Any, ...]] = []
    _insert_values(conn, table, frame, tail=tail, returned=returned)
    return returned


def _insert_values(
    conn: Connection,
    table: str,
    frame: pl.DataFrame,
    *,
    tail: str,
    on_chunk: Callable[[int], None] | None = None,
    returned: list[tuple[Any, ...]] | None = None,
) -> None:
    """`frame` in multi-row `INSERT ... VALUES` statements ending in `tail`.

    With `returned`, the rows each statement returns are added to it.
    """
    quote = conn.dialect.identifier_preparer.quote
    mark = _placeholder(conn)
    constants = _literal_columns(frame)
    one = "(" + ", ".join(str(constants.get(c, mark)) for c in frame.columns) + ")"
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in frame.columns)}) VALUES "
    adapted = _adapt(frame.drop(list(constants)), conn)
    width = adapted.width
    block = max(1, min(_BLOCK_ROWS, _parameter_limit(conn) // width))
    block_sql = head + ", ".join([one] * block) + tail
    options = {} if returned is None else {"returning": True}
    with _large_cache(conn, rows=frame.height):
        cursor = conn.connection.cursor()
        try:
            for chunk in _reported(adapted, on_chunk):
                columns = [s.to_list() for s in chunk.iter_columns()]
                whole = chunk.height - chunk.height % block
                if whole:
                    values = chain.from_iterable(zip(*columns, strict=True))
                    # Consecutive runs of `block` rows' values; the rows past `whole` follow.
                    blocks = zip(*[values] * (block * width), strict=False)
                    cursor.executemany(block_sql, blocks, **options)
                    _collect(cursor, returned)
                if whole < chunk.height:
                    rest = zip(*(c[whole:] for c in columns), strict=True)
                    cursor.executemany(head + one + tail, rest, **options)
                    _collect(cursor, returned)
        finally:
            cursor.close()


def _collect(cursor: Any, returned: list[tuple[Any, ...]] | None) -> None:
    """The rows of each statement of psycopg's `executemany(..., returning=True)`."""
    if returned is None:
        return
    while True:
        returned.extend(tuple(r) for r in cursor.fetchall())
        if not cursor.nextset():
            return


def _reported(
    frame: pl.DataFrame, on_chunk: Callable[[int], None] | None
) -> Iterator[pl.DataFrame]:
    """`frame` in chunks of `_CHUNK_ROWS`; after each, `on_chunk` hears the rows written so far."""
    written = 0
    for chunk in frame.iter_slices(_CHUNK_ROWS):
        yield chunk
        written += chunk.height
        if on_chunk is not None:
            on_chunk(written)


def _on_psycopg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"


def _copyable(conn: Connection, frame: pl.DataFrame) -> bool:
    """Whether `frame` goes to the table with PostgreSQL's COPY (`_copy_frame`).

    On PostgreSQL through psycopg, for frames of at least two columns whose
    types polars writes as CSV exactly as PostgreSQL reads them back (whole
    numbers, floats, text, dates, booleans); anything else (money as
    Decimal, timestamps) keeps the parameter path.
    """
    if not _on_psycopg(conn) or frame.width < 2:
        return False
    return all(
        dtype.is_integer()
        or dtype in (pl.Float64(), pl.Float32(), pl.String(), pl.Date(), pl.Boolean())
        or isinstance(dtype, pl.Categorical)
        for dtype in frame.schema.values()
    )


def _copy_frame(
    conn: Connection,
    table: str,
    frame: pl.DataFrame,
    *,
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    r"""Write `frame` with ``COPY ... FROM STDIN (FORMAT csv)``, in the caller's transaction.

    Why: PostgreSQL parses the rows itself; no Python object is made per
    value, nor a statement per block of rows. polars writes each chunk as
    CSV: a null as an empty field, an empty text as ``""``, floats in their
    shortest form that reads back as the same double, dates as ISO
    `YYYY-MM-DD`, booleans as true/false, so the stored values are those the
    parameter path stores (tests/loaders/test_copy_path.py). A lone ``\.``
    line (the end-of-data mark) cannot occur: every row has a comma. The
    frame's foreign keys are checked once per referenced row, not per row,
    where the session may (`loaders.references`).
    """
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(c) for c in frame.columns)
    sql = f"COPY {quote(table)} ({columns}) FROM STDIN (FORMAT csv)"
    cursor = conn.connection.cursor()
    try:
        with checked_once(conn, table, frame), cursor.copy(sql) as copy:
            for chunk in _reported(frame, on_chunk):  # a few MB of CSV at a time
                buffer = io.BytesIO()
                chunk.write_csv(buffer, include_header=False)
                copy.write(buffer.getbuffer())
    finally:
        cursor.close()
    return frame.height


def _literal_columns(frame: pl.DataFrame) -> dict[str, int | str]:
    """Columns holding one integer in every row (the import id), or null in every row.

    They are written as literals (``NULL`` for the empty ones, such as a
    learner's e-mail when identities are not stored): fewer parameters per
    row to convert and bind, and a `None` is the costly kind (`sqlite3`
    looks for an adapter for it). At least one column stays a parameter.
    """
    found: dict[str, int | str] = {}
    for name, dtype in frame.schema.items():
        if len(found) >= frame.width - 1:
            break
        column = frame.get_column(name)
        if column.null_count() == frame.height:
            found[name] = "NULL"
        elif dtype.is_integer() and column.null_count() == 0:
            low, high = column.min(), column.max()
            if low == high:
                found[name] = int(low)  # type: ignore[arg-type]
    return found


def _parameter_limit(conn: Connection) -> int:
    """Most parameters one statement may carry on this connection."""
    if conn.dialect.name != "sqlite":
        return 65_535  # PostgreSQL's protocol limit
    raw = conn.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection) and hasattr(raw, "getlimit"):
        return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return 999  # SQLite's limit before 3.32


@contextmanager
def _large_cache(conn: Connection, *, rows: int) -> Iterator[None]:
    """Give SQLite a bigger page cache while a large insert runs, then put it back.

    With the default 2 MB cache, inserts into an index whose order differs
    from the rows' thrash it: measured here with the former usage index by
    product and date, a 1M-row insert took 11 s with the default and 8.7 s
    with 64 MB. Usage facts now follow their only index, but other tables'
    rows need not. The pragma is not transactional, so it is safe inside
    the import.
    """
    if conn.dialect.name != "sqlite" or rows < _LARGE:
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = {_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def select_chunked(
    conn: Connection, sql: str, keys: Sequence[Any], *, params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """Run `sql` (ending in `IN ({keys})`) for `keys` in chunks; leading `params` first.

    Keeps each statement under every driver's parameter limit. On PostgreSQL
    the keys go as one array instead (`= ANY(%s)`), in one statement: a list
    of 5,000 parameters is parsed and planned anew each time, which took
    1.3 s of a 1M-row import's learner lookups (125,000 keys), measured here.
    """
    if "IN ({keys})" not in sql:
        msg = f"select_chunked needs a query ending in IN ({{keys}}): {sql!r}"
        raise ValueError(msg)
    mark = _placeholder(conn)
    rows: list[tuple[Any, ...]] = []
    cursor = conn.connection.cursor()  # plain tuples: no result-row objects to build
    try:
        if conn.dialect.name == "postgresql":
            if keys:
                statement = sql.replace("IN ({keys})", f"= ANY({mark})").replace("{p}", mark)
                cursor.execute(statement, (*params, list(keys)))
                rows.extend(tuple(r) for r in cursor.fetchall())
            return rows
        for start in range(0, len(keys), _CHUNK_KEYS):
            chunk = list(keys[start : start + _CHUNK_KEYS])
            statement = sql.replace("{keys}", ", ".join(mark for _ in chunk)).replace("{p}", mark)
            cursor.execute(statement, (*params, *chunk))
            rows.extend(tuple(r) for r in cursor.fetchall())
    finally:
        cursor.close()
    return rows


@contextmanager
def import_session(engine: Engine) -> Iterator[Session]:
    """`session_scope` for one import; on SQLite without per-row foreign-key lookups.

    Notes
    -----
    SQLite checks each foreign key of each inserted row with an index
    lookup: four per usage fact, about a fifth of a 1M-row import measured
    here. Every id an import writes comes from rows it read or wrote inside
    this same write transaction, and SQLite lets one writer at a time
    commit on a current snapshot, so the checks cannot fail; they are
    switched off for this connection only (the pragma works outside a
    transaction, hence before the session begins) and switched back on
    before the connection returns to the pool. Temporary files are kept in
    memory meanwhile: each multi-row INSERT keeps a statement journal (the
    pages it changed, so that a failing statement can be undone alone),
    and in a temporary file that was two system calls per page, over
    100,000 for a 1M-row import (0.15 s of it, measured here); the journal holds
    only one statement's pages at a time, so memory hardly grows. The
    transaction is `BEGIN IMMEDIATE`, so imports queue for the write lock
    instead of failing. The tests run `PRAGMA foreign_key_check` after
    imports and undo.
    """
    if engine.dialect.name != "sqlite":
        with session_scope(engine) as session:
            yield session
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        conn.exec_driver_sql("PRAGMA temp_store = MEMORY")
        conn.commit()  # ends SQLAlchemy's autobegun transaction; pysqlite sent no BEGIN
        try:
            # Take the write lock first (waiting up to the busy timeout): a deferred
            # transaction that read before another import committed could not write at all
            # ("database is locked"), and the duplicate check must see every earlier import.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            with session_scope(conn) as session:  # type: ignore[arg-type]
                yield session  # the session joins this transaction: it commits below
            conn.commit()
        finally:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")
            conn.exec_driver_sql("PRAGMA temp_store = DEFAULT")
            conn.commit()


def find_duplicate(session: Session, content_hash: str) -> DataImport | None:
    """The standing import of the same bytes, if there is one (undone ones do not count)."""
    query = (
        select(DataImport)
        .where(DataImport.content_hash == content_hash)
        .where(DataImport.status == ImportStatus.imported)
        .order_by(DataImport.id)
    )
    return session.execute(query).scalars().first()


def dumps(value: object) -> str:
    """JSON for the notes and undo columns (dates as ISO text)."""
    return json.dumps(value, default=str, ensure_ascii=False)


def unique_in_order(values: Iterable[Any]) -> list[Any]:
    """Distinct values, first occurrence order."""
    return list(dict.fromkeys(values))
