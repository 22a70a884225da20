"""LinkedIn Learning learner and organization summaries: aggregate facts, apart from usage."""

from __future__ import annotations

import codecs
import random
from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine, text

from loaders import import_file
from loaders.formats import FORMATS, detect
from loaders.identity import learner_key
from loaders.pseudonym import pseudonym_secret
from loaders.reading import normalise_header
from models.frames import aggregates_frame, usage_frame
from settings import get_settings
from tests.actors import EDITOR
from tests.loaders.conftest import counts, fk_violations
from tests.loaders.factories import LINKEDIN_HEADER, linkedin_csv, to_csv

# Name first, the rest shuffled, plus columns the importer does not use.
SUMMARY_HEADER = ["Name", "Course Completions", "Hours Viewed", "Groups", "Unique User ID",
                  "Days Logged In", "Email", "Course Views", "Video Views"]  # fmt: skip
SUMMARY_ROWS = [
    ["Zoë Müller", 4, "31:05:30", "Sales", "U0001", 21, "Zoe.Mueller@Acme.example", 14, 3],
    ["Ben Ode", 0, "0:45:00", "", "U0002", 3, "N/A", 2, 0],  # no e-mail: the user id
    ["Ode, Chi", "", "0:00:00", "", "", 0, "", 0, 0],  # name only (a weak key), blank count
]
TOTAL_ROW = ["Total", 4, "31:50:30", "", "", 24, "", 16, 3]

ORG_HEADER = ["Start Day (PST/PDT)", "End Day (PST/PDT)", "People Logged In", "Unique Viewers",
              "Hours Viewed", "Course Views", "Course Completions"]  # fmt: skip
ORG_ROWS = [
    ["9/28/2026", "10/4/2026", 120, 95, "310:12:00", 400, 12],
    ["10/5/2026", "10/11/2026", 131, 102, "298:00:30", "1,204", 9],
    ["10/12/2026", "10/18/2026", 118, 90, "275:30:00", 390, 11],
]


def imp(engine: Engine, data: bytes | str, name: str = "report.csv", **kwargs: object):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return import_file(raw, file_name=name, engine=engine, actor=EDITOR, **kwargs)


def summary_csv(rows: list[list[object]] = SUMMARY_ROWS) -> str:
    title = "LinkedIn Learning - Learner Summary Report\n"
    return title + to_csv([SUMMARY_HEADER, *rows, TOTAL_ROW])


def org_csv(rows: list[list[object]] = ORG_ROWS, header: list[str] = ORG_HEADER) -> str:
    return "Organization Summary – Acme Corp\n\n" + to_csv([header, *rows])


def aggregates(engine: Engine, **kwargs: object) -> pl.DataFrame:
    with engine.connect() as conn:
        return aggregates_frame(conn, **kwargs)


def values(df: pl.DataFrame, measure: str) -> list[float]:
    return df.filter(pl.col("measure") == measure).sort("value")["value"].to_list()


def pick(headers: list[str]) -> str:
    return detect([normalise_header(h) for h in headers], formats=FORMATS).format.name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_and_detail_are_told_apart(seed: int) -> None:
    shuffle = random.Random(seed).shuffle
    for header, name in [
        (SUMMARY_HEADER, "linkedin_learning_learner_summary"),
        (ORG_HEADER, "linkedin_learning_org_summary"),
        (LINKEDIN_HEADER, "linkedin_learning_learner_detail"),
    ]:
        messy = [f" {h.upper()}  " for h in header] + ["Cost Centre"]
        shuffle(messy)
        assert pick(messy) == name
    # Older headers: "Courses Viewed", a zone-less start day, decimal hours.
    older = ["Start Day (PST)", "End Day (PST)", "People Logged In", "Hours Viewed"]
    assert pick(older) == "linkedin_learning_org_summary"
    assert pick(["Email", "Days Logged In", "Hours Viewed", "Courses Viewed"]) == (
        "linkedin_learning_learner_summary"
    )


