"""Moodle course completion report (the course is the content item) and logs (events)."""

from __future__ import annotations

import codecs
import random
from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine, text

from loaders import describe_import, import_file, undo_import
from loaders.errors import Rejected
from loaders.formats import FORMATS, detect
from loaders.reading import normalise_header
from models.frames import usage_frame
from tests.actors import EDITOR
from tests.loaders.conftest import counts, fk_violations
from tests.loaders.factories import CSOD_HEADER, to_csv

# A course of three activities, none named as in the shared sample; identity fields
# in another order; one non-activity criterion ("Self completion") that is ignored.
COMPLETION_HEADER = [
    "Name", "ID", "Email address", "Department", "ID number",
    "Read the handbook", "Read the handbook - Completion date",
    "Fire drill video", "Fire drill video - Completion date",
    "Self completion",
    "Final assessment", "Final assessment - Completion date",
    "Course complete",
]  # fmt: skip
COMPLETION_ROWS = [
    ["Zoë Müller", "17", "zoe@acme.example", "Ops", "",
     "Completed", "02/10/26, 09:00", "Completed", "05/10/26, 10:30", "14/10/26, 16:50",
     "Completed (achieved pass grade)", "14/10/26, 16:45", "14/10/26, 16:50"],
    ["Ben Ode", "23", "", "Sales", "E-200",
     "Completed", "03/10/26, 08:00", "Not completed", "", "",
     "Completed (did not achieve pass grade)", "12/10/26, 11:05", ""],
    ["Chen Wei", "31", "", "", "",
     "Not completed", "", "Not completed", "", "", "Not completed", "", ""],
    ["Dee Park", "40", "dee@acme.example", "Ops", "",
     "Completed", "03/10/26, 12:00", "-", "-", "", "Not completed", "", ""],
]  # fmt: skip

LOG_HEADER = ["Time", "User full name", "Affected user", "Event context", "Component",
              "Event name", "Description", "Origin", "IP address"]  # fmt: skip
LOG_ROWS = [
    ["14/10/26, 16:50", "Zoë Müller", "-", "Course: Induction 2026", "System", "Course viewed",
     "The user with id '17' viewed the course with id '9'.", "web", "10.0.0.1"],
    ["14/10/26, 16:50", "Zoë Müller", "-", "Course: Induction 2026", "System", "Course viewed",
     "The user with id '17' viewed the course with id '9'.", "web", "10.0.0.1"],
    ["14/10/26, 16:52", "-", "Zoë Müller", "Course: Induction 2026", "System",
     "Course completed", "The user with id '17' completed the course with id '9'.", "cli", ""],
    ["13/10/26, 09:00", "Ben Ode", "-", "Quiz: Final assessment", "Quiz",
     "Quiz attempt submitted", "The user with id '23' submitted an attempt.", "web", "10.0.0.2"],
    ["13/10/26, 08:55", "Ben Ode", "-", "Quiz: Final assessment", "Quiz",
     "Course module viewed", "The user with id '23' viewed the quiz.", "web", "10.0.0.2"],
    ["12/10/26, 07:00", "-", "-", "System", "System", "Scheduled task completed",
     "Task ran.", "cli", ""],
    ["05/10/26, 10:30", "Dee Park", "-", "Page: Read the handbook", "Page",
     "Course module viewed", "The user with id '40' viewed the 'page' activity.", "web", ""],
]  # fmt: skip

MOODLE_PRODUCT = "product,category,vendor\nInduction Academy,academy,Moodle Workplace\n"


def imp(engine: Engine, data: bytes | str, name: str = "report.csv", **kwargs: object):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return import_file(raw, file_name=name, engine=engine, actor=EDITOR, **kwargs)


def completion_csv(rows: list[list[object]] = COMPLETION_ROWS) -> str:
    return "Course completion report: Induction 2026\n" + to_csv([COMPLETION_HEADER, *rows])


def pick(headers: list[str]) -> str:
    return detect([normalise_header(h) for h in headers], formats=FORMATS).format.name


def usage(engine: Engine) -> pl.DataFrame:
    with engine.connect() as conn:
        return usage_frame(conn)


@pytest.fixture
def moodle(portfolio: Engine) -> Engine:
    assert imp(portfolio, MOODLE_PRODUCT, name="more-products.csv").status == "imported"
    return portfolio


