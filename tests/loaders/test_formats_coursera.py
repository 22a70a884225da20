"""Coursera for Business: the usage report and the newer course activity export (snapshots)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text

from loaders.errors import Rejected
from loaders.formats import FORMATS, detect
from loaders.reading import normalise_header
from metrics.usage import learning_hours
from tests.loaders.conftest import counts
from tests.loaders.vendor_helpers import (
    COURSERA_ACTIVITY_HEADER,
    COURSERA_USAGE_HEADER,
    add_contract,
    add_products,
    bom,
    by_content,
    content,
    imp,
    learners,
    render,
    topics,
)

ML = "Machine Learning, Part 1\n(Stanford Online)"  # a comma and a line break inside quotes


def enrolment(**values: object) -> dict[str, object]:
    """One learner x course row with plausible defaults; keys are header names."""
    row: dict[str, object] = {
        "Name": "Inês Ferreira", "Email": "Ines.Ferreira@Acme.example", "External ID": "X-101",
        "External Id": "X-101", "Course": ML, "Course ID": "ml-001", "Course Slug": "ml",
        "University": "Stanford", "Enrollment Time": "2026-09-01T09:00:00.000Z",
        "Overall Progress": "100.0", "Completed": "Yes", "Removed From Program": "No",
        "Program Slug": "acme-data-q3", "Program Name": "Acme Data", "Course Type": "Course",
        "Total Estimated Learning Hours (since enrolled)": "61", "Estimated Learning Hours": "61",
        "Contract": "Acme 2026", "Is Enterprise Contract Active": "Yes",
        "Business Unit": "Data Office",
    }  # fmt: skip
    row.update(values)
    return row


def activity_rows() -> list[dict[str, object]]:
    return [
        enrolment(**{"Last Course Activity Time": "2026-10-05T23:30:00.000-07:00",
                     "Completion Time": "2026-10-05T23:30:00.000-07:00", "Learning Hours": "12.5"}),
        enrolment(Name="Tomasz Nowak", Email="", **{"External ID": "X-102"},
                  **{"Overall Progress": "37.5", "Completed": "No", "Learning Hours": "1.25",
                     "Last Course Activity Time": "2026-10-20T08:00:00.000Z"}),
        enrolment(Name="Ravi Rao", Email="ravi.rao@acme.example", Course="Python for Everybody",
                  **{"Course ID": "py-4e", "Overall Progress": "0.0", "Completed": "No",
                     "Removed From Program": "Yes", "Learning Hours": "0.0"}),
        # Inês again, same course through a second program, less advanced: not the one kept.
        enrolment(**{"Program Slug": "acme-ml-club", "Overall Progress": "80",
                     "Completed": "No", "Learning Hours": "10",
                     "Last Course Activity Time": "2026-10-02T10:00:00.000Z"}),
    ]  # fmt: skip


def activity_csv(rows: list[dict[str, object]] | None = None, **kwargs: object) -> str:
    # Reordered (Learning Hours first, Email last) with customer attributes added.
    header = [
        "Learning Hours",
        *[h for h in COURSERA_ACTIVITY_HEADER if h not in ("Learning Hours", "Email")],
    ]
    header += ["Business Unit", "Manager", "Email"]
    return render(header, rows or activity_rows(), quote_all=True, **kwargs)  # type: ignore[arg-type]


def with_attributes(header: list[str]) -> list[str]:
    """Customer attributes inserted after Course Type, as one real file had them."""
    at = header.index("Course Type") + 1
    return [*header[:at], "Business Unit", "Business Unit 2", *header[at:]]


def pick(headers: list[str]) -> str:
    return detect([normalise_header(h) for h in headers], formats=FORMATS).format.name


def test_detection_most_specific_wins() -> None:
    assert pick(COURSERA_USAGE_HEADER) == "coursera_usage_report"
    # The course activity export has the usage report's columns and Learning Hours.
    assert pick(COURSERA_ACTIVITY_HEADER) == "coursera_course_activity"
    # The older report with customer attributes after Course Type, shouted and shuffled.
    usage = with_attributes(COURSERA_USAGE_HEADER)
    assert pick([f" {h.upper()}  " for h in reversed(usage)]) == "coursera_usage_report"
    minimal = ["Email", "Course ID", "Course Slug", "Overall Progress", "Completed",
               "Removed From Program", "Program Slug"]  # fmt: skip
    assert pick(minimal) == "coursera_usage_report"
    assert pick([*minimal, "Learning Hours"]) == "coursera_course_activity"


@pytest.mark.parametrize(
    "headers",
    [
        # Membership (learner x program): an aggregate, not learner x course.
        ["Name", "Email", "External Id", "Program Name", "Program Slug", "# Enrolled Courses",
         "# Completed Courses", "Member State", "Join Date", "Invitation Date",
         "Latest Program Activity Date"],
        # Specialization report and the learning-path tab: no Course ID / Overall Progress.
        ["Name", "Email", "Specialization", "Specialization Slug", "# Completed Courses",
         "Completed", "Removed From Program", "Program Slug", "Program Name"],
        ["User Name", "Email", "Badge Title", "Badge Slug", "Progress in Badge (%)",
         "Course Name", "Is Course Completed", "Course Completion Timestamp"],
    ],
)  # fmt: skip
def test_other_coursera_reports_are_not_usage(headers: list[str]) -> None:
    try:
        name = pick(headers)
    except Rejected:
        return
    assert not name.startswith("coursera_usage") and name != "coursera_course_activity"


def test_course_activity_canonical_rows(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    result = imp(portfolio, tmp_path, bom(activity_csv() + '"Total","","","","",""\n'))
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product, result.grain) == (
        "coursera_course_activity", "Coursera for Business", "Coursera Academy", "snapshot",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported) == (4, 3)  # total row skipped; Inês once
    found = topics(result)
    assert found[("repeated_keys", None)]["rows"] == [5]  # the less advanced program row
    estimate = "Total Estimated Learning Hours (since enrolled)"
    assert found[("minutes_source", estimate)]["value"] == "Learning Hours"
    assert found[("duration_unit", "Learning Hours")]["value"] == "hours"
    # Period: the span of the rows' own dates, 2 Oct (the repeat) to 20 Oct.
    assert (result.period_start, result.period_end) == (date(2026, 10, 2), date(2026, 10, 20))
    df = by_content(portfolio)
    assert df["external_id"].to_list() == ["ml-001", "ml-001", "py-4e"]
    # Hours -> minutes: 12.5 h = 750, 1.25 h = 75; the estimate (61 h) is never minutes.
    assert df["minutes"].to_list() == [750.0, 75.0, 0.0]
    assert df["progress_pct"].to_list() == [100.0, 37.5, 0.0]
    assert df["completed"].to_list() == [True, False, False]
    # Dates as written in their own offset (23:30 at -07:00 is 5 Oct, not 6 Oct UTC).
    assert df["date"].to_list() == [date(2026, 10, 5), date(2026, 10, 20), None]
    assert df["completed_date"].to_list() == [date(2026, 10, 5), None, None]
    assert learners(portfolio) == ["email", "email", "user_id"]  # Tomasz: External ID
    assert content(portfolio) == {"ml-001": (ML, None), "py-4e": ("Python for Everybody", None)}
    with portfolio.connect() as conn:
        units = conn.execute(text("SELECT DISTINCT org_unit FROM learner")).scalars().all()
    assert units == ["Data Office"]


def test_usage_report_stores_no_minutes_from_the_estimate(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    header = with_attributes(COURSERA_USAGE_HEADER)
    rows = [
        # Excel round-trip dates (no T, no zone); cp1252 with an accented name.
        enrolment(**{"Last Course Activity Time": "2026-03-02 19:40:51",
                     "Completion Time": "2026-03-02 19:40:51",
                     "Estimated Learning Hours": "18.42"}),
        enrolment(Name="Zoë Mañas", Email="zoe@acme.example", Course="Leading Teams",
                  **{"Course ID": "lead-1", "Overall Progress": "57.73", "Completed": "No",
                     "Last Course Activity Time": "2026-04-01 12:11:09"}),
    ]  # fmt: skip
    result = imp(portfolio, tmp_path, render(header, rows).encode("cp1252"))
    assert (result.status, result.format) == ("imported", "coursera_usage_report"), result.errors
    note = topics(result)[("minutes_source", "Estimated Learning Hours")]
    assert "not stored as minutes" in note["message"] and "not tracked" in note["message"]
    df = by_content(portfolio)
    assert df["minutes"].to_list() == [None, None]
    assert df["progress_pct"].to_list() == [57.73, 100.0]
    assert df["content_id"].n_unique() == 2
    with portfolio.connect() as conn:
        types = conn.execute(text("SELECT DISTINCT content_type FROM content_item")).scalars()
        assert types.all() == ["Course"]
    hours = learning_hours(by_content(portfolio), start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert hours["learning_hours"].to_list() == [None]  # not tracked, never 0


def test_routing_by_contract_alias_vendor_option_and_product_override(
    engine: Engine, tmp_path
) -> None:
    add_products(engine, [["product", "category"], ["Campus", "content_library"],
                          ["Pilot", "academy"]])  # fmt: skip
    add_contract(engine, "Campus", "Coursera for Business")
    routed = imp(engine, tmp_path, activity_csv(), name="a.csv")
    assert (routed.status, routed.product) == ("imported", "Campus"), routed.errors
    forced = imp(engine, tmp_path, activity_csv(activity_rows()[:2]), name="b.csv",
                 vendor="coursera-for-business")  # fmt: skip
    assert (forced.vendor, forced.product) == ("Coursera for Business", "Campus")
    override = imp(engine, tmp_path, activity_csv(activity_rows()[2:]), name="c.csv",
                   product="pilot")  # fmt: skip
    assert (override.status, override.product) == ("imported", "Pilot")


def test_duplicate_reimport_changes_nothing(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    first = imp(portfolio, tmp_path, activity_csv(), name="export.csv")
    before = counts(portfolio)
    again = imp(portfolio, tmp_path, activity_csv(), name="export (1).csv")
    assert (again.status, again.duplicate_of, again.product) == (
        "duplicate", first.import_id, "Coursera Academy",
    )  # fmt: skip
    assert counts(portfolio) == before


def _broken(column: str, value: str, row: int = 1) -> str:
    rows = activity_rows()
    rows[row][column] = value
    return activity_csv(rows)


REJECTIONS = [
    pytest.param(_broken("Overall Progress", "lots"), 3, "Overall Progress",
                 "'lots' is not a number", id="bad-progress"),
    pytest.param(_broken("Overall Progress", "140"), 3, "Overall Progress",
                 "is not a percentage between 0 and 100", id="progress-over-100"),
    pytest.param(_broken("Completed", "Maybe"), 3, "Completed", "is not yes/no", id="bad-flag"),
    pytest.param(_broken("Last Course Activity Time", "2026-02-30T10:00:00.000Z"), 3,
                 "Last Course Activity Time", "is not a date", id="bad-date"),
    pytest.param(_broken("Completion Time", "2027-01-05T10:00:00.000Z", row=0), 2,
                 "Completion Time", "is after today (2026-11-23)", id="future-date"),
    pytest.param(_broken("Learning Hours", "-2", row=2), 4, "Learning Hours", "is negative",
                 id="negative-hours"),
    pytest.param(activity_csv([enrolment(Name="", Email="", **{"External ID": "",
                 "Learning Hours": "1", "Last Course Activity Time": "2026-10-01"})]), 2,
                 "Email / External ID / Name", "no learner", id="no-learner"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "row", "column", "words"), REJECTIONS)
def test_rejections_name_row_and_column_and_change_nothing(
    portfolio: Engine, tmp_path, body: str, row: int, column: str, words: str
) -> None:
    add_products(portfolio)
    before = counts(portfolio)
    result = imp(portfolio, tmp_path, body)
    assert result.status == "rejected" and result.rows_imported == 0
    assert any(
        e["row"] == row and e["column"] == column and words in e["message"] for e in result.errors
    ), result.errors
    assert counts(portfolio) == before


@pytest.mark.parametrize(
    ("body", "options", "words"),
    [
        (activity_csv().replace('"Program Slug"', '"Program"'), {},
         "missing required column 'program slug'"),
        (activity_csv(), {}, "no product names the vendor Coursera for Business"),
        (activity_csv(), {"product": "Nope"}, "product 'Nope' does not exist"),
    ],
)  # fmt: skip
def test_file_level_rejections_change_nothing(
    portfolio: Engine, tmp_path, body: str, options: dict, words: str
) -> None:
    before = counts(portfolio)  # the portfolio has no product naming Coursera
    result = imp(portfolio, tmp_path, body, **options)
    assert result.status == "rejected" and result.rows_rejected == result.rows_read
    assert words in result.errors[0]["message"], result.errors
    assert counts(portfolio) == before
