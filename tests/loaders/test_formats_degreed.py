"""Degreed completions files: every row a completion, YYYYMMDD or YYYYMM dates."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine

from loaders.dates import parse_date_columns
from loaders.errors import Rejected
from loaders.formats import FORMATS, detect
from loaders.reading import normalise_header
from metrics.usage import completions
from tests.loaders.conftest import counts
from tests.loaders.vendor_helpers import (
    DEGREED_HEADER,
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

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s"


def done(user: str, course: str, when: str, kind: str = "", provider: str = "") -> dict:
    return dict(zip(DEGREED_HEADER, (user, course, when, kind, provider), strict=True))


def rows() -> list[dict]:
    return [
        done("E20417", "C-12345", "20261014", "Course"),
        done("E20417", VIDEO, "20261002", "Video", "YouTube"),
        done("mia.lund@acme.example", "BK-0098", "202609", "Book", "getAbstract"),
        done("E30001", "C-12345", "20261103"),  # blank ContentType: a course, Degreed says
    ]


def report(data: list[dict] | None = None, **kwargs: object) -> str:
    header = ["CompletionDate", "Provider", "UserID", "Notes", "ContentType", "CourseID"]
    return render(header, data or rows(), **kwargs)  # type: ignore[arg-type]


def pick(headers: list[str]) -> str:
    return detect([normalise_header(h) for h in headers], formats=FORMATS).format.name


def test_detection_needs_degreeds_own_headers() -> None:
    assert pick(DEGREED_HEADER) == "degreed_completions"
    assert pick(["completiondate", "USERID", "CourseId"]) == "degreed_completions"
    # Another vendor's completion report spelled loosely is not taken for Degreed.
    with pytest.raises(Rejected):
        pick(["User ID", "Course ID", "Course name", "First view date", "Completion date",
              "Completion status"])  # fmt: skip


def test_completions_canonical_rows(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    body = report(delimiter=";") + "Total;;;;;4\n"
    result = imp(portfolio, tmp_path, body, name="Acme_Completions_File_20261105.csv")
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product, result.grain) == (
        "degreed_completions", "Degreed", "Degreed Pathways", "event",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported) == (4, 4)
    month = topics(result)[("month_only_dates", "CompletionDate")]
    assert month["count"] == 1 and "'202609'" in month["message"]
    assert (result.period_start, result.period_end) == (date(2026, 9, 1), date(2026, 11, 3))
    df = by_content(portfolio)
    assert df["external_id"].to_list() == ["BK-0098", "C-12345", "C-12345", VIDEO]
    # YYYYMM: the month's first day; the completion is also the row's own date.
    when = [date(2026, 9, 1), date(2026, 10, 14), date(2026, 11, 3), date(2026, 10, 2)]
    assert df["date"].to_list() == when
    assert df["completed_date"].to_list() == when
    assert df["completed"].to_list() == [True] * 4
    assert df["minutes"].to_list() == [None] * 4
    assert learners(portfolio) == ["email", "user_id", "user_id"]
    assert content(portfolio) == {
        "C-12345": (None, "Course"), VIDEO: (None, "Video"), "BK-0098": (None, "Book"),
    }  # fmt: skip
    window = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    assert completions(usage(portfolio), **window)["completions"].to_list() == [4]


def test_routing_by_contract_and_product_override(engine: Engine, tmp_path) -> None:
    add_products(engine, [["product", "category"], ["LXP", "content_library"],
                          ["Mentoring", "coaching"]])  # fmt: skip
    add_contract(engine, "LXP", "DEGREED")
    assert imp(engine, tmp_path, report(rows()[:2]), name="a.csv").product == "LXP"
    forced = imp(engine, tmp_path, report(rows()[2:]), name="b.csv", product="mentoring")
    assert (forced.status, forced.product) == ("imported", "Mentoring")


def test_overlapping_files_count_each_completion_once(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    october = [done("E1", "C-1", "20261001"), done("E2", "C-1", "20261010")]
    later = [*october, done("E2", "C-2", "20261104"), done("E3", "C-1", "20261105")]
    assert imp(portfolio, tmp_path, report(october), name="oct.csv").status == "imported"
    assert imp(portfolio, tmp_path, report(later), name="nov.csv").status == "imported"
    df = usage(portfolio)
    assert df.height == 4 and df.select("learner_id", "content_id", "date").is_unique().all()
    window = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    assert completions(df, **window)["completions"].to_list() == [4]


def test_duplicate_reimport_changes_nothing(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    assert imp(portfolio, tmp_path, report(), name="a.csv").status == "imported"
    before = counts(portfolio)
    assert imp(portfolio, tmp_path, report(), name="b.csv").status == "duplicate"
    assert counts(portfolio) == before


def _broken(**values: str) -> str:
    data = rows()
    data[2].update(values)
    return report(data)


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        (_broken(CompletionDate="202613"), 4, "CompletionDate", "'202613' is not a date"),
        (_broken(CompletionDate="20260931"), 4, "CompletionDate", "is not a date"),
        (_broken(CompletionDate="202612"), 4, "CompletionDate", "is after today (2026-11-23)"),
        (_broken(UserID="N/A"), 4, "UserID", "no learner"),
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


def test_month_only_dates_in_any_date_column() -> None:
    column = pl.Series(["202603", "20260315", "199913", "000112", None])
    parsed = parse_date_columns({"When": column}, default="dmy")["When"]
    assert parsed.values.to_list() == [date(2026, 3, 1), date(2026, 3, 15), None, None, None]
    assert parsed.problem.to_list() == [None, None, "is not a date", "is not a date", None]
    assert parsed.decision is not None and parsed.decision["count"] == 1
    # Beside numeric day/month dates the month note joins the column's date-order decision.
    mixed = parse_date_columns({"When": pl.Series(["13/03/2026", "202603"])}, default="mdy")
    note = mixed["When"].decision
    assert note is not None and note["topic"] == "date_order" and note["month_only"] == 1
    assert mixed["When"].values.to_list() == [date(2026, 3, 13), date(2026, 3, 1)]
