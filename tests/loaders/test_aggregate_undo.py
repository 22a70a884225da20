"""Aggregate imports over time: duplicates, re-exports of a period, undo, the resolving reader."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine, text

from loaders import describe_import, import_file, list_imports, undo_import
from models.frames import AGGREGATES, aggregates_frame
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV, counts, fk_violations
from tests.loaders.factories import to_csv

SUMMARY = ["Name", "Email", "Unique User ID", "Days Logged In", "Hours Viewed", "Course Views",
           "Course Completions"]  # fmt: skip
ORG = ["Start Day (PST/PDT)", "End Day (PST/PDT)", "People Logged In", "Unique Viewers",
       "Hours Viewed", "Course Views"]  # fmt: skip


def summary(n: int, *, days: int = 5) -> str:
    """`n` learners; learner i viewed i hours."""
    rows = [[f"L{i}", f"l{i}@acme.example", f"U{i}", days, f"{i}:00:00", i, 0] for i in range(n)]
    return to_csv([SUMMARY, *rows])


def org(months: list[int], *, people: int = 10) -> str:
    rows = [[f"{m}/1/2026", f"{m}/28/2026", people, people - 1, "10:00:00", 3] for m in months]
    return to_csv([ORG, *rows])


def imp(engine: Engine, body: str, name: str = "f.csv", **kwargs: object):
    result = import_file(body.encode(), file_name=name, engine=engine, actor=EDITOR, **kwargs)
    assert result.status == "imported", result.errors
    return result


def frame(engine: Engine, **kwargs: object) -> pl.DataFrame:
    with engine.connect() as conn:
        return aggregates_frame(conn, **kwargs)


def test_duplicate_changes_nothing(portfolio: Engine) -> None:
    first = imp(portfolio, summary(3), period="2026-10")
    before = counts(portfolio)
    again = import_file(summary(3).encode(), file_name="copy.csv", engine=portfolio,
                        period="2026-10", actor=EDITOR)  # fmt: skip
    assert (again.status, again.duplicate_of, again.kind, again.grain) == (
        "duplicate", first.import_id, "aggregate", "aggregate",
    )  # fmt: skip
    assert again.rows_imported == 0 and counts(portfolio) == before


def test_undo_removes_exactly_its_facts(portfolio: Engine) -> None:
    kept = imp(portfolio, org([1, 2]), name="org.csv")
    before = counts(portfolio)
    result = imp(portfolio, summary(4), name="summary.csv", period="2026-10")
    described = describe_import(result.import_id, engine=portfolio)
    assert described.facts["aggregate_usage"] == 16 and described.facts["usage_record"] == 0
    assert described.kind == "aggregate" and described.blocked is None
    undone = undo_import(result.import_id, engine=portfolio, actor=EDITOR)
    assert undone.removed["aggregate_usage"] == 16
    after = counts(portfolio)
    assert after["aggregate_usage"] == before["aggregate_usage"] == 8  # the org summary stays
    assert after["learner"] == before["learner"] + 4  # pseudonymous learners stay, harmlessly
    df = frame(portfolio)
    assert df.height == 8 and df["learner_id"].null_count() == 8
    assert describe_import(kept.import_id, engine=portfolio).facts["aggregate_usage"] == 8
    history = list_imports(engine=portfolio)
    assert [(h.file, h.status, h.grain) for h in history[:2]] == [
        ("summary.csv", "undone", "aggregate"), ("org.csv", "imported", "aggregate"),
    ]  # fmt: skip
    assert fk_violations(portfolio) == []


def test_a_re_exported_period_replaces_the_earlier_one_until_undone(portfolio: Engine) -> None:
    first = imp(portfolio, summary(2, days=5), name="oct.csv", period="2026-10")
    second = imp(portfolio, summary(3, days=9), name="oct-again.csv", period="2026-10")
    other = imp(portfolio, summary(2, days=1), name="sep.csv", period="2026-09")
    df = frame(portfolio).filter(pl.col("measure") == "days_logged_in")
    october = df.filter(pl.col("period_end") == date(2026, 10, 31))
    assert october["value"].to_list() == [9.0, 9.0, 9.0]  # the later import wins each key
    assert df.filter(pl.col("period_end") == date(2026, 9, 30))["value"].to_list() == [1.0, 1.0]
    undo_import(second.import_id, engine=portfolio, actor=EDITOR)
    october = frame(portfolio).filter(
        (pl.col("measure") == "days_logged_in") & (pl.col("period_end") == date(2026, 10, 31))
    )
    assert october["value"].to_list() == [5.0, 5.0]  # what it had superseded counts again
    assert first.import_id < second.import_id < other.import_id


def test_reader_window_and_products(portfolio: Engine) -> None:
    imp(portfolio, org([1, 2, 3]))
    with portfolio.connect() as conn:
        udemy = conn.execute(text("SELECT id FROM product WHERE name = 'Udemy Seats'")).scalar()
    imp(portfolio, to_csv([["Email", "Status", "License type"], ["a@x.example", "Active", "E"]]),
        period="2026-02")  # fmt: skip
    window = frame(portfolio, start=date(2026, 2, 10), end=date(2026, 3, 5))
    people = window.filter(pl.col("measure") == "people_logged_in")
    assert people["period_start"].to_list() == [date(2026, 2, 1), date(2026, 3, 1)]
    assert "licence_active" in set(window["measure"])  # February overlaps the window
    only = frame(portfolio, product_ids=(udemy,))
    assert only.select("measure", "value").rows() == [("licence_active", 1.0)]
    assert frame(portfolio, product_ids=()).schema == pl.Schema(AGGREGATES)
    assert frame(portfolio, start=date(2030, 1, 1), end=date(2030, 12, 31)).is_empty()


def test_bulk_aggregates_on_both_databases(db_engine: Engine) -> None:
    assert (
        import_file(PRODUCTS_CSV, file_name="p.csv", engine=db_engine, actor=EDITOR).status
        == "imported"
    )
    n = 6_000  # more learners than one lookup chunk
    big = imp(db_engine, summary(n), name="big.csv", period="2026-10")
    assert big.rows_imported == n
    periods = imp(db_engine, org([1, 2, 3]), name="org.csv")
    with db_engine.connect() as conn:
        df = aggregates_frame(conn)
        learners = conn.execute(text("SELECT COUNT(*) FROM learner")).scalar_one()
    assert learners == n
    assert df.height == 4 * n + 4 * 3
    assert df.filter(pl.col("learner_id").is_null()).height == 12
    total = df.filter(pl.col("measure") == "minutes_viewed", pl.col("learner_id").is_not_null())
    assert total["value"].sum() == pytest.approx(60 * n * (n - 1) / 2)  # i hours each
    undo_import(periods.import_id, engine=db_engine, actor=EDITOR)
    with db_engine.connect() as conn:
        assert aggregates_frame(conn)["learner_id"].null_count() == 0
