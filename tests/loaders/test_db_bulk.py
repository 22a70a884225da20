"""The bulk write path on SQLite and PostgreSQL (`db_engine` runs each test on both)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine, text

from loaders import import_file, undo_import, upserts
from loaders.upserts import plan_learners
from loaders.writer import insert_frame, insert_new_returning, select_chunked
from models.frames import contracts_frame, usage_frame
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV, counts
from tests.loaders.factories import LINKEDIN_HEADER, linkedin_rows, to_csv

N = 6_500  # more distinct learners than one lookup chunk (5,000 keys)


def linkedin(n: int, *, start: int = 0, viewed: str) -> bytes:
    return to_csv([LINKEDIN_HEADER, *linkedin_rows(n, start=start, viewed=viewed)]).encode()


def test_bulk_import_overlap_and_undo(db_engine: Engine) -> None:
    assert (
        import_file(PRODUCTS_CSV, file_name="p.csv", engine=db_engine, actor=EDITOR).status
        == "imported"
    )
    first = import_file(
        linkedin(N, viewed="03/31/2026"), file_name="q1.csv", engine=db_engine, actor=EDITOR
    )
    assert (first.status, first.rows_imported) == ("imported", N), first.errors
    second = import_file(
        linkedin(N, start=N // 2, viewed="06/30/2026"),
        file_name="q2.csv",
        engine=db_engine,
        actor=EDITOR,
    )
    assert second.status == "imported", second.errors
    with db_engine.connect() as conn:
        learners = conn.execute(text("SELECT COUNT(*) FROM learner")).scalar_one()
        items = conn.execute(text("SELECT COUNT(*) FROM content_item")).scalar_one()
        df = usage_frame(conn)
    assert learners == N + N // 2  # the shared half was found again, not duplicated
    assert items == 2
    assert df.height == N + N // 2
    assert df.select("learner_id", "content_id").is_unique().all()
    newer = df.filter(pl.col("period_end") == date(2026, 6, 30)).height
    assert newer == N  # the later report wins every pair it shares
    before = counts(db_engine)
    again = import_file(
        linkedin(N, viewed="03/31/2026"), file_name="copy.csv", engine=db_engine, actor=EDITOR
    )
    assert again.status == "duplicate" and counts(db_engine) == before
    undo_import(second.import_id, engine=db_engine, actor=EDITOR)
    with db_engine.connect() as conn:
        df = usage_frame(conn)
    assert df.height == N and set(df["period_end"].to_list()) == {date(2026, 3, 31)}


def test_rejected_file_writes_nothing(db_engine: Engine) -> None:
    import_file(PRODUCTS_CSV, file_name="p.csv", engine=db_engine, actor=EDITOR)
    before = counts(db_engine)
    body = linkedin(50, viewed="03/31/2027")
    result = import_file(body, file_name="late.csv", engine=db_engine, actor=EDITOR)
    assert result.status == "rejected" and result.rows_rejected == 50
    assert result.errors_total == 50 + 17  # every viewed date, and the completion dates too
    assert len(result.errors) == 50
    assert counts(db_engine) == before


def test_contracts_and_events(db_engine: Engine) -> None:
    import_file(PRODUCTS_CSV, file_name="p.csv", engine=db_engine, actor=EDITOR)
    contracts = (
        b"product,vendor,start,end,seats,price_per_seat\n"
        b"Linked Library,LinkedIn,2026-01-01,2026-12-31,500,99.99\n"
    )
    assert (
        import_file(contracts, file_name="c.csv", engine=db_engine, actor=EDITOR).status
        == "imported"
    )
    usage = (
        b"product,learner,content_id,date,minutes,completed\n"
        b"Leadership Academy,E1,M1,2026-02-01,30,no\n"
        b"Leadership Academy,E1,M1,2026-02-08,30,yes\n"
    )
    result = import_file(usage, file_name="u.csv", engine=db_engine, actor=EDITOR)
    assert (result.status, result.rows_imported, result.grain) == ("imported", 2, "event")
    with db_engine.connect() as conn:
        assert contracts_frame(conn)["price_per_seat_minor"].to_list() == [9999]
        df = usage_frame(conn).sort("date")
    assert df["completed"].to_list() == [False, True]


def test_select_chunked_finds_every_key_on_either_database(db_engine: Engine) -> None:
    """More keys than one chunk (SQLite's IN lists) or one array (PostgreSQL's ANY) find all."""
    keys = [f"k{i:05d}" for i in range(12_000)]
    with db_engine.connect() as conn:
        conn.execute(text("CREATE TABLE picked (id INTEGER PRIMARY KEY, grp INTEGER, name TEXT)"))
        insert_frame(
            conn,
            "picked",
            pl.DataFrame(
                {"id": range(12_000), "grp": [i % 2 for i in range(12_000)], "name": keys}
            ),
        )
        sql = "SELECT name, id FROM picked WHERE grp = {p} AND name IN ({keys})"
        wanted = [*keys[::3], "absent"]
        found = dict(select_chunked(conn, sql, wanted, params=(1,)))
        assert found == {k: i for i, k in enumerate(keys) if i % 3 == 0 and i % 2 == 1}
        assert select_chunked(conn, sql, [], params=(1,)) == []
        with pytest.raises(ValueError, match=r"IN \(\{keys\}\)"):
            select_chunked(conn, "SELECT id FROM picked WHERE name = ANY({keys})", keys)
        conn.rollback()


def _learners(keys: list[str]) -> pl.DataFrame:
    """The file's learners as `plan_learners` takes them (identity shown, no unit)."""
    return pl.DataFrame(
        {
            "key_kind": ["email"] * len(keys),
            "ident": [f"{k}@acme.example" for k in keys],
            "email": [f"{k}@acme.example" for k in keys],
            "name": [None] * len(keys),
            "org_unit": ["Sales"] * len(keys),
        },
        schema={c: pl.String for c in ("key_kind", "ident", "email", "name", "org_unit")},
    )


