"""A COPY's foreign keys checked once per referenced row on PostgreSQL (`loaders.references`).

What the per-row checks guaranteed must still hold: a fact that refers to
nothing is refused and nothing is written; a referenced row cannot be
deleted while the import that refers to it is open, nor after it commits;
the session fires its triggers again after the COPY; and a role that may not
set `session_replication_role` keeps PostgreSQL's per-row checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import polars as pl
import psycopg
import pytest
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from loaders import import_file, references
from loaders.references import MissingReferenceError, checked_once, may_skip_row_checks
from loaders.writer import insert_frame
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV
from tests.loaders.factories import LINKEDIN_HEADER, linkedin_rows, to_csv

_REPLICA = "SET LOCAL session_replication_role = replica"
_ORIGIN = "SET LOCAL session_replication_role = origin"


def _postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the per-row foreign-key checks skipped here are PostgreSQL's")


def _imported(engine: Engine, rows: int = 40) -> None:
    assert import_file(PRODUCTS_CSV, file_name="p.csv", engine=engine, actor=EDITOR).status == (
        "imported"
    )
    report = to_csv([LINKEDIN_HEADER, *linkedin_rows(rows)]).encode()
    result = import_file(report, file_name="li.csv", engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors


def _a_fact(conn: Connection, learner_id: int, day: date) -> pl.DataFrame:
    """A usage fact of the stored import, product and content, for `learner_id` on `day`."""
    import_id, product_id, content_id = conn.execute(
        text("SELECT import_id, product_id, content_item_id FROM usage_record LIMIT 1")
    ).one()
    return pl.DataFrame(
        {
            "import_id": [import_id],
            "product_id": [product_id],
            "learner_id": [learner_id],
            "content_item_id": [content_id],
            "activity_date": [day],
            "minutes": [12.5],
        }
    )


def _new_learner(engine: Engine) -> int:
    """A learner with no fact yet, committed."""
    with engine.begin() as conn:
        return int(
            conn.execute(
                text(
                    "INSERT INTO learner (key, key_kind, created_at)"
                    " VALUES (:key, 'email', :now) RETURNING id"
                ),
                {"key": uuid.uuid4().hex, "now": datetime.now(UTC)},
            ).scalar_one()
        )


def test_an_import_copies_its_facts_with_the_references_checked_once(db_engine: Engine) -> None:
    _postgresql(db_engine)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db_engine, "before_cursor_execute", seen)
    try:
        _imported(db_engine)
    finally:
        event.remove(db_engine, "before_cursor_execute", seen)
    assert _REPLICA in statements  # the superuser of the tests may: the fast path ran
    assert statements.count(_REPLICA) == statements.count(_ORIGIN)  # and was switched back
    with db_engine.connect() as conn:
        facts = conn.execute(text("SELECT COUNT(*) FROM usage_record")).scalar_one()
        orphans = conn.execute(
            text(
                "SELECT COUNT(*) FROM usage_record u"
                " LEFT JOIN learner l ON l.id = u.learner_id"
                " LEFT JOIN content_item c ON c.id = u.content_item_id"
                " LEFT JOIN product p ON p.id = u.product_id"
                " LEFT JOIN data_import i ON i.id = u.import_id"
                " WHERE l.id IS NULL OR c.id IS NULL OR p.id IS NULL OR i.id IS NULL"
            )
        ).scalar_one()
    assert (facts, orphans) == (40, 0)


def test_a_fact_of_no_learner_is_refused_and_nothing_is_written(db_engine: Engine) -> None:
    _postgresql(db_engine)
    _imported(db_engine)
    with db_engine.connect() as conn:
        before = conn.execute(text("SELECT COUNT(*) FROM usage_record")).scalar_one()
        nobody = conn.execute(text("SELECT MAX(id) + 1000 FROM learner")).scalar_one()
        fact = _a_fact(conn, nobody, date(2026, 10, 1))
        with pytest.raises(MissingReferenceError, match=rf"usage_record\.learner_id .*{nobody}"):
            insert_frame(conn, "usage_record", fact)
        # Refused before the COPY: the transaction goes on, with nothing of the frame in it.
        assert conn.execute(text("SELECT COUNT(*) FROM usage_record")).scalar_one() == before
        assert conn.execute(text("SHOW session_replication_role")).scalar_one() == "origin"
        conn.rollback()


def test_the_session_fires_its_checks_again_after_the_copy(db_engine: Engine) -> None:
    _postgresql(db_engine)
    _imported(db_engine)
    learner = _new_learner(db_engine)
    with db_engine.connect() as conn:
        assert insert_frame(conn, "usage_record", _a_fact(conn, learner, date(2026, 10, 2))) == 1
        assert conn.execute(text("SHOW session_replication_role")).scalar_one() == "origin"
        bad = _a_fact(conn, learner + 1000, date(2026, 10, 3)).to_dicts()[0]
        with pytest.raises(IntegrityError, match="usage_record_learner_id_fkey"):
            conn.execute(  # a plain insert in the same transaction: PostgreSQL's own check
                text(
                    "INSERT INTO usage_record (import_id, product_id, learner_id,"
                    " content_item_id, activity_date, minutes) VALUES (:import_id,"
                    " :product_id, :learner_id, :content_item_id, :activity_date, :minutes)"
                ),
                bad,
            )
        conn.rollback()


def test_a_referenced_learner_cannot_be_deleted_while_the_import_is_open_nor_after(
    db_engine: Engine,
) -> None:
    _postgresql(db_engine)
    _imported(db_engine)
    learner = _new_learner(db_engine)
    other = db_engine.connect()
    try:
        other.execute(text("SET lock_timeout = '300ms'"))
        other.commit()
        with db_engine.connect() as importing:
            fact = _a_fact(importing, learner, date(2026, 10, 4))
            assert insert_frame(importing, "usage_record", fact) == 1
            # The fact is not committed, so no constraint could see it: the lock holds it.
            with pytest.raises(OperationalError, match="lock timeout"):
                other.execute(text("DELETE FROM learner WHERE id = :id"), {"id": learner})
            other.rollback()
            importing.commit()
        with pytest.raises(IntegrityError, match="usage_record_learner_id_fkey"):
            other.execute(text("DELETE FROM learner WHERE id = :id"), {"id": learner})
        other.rollback()
    finally:
        other.close()


@pytest.fixture
def plain_role(db_engine: Engine) -> Iterator[tuple[Engine, Engine, str]]:
    """An engine logged in as a role that may write the tables but not skip triggers."""
    _postgresql(db_engine)
    role = f"lp_plain_{uuid.uuid4().hex[:8]}"
    admin = create_engine(db_engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"'))
        conn.execute(text(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
    plain = create_engine(make_url(db_engine.url).set(username=role))
    yield plain, admin, role
    plain.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


def test_a_role_without_the_privilege_keeps_the_per_row_checks(
    db_engine: Engine, plain_role: tuple[Engine, Engine, str]
) -> None:
    plain, admin, role = plain_role
    _imported(db_engine)
    with plain.connect() as conn:
        assert not may_skip_row_checks(conn)
        nobody = conn.execute(text("SELECT MAX(id) + 1000 FROM learner")).scalar_one()
        fact = _a_fact(conn, nobody, date(2026, 10, 5))
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            insert_frame(conn, "usage_record", fact)  # COPY with PostgreSQL's own checks
        conn.rollback()
        learner = _new_learner(db_engine)
        assert insert_frame(conn, "usage_record", _a_fact(conn, learner, date(2026, 10, 6))) == 1
        conn.commit()
    if db_engine.dialect.server_version_info >= (15,):
        with admin.connect() as conn:
            conn.execute(text(f'GRANT SET ON PARAMETER session_replication_role TO "{role}"'))
        with plain.connect() as conn:
            assert may_skip_row_checks(conn)  # the grant the README names is enough
        with admin.connect() as conn:
            conn.execute(text(f'REVOKE SET ON PARAMETER session_replication_role FROM "{role}"'))


def test_sqlite_is_not_asked(db_engine: Engine) -> None:
    if db_engine.dialect.name != "sqlite":
        pytest.skip("SQLite's side")
    with db_engine.connect() as conn:
        assert not may_skip_row_checks(conn)


def test_a_fault_during_the_copy_is_the_error_reported_and_leaves_no_skipped_check(
    db_engine: Engine,
) -> None:
    """A fault mid-copy aborts the transaction (psycopg ends the COPY): the fault is what is
    raised, not a refusal of the reset; a fault around a copy that left the transaction
    open has the session's checks switched back on."""
    _postgresql(db_engine)
    _imported(db_engine)
    learner = _new_learner(db_engine)

    def fails(_rows: int) -> None:
        raise KeyboardInterrupt

    with db_engine.connect() as conn:
        fact = _a_fact(conn, learner, date(2026, 10, 7))
        with pytest.raises(KeyboardInterrupt):
            insert_frame(conn, "usage_record", fact, on_chunk=fails)
        conn.rollback()
        assert conn.execute(text("SHOW session_replication_role")).scalar_one() == "origin"
        with pytest.raises(LookupError), checked_once(conn, "usage_record", fact):
            raise LookupError
        assert conn.execute(text("SHOW session_replication_role")).scalar_one() == "origin"
        conn.rollback()


