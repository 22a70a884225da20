"""Pluralsight course usage: learner x course x view date events, completions not tracked."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from loaders import undo_import
from loaders.formats import FORMATS, detect
from loaders.reading import normalise_header
from metrics.usage import active_learners, completions, learning_hours
from tests.actors import EDITOR
from tests.loaders.conftest import counts
from tests.loaders.vendor_helpers import (
    PLURALSIGHT_HEADER,
    add_contract,
    add_products,
    by_content,
    content,
    imp,
    learners,
    render,
    topics,
    usage,
)

ZOE = {"User ID": "3f2a9c1e-5b7d-4e8f-a012-6c4d2b1e9f00", "First name": "Zoë",
       "Last name": "Müller", "Email": "zoe.mueller@acme.example", "Team name": "Data, Berlin",
       "Is on account": "true"}  # fmt: skip
OLE = {"User ID": "9b8a7c6d-0000-4e1f-9a2b-3c4d5e6f7a8b", "First name": "Ole",
       "Last name": "Hansen", "Email": "N/A", "Team name": "Platform", "Note": "contractor",
       "Is on account": "false"}  # fmt: skip
K8S = {"Course ID": "kubernetes-getting-started", "Course name": "Getting Started with Kubernetes"}
SQL = {"Course ID": "sql-fundamentals", "Course name": "SQL Server: Fundamentals"}


def views(days: list[int], *, who: dict = ZOE, course: dict = SQL, seconds: int = 1800) -> list:
    """One row per view day in October 2026, `seconds` + the day each."""
    return [
        {**who, **course, "View date": f"2026-10-{d:02d}", "Usage in seconds": seconds + d}
        for d in days
    ]


def report(rows: list[dict], **kwargs: object) -> str:
    # Course columns first, Email last, an extra "Manager" column.
    header = [
        *PLURALSIGHT_HEADER[7:],
        "Manager",
        *[h for h in PLURALSIGHT_HEADER[:7] if h != "Email"],
        "Email",
    ]
    return render(header, rows, **kwargs)  # type: ignore[arg-type]


def test_detection_from_header_alone() -> None:
    shuffled = [h.upper() for h in reversed(PLURALSIGHT_HEADER)] + ["Cost Centre"]
    found = detect([normalise_header(h) for h in shuffled], formats=FORMATS)
    assert (found.format.name, found.vendor) == ("pluralsight_course_usage", "Pluralsight")
    minimal = ["Email", "Course name", "View date", "Usage in seconds"]
    assert detect([normalise_header(h) for h in minimal], formats=FORMATS).format.name == (
        "pluralsight_course_usage"
    )


def test_semicolon_cp1252_title_line_and_total_row(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    rows = views([1, 2]) + views([2], who=OLE, course=K8S, seconds=600)
    body = (
        "Course usage report;;;;;;;;;;;\nAcme, 2026-10-01 to 2026-10-31;;;;;;;;;;;\n"
        + report(rows, delimiter=";", eol="\r\n")
        + "Total;;;;;;;;;;;4205\r\n"
    )
    result = imp(portfolio, tmp_path, body.encode("cp1252"), name="ps.csv")
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product, result.grain) == (
        "pluralsight_course_usage", "Pluralsight", "Tech Skills", "event",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported) == (3, 3)
    assert topics(result)[("duration_unit", "Usage in seconds")]["value"] == "seconds"
    assert (result.period_start, result.period_end) == (date(2026, 10, 1), date(2026, 10, 2))
    df = by_content(portfolio)
    assert df["external_id"].to_list() == [
        "kubernetes-getting-started", "sql-fundamentals", "sql-fundamentals",
    ]  # fmt: skip
    assert df["date"].to_list() == [date(2026, 10, 2), date(2026, 10, 1), date(2026, 10, 2)]
    # Seconds / 60: (600 + 2) / 60, (1800 + 1) / 60, (1800 + 2) / 60.
    assert df["minutes"].to_list() == pytest.approx([602 / 60, 1801 / 60, 1802 / 60])
    # No completion field: null ("not tracked"), never False, and no completion date.
    assert df["completed"].to_list() == [None, None, None]
    assert df["completed_date"].to_list() == [None, None, None]
    assert df["progress_pct"].to_list() == [None, None, None]
    assert learners(portfolio) == ["email", "user_id"]  # Ole's N/A e-mail: his Pluralsight UUID
    assert content(portfolio)["sql-fundamentals"] == ("SQL Server: Fundamentals", None)


def test_metrics_report_completions_not_tracked(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    assert imp(portfolio, tmp_path, report(views([3, 4]))).status == "imported"
    df = usage(portfolio)
    window = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    assert completions(df, **window)["completions"].to_list() == [None]
    assert active_learners(df, **window)["active_learners"].to_list() == [1]
    assert learning_hours(df, **window)["learning_hours"].to_list() == pytest.approx(
        [(1803 + 1804) / 3600]
    )


def test_routing_alias_in_contract_and_product_override(engine: Engine, tmp_path) -> None:
    add_products(engine, [["product", "category"], ["Cloud Academy", "content_library"],
                          ["Other", "academy"]])  # fmt: skip
    add_contract(engine, "Cloud Academy", "PluralSight-Skills")
    assert imp(engine, tmp_path, report(views([1])), name="a.csv").product == "Cloud Academy"
    other = imp(engine, tmp_path, report(views([2])), name="b.csv", product="Other")
    assert (other.status, other.product) == ("imported", "Other")


def test_overlapping_reports_never_count_a_view_twice(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    first = views([1, 2, 3]) + views([2], who=OLE, course=K8S)
    second = views([2, 3, 4, 5]) + views([2, 9], who=OLE, course=K8S)  # overlap + new days
    assert imp(portfolio, tmp_path, report(first), name="sep.csv").status == "imported"
    later = imp(portfolio, tmp_path, report(second), name="oct.csv")
    assert later.status == "imported"
    df = usage(portfolio)
    assert df.height == 7  # Zoë: days 1-5; Ole: days 2 and 9
    assert df.select("learner_id", "content_id", "date").is_unique().all()
    # Each view day once: Zoë (1800 + d) for d = 1..5, Ole (1800 + d) for d = 2, 9.
    expected = sum(1800 + d for d in (1, 2, 3, 4, 5)) + (1800 + 2) + (1800 + 9)
    assert df["minutes"].sum() == pytest.approx(expected / 60)
    # Undoing the later report brings back exactly the first one's four views.
    undo_import(later.import_id, engine=portfolio, actor=EDITOR)
    first_only = sum(1800 + d for d in (1, 2, 3)) + (1800 + 2)
    assert usage(portfolio)["minutes"].sum() == pytest.approx(first_only / 60)
    assert usage(portfolio).height == 4


def test_duplicate_reimport_changes_nothing(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    first = imp(portfolio, tmp_path, report(views([1, 2])), name="a.csv")
    before = counts(portfolio)
    again = imp(portfolio, tmp_path, report(views([1, 2])), name="b.csv")
    assert (again.status, again.duplicate_of) == ("duplicate", first.import_id)
    assert counts(portfolio) == before


def _broken(column: str, value: object) -> str:
    rows = views([1, 2, 3])
    rows[2][column] = value
    return report(rows)


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        (_broken("Usage in seconds", "lots"), 4, "Usage in seconds", "is not a duration"),
        (_broken("Usage in seconds", "-30"), 4, "Usage in seconds", "is negative"),
        (_broken("View date", "2026-10-32"), 4, "View date", "is not a date"),
        (_broken("View date", "2026-12-01"), 4, "View date", "is after today (2026-11-23)"),
        (report([{**ZOE, "View date": "2026-10-01", "Usage in seconds": 5, "Course ID": "-"}]),
         2, "Course ID / Course name", "no content"),
    ],
)  # fmt: skip
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


def test_no_product_names_pluralsight(portfolio: Engine, tmp_path) -> None:
    before = counts(portfolio)
    result = imp(portfolio, tmp_path, report(views([1])))
    assert result.status == "rejected"
    assert result.errors[0]["message"].startswith("no product names the vendor Pluralsight")
    assert "--product" in result.errors[0]["message"]
    assert counts(portfolio) == before