def test_learners_another_import_wrote_meanwhile_get_their_ids(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New learners come back from their insert; those whose key was taken are read by key.

    The race is made to happen: the lookup of existing learners is told to find
    none, so the learners written by the first plan look new to the second one.
    """
    if db_engine.dialect.name != "postgresql":
        pytest.skip("SQLite numbers new learners itself, under its write lock")
    first = ["a", "b", "c"]
    with db_engine.begin() as conn:
        one = plan_learners(conn, _learners(first), secret="s", store_identities=False)
    with db_engine.begin() as conn:
        monkeypatch.setattr(
            upserts, "_known_learners", lambda *a, **k: pl.DataFrame(schema=upserts._KEY_IDS)
        )
        two = plan_learners(conn, _learners(["b", "c", "d"]), secret="s", store_identities=False)
        stored = dict(conn.execute(text("SELECT id, key FROM learner")).all())
    ids = dict(one.ids.select("ident", "learner_id").iter_rows())
    again = dict(two.ids.select("ident", "learner_id").iter_rows())
    assert again["b@acme.example"] == ids["b@acme.example"]  # the taken keys: read back
    assert again["c@acme.example"] == ids["c@acme.example"]
    assert again["d@acme.example"] not in ids.values()  # the new one: returned by its insert
    assert len(stored) == 4 and None not in again.values()


def test_insert_new_returning_skips_taken_keys(db_engine: Engine) -> None:
    rows = pl.DataFrame({"key": ["k1", "k2"], "key_kind": ["email", "email"]}).with_columns(
        pl.lit(date(2026, 1, 1)).cast(pl.Datetime("us", "UTC")).alias("created_at")
    )
    with db_engine.connect() as conn:
        if db_engine.dialect.name != "postgresql":
            with pytest.raises(NotImplementedError):
                insert_new_returning(conn, "learner", rows, returning=("key", "id"))
            return
        first = insert_new_returning(conn, "learner", rows.head(1), returning=("key", "id"))
        both = insert_new_returning(conn, "learner", rows, returning=("key", "id"))
        conn.rollback()
    assert [k for k, _ in first] == ["k1"]
    assert [k for k, _ in both] == ["k2"]  # k1 was taken: skipped, not returned