def test_learner_summary_messy_file(portfolio: Engine) -> None:
    body = codecs.BOM_UTF8 + summary_csv().encode()
    result = imp(portfolio, body, name="summary.csv", period="2026-10")
    assert result.status == "imported", result.errors
    assert (result.format, result.kind, result.grain, result.vendor, result.product) == (
        "linkedin_learning_learner_summary", "aggregate", "aggregate", "LinkedIn Learning",
        "Linked Library",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported) == (3, 3)  # the Total row is skipped
    assert (result.period_start, result.period_end) == (date(2026, 10, 1), date(2026, 10, 31))
    notes = {d["topic"]: d for d in result.decisions}
    assert notes["summary_rows"]["rows"] == [6]  # title line 1, header 2, data 3-5, total 6
    assert notes["aggregate_facts"]["value"] == 11  # 3 x 4 measures, one blank completion
    df = aggregates(portfolio)
    assert df.height == 11 and df["learner_id"].null_count() == 0
    assert set(df["period_start"]) == {date(2026, 10, 1)}
    assert set(df["period_end"]) == {date(2026, 10, 31)}
    assert df["scope"].null_count() == 11
    # H:MM:SS with hours past 24: 31 h 05 min 30 s = 1865.5 minutes.
    assert values(df, "minutes_viewed") == [0.0, 45.0, 1865.5]
    assert values(df, "days_logged_in") == [0.0, 3.0, 21.0]
    assert values(df, "course_views") == [0.0, 2.0, 14.0]
    assert values(df, "course_completions") == [0.0, 4.0]  # blank: not tracked, not stored
    assert set(df["measure"]) == {
        "days_logged_in", "minutes_viewed", "course_views", "course_completions",
    }  # fmt: skip
    with portfolio.connect() as conn:
        kinds = conn.exec_driver_sql("SELECT key_kind, org_unit FROM learner ORDER BY id").all()
        assert usage_frame(conn).is_empty()  # nothing reaches learner x content usage
    assert sorted(k for k, _ in kinds) == ["email", "name", "user_id"]
    assert ("email", "Sales") in kinds
    assert fk_violations(portfolio) == []


def test_learner_summary_without_period_is_rejected(portfolio: Engine) -> None:
    before = counts(portfolio)
    result = imp(portfolio, summary_csv())
    assert result.status == "rejected"
    assert result.rows_imported == 0 and result.rows_rejected == 3
    message = result.errors[0]["message"]
    assert "LinkedIn Learning learner summary carries no dates" in message
    assert "pass --period YYYY-MM[..YYYY-MM]" in message
    assert counts(portfolio) == before


def test_same_learner_as_the_detail_report_but_facts_apart(portfolio: Engine) -> None:
    detail = imp(portfolio, linkedin_csv(3), name="detail.csv")
    rows = [["Learner0 Tester", 1, "1:00:00", "", "U0000", 5, "learner0@acme.example", 2, 0]]
    summary = imp(portfolio, summary_csv(rows), name="summary.csv", period="2026-10")
    assert detail.status == summary.status == "imported", summary.errors
    after = counts(portfolio)
    assert after["learner"] == 3  # the summary's learner is the detail's learner 0 (e-mail)
    assert (after["usage_record"], after["aggregate_usage"]) == (3, 4)
    key = learner_key("email", "learner0@acme.example", secret=pseudonym_secret(get_settings()))
    with portfolio.connect() as conn:
        usage = usage_frame(conn)
        agg = aggregates_frame(conn)
        learner0 = conn.execute(text("SELECT id FROM learner WHERE key = :k"), {"k": key}).one()
    assert usage.height == 3  # hours and completions of the summary never become usage rows
    assert agg["learner_id"].unique().to_list() == [learner0[0]]


def test_org_summary_each_row_its_own_period(portfolio: Engine) -> None:
    body = org_csv([*ORG_ROWS, ["Total", "", 369, 287, "883:42:30", 1994, 32]])
    result = imp(portfolio, body.encode("cp1252"), name="org.csv", period="2025-01")
    assert result.status == "imported", result.errors
    assert result.format == "linkedin_learning_org_summary"
    assert (result.period_start, result.period_end) == (date(2026, 9, 28), date(2026, 10, 18))
    assert (result.rows_read, result.rows_imported) == (3, 3)
    notes = [d["message"] for d in result.decisions if d["topic"] == "period"]
    assert notes[0].startswith("--period ignored") and "own period columns" in notes[1]
    df = aggregates(portfolio)
    assert df.height == 15 and df["learner_id"].null_count() == 15  # per period, no learner
    weeks = df.filter(pl.col("measure") == "course_views").sort("period_start")
    assert weeks["period_start"].to_list() == [date(2026, 9, 28), date(2026, 10, 5),
                                               date(2026, 10, 12)]  # fmt: skip
    assert weeks["period_end"].to_list() == [date(2026, 10, 4), date(2026, 10, 11),
                                             date(2026, 10, 18)]  # fmt: skip
    assert weeks["value"].to_list() == [400.0, 1204.0, 390.0]  # thousands comma read
    # 310:12:00 = 18,612 minutes
    assert values(df, "minutes_viewed") == [16530.0, 17880.5, 18612.0]
    assert values(df, "people_logged_in") == [118.0, 120.0, 131.0]
    assert values(df, "course_completions") == [9.0, 11.0, 12.0]