@pytest.mark.parametrize("seed", [1, 2])
def test_detection_by_header_subsets(seed: int) -> None:
    shuffle = random.Random(seed).shuffle
    completion = [h.upper() for h in COMPLETION_HEADER] + ["Cohort"]
    logs = [*LOG_HEADER, "Extra"]
    shuffle(completion)
    shuffle(logs)
    assert pick(completion) == "moodle_course_completion"
    assert pick(logs) == "moodle_logs"
    assert pick(CSOD_HEADER) == "cornerstone_transcript"  # it too has "User Full Name"
    # Some sites write the status column as "<activity> - <section>".
    sectioned = ["ID", "Name", "Quiz 1 - Week 2", "Quiz 1 - Completion date", "Course complete"]
    assert pick(sectioned) == "moodle_course_completion"


def test_course_complete_without_an_activity_pair_is_not_moodle() -> None:
    with pytest.raises(Rejected) as exc:
        pick(["ID", "Name", "Email address", "Course complete", "Quiz - Completion date"])
    message = exc.value.errors.first()[0].message
    assert "<activity> and <activity> - completion date" in message
    assert "Moodle course completion report" in message


def test_completion_report_the_course_is_the_only_completion(moodle: Engine) -> None:
    body = codecs.BOM_UTF16_LE + completion_csv().encode("utf-16-le")  # Moodle's "excelcsv"
    result = imp(moodle, body, name="completion-induction.csv")
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product, result.grain) == (
        "moodle_course_completion", "Moodle", "Induction Academy", "snapshot",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported) == (4, 4)
    notes = {d["topic"]: d for d in result.decisions}
    assert notes["course_item"]["activities"] == [
        "Read the handbook", "Fire drill video", "Final assessment",
    ]  # fmt: skip
    # Latest dates per learner span 3 Oct .. 14 Oct ("14/10/26" proves day first).
    assert (result.period_start, result.period_end) == (date(2026, 10, 3), date(2026, 10, 14))
    df = usage(moodle).sort("progress_pct", descending=True)
    assert df["content_id"].n_unique() == 1  # one content item: the course
    # Zoë 3 of 3; Ben 2 of 3 (a failed pass grade is still completed); Dee 1 of 2 counted
    # (a "-" status is not counted); Chen 0 of 3.
    assert df["progress_pct"].to_list() == [100.0, 66.67, 50.0, 0.0]
    assert df["completed"].to_list() == [True, False, False, False]  # only a Course complete date
    assert df["completed_date"].to_list() == [date(2026, 10, 14), None, None, None]
    assert df["date"].to_list() == [date(2026, 10, 14), date(2026, 10, 12), date(2026, 10, 3),
                                    None]  # fmt: skip
    with moodle.connect() as conn:
        items = conn.execute(text("SELECT external_id, title, content_type FROM content_item"))
        assert items.all() == [("course", None, "course")]
        learners = conn.execute(text("SELECT key_kind, org_unit FROM learner ORDER BY id")).all()
    # Zoë and Dee by e-mail, Ben by his ID number, Chen by Moodle's internal ID.
    assert sorted(k for k, _ in learners) == ["email", "email", "user_id", "user_id"]
    assert fk_violations(moodle) == []


def test_learner_keys_id_number_then_internal_id(moodle: Engine) -> None:
    from loaders.identity import learner_key
    from loaders.pseudonym import pseudonym_secret
    from settings import get_settings

    assert imp(moodle, completion_csv().encode("cp1252")).status == "imported"
    secret = pseudonym_secret(get_settings())
    with moodle.connect() as conn:
        keys = {r[0] for r in conn.execute(text("SELECT key FROM learner"))}
    assert learner_key("user_id", "e-200", secret=secret) in keys
    assert learner_key("user_id", "moodle:31", secret=secret) in keys
    assert learner_key("user_id", "31", secret=secret) not in keys  # never a bare internal id


COMPLETION_REJECTIONS = [
    pytest.param(0, 5, "Terminé", "Read the handbook",
                 "'Terminé' is not a Moodle completion status", id="unknown-status"),
    pytest.param(1, 6, "31/31/26, 10:00", None, "'31/31/26, 10:00' is not a date",
                 id="bad-activity-date"),
    pytest.param(0, 12, "14/10/27, 16:50", "Course complete",
                 "(2027-10-14) is after today (2026-11-23)", id="future-completion"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "index", "value", "column", "words"), COMPLETION_REJECTIONS)