def _locks_taken(engine: Engine) -> tuple[list[str], object]:
    """The lock statements `checked_once` sends, as they go; and the listener to remove."""
    sent: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if "FOR KEY SHARE" in statement:
            sent.append(statement.split(" FROM ONLY ")[1].split()[0])

    event.listen(engine, "before_cursor_execute", seen)
    return sent, seen


def test_rows_locked_or_written_once_are_not_locked_again_in_that_transaction(
    db_engine: Engine,
) -> None:
    _postgresql(db_engine)
    _imported(db_engine)
    learner = _new_learner(db_engine)
    sent, seen = _locks_taken(db_engine)
    try:
        with db_engine.connect() as conn:
            insert_frame(conn, "usage_record", _a_fact(conn, learner, date(2026, 10, 8)))
            first = list(sent)
            insert_frame(conn, "usage_record", _a_fact(conn, learner, date(2026, 10, 9)))
            again = sent[len(first) :]
            conn.rollback()
            # The next transaction on the same connection locks afresh: the first one's
            # locks went with its rollback, and nothing refers to the learner.
            insert_frame(conn, "usage_record", _a_fact(conn, learner, date(2026, 10, 10)))
            afresh = sent[len(first) + len(again) :]
            with db_engine.connect() as other:
                other.execute(text("SET lock_timeout = '300ms'"))
                with pytest.raises(OperationalError, match="lock timeout"):
                    other.execute(text("DELETE FROM learner WHERE id = :id"), {"id": learner})
                other.rollback()
            conn.rollback()
    finally:
        event.remove(db_engine, "before_cursor_execute", seen)
    assert sorted(first) == ["content_item", "data_import", "learner", "product"]
    assert again == []  # all four held since the first copy
    assert sorted(afresh) == sorted(first)


