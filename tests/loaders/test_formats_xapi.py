"""xAPI statements flattened to CSV: events rolled up per learner x activity x day."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine

from loaders.dates import parse_dates
from loaders.durations import parse_duration
from loaders.formats import FORMATS, detect, xapi
from loaders.reading import Table, normalise_header
from metrics.usage import completions
from tests.loaders.conftest import counts
from tests.loaders.vendor_helpers import (
    XAPI_HEADER,
    add_products,
    bom,
    by_content,
    content,
    imp,
    learners,
    render,
    topics,
    usage,
)

ADL = "http://adlnet.gov/expapi/verbs/"
EXCEL = "https://www.linkedin.com/learning/excel-essential-training"
QUIZ = "https://lms.acme.example/quiz/145"
INDUCTION = "https://lms.acme.example/course/9"


def statement(n: int, when: str, who: str, verb: str, obj: str, **values: object) -> dict:
    """Statement number `n` by `who` (a mailbox, or a bare name when it has no "@")."""
    row: dict[str, object] = {
        "timestamp": when, "stored": when, "actor_type": "Agent",
        "actor_name": who.split("@")[0].replace(".", " ").title(),
        "actor_mbox": f"mailto:{who}" if "@" in who else "",
        "verb_id": verb if verb.startswith("http") else ADL + verb,
        "verb_display": verb.rsplit("/", 1)[-1], "object_id": obj, "object_type": "Activity",
        "object_name": {EXCEL: "Excel Essential Training", QUIZ: "Safety quiz",
                        INDUCTION: "Acme 101 Induction"}.get(obj, obj),
        "context_platform": "LinkedIn Learning" if obj == EXCEL else "Moodle",
        "statement_id": f"6f1c2a3b-4d5e-4f60-8a9b-{n:012d}",
    }  # fmt: skip
    row.update(values)
    return row


def statements() -> list[dict]:
    return [
        statement(1, "2026-10-01T09:00:00Z", "ana.souza@acme.example", "attempted", EXCEL,
                  duration="PT40M", result_completion="false"),
        statement(2, "2026-10-01T16:20:00Z", "ana.souza@acme.example", "completed", EXCEL,
                  duration="PT1H23M12S", result_completion="true"),
        statement(3, "2026-10-02T09:02:11+02:00", "Ben.ONeil@Acme.example", "failed", QUIZ,
                  duration="PT12M4S", result_success="false", result_score_scaled="0.4"),
        statement(4, "2026-10-02T23:30:00-05:00", "ben.oneil@acme.example", "passed", QUIZ,
                  duration="PT10M", result_success="true", result_score_scaled="0.9"),
        statement(5, "2026-10-03T10:15:00Z", "chen.wei@acme.example", "experienced", INDUCTION,
                  duration="PT5M", result_completion="true"),
        statement(6, "2026-10-04T10:15:00Z", "Dana Kim", "attempted", INDUCTION, duration="-"),
        statement(7, "2026-10-05T08:00:00Z", "eve@acme.example",
                  "https://w3id.org/xapi/adl/verbs/satisfied", INDUCTION, duration="PT0S"),
        # Statement 2 re-sent by the LRS: same id, counted once.
        statement(2, "2026-10-01T16:20:00Z", "ana.souza@acme.example", "completed", EXCEL,
                  duration="PT1H23M12S", result_completion="true"),
    ]  # fmt: skip


def report(data: list[dict] | None = None, **kwargs: object) -> str:
    header = [*reversed(XAPI_HEADER), "ext_context_session"]  # reordered, one extension column
    return render(header, statements() if data is None else data, **kwargs)  # type: ignore[arg-type]


def test_detection_from_header_alone() -> None:
    found = detect([normalise_header(h) for h in reversed(XAPI_HEADER)], formats=FORMATS)
    assert (found.format.name, found.vendor) == ("xapi_statements", None)
    minimal = ["timestamp", "actor_name", "verb_display", "object_id"]
    assert detect(minimal, formats=FORMATS).format.name == "xapi_statements"


def test_statements_canonical_rows(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    result = imp(portfolio, tmp_path, bom(report()), product="Induction xAPI")
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product, result.grain) == (
        "xapi_statements", None, "Induction xAPI", "event",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported) == (8, 5)
    found = topics(result)
    assert found[("repeated_statements", "statement_id")]["rows"] == [9]
    assert found[("statements_per_day", None)]["statements"] == 7  # 8 rows less the re-sent one
    assert "LinkedIn Learning (2)" in found[("platform", "context_platform")]["message"]
    assert found[("duration_unit", "duration")]["shapes"] == ["ISO-8601"]
    df = by_content(portfolio)
    assert df["external_id"].to_list() == [INDUCTION, INDUCTION, INDUCTION, QUIZ, EXCEL]
    # Dates as written in each statement's own offset: Ben's two quiz statements (10:02 at
    # +02:00 and 23:30 at -05:00) are both on 2 Oct, one fact.
    assert df["date"].to_list() == [
        date(2026, 10, 3), date(2026, 10, 4), date(2026, 10, 5), date(2026, 10, 2),
        date(2026, 10, 1),
    ]  # fmt: skip
    # Minutes: Chen 5; Dana '-' (none); Eve PT0S; Ben 12m4s + 10m = 22.0667;
    # Ana 40m + 1h23m12s = 123.2 (the re-sent statement not again).
    assert df["minutes"].to_list() == pytest.approx([5.0, None, 0.0, 22 + 4 / 60, 123.2])
    # experienced + result_completion true: done; attempted: activity only; satisfied (cmi5)
    # done; failed then passed on one day: done; attempted then completed: done.
    assert df["completed"].to_list() == [True, False, True, True, True]
    assert df["completed_date"].to_list() == [None] * 5  # placed by the fact's own date
    # Mailboxes without "mailto:" and case-folded (Ben twice is one learner); Dana: a name.
    assert learners(portfolio) == ["email", "email", "email", "email", "name"]
    assert content(portfolio)[QUIZ] == ("Safety quiz", None)
    window = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}
    assert completions(usage(portfolio), **window)["completions"].to_list() == [4]


def test_no_vendor_needs_product_and_platform_is_not_routing(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    before = counts(portfolio)
    only_linkedin = [s for s in statements() if s["object_id"] == EXCEL]
    result = imp(portfolio, tmp_path, report(only_linkedin))
    assert result.status == "rejected" and result.rows_rejected == 3
    message = result.errors[0]["message"]
    assert "names no vendor" in message and "--product" in message, result.errors
    assert counts(portfolio) == before


def test_vendor_option_routes_through_that_vendors_aliases(portfolio: Engine, tmp_path) -> None:
    # products.csv says "LinkedIn"; --vendor "LinkedIn Learning" is one of its aliases.
    data = [s for s in statements() if s["object_id"] == EXCEL]
    result = imp(portfolio, tmp_path, report(data), vendor="LinkedIn Learning")
    assert (result.status, result.vendor, result.product) == (
        "imported", "LinkedIn Learning", "Linked Library",
    ), result.errors  # fmt: skip


def test_overlapping_exports_never_count_a_statement_twice(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    first = statements()[:5]  # statements 1-5
    # The next export re-sends 3-5 and adds 6-7 and a new statement on Chen's day (3 Oct).
    extra = statement(9, "2026-10-03T18:00:00Z", "chen.wei@acme.example", "progressed",
                      INDUCTION, duration="PT15M")  # fmt: skip
    second = [*statements()[2:7], extra]
    for name, data in (("week40.csv", first), ("week41.csv", second)):
        result = imp(portfolio, tmp_path, report(data), name=name, product="Induction xAPI")
        assert result.status == "imported", result.errors
    df = usage(portfolio)
    assert df.height == 5  # Ana 1 Oct, Ben 2 Oct, Chen 3 Oct, Dana 4 Oct, Eve 5 Oct
    assert df.select("learner_id", "content_id", "date").is_unique().all()
    # 40 + 83.2 (Ana) + 22.0667 (Ben) + 5 + 15 (Chen's day, the later export) + 0 (Eve).
    assert df["minutes"].sum() == pytest.approx(40 + 83.2 + 22 + 4 / 60 + 20)
    window = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}
    assert completions(df, **window)["completions"].to_list() == [4]


def test_duplicate_reimport_changes_nothing(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    kwargs = {"product": "Induction xAPI"}
    assert imp(portfolio, tmp_path, report(), name="a.csv", **kwargs).status == "imported"
    before = counts(portfolio)
    again = imp(portfolio, tmp_path, report(), name="b.csv", **kwargs)
    assert again.status == "duplicate"
    assert counts(portfolio) == before


def _broken(**values: str) -> str:
    data = statements()
    data[3].update(values)
    return report(data)


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        (_broken(duration="ten minutes-ish"), 5, "duration", "is not a duration"),
        (_broken(timestamp="2026-10-32T10:00:00Z"), 5, "timestamp", "is not a date"),
        (_broken(timestamp="2027-01-01T10:00:00Z"), 5, "timestamp", "is after today"),
        (_broken(verb_id="", verb_display="", result_completion="perhaps"), 5,
         "result_completion", "is not yes/no"),
        (_broken(actor_mbox="", actor_name=""), 5, "actor_mbox / actor_name", "no learner"),
    ],
)  # fmt: skip
def test_rejections_name_row_and_column_and_change_nothing(
    portfolio: Engine, tmp_path, body: str, row: int, column: str, words: str
) -> None:
    add_products(portfolio)
    before = counts(portfolio)
    result = imp(portfolio, tmp_path, body, product="Induction xAPI")
    assert result.status == "rejected" and result.rows_imported == 0
    assert any(
        e["row"] == row and e["column"] == column and words in e["message"] for e in result.errors
    ), result.errors
    assert counts(portfolio) == before


def test_iso_fast_paths_agree_with_the_general_parsers() -> None:
    # All-ISO columns take one-regex fast paths; a value of another shape forces the
    # general path. Both must read the ISO values alike, problems included.
    durations = ["PT1H23M12S", "P1DT2H", "PT0.5S", "pt", None]
    fast = parse_duration(pl.Series(durations), column="duration", plain_unit="seconds")
    general = parse_duration(pl.Series([*durations, "90"]), column="d", plain_unit="seconds")
    assert fast.values.to_list() == general.values.to_list()[:-1] == [
        83.2, 1560.0, 0.5 / 60, None, None,
    ]  # fmt: skip
    assert fast.problem.to_list() == general.problem.to_list()[:-1]
    assert fast.problem.to_list()[3] == "is not a duration"
    stamps = ["2026-10-05T23:30:00.000-07:00", "2026-02-30 10:00:00", "2026-10-01t10:00Z"]
    fast_days = parse_dates(pl.Series(stamps), order="dmy")
    general_days = parse_dates(pl.Series([*stamps, "5 Jan 2026"]), order="dmy")
    assert fast_days.values.to_list() == general_days.values.to_list()[:-1] == [
        date(2026, 10, 5), None, date(2026, 10, 1),
    ]  # fmt: skip
    assert fast_days.problem.to_list() == general_days.problem.to_list()[:-1]


def test_each_statement_verb_is_read_once(
    portfolio: Engine, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The verb (a regex over every statement, 0.2 s a million) decides both completion and
    # voiding; it was worked out once for each.
    calls: list[int] = []
    verb = xapi._verb

    def counted(table: Table) -> pl.Series:
        calls.append(table.frame.height)
        return verb(table)

    monkeypatch.setattr(xapi, "_verb", counted)
    add_products(portfolio)
    result = imp(portfolio, tmp_path, report(), product="Induction xAPI")
    assert result.status == "imported", result.errors
    assert calls == [8]