def test_completion_rejections_change_nothing(
    moodle: Engine, row: int, index: int, value: str, column: str | None, words: str
) -> None:
    rows = [list(r) for r in COMPLETION_ROWS]
    rows[row][index] = value
    before = counts(moodle)
    result = imp(moodle, completion_csv(rows))
    assert result.status == "rejected"
    assert result.rows_imported == 0 and result.rows_rejected >= 1
    assert any(words in e["message"] and e["row"] == row + 3 for e in result.errors), result.errors
    if column is not None:
        assert any(e["column"] == column for e in result.errors), result.errors
    assert counts(moodle) == before


def test_routing_by_alias_duplicate_and_undo(engine: Engine) -> None:
    imp(engine, "product,category,vendor\nLMS Courses,academy,moodle-lms\n")
    first = imp(engine, completion_csv())
    assert (first.status, first.product) == ("imported", "LMS Courses"), first.errors
    before = counts(engine)
    again = imp(engine, completion_csv(), name="copy.csv")
    assert again.status == "duplicate" and counts(engine) == before
    assert describe_import(first.import_id, engine=engine).facts["usage_record"] == 4
    assert undo_import(first.import_id, engine=engine, actor=EDITOR).removed["usage_record"] == 4
    assert usage(engine).is_empty()
    imp(engine, "product,category,vendor\nOther LMS,academy,Moodle\n")
    several = imp(engine, completion_csv(), name="third.csv")
    assert several.status == "rejected"
    assert "several products name the vendor Moodle" in several.errors[0]["message"]


def test_logs_events_by_name(moodle: Engine) -> None:
    body = codecs.BOM_UTF8 + to_csv([LOG_HEADER, *LOG_ROWS]).encode()
    result = imp(moodle, body, name="logs.csv", vendor="Moodle LMS")
    assert result.status == "imported", result.errors
    assert (result.format, result.grain, result.product) == (
        "moodle_logs", "event", "Induction Academy",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported) == (7, 3)
    notes = {d["topic"]: d for d in result.decisions}
    assert notes["events_without_user"]["rows"] == [7]  # the system's own event
    assert notes["repeated_keys"]["value"] == 3  # same learner, context and day
    assert notes["learner"]["value"] == "name"
    assert (result.period_start, result.period_end) == (date(2026, 10, 5), date(2026, 10, 14))
    df = usage(moodle).sort("date")
    assert df["date"].to_list() == [date(2026, 10, 5), date(2026, 10, 13), date(2026, 10, 14)]
    # Only the Course completed event completes, for its affected user; the rest: not tracked.
    assert df["completed"].to_list() == [None, None, True]
    assert df["completed_date"].to_list() == [None, None, date(2026, 10, 14)]
    assert df["minutes"].null_count() == 3
    with moodle.connect() as conn:
        kinds = conn.execute(text("SELECT DISTINCT key_kind FROM learner")).all()
        items = conn.execute(text("SELECT title, content_type FROM content_item ORDER BY title"))
        assert items.all() == [("Course: Induction 2026", "Course"),
                               ("Page: Read the handbook", "Page"),
                               ("Quiz: Final assessment", "Quiz")]  # fmt: skip
    assert kinds == [("name",)]  # names only: weak keys


def test_logs_rejections_change_nothing(moodle: Engine) -> None:
    before = counts(moodle)
    rows = [list(r) for r in LOG_ROWS]
    rows[3][0] = "5 Mar, 14:02"  # older Moodle: no year
    result = imp(moodle, to_csv([LOG_HEADER, *rows]))
    assert result.status == "rejected"
    assert {"row": 5, "column": "Time", "message": "'5 Mar, 14:02' is not a date"} in (
        result.errors
    )
    # No name anywhere, and no user id to fall back on (an anonymised log with ids in its
    # Description imports: tests/loaders/test_moodle_languages.py).
    nobody = [[*r[:1], "-", "-", *r[3:6], "Task ran.", *r[7:]] for r in LOG_ROWS]
    result = imp(moodle, to_csv([LOG_HEADER, *nobody]))
    assert result.status == "rejected"
    assert "no event in the file names a user" in result.errors[0]["message"]
    no_description = [[*r[:6], *r[7:]] for r in nobody]
    header = [h for h in LOG_HEADER if h != "Description"]
    result = imp(moodle, to_csv([header, *no_description]), name="nodesc.csv")
    assert result.status == "rejected"
    assert "no Description column" in result.errors[0]["message"]
    assert counts(moodle) == before
