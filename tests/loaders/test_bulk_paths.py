"""The fast paths of a large import say and store exactly what the general paths would.

Progress reporting, learners found by key or by a scan of the learner table,
learner ids taken in the insert, the whole-number, H:MM:SS and distinct-date
shortcuts, and the single index of `usage_record`.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

import loaders.durations
import loaders.usage_write
import loaders.values
import loaders.writer
from loaders import import_file
from loaders.dates import date_shape, parse_date_columns, parse_dates
from loaders.durations import parse_duration
from loaders.identity import learner_key
from loaders.pseudonym import pseudonym_secret
from loaders.reading import read_table
from loaders.values import parse_number, parse_percent
from loaders.writer import import_session, insert_frame
from models.db import make_engine
from settings import get_settings
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV, counts, fk_violations
from tests.loaders.factories import LINKEDIN_HEADER, linkedin_rows, to_csv


def linkedin(n: int, *, start: int = 0, viewed: str = "03/31/2026") -> bytes:
    return to_csv([LINKEDIN_HEADER, *linkedin_rows(n, start=start, viewed=viewed)]).encode()


def stored_keys(engine: Engine, import_id: int) -> set[str]:
    sql = (
        "SELECT l.key FROM usage_record u JOIN learner l ON l.id = u.learner_id"
        " WHERE u.import_id = :i"
    )
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(text(sql), {"i": import_id})}


def expected_keys(start: int, n: int) -> set[str]:
    secret = pseudonym_secret(get_settings())
    return {
        learner_key("email", f"learner{i}@acme.example", secret=secret)
        for i in range(start, start + n)
    }


def test_progress_reports_every_phase_in_order(portfolio: Engine) -> None:
    calls: list[tuple[float, str]] = []
    result = import_file(
        linkedin(30),
        file_name="q1.csv",
        engine=portfolio,
        progress=lambda f, m: calls.append((f, m)),
        actor=EDITOR,
    )
    assert result.status == "imported", result.errors
    fractions = [f for f, _ in calls]
    assert calls[0] == (0.0, "reading the file")
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    words = " | ".join(m for _, m in calls)
    for phase in ("checking 30 rows", "learners", "writing 30 rows", "written 30 of 30", "saving"):
        assert phase in words, words
    assert calls[-1][1] == "imported 30 rows"


def test_progress_of_a_rejected_file_stops_before_writing(portfolio: Engine) -> None:
    calls: list[tuple[float, str]] = []
    result = import_file(
        linkedin(5, viewed="03/31/2027"), file_name="late.csv", engine=portfolio,
        progress=lambda f, m: calls.append((f, m)), actor=EDITOR,
    )  # fmt: skip
    assert result.status == "rejected"
    assert not any("writ" in m for _, m in calls)


@pytest.mark.parametrize("chunk", [7, 5_000])
def test_learners_found_by_key_in_chunks(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # 200 learners stored; a file with 20 (10 known, 10 new) is far smaller than the
    # learner table, so the known ones are looked up by key, `chunk` keys a statement.
    monkeypatch.setattr(loaders.writer, "_CHUNK_KEYS", chunk)
    import_file(PRODUCTS_CSV, file_name="p.csv", engine=db_engine, actor=EDITOR)
    assert (
        import_file(linkedin(200), file_name="a.csv", engine=db_engine, actor=EDITOR).status
        == "imported"
    )
    second = import_file(
        linkedin(20, start=190, viewed="04/30/2026"),
        file_name="b.csv",
        engine=db_engine,
        actor=EDITOR,
    )
    assert second.status == "imported", second.errors
    assert counts(db_engine)["learner"] == 210
    assert stored_keys(db_engine, second.import_id) == expected_keys(190, 20)


def test_facts_built_while_learners_are_written(
    portfolio: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large file's facts are joined in a second thread while SQLite writes the learners.
    monkeypatch.setattr(loaders.usage_write, "_OVERLAP_ROWS", 1)
    first = import_file(linkedin(40), file_name="a.csv", engine=portfolio, actor=EDITOR)
    second = import_file(
        linkedin(40, start=20, viewed="04/30/2026"),
        file_name="b.csv",
        engine=portfolio,
        actor=EDITOR,
    )
    assert (first.status, second.status) == ("imported", "imported")
    assert stored_keys(portfolio, first.import_id) == expected_keys(0, 40)
    assert stored_keys(portfolio, second.import_id) == expected_keys(20, 40)
    assert counts(portfolio)["learner"] == 60 and fk_violations(portfolio) == []


def test_learners_found_by_a_scan_and_new_ids_follow_the_maximum(db_engine: Engine) -> None:
    # The file has as many learners as the table: one scan finds the known half.
    import_file(PRODUCTS_CSV, file_name="p.csv", engine=db_engine, actor=EDITOR)
    first = import_file(linkedin(40), file_name="a.csv", engine=db_engine, actor=EDITOR)
    second = import_file(
        linkedin(40, start=20, viewed="04/30/2026"),
        file_name="b.csv",
        engine=db_engine,
        actor=EDITOR,
    )
    assert (first.status, second.status) == ("imported", "imported")
    assert stored_keys(db_engine, first.import_id) == expected_keys(0, 40)
    assert stored_keys(db_engine, second.import_id) == expected_keys(20, 40)
    with db_engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM learner ORDER BY id"))]
    assert len(ids) == 60 and len(set(ids)) == 60
    if db_engine.dialect.name == "sqlite":
        assert ids == list(range(1, 61))  # taken in the insert: the maximum + 1, + 2, ...
        assert fk_violations(db_engine) == []


def test_facts_are_written_in_the_order_of_the_unique_key(portfolio: Engine) -> None:
    body = to_csv([LINKEDIN_HEADER, *reversed(linkedin_rows(300, viewed="03/31/2026"))])
    assert (
        import_file(body.encode(), file_name="r.csv", engine=portfolio, actor=EDITOR).status
        == "imported"
    )
    with portfolio.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT learner_id, content_item_id, activity_date FROM usage_record ORDER BY id"
        ).fetchall()
    assert len(rows) == 300 and [tuple(r) for r in rows] == sorted(tuple(r) for r in rows)


def test_usage_record_has_only_its_unique_key_as_index(engine: Engine) -> None:
    with engine.connect() as conn:
        indexes = conn.exec_driver_sql("PRAGMA index_list(usage_record)").fetchall()
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT u.minutes FROM usage_record u"
            " JOIN data_import i ON i.id = u.import_id WHERE i.status = 'imported'"
        ).fetchall()
    assert [(row[1], row[2]) for row in indexes] == [("sqlite_autoindex_usage_record_1", 1)]
    # The dashboard's read finds each import's rows by the key's leading import_id.
    assert any("sqlite_autoindex_usage_record_1 (import_id=?)" in row[3] for row in plan), plan


@pytest.mark.parametrize(("chunk", "block", "rows"), [(12, 4, 50), (10, 3, 10), (6, 200, 5)])
def test_insert_frame_blocks_and_chunks_write_every_row(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch, chunk: int, block: int, rows: int
) -> None:
    # Chunks of `chunk` rows, statements of `block` rows, and the rows left over.
    monkeypatch.setattr(loaders.writer, "_CHUNK_ROWS", chunk)
    monkeypatch.setattr(loaders.writer, "_BLOCK_ROWS", block)
    frame = pl.DataFrame(
        {
            "k": [7] * rows,  # one value throughout: written as a literal
            "n": list(range(rows)),
            "label": [None if i % 7 == 0 else f"row {i}" for i in range(rows)],
            "day": [date(2026, 1, 1 + i % 28) for i in range(rows)],
            "share": [i / 4 for i in range(rows)],
        }
    )
    seen: list[int] = []
    with db_engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE scratch (k INTEGER, n INTEGER, label TEXT, day DATE, share FLOAT)"
        )
        assert insert_frame(conn, "scratch", frame, on_chunk=seen.append) == rows
        back = conn.exec_driver_sql(
            "SELECT k, n, label, day, share FROM scratch ORDER BY n"
        ).fetchall()
    assert seen == [min(rows, k) for k in range(chunk, rows + chunk, chunk)]
    as_text = db_engine.dialect.name == "sqlite"  # SQLite keeps dates as ISO text
    expected = [
        (7, r["n"], r["label"], r["day"].isoformat() if as_text else r["day"], r["share"])
        for r in frame.iter_rows(named=True)
    ]
    assert [tuple(r) for r in back] == expected


def general_number(raw: pl.Series, **kwargs: object):
    original = loaders.values._whole_numbers
    loaders.values._whole_numbers = lambda _raw: None
    try:
        return parse_number(raw, **kwargs)
    finally:
        loaders.values._whole_numbers = original


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.one_of(
            st.integers(-(10**12), 10**12).map(str),
            st.integers(0, 999).map(lambda i: f"+{i}"),
            st.integers(0, 99).map(lambda i: f"{i:03d}"),
            st.sampled_from(["", "N/A", "-", None]),
        ),
        min_size=1,
        max_size=20,
    ),
    st.booleans(),
)
def test_whole_numbers_read_as_the_general_path_reads_them(cells: list, comma: bool) -> None:
    raw = pl.Series("x", cells, dtype=pl.String)
    fast = parse_number(raw, column="x", comma_default=comma)
    general = general_number(raw, column="x", comma_default=comma)
    assert fast.values.to_list() == general.values.to_list()
    assert fast.problem.to_list() == general.problem.to_list()
    assert fast.decision == general.decision
    assert fast.column_problem == general.column_problem


@pytest.mark.parametrize("cells", [["1,234", "5"], ["12.5", "3"], ["£40", "2"], ["1 000"]])
def test_numbers_with_separators_take_the_general_path(cells: list[str]) -> None:
    raw = pl.Series("x", cells)
    assert (
        parse_number(raw, column="x").values.to_list()
        == general_number(raw, column="x").values.to_list()
    )


def test_hms_fast_path_and_padded_cells_agree() -> None:
    fast = parse_duration(
        pl.Series(["1:02:03", None, "1284:12:55"]), column="t", plain_unit="hours"
    )
    padded = parse_duration(
        pl.Series([" 1:02:03", None, "1284:12:55 "]), column="t", plain_unit="hours"
    )
    assert (
        fast.values.to_list() == padded.values.to_list() == [62.05, None, 1284 * 60 + 12 + 55 / 60]
    )
    assert fast.decision["message"] == padded.decision["message"] == "read as minutes from: H:MM:SS"
    assert fast.problem.null_count() == 3


def test_date_shape_of_a_long_column_names_the_first_proof() -> None:
    # 30,000 rows of a few dates: the shortcut looks at distinct values only.
    many = ["01/02/2026", "03/04/2026"] * 15_000
    cells = [*many[:20_000], "05/14/2026", "05/13/2026", *many[20_000:], "05/12/2026"]
    shape = date_shape(pl.Series(cells))
    assert (shape.numeric, shape.day_first, shape.month_first) == (True, None, "05/14/2026")
    assert date_shape(pl.Series(cells[:20_000])).month_first is None
    assert date_shape(pl.Series(["x"] * 20_000)).numeric is False


def test_long_date_column_parsed_on_distinct_values_as_a_whole() -> None:
    cells = ["01/02/2026", None, "12/31/2025", "N/A", "02/30/2026", "1/2/2026"] * 4_000
    parsed = parse_date_columns({"Last Viewed Date": pl.Series(cells)}, default="mdy")
    whole = parse_dates(pl.Series(cells), order="mdy")
    got = parsed["Last Viewed Date"]
    assert got.values.to_list() == whole.values.to_list()
    assert got.problem.to_list() == whole.problem.to_list()
    assert got.values.to_list()[:6] == [
        date(2026, 1, 2),
        None,
        date(2025, 12, 31),
        None,
        None,
        date(2026, 1, 2),
    ]
    assert got.problem.to_list()[:6] == [None, None, None, None, "is not a date", None]


@pytest.mark.parametrize(
    ("cells", "parse", "whole"),
    [
        (
            ["1:02:03", "0:00:10", None, "bad", "PT5M", "90"],
            lambda s: parse_duration(s, column="t", plain_unit="hours"),
            lambda s: loaders.durations._parse_duration(s, column="t", plain_unit="hours"),
        ),
        (
            ["0.5", "1", None, "0.25", "x", "-0.1"],
            lambda s: parse_percent(s, column="p"),
            lambda s: loaders.values._percent(s, column="p", comma_default=False),
        ),
    ],
)
def test_long_columns_parsed_on_distinct_values_as_a_whole(cells, parse, whole) -> None:
    raw = pl.Series("c", cells * 3_000)
    fast, general = parse(raw), whole(raw)
    assert fast.values.to_list() == general.values.to_list()
    assert fast.problem.to_list() == general.problem.to_list()
    assert fast.decision == general.decision


def test_month_only_dates_counted_in_a_long_column() -> None:
    cells = ["202603", "2026-03-17", None] * 6_000
    note = parse_date_columns({"Completed": pl.Series(cells)}, default="mdy")["Completed"].decision
    assert note is not None and note["count"] == 6_000, note
    plain = parse_date_columns({"Completed": pl.Series(cells[1:2] * 20_000)}, default="mdy")
    assert plain["Completed"].decision is None


def test_quoted_empty_and_space_cells_are_null() -> None:
    table = read_table(b'User ID,Training Title,Transcript Status\nE1,"",   \nE2,Ethics,Done\n')
    assert table.frame.row(0, named=True)["Training Title"] is None
    assert table.frame.row(0, named=True)["Transcript Status"] is None
    assert table.blank_rows == 0


def test_a_new_sqlite_database_has_8k_pages_and_an_old_one_keeps_its_own(tmp_path) -> None:
    # Half the pages (and system calls) of 4 KiB for an import to write (models.db).
    fresh = make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
    with fresh.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA page_size").scalar_one() == 8192
    fresh.dispose()
    old_path = tmp_path / "old.sqlite"
    with closing(sqlite3.connect(old_path)) as raw:
        raw.executescript("PRAGMA page_size = 4096; CREATE TABLE t (a INTEGER); VACUUM;")
    old = make_engine(f"sqlite:///{old_path}", migrate=False)
    with old.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA page_size").scalar_one() == 4096
    old.dispose()


def test_none_binds_null_through_a_registered_adapter(engine: Engine) -> None:
    # Without it, sqlite3 searches three ways to adapt each None before binding NULL.
    assert (type(None), sqlite3.PrepareProtocol) in sqlite3.adapters
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (a TEXT, b INTEGER)")
        conn.connection.cursor().executemany(
            "INSERT INTO scratch VALUES (?, ?)", [(None, 1), ("x", None)]
        )
        rows = conn.exec_driver_sql("SELECT a IS NULL, b IS NULL FROM scratch").fetchall()
    assert [tuple(r) for r in rows] == [(1, 0), (0, 1)]


def test_an_import_keeps_its_temporary_files_in_memory_then_restores(engine: Engine) -> None:
    # The statement journals of multi-row INSERTs: two system calls a page in a file.
    with import_session(engine) as session:
        inside = session.connection().exec_driver_sql("PRAGMA temp_store").scalar_one()
    with engine.connect() as conn:
        after = conn.exec_driver_sql("PRAGMA temp_store").scalar_one()
    assert (inside, after) == (2, 0)  # MEMORY, then DEFAULT