def test_a_refused_reference_is_refused_again(db_engine: Engine) -> None:
    """A missing learner is not remembered as checked: the next copy is refused too."""
    _postgresql(db_engine)
    _imported(db_engine)
    with db_engine.connect() as conn:
        nobody = conn.execute(text("SELECT MAX(id) + 1000 FROM learner")).scalar_one()
        for day in (date(2026, 10, 11), date(2026, 10, 12)):
            with pytest.raises(MissingReferenceError):
                insert_frame(conn, "usage_record", _a_fact(conn, nobody, day))
        conn.rollback()


def test_learners_an_import_adds_are_not_locked_by_its_copies(db_engine: Engine) -> None:
    """New learners are the import's own until it commits: only the others are locked."""
    _postgresql(db_engine)
    _imported(db_engine, rows=40)  # learners 0-39
    sent, seen = _locks_taken(db_engine)
    locked: list[object] = []

    def ids(_conn, _cursor, statement, parameters, *_args) -> None:  # type: ignore[no-untyped-def]
        if "FOR KEY SHARE" in statement and "FROM ONLY learner " in statement:
            locked.append(len(parameters[0]))

    event.listen(db_engine, "before_cursor_execute", ids)
    try:
        report = to_csv([LINKEDIN_HEADER, *linkedin_rows(50, start=30)]).encode()  # 30-79
        result = import_file(report, file_name="more.csv", engine=db_engine, actor=EDITOR)
    finally:
        event.remove(db_engine, "before_cursor_execute", seen)
        event.remove(db_engine, "before_cursor_execute", ids)
    assert result.status == "imported", result.errors
    assert locked == [10]  # learners 30-39 existed; 40-79 were added by this import
    assert "learner" in sent


def test_a_large_copy_without_the_privilege_tells_the_log_once(
    db_engine: Engine,
    plain_role: tuple[Engine, Engine, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    plain, _, _ = plain_role
    _imported(db_engine)
    monkeypatch.setattr(references, "_HINT_ROWS", 1)  # the bench's 1M rows, in two rows
    monkeypatch.setattr(references, "_hinted", set())
    with plain.connect() as conn, caplog.at_level("WARNING", logger="loaders.references"):
        for day in (date(2026, 10, 13), date(2026, 10, 14)):
            insert_frame(conn, "usage_record", _a_fact(conn, _new_learner(db_engine), day))
        conn.rollback()
    hints = [r.getMessage() for r in caplog.records if "session_replication_role" in r.message]
    assert len(hints) == 1 and "GRANT SET ON PARAMETER" in hints[0], hints
