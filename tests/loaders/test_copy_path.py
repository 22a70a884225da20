"""PostgreSQL's COPY path (`loaders.writer._copy_frame`): the same values as the parameter path.

Facts and the other plain frames go to PostgreSQL as CSV through `COPY ... FROM
STDIN` instead of bound parameters; these tests pin the values that land to
those the parameter path stores, on the awkward cases of CSV (empty text
against null, commas, quotes and line breaks in text, floats that only their
shortest digits give back), and check that COPY stays inside the import's
transaction (rolled back, nothing is left).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    select,
    text,
)

import loaders.writer as writer
from loaders import import_file
from loaders.writer import insert_frame
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV, counts
from tests.loaders.factories import LINKEDIN_HEADER, linkedin_rows, to_csv

_metadata = MetaData()
_TWINS = [
    Table(
        name,
        _metadata,
        Column("id", Integer, primary_key=True),
        Column("n", Integer),
        Column("flag", Boolean),
        Column("day", Date),
        Column("amount", Float),
        Column("label", String(40)),
        Column("kind", String(20)),
    )
    for name in ("by_params", "by_copy")
]
# Text that CSV must quote or tell apart from null; floats whose shortest digits matter.
_LABELS = ["", None, "a,b", 'say "hi"', "two\nlines", " padded ", "\\.", "Zoë ✓", "\\N", "NULL"]
_AMOUNTS = [0.1 + 0.2, 1 / 3, 1e-7, 1e20, 20 / 60, None, 0.0, -2.5, 123456789.123, 5e-324]


def _frame(rows: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "n": list(range(rows)),
            "flag": [[True, False, None][i % 3] for i in range(rows)],
            "day": [date(2026, 1, 1 + i % 28) if i % 4 else None for i in range(rows)],
            "amount": [_AMOUNTS[i % len(_AMOUNTS)] for i in range(rows)],
            "label": [_LABELS[i % len(_LABELS)] for i in range(rows)],
            "kind": [["Course", "Video", None][i % 3] for i in range(rows)],
        },
        schema={
            "n": pl.Int64,
            "flag": pl.Boolean,
            "day": pl.Date,
            "amount": pl.Float64,
            "label": pl.String,
            "kind": pl.Categorical,  # a streamed import's text
        },
    )


@pytest.mark.parametrize("rows", [1, 120_001])  # one row; more than two chunks of 50,000
def test_copy_stores_what_the_parameter_path_stores(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    if db_engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    frame = _frame(rows)
    by_params, by_copy = _TWINS
    _metadata.create_all(db_engine)
    try:
        with db_engine.begin() as conn:
            assert writer._copyable(conn, frame)
            assert insert_frame(conn, "by_copy", frame) == rows
            with monkeypatch.context() as m:
                m.setattr(writer, "_copyable", lambda *_: False)
                assert insert_frame(conn, "by_params", frame) == rows
        with db_engine.connect() as conn:
            ours = conn.execute(select(by_copy).order_by(by_copy.c.id)).all()
            theirs = conn.execute(select(by_params).order_by(by_params.c.id)).all()
        assert ours == theirs  # floats compared exactly: the same doubles
        assert ours[0].label == "" and (rows == 1 or ours[1].label is None)
    finally:
        _metadata.drop_all(db_engine)


def test_copy_is_used_for_facts_and_rolled_back_with_the_import(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dry run writes every fact (by COPY on PostgreSQL), then rolls all of it back."""
    copied: list[str] = []
    real = writer._copy_frame

    def spy(conn, table, frame, **kw):  # type: ignore[no-untyped-def]
        copied.append(table)
        return real(conn, table, frame, **kw)

    monkeypatch.setattr(writer, "_copy_frame", spy)
    assert import_file(PRODUCTS_CSV, file_name="p.csv", engine=db_engine, actor=EDITOR).status == (
        "imported"
    )
    before = counts(db_engine)
    report = to_csv([LINKEDIN_HEADER, *linkedin_rows(300, viewed="03/31/2026")]).encode()

    def capture(session, import_id):  # type: ignore[no-untyped-def]
        return session.execute(
            text("SELECT COUNT(*) FROM usage_record WHERE import_id = :i"), {"i": import_id}
        ).scalar_one()

    result = import_file(
        report, file_name="li.csv", engine=db_engine, actor=EDITOR, dry_run=(300, capture)
    )
    assert result.preview == 300, result.errors  # written inside the transaction...
    assert counts(db_engine) == before  # ...and nothing of it kept
    if db_engine.dialect.name == "postgresql":
        assert "usage_record" in copied
    else:
        assert copied == []
