"""A bulk COPY's foreign keys checked once per referenced row, not once per copied row.

Why: PostgreSQL checks each foreign key of each row written with its own
query (`SELECT 1 FROM ONLY learner WHERE id = $1 FOR KEY SHARE`), four for
every usage fact: 18.5 s of a 1M-row import's 24 s, measured here, against
4.7 s for the same COPY without them. The references of a frame are few
(one import, a few products, the file's learners and content items), so
they are checked here in one statement per foreign key, before anything is
copied, and the copy then runs with `session_replication_role = replica`
(PostgreSQL's documented switch for bulk loads, which pg_restore uses;
on this schema the only triggers are the foreign keys' own).

Nothing is weaker than the per-row checks:

* every distinct value of every foreign-key column of the frame (the very
  frame that is copied) must exist in the table it references, or nothing
  is copied (`MissingReferenceError`);
* each referenced row is locked `FOR KEY SHARE`, the lock each row's check
  takes, until the import commits: a learner erased meanwhile waits, and
  its delete then fails on the constraint as before (the constraints stay
  declared; the referenced side's checks still run);
* a row is locked once per transaction: rows it already locked, or inserted
  itself (`hold`: no other transaction can see them before it commits),
  are not locked again by its later copies (a streamed file's chunks, the
  learners' units and then the facts);
* unique keys, NOT NULL and CHECK constraints are not triggers: they hold
  as always. The setting is `SET LOCAL`, back to `origin` after the copy,
  and undone with the transaction if the copy fails.

The switch needs a superuser or, from PostgreSQL 15, the privilege to set
it (`GRANT SET ON PARAMETER session_replication_role TO <role>`). Without
it the COPY runs with the per-row checks, as before: slower, the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (declares the tables in SQLModel.metadata)

__all__ = ["MissingReferenceError", "checked_once", "hold", "may_skip_row_checks"]

_LOG = logging.getLogger(__name__)
_HINT_ROWS = 100_000  # a copy this large without the grant is worth a line in the log
_hinted: set[str] = set()
_HELD = "lp.references.held"  # in the DB-API connection's info: (transaction, rows held)


class MissingReferenceError(RuntimeError):
    """A frame refers to a row that does not exist: nothing of it was written."""


@dataclass(frozen=True)
class _Reference:
    column: str  # in the table written
    table: str  # the table it refers to
    key: str  # the column there


def _references(table: str, columns: list[str]) -> list[_Reference]:
    """The foreign keys of `table` among `columns`, as the models declare them."""
    declared = SQLModel.metadata.tables.get(table)
    if declared is None:  # not one of the app's tables: nothing known, nothing skipped
        return []
    found = [
        _Reference(fk.parent.name, fk.column.table.name, fk.column.name)
        for fk in declared.foreign_keys
        if fk.parent.name in columns
    ]
    return sorted(found, key=lambda r: r.column)


def _hint_once(table: str, rows: int) -> None:
    """Tell whoever runs the server, once per table and process, how imports get faster."""
    if table in _hinted:
        return
    _hinted.add(table)
    _LOG.warning(
        "PostgreSQL is checking the references of each of %s rows written to %s one row at"
        " a time; GRANT SET ON PARAMETER session_replication_role TO the app's role"
        " (PostgreSQL 15 or newer) to check them once per referenced row (README,"
        ' "Deploying for a team"): large imports then take about a third of the time',
        f"{rows:,}",
        table,
    )


def may_skip_row_checks(conn: Connection) -> bool:
    """Whether this PostgreSQL session may set `session_replication_role`."""
    if conn.dialect.name != "postgresql":
        return False
    if conn.dialect.server_version_info >= (15,):
        sql = "SELECT has_parameter_privilege('session_replication_role', 'SET')"
    else:
        sql = "SELECT current_setting('is_superuser') = 'on'"
    return bool(conn.exec_driver_sql(sql).scalar_one())


Held = dict[tuple[str, str], pl.Series]


def _held(conn: Connection) -> Held | None:
    """The rows this transaction has locked or written, per (table, key); None: not kept.

    Kept in the connection's `info` under the transaction's id, so a later
    transaction starts afresh (the last one's ids stay there until then). Not
    inside a savepoint: rolling one back releases the locks taken in it.
    """
    if conn.in_nested_transaction():
        return None
    current = "pg_current_xact_id" if conn.dialect.server_version_info >= (13,) else "txid_current"
    xid = conn.exec_driver_sql(f"SELECT {current}()::text").scalar_one()
    kept = conn.info.get(_HELD)
    if kept is None or kept[0] != xid:
        kept = (xid, {})
        conn.info[_HELD] = kept
    return kept[1]


def _add(held: Held, where: tuple[str, str], ids: pl.Series) -> None:
    before = held.get(where)
    held[where] = ids if before is None else pl.concat([before, ids])


def hold(conn: Connection, table: str, key: str, ids: pl.Series) -> None:
    """Note rows this transaction inserted: a later COPY need not lock them.

    No other transaction can see, so none can delete, a row before the
    transaction that inserted it commits, and from then on the facts that
    refer to it are committed too and the declared constraint protects it.
    """
    if conn.dialect.name != "postgresql":
        return
    held = _held(conn)
    if held is not None:
        _add(held, (table, key), ids.cast(pl.Int64))


def _check_and_lock(
    conn: Connection, table: str, frame: pl.DataFrame, ref: _Reference, held: Held | None
) -> None:
    """Lock every row `ref` points at (FOR KEY SHARE); raise when one is missing.

    Rows this transaction already locked or inserted (`held`) are skipped: a
    streamed file's chunks and the learners' units share their learners.
    """
    wanted = frame.get_column(ref.column).drop_nulls().unique().cast(pl.Int64)
    where = (ref.table, ref.key)
    if held is not None and where in held:
        wanted = wanted.filter(~wanted.is_in(held[where].implode()))
    ids = wanted.sort().to_list()
    if not ids:
        return
    quote = conn.dialect.identifier_preparer.quote
    target, key = quote(ref.table), quote(ref.key)
    locked = f"SELECT {key} FROM ONLY {target} WHERE {key} = ANY(%s) FOR KEY SHARE"
    found = conn.exec_driver_sql(f"SELECT count(*) FROM ({locked}) AS found", (ids,)).scalar_one()
    if found == len(ids):
        if held is not None:
            _add(held, where, wanted)
        return
    there = conn.exec_driver_sql(f"SELECT {key} FROM ONLY {target} WHERE {key} = ANY(%s)", (ids,))
    missing = sorted(set(ids) - set(there.scalars()))
    msg = (
        f"{table}.{ref.column} refers to {len(missing):,} {ref.table} row(s) that do not exist"
        f" (first: {missing[0]}); nothing was written"
    )
    raise MissingReferenceError(msg)


@contextmanager
def checked_once(conn: Connection, table: str, frame: pl.DataFrame) -> Iterator[None]:
    """Around a COPY of `frame` into `table`: its foreign keys checked once, up front.

    Does nothing (the COPY keeps PostgreSQL's per-row checks) when the table
    has no foreign key among the frame's columns or the session may not set
    `session_replication_role`.

    Raises
    ------
    MissingReferenceError
        When a value of a foreign-key column refers to no row.
    """
    references = _references(table, frame.columns)
    if not references or not may_skip_row_checks(conn):
        if references and conn.dialect.name == "postgresql" and frame.height >= _HINT_ROWS:
            _hint_once(table, frame.height)
        yield
        return
    held = _held(conn)
    for ref in references:
        _check_and_lock(conn, table, frame, ref, held)
    conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
    try:
        yield
    except BaseException:
        # A failed COPY aborts the transaction: its rollback undoes the SET LOCAL, and any
        # statement now would fail and hide the COPY's error. A fault of ours (a progress
        # callback) leaves it open, and a caller that goes on must get its checks back.
        if not _aborted(conn):
            conn.exec_driver_sql("SET LOCAL session_replication_role = origin")
        raise
    conn.exec_driver_sql("SET LOCAL session_replication_role = origin")


def _aborted(conn: Connection) -> bool:
    """Whether the session's transaction failed (PostgreSQL answers nothing until rollback)."""
    from psycopg.pq import TransactionStatus  # only a psycopg connection gets here

    info = conn.connection.dbapi_connection.info  # type: ignore[union-attr]
    return bool(info.transaction_status == TransactionStatus.INERROR)
