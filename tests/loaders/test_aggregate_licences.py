"""Udemy Business users (licence status) and Coursera membership: per-learner aggregate facts."""

from __future__ import annotations

import csv
import io
from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine

from loaders import import_file
from loaders.formats import FORMATS, detect
from loaders.reading import normalise_header
from models.frames import aggregates_frame
from tests.actors import EDITOR
from tests.loaders.conftest import counts, fk_violations
from tests.loaders.factories import UDEMY_HEADER, to_csv

USERS_HEADER = ["Email", "Name", "Surname", "Role", "Status", "Group", "External ID",
                "LMS User ID", "License type", "License pool", "Joined date"]  # fmt: skip
USERS_ROWS = [
    ["zoe.mueller@acme.example", "Zoë", "Müller", "Student", "Active", "Data, Berlin", "E1",
     "lms-1", "Enterprise", "Default pool", "2026-01-05"],
    [None, "Ben", "Ode", "Group admin", "Deactivated (by admin)", "Managers", "E2", "lms-2",
     "Enterprise", "Default pool", "2026-02-11"],
    ["dana@acme.example", "Dana", "Roe", "Student", "Pending invitation", None, "E3", None,
     "Enterprise", None, None],
    [None, "Anonymized", "User", "Student", "DEACTIVATED", None, None, None, "Enterprise", None,
     None],
]  # fmt: skip

MEMBERSHIP_HEADER = ["Name", "Email", "External ID", "Program Name", "Program Slug",
                     "# Enrolled Courses", "# Completed Courses", "Member State", "Join Date",
                     "Invitation Date", "Latest Program Activity Date", "Job Title",
                     "Business Unit", "Location Country"]  # fmt: skip
MEMBERSHIP_ROWS = [
    ["Ana Lima", "ana@acme.example", "E10", "Acme Data Academy", "acme-data", "3", "2",
     "MEMBER", "2026-02-01T10:02:11.000Z", "2026-01-29T16:00:00.000Z",
     "2026-06-02T19:40:51.000Z", "Data Analyst,\nSenior", "Finance", "Portugal"],
    ["Ana Lima", "ana@acme.example", "E10", "Acme Leadership, Managers", "acme-lead", "1", "0",
     "MEMBER", "2026-03-18T09:01:02.000Z", "2026-03-15T16:00:00.000Z",
     "2026-04-01T12:11:09.000Z", "", "Finance", "Portugal"],
    ["Ben Ode", "", "E11", "Pilot Cohort", "", "2", "1", "member",
     "2026-03-01T08:00:00.000Z", "", "2026-03-20T08:00:00.000Z", "", "", ""],
    ["Dana Kim", "dana.kim@acme.example", "", "Acme Data Academy", "acme-data", "0", "0",
     "INVITED", "", "2026-01-29T16:00:00.000Z", "", "", "", ""],
]  # fmt: skip

COURSERA_PRODUCTS = "product,category,vendor\nCoursera Hub,content_library,Coursera for Business\n"


def imp(engine: Engine, data: bytes | str, name: str = "report.csv", **kwargs: object):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return import_file(raw, file_name=name, engine=engine, actor=EDITOR, **kwargs)


