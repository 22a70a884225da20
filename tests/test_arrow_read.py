"""The Arrow read (ADBC) gives what the DB-API read gives, and steps aside where it must.

`models.arrow_read.fetch_arrow` reads PostgreSQL on a connection of its own,
so it must never be used where it would see something else than the caller's
connection (a transaction that has written), and never on SQLite (a second
bundled SQLite in the process breaks later commits). A column that starts
with a long run of nulls must still come back as the type it holds further
down, in one chunk or many.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pyarrow as pa
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import Engine, create_engine, text

from models.arrow_read import fetch_arrow
from models.frames import _fetch_frame

SCHEMA = {
    "id": pl.Int64(),
    "day": pl.Date(),
    "minutes": pl.Float64(),
    "done": pl.Boolean(),
    "title": pl.String(),
}
SQL = "SELECT id, day, minutes, done, title FROM fact"
# More nulls than the SQLite driver's first batch (1,024 rows), then values.
LEADING_NULLS = 3_000


def _arrow_applies(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _rows(chunk: pa.Table) -> int:
    return chunk.num_rows


def _fill(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS fact"))
        conn.execute(
            text(
                "CREATE TABLE fact (id INTEGER PRIMARY KEY, day DATE, minutes FLOAT,"
                " done BOOLEAN, title VARCHAR)"
            )
        )
        rows = [
            {"id": i, "day": None, "minutes": None, "done": None, "title": None}
            for i in range(1, LEADING_NULLS + 1)
        ]
        rows += [
            {"id": LEADING_NULLS + 1, "day": date(2026, 3, 1), "minutes": 12.5, "done": True},
            {"id": LEADING_NULLS + 2, "day": date(2026, 3, 2), "minutes": 30.0, "done": False},
        ]
        for row in rows[LEADING_NULLS:]:
            row["title"] = "Négociation <b>avancée</b>"
        conn.execute(
            text("INSERT INTO fact VALUES (:id, :day, :minutes, :done, :title)"),
            rows,
        )


def _plain(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> pl.DataFrame:
    """The same read through the DB-API cursor (the Arrow path switched off)."""
    with monkeypatch.context() as patch:
        patch.setattr("models.frames.fetch_arrow", lambda *_args: None)
        with engine.connect() as conn:
            return _fetch_frame(conn, SQL, SCHEMA)


def test_the_arrow_read_gives_the_plain_read_after_a_run_of_nulls(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(db_engine)
    with db_engine.connect() as conn:
        taken = fetch_arrow(conn, SQL, _rows) is not None
        assert taken == _arrow_applies(db_engine)  # PostgreSQL only (module docstring)
        fast = _fetch_frame(conn, SQL, SCHEMA)
    plain = _plain(db_engine, monkeypatch)
    assert fast.height == LEADING_NULLS + 2
    assert_frame_equal(fast.sort("id"), plain.sort("id"))
    tail = fast.sort("id").tail(2)
    assert tail["day"].to_list() == [date(2026, 3, 1), date(2026, 3, 2)]
    assert tail["minutes"].to_list() == [12.5, 30.0]
    assert tail["done"].to_list() == [True, False]
    assert tail["title"].to_list() == ["Négociation <b>avancée</b>"] * 2


def test_a_read_in_many_chunks_gives_every_row_once(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks smaller than the leading run of nulls: the types still hold, no row is lost."""
    _fill(db_engine)
    monkeypatch.setattr("models.arrow_read.CHUNK_ROWS", 1_000)
    with db_engine.connect() as conn:
        sizes = fetch_arrow(conn, SQL, _rows)
        fast = _fetch_frame(conn, SQL, SCHEMA)
    if _arrow_applies(db_engine):
        assert sizes is not None and sum(sizes) == LEADING_NULLS + 2
    else:
        assert sizes is None
    assert_frame_equal(fast.sort("id"), _plain(db_engine, monkeypatch).sort("id"))
    assert fast["id"].n_unique() == LEADING_NULLS + 2


def test_an_empty_result_keeps_its_columns(db_engine: Engine) -> None:
    _fill(db_engine)
    with db_engine.connect() as conn:
        empty = _fetch_frame(conn, f"{SQL} WHERE id < 0", SCHEMA)
    assert empty.is_empty()
    assert empty.schema == pl.Schema(SCHEMA)


def test_a_transaction_that_has_written_reads_its_own_rows(db_engine: Engine) -> None:
    """ADBC's own connection could not see them: the DB-API cursor reads instead."""
    _fill(db_engine)
    with db_engine.begin() as conn:
        conn.execute(text("DELETE FROM fact WHERE id > :n"), {"n": LEADING_NULLS})
        assert fetch_arrow(conn, SQL, _rows) is None
        inside = _fetch_frame(conn, SQL, SCHEMA)
        assert inside.height == LEADING_NULLS
        assert inside["day"].null_count() == LEADING_NULLS


def test_an_in_memory_database_is_read_through_its_own_cursor() -> None:
    engine = create_engine("sqlite://")
    _fill(engine)
    with engine.connect() as conn:
        assert fetch_arrow(conn, SQL, _rows) is None
        assert _fetch_frame(conn, SQL, SCHEMA).height == LEADING_NULLS + 2


def test_a_failing_arrow_read_falls_back(
    db_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """A query the ADBC driver cannot run is read the plain way, and the failure logged."""
    _fill(db_engine)
    with db_engine.connect() as conn:
        assert fetch_arrow(conn, "SELECT no_such_column FROM fact", _rows) is None
    assert ("Arrow read failed" in caplog.text) == _arrow_applies(db_engine)


def test_sqlite_is_never_read_through_adbc(engine: Engine) -> None:
    """Its driver bundles a second SQLite whose locks do not see Python's (DESIGN.md)."""
    _fill(engine)
    with engine.connect() as conn:
        assert fetch_arrow(conn, SQL, _rows) is None
        _fetch_frame(conn, SQL, SCHEMA)
    with engine.begin() as conn:  # a write after the read commits
        conn.execute(text("DELETE FROM fact WHERE id = 1"))
    import sys

    assert "adbc_driver_sqlite" not in sys.modules


@pytest.mark.postgres
def test_the_arrow_read_keeps_its_connection_and_survives_losing_it(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A second read reuses the first one's connection; one the server closed is replaced."""
    if not _arrow_applies(db_engine):
        pytest.skip("the Arrow read is PostgreSQL's")
    _fill(db_engine)
    expected = _plain(db_engine, monkeypatch)
    backend = "SELECT pg_backend_pid() AS id, NULL AS day, NULL AS minutes, NULL AS done,"
    backend += " NULL AS title"

    def arrow_backend() -> int:
        with db_engine.connect() as conn:
            return _fetch_frame(conn, backend, SCHEMA)["id"].item()

    first = arrow_backend()
    assert arrow_backend() == first  # kept, not reopened
    with db_engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != first
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    with caplog.at_level("INFO", logger="models.arrow_read"), db_engine.connect() as conn:
        assert_frame_equal(_fetch_frame(conn, SQL, SCHEMA), expected)
    # Read again on a new ADBC connection, not handed to the DB-API cursor.
    assert [r.levelname for r in caplog.records] == ["INFO"]
    assert arrow_backend() != first