def test_older_org_summary_decimal_hours(portfolio: Engine) -> None:
    header = ["Start Day (PST)", "End Day (PST)", "People Logged In", "Unique Viewers",
              "Hours Viewed", "Courses Viewed"]  # fmt: skip
    rows = [["1/1/2026", "1/31/2026", 40, 31, "12.5", 77]]
    result = imp(portfolio, org_csv(rows, header))
    assert result.status == "imported", result.errors
    df = aggregates(portfolio)
    assert values(df, "minutes_viewed") == [750.0]  # 12.5 hours
    assert values(df, "course_views") == [77.0]
    assert "course_completions" not in set(df["measure"])  # no column: not tracked


REJECTIONS = [
    pytest.param(org_csv([["10/12/2026", "10/5/2026", 1, 1, "1:00:00", 1, 1]]), {},
                 "End Day (PST/PDT)", "the period ends (2026-10-05) before it starts",
                 id="end-before-start"),
    pytest.param(org_csv([["12/1/2026", "12/7/2026", 1, 1, "1:00:00", 1, 1]]), {},
                 "Start Day (PST/PDT)", "is after today (2026-11-23)", id="future-period"),
    pytest.param(org_csv([["10/5/2026", "", 1, 1, "1:00:00", 1, 1]]), {},
                 "End Day (PST/PDT)", "is empty; each row needs its period", id="no-end"),
    pytest.param(org_csv([["13/13/2026", "10/5/2026", 1, 1, "1:00:00", 1, 1]]), {},
                 "Start Day (PST/PDT)", "'13/13/2026' is not a date", id="bad-date"),
    pytest.param(summary_csv([["A", 1, "lots", "", "U1", 2, "a@x.example", 1, 0]]),
                 {"period": "2026-10"}, "Hours Viewed", "'lots' is not a duration",
                 id="bad-duration"),
    pytest.param(summary_csv([["A", 1, "1:00:00", "", "U1", -2, "a@x.example", 1, 0]]),
                 {"period": "2026-10"}, "Days Logged In",
                 "'-2' is not a whole number of 0 or more", id="negative-count"),
    pytest.param(summary_csv(), {"period": "2026-10", "product": "Nope"}, None,
                 "product 'Nope' does not exist", id="unknown-product"),
    pytest.param(to_csv([["Email", "Days Logged In", "Hours Viewed"]]), {"period": "2026-10"},
                 None, "no data rows", id="header-only"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "options", "column", "words"), REJECTIONS)
def test_rejections_change_nothing(
    portfolio: Engine, body: str, options: dict, column: str | None, words: str
) -> None:
    imp(portfolio, org_csv(), name="earlier.csv")  # something standing, to see it untouched
    before = counts(portfolio)
    result = imp(portfolio, body, **options)
    assert result.status == "rejected"
    assert result.rows_imported == 0 and result.import_id is None
    assert any(words in e["message"] for e in result.errors), result.errors
    if column is not None:
        assert any(e["column"] == column for e in result.errors), result.errors
    assert counts(portfolio) == before


def test_routing_by_vendor_alias(engine: Engine) -> None:
    imp(engine, "product,category,vendor\nSkills Library,content_library,Linked-In Learning!\n")
    result = imp(engine, org_csv())
    assert (result.status, result.product) == ("imported", "Skills Library"), result.errors
    imp(engine, "product,category,vendor\nSecond Library,content_library,linkedin\n")
    before = counts(engine)
    again = imp(engine, summary_csv(), period="2026-10")
    assert again.status == "rejected"
    assert "several products name the vendor LinkedIn Learning" in again.errors[0]["message"]
    assert counts(engine) == before
    chosen = imp(engine, summary_csv(), period="2026-10", product="second library")
    assert (chosen.status, chosen.product) == ("imported", "Second Library")


def test_no_product_names_the_vendor(engine: Engine) -> None:
    imp(engine, "product,category\nSomething,other\n")
    before = counts(engine)
    result = imp(engine, org_csv())
    assert result.status == "rejected" and result.rows_rejected == 3
    assert result.errors[0]["message"].startswith("no product names the vendor LinkedIn")
    assert counts(engine) == before