def quoted(rows: list[list[object]]) -> str:
    """Every field double-quoted, CRLF line ends (as Coursera exports)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


def aggregates(engine: Engine) -> pl.DataFrame:
    with engine.connect() as conn:
        return aggregates_frame(conn)


def pick(headers: list[str]) -> str:
    return detect([normalise_header(h) for h in headers], formats=FORMATS).format.name


@pytest.fixture
def coursera(portfolio: Engine) -> Engine:
    assert imp(portfolio, COURSERA_PRODUCTS, name="more-products.csv").status == "imported"
    return portfolio


def test_users_and_course_progress_are_told_apart() -> None:
    assert pick(USERS_HEADER) == "udemy_users"
    assert pick(UDEMY_HEADER) == "udemy_user_course_progress"
    british = ["EMAIL", "Status", "Licence Type", "Name"]
    assert pick(british) == "udemy_users"


def test_udemy_users_licence_status(portfolio: Engine) -> None:
    body = to_csv([USERS_HEADER, *USERS_ROWS], delimiter=";", eol="\r\n").encode("cp1252")
    result = imp(portfolio, body, name="users.csv", period="2026-11")
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product, result.kind) == (
        "udemy_users", "Udemy Business", "Udemy Seats", "aggregate",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported) == (4, 4)
    assert (result.period_start, result.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    df = aggregates(portfolio)
    assert set(df["measure"]) == {"licence_active"}
    # Active -> 1; Deactivated (by admin), Pending invitation and DEACTIVATED -> 0.
    assert sorted(df["value"].to_list()) == [0.0, 0.0, 0.0, 1.0]
    with portfolio.connect() as conn:
        kinds = conn.exec_driver_sql("SELECT key_kind, org_unit FROM learner ORDER BY id").all()
    assert sorted(k for k, _ in kinds) == ["email", "email", "name", "user_id"]
    assert ("email", "Data, Berlin") in kinds  # the users report's group is the org unit
    assert fk_violations(portfolio) == []


def test_udemy_users_needs_period(portfolio: Engine) -> None:
    before = counts(portfolio)
    result = imp(portfolio, to_csv([USERS_HEADER, *USERS_ROWS]), vendor="udemy")
    assert result.status == "rejected" and result.rows_rejected == 4
    assert "Udemy Business users report carries no dates" in result.errors[0]["message"]
    assert "--period" in result.errors[0]["message"]
    assert counts(portfolio) == before


def test_udemy_unknown_status_is_a_row_error(portfolio: Engine) -> None:
    rows = [list(r) for r in USERS_ROWS]
    rows[2][4] = "Suspended"
    before = counts(portfolio)
    result = imp(portfolio, to_csv([USERS_HEADER, *rows]), period="2026-11")
    assert result.status == "rejected" and result.rows_rejected == 1
    assert result.errors == [{
        "row": 4, "column": "Status",
        "message": "'Suspended' is not a known status (read as 1: active; as 0: deactivated..., "
                   "pending..., invited...)",
    }]  # fmt: skip
    assert counts(portfolio) == before


def test_membership_per_learner_and_program(coursera: Engine) -> None:
    result = imp(coursera, "\ufeff" + quoted([MEMBERSHIP_HEADER, *MEMBERSHIP_ROWS]))
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product) == (
        "coursera_membership", "Coursera for Business", "Coursera Hub",
    )  # fmt: skip
    # No --period: the span of Join Date and Latest Program Activity Date.
    assert (result.period_start, result.period_end) == (date(2026, 2, 1), date(2026, 6, 2))
    assert (result.rows_read, result.rows_imported) == (4, 4)
    df = aggregates(coursera)
    assert df.height == 12  # 4 rows x 3 measures
    assert set(df["measure"]) == {"enrolled_courses", "completed_courses", "member"}
    # The program slug, else (Ben's row) the program name, scopes each measure.
    assert sorted(set(df["scope"])) == ["Pilot Cohort", "acme-data", "acme-lead"]
    members = df.filter(pl.col("measure") == "member").sort("scope", "value")
    assert members.select("scope", "value").rows() == [
        ("Pilot Cohort", 1.0), ("acme-data", 0.0), ("acme-data", 1.0), ("acme-lead", 1.0),
    ]  # fmt: skip
    # Per learner over programs (what a metric would do): Ana is in two programs.
    per_learner = (
        df.filter(pl.col("measure") == "enrolled_courses")
        .group_by("learner_id")
        .agg(pl.col("value").sum())
        .sort("value")
    )
    assert per_learner["value"].to_list() == [0.0, 2.0, 4.0]  # Dana 0, Ben 2, Ana 3 + 1
    with coursera.connect() as conn:
        stored = conn.exec_driver_sql("SELECT DISTINCT measure FROM aggregate_usage").all()
    assert ("member/acme-data",) in stored and ("completed_courses/Pilot Cohort",) in stored


def test_membership_with_period_and_late_dates(coursera: Engine) -> None:
    body = quoted([MEMBERSHIP_HEADER, *MEMBERSHIP_ROWS])
    ok = imp(coursera, body, period="2026-01..2026-06")
    assert (ok.status, ok.period_start, ok.period_end) == (
        "imported", date(2026, 1, 1), date(2026, 6, 30),
    )  # fmt: skip
    before = counts(coursera)
    late = imp(coursera, body.replace("2026-06-02T", "2026-07-02T"), period="2026-01..2026-06")
    assert late.status == "rejected"
    assert late.errors == [{
        "row": 2, "column": "Latest Program Activity Date",
        "message": "'2026-07-02T19:40:51.000Z' (2026-07-02) is after the report period end "
                   "2026-06-30",
    }]  # fmt: skip
    assert counts(coursera) == before


MEMBERSHIP_REJECTIONS = [
    pytest.param(7, "ARCHIVED", "Member State", "'ARCHIVED' is not a known status",
                 id="unknown-state"),
    pytest.param(4, "", "Program Slug / Program Name", "is empty; a value is required",
                 id="no-program"),
    pytest.param(4, "x" * 90, "Program Slug / Program Name",
                 "is longer than the 82 characters that can be stored", id="program-too-long"),
    pytest.param(5, "many", "# Enrolled Courses", "'many' is not a number", id="bad-count"),
    pytest.param(8, "31/31/2026", "Join Date", "'31/31/2026' is not a date", id="bad-date"),
]  # fmt: skip


@pytest.mark.parametrize(("index", "value", "column", "words"), MEMBERSHIP_REJECTIONS)
def test_membership_rejections_change_nothing(
    coursera: Engine, index: int, value: str, column: str | None, words: str
) -> None:
    rows = [list(r) for r in MEMBERSHIP_ROWS]
    rows[0][index] = value
    if value == "":
        rows[0][3] = ""  # no program name either
    before = counts(coursera)
    result = imp(coursera, quoted([MEMBERSHIP_HEADER, *rows]))
    assert result.status == "rejected"
    assert any(words in e["message"] for e in result.errors), result.errors
    assert any(e["row"] == 2 for e in result.errors)
    if column is not None:
        assert any(e["column"] == column for e in result.errors), result.errors
    assert counts(coursera) == before


def test_invitations_only_need_period(coursera: Engine) -> None:
    body = quoted([MEMBERSHIP_HEADER, MEMBERSHIP_ROWS[3]])
    result = imp(coursera, body)
    assert result.status == "rejected"
    message = result.errors[0]["message"]
    assert "has no dates (Join Date, Latest Program Activity Date are empty)" in message
    assert "--period" in message
    assert imp(coursera, body, period="2026-02").status == "imported"


def test_repeated_learner_and_program_keeps_the_last(coursera: Engine) -> None:
    repeat = list(MEMBERSHIP_ROWS[0])
    repeat[6] = "3"  # a later line of the same learner and program, now 3 completed
    result = imp(coursera, quoted([MEMBERSHIP_HEADER, MEMBERSHIP_ROWS[0], repeat]))
    assert result.status == "imported", result.errors
    assert (result.rows_read, result.rows_imported) == (2, 1)
    repeated = next(d for d in result.decisions if d["topic"] == "repeated_keys")
    assert repeated["rows"] == [2] and repeated["different"] == 1
    assert "learner x scope x period" in repeated["message"]
    df = aggregates(coursera).filter(pl.col("measure") == "completed_courses")
    assert df["value"].to_list() == [3.0]


def test_membership_is_not_mistaken_for_the_usage_report() -> None:
    usage = ["Name", "Email", "External Id", "Course", "Course ID", "Course Slug", "University",
             "Enrollment Time", "Last Course Activity Time", "Overall Progress",
             "Estimated Learning Hours", "Completed", "Removed From Program", "Program Slug",
             "Program Name"]  # fmt: skip
    assert pick(usage) == "coursera_usage_report"
    assert pick(MEMBERSHIP_HEADER) == "coursera_membership"
