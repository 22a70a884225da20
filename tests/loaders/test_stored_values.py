"""What the bulk write path stores, value by value, on SQLite and PostgreSQL.

The write path binds values its own way for speed (booleans as 0/1 on
SQLite, all-null and constant columns as SQL literals, learner units in
learner order, `loaders.writer`); these tests pin what lands in the tables
to what SQLAlchemy Core stores for the same rows and to values worked out by
hand from a small report.
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

from loaders import import_file
from loaders.writer import insert_frame
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV, fk_violations
from tests.loaders.factories import LINKEDIN_HEADER, to_csv

REPORT = to_csv(
    [
        LINKEDIN_HEADER,
        # e-mail learner (spelt in capitals), completed: percent 100 and a completion date
        [
            "Ana",
            "Berg",
            "ANA@acme.example",
            "",
            "Sales, EMEA",
            "Excel basics",
            "Course",
            "101",
            "LinkedIn",
            "100",
            "03/02/2026",
            "03/05/2026",
            "1:30:00",
        ],
        # the same learner, started another course: no completion date
        [
            "Ana",
            "Berg",
            "ana@acme.example",
            "",
            "Sales, London",
            "SQL",
            "Video",
            "102",
            "LinkedIn",
            "40",
            "",
            "04/10/2026",
            "0:00:20",
        ],
        # only a vendor user id, no org unit
        [
            "Ben",
            "Ode",
            "",
            "urn:li:member:7",
            "",
            "Excel basics",
            "Course",
            "101",
            "LinkedIn",
            "0",
            "",
            "01/15/2026",
            "0:01:00",
        ],
    ]
).encode()

# Computed by hand from REPORT: minutes = H:MM:SS / 60, completion from percent 100 or a date.
EXPECTED = [
    # key_kind, content, activity_date, minutes, progress, completed, completed_date
    ("email", "101", date(2026, 3, 5), 90.0, 100.0, True, date(2026, 3, 2)),
    ("email", "102", date(2026, 4, 10), 20 / 60, 40.0, False, None),
    ("user_id", "101", date(2026, 1, 15), 1.0, 0.0, False, None),
]


def _as_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


@pytest.mark.parametrize("overlap", [False, True])
def test_imported_facts_hold_the_reports_values(
    db_engine: Engine, monkeypatch: pytest.MonkeyPatch, *, overlap: bool
) -> None:
    """Both ways of writing: in sequence, and a large file's (facts built in a second thread)."""
    if overlap:
        monkeypatch.setattr("loaders.usage_write._OVERLAP_ROWS", 1)
    assert (
        import_file(PRODUCTS_CSV, file_name="p.csv", engine=db_engine, actor=EDITOR).status
        == "imported"
    )
    result = import_file(REPORT, file_name="li.csv", engine=db_engine, actor=EDITOR)
    assert (result.status, result.rows_imported) == ("imported", 3), result.errors
    query = text(
        "SELECT l.key_kind, c.external_id, u.activity_date, u.minutes, u.progress_pct,"
        " u.completed, u.completed_date, u.import_id, u.product_id"
        " FROM usage_record u JOIN learner l ON l.id = u.learner_id"
        " JOIN content_item c ON c.id = u.content_item_id ORDER BY l.key_kind, c.external_id"
    )
    with db_engine.connect() as conn:
        rows = conn.execute(query).all()
        learners = conn.execute(
            text("SELECT key_kind, email, display_name, org_unit FROM learner ORDER BY key_kind")
        ).all()
        units = conn.execute(
            text("SELECT learner_id, org_unit, last_date, import_id FROM learner_unit")
        ).all()
        product_id = conn.execute(
            text("SELECT id FROM product WHERE name = 'Linked Library'")
        ).scalar_one()
    stored = [
        (kind, ext, _as_date(day), minutes, progress, bool(done), _as_date(done_on))
        for kind, ext, day, minutes, progress, done, done_on, _, _ in rows
    ]
    assert stored == EXPECTED  # floats compared exactly: the same doubles went in
    assert {(r.import_id, r.product_id) for r in rows} == {(result.import_id, product_id)}
    # Identities are not stored (the default): e-mail and name are null, the unit is kept.
    assert [tuple(r) for r in learners] == [
        ("email", None, None, "Sales, London"),
        ("user_id", None, None, None),
    ]
    # Ana's unit as of her latest dated row; Ben gave none, so he has no unit row.
    assert [(r.org_unit, _as_date(r.last_date), r.import_id) for r in units] == [
        ("Sales, London", date(2026, 4, 10), result.import_id)
    ]
    if db_engine.dialect.name == "sqlite":
        with db_engine.connect() as conn:
            kinds = conn.exec_driver_sql(
                "SELECT DISTINCT typeof(completed), typeof(activity_date), typeof(minutes),"
                " typeof(progress_pct) FROM usage_record"
            ).all()
        assert kinds == [("integer", "text", "real", "real")]
        assert fk_violations(db_engine) == []


_metadata = MetaData()
_COLUMNS = (
    ("n", Integer),
    ("k", Integer),
    ("flag", Boolean),
    ("day", Date),
    ("amount", Float),
    ("label", String(20)),
    ("empty", String(20)),
)
_TWINS = [
    Table(
        name,
        _metadata,
        Column("id", Integer, primary_key=True),
        *(Column(c, t) for c, t in _COLUMNS),
    )
    for name in ("by_core", "by_frame")
]


@pytest.mark.parametrize("rows", [1, 450])  # one row; more than two blocks of 200 and a tail
def test_insert_frame_stores_what_core_stores(db_engine: Engine, rows: int) -> None:
    """Booleans, nulls, dates, floats and literal columns land exactly as Core writes them."""
    frame = pl.DataFrame(
        {
            "n": list(range(rows)),
            "k": [7] * rows,  # constant: written as a literal
            "flag": [[True, False, None][i % 3] for i in range(rows)],
            "day": [date(2026, 1, 1 + i % 28) if i % 4 else None for i in range(rows)],
            "amount": [i / 7 if i % 5 else None for i in range(rows)],
            "label": [f"row {i}" if i % 2 else None for i in range(rows)],
            "empty": [None] * rows,  # null throughout: written as a literal NULL
        },
        schema={
            "n": pl.Int64,
            "k": pl.Int64,
            "flag": pl.Boolean,
            "day": pl.Date,
            "amount": pl.Float64,
            "label": pl.String,
            "empty": pl.String,
        },
    )
    by_core, by_frame = _TWINS
    _metadata.create_all(db_engine)
    try:
        with db_engine.begin() as conn:
            conn.execute(by_core.insert(), frame.to_dicts())
            assert insert_frame(conn, "by_frame", frame) == rows
        names = [c for c, _ in _COLUMNS]
        with db_engine.connect() as conn:
            core = conn.execute(select(by_core).order_by(by_core.c.id)).all()
            ours = conn.execute(select(by_frame).order_by(by_frame.c.id)).all()
            assert ours == core
            if db_engine.dialect.name == "sqlite":  # the stored types too, not only the values
                spelled = ", ".join(f"typeof({c}), quote({c})" for c in names)
                raw = [
                    conn.exec_driver_sql(f"SELECT {spelled} FROM {t} ORDER BY id").all()
                    for t in ("by_core", "by_frame")
                ]
                assert raw[0] == raw[1]
    finally:
        _metadata.drop_all(db_engine)
