"""Skillsoft Percipio learning activity: learner x content snapshots."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine

from loaders.formats import FORMATS, detect
from loaders.reading import normalise_header
from tests.loaders.conftest import counts
from tests.loaders.vendor_helpers import (
    PERCIPIO_HEADER,
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

UI = ["USER ID", "FIRST NAME", "LAST NAME", "CONTENT UUID", "CONTENT TITLE", "CONTENT TYPE",
      "STATUS", "COMPLETED DATE", "DURATION", "FIRST ACCESS", "LAST ACCESS",
      "TOTAL ACCESSES"]  # fmt: skip


def activity(uuid: str, title: str, kind: str, status: str, **values: object) -> dict:
    row: dict[str, object] = {
        "userId": "Maja.Berg@Acme.example", "firstName": "Maja", "lastName": "Berg",
        "audience": "All Employees", "contentUuid": uuid, "contentId": f"id_{uuid[:4]}",
        "contentTitle": title, "contentType": kind, "status": status, "duration": "1200",
        "firstAccess": "2026-09-01T08:00:00Z", "lastAccess": "2026-09-10T17:45:00Z",
        "totalAccesses": "3",
    }  # fmt: skip
    row.update(values)
    return row


def rows() -> list[dict]:
    return [
        activity("5e9d1c3a-0001", "Agile Essentials", "Course", "Completed",
                 completedDate="2026-09-10T17:45:00Z", duration="5460"),
        activity("a1b2c3d4-0002", "The Five Dysfunctions of a Team", "Book", "Started",
                 userId="E-4711", firstName="Jonas", lastName="Weiß", duration="-",
                 lastAccess="2026-09-25T21:10:33+02:00"),
        activity("f0e1d2c3-0003", "Python Assessment", "Assessment", "ACHIEVED",
                 userId="e-4711", completedDate="2026-08-12T11:00:00Z",
                 lastAccess="2026-08-12T11:00:00Z", firstScore="62", highScore="85"),
        activity("77aa88bb-0004", "Leadership in 5 minutes", "Video", "Watched",
                 duration="N/A", lastAccess="2026-09-30T07:00:00Z"),
        activity("99cc00dd-0005", "Habits", "Audio Summary", "", duration="300",
                 completedDate="2026-09-05T12:00:00Z", lastAccess="2026-09-05T12:00:00Z"),
    ]  # fmt: skip


def report(data: list[dict] | None = None, **kwargs: object) -> str:
    # Reordered, plus a demographic column.
    header = [*reversed(PERCIPIO_HEADER), "employeeNumber"]
    return render(header, data or rows(), **kwargs)  # type: ignore[arg-type]


SHOUTED = [h.upper() for h in reversed(PERCIPIO_HEADER)] + ["Region"]


@pytest.mark.parametrize("headers", [PERCIPIO_HEADER, SHOUTED, UI])
def test_detection_from_header_alone(headers: list[str]) -> None:
    found = detect([normalise_header(h) for h in headers], formats=FORMATS)
    assert (found.format.name, found.vendor) == (
        "percipio_learning_activity", "Skillsoft Percipio",
    )  # fmt: skip


def test_learning_activity_canonical_rows(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    body = "Learning Activity report\nGenerated 2026-10-01\n" + report(delimiter="\t")
    result = imp(portfolio, tmp_path, bom(body), name="activity.tsv")
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product, result.grain) == (
        "percipio_learning_activity", "Skillsoft Percipio", "Skillsoft Library", "snapshot",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported) == (5, 5)
    assert topics(result)[("duration_unit", "duration")]["value"] == "seconds"
    df = by_content(portfolio)
    assert df["external_id"].to_list() == [
        "5e9d1c3a-0001", "77aa88bb-0004", "99cc00dd-0005", "a1b2c3d4-0002", "f0e1d2c3-0003",
    ]  # fmt: skip
    # Completed / ACHIEVED (any case) mean done; Started and Watched do not; a blank status
    # falls back to the completion date.
    assert df["completed"].to_list() == [True, False, True, False, True]
    assert df["completed_date"].to_list() == [
        date(2026, 9, 10), None, date(2026, 9, 5), None, date(2026, 8, 12),
    ]  # fmt: skip
    assert df["minutes"].to_list() == [91.0, None, 5.0, None, 20.0]  # seconds / 60; '-', N/A
    assert df["date"].to_list() == [
        date(2026, 9, 10), date(2026, 9, 30), date(2026, 9, 5), date(2026, 9, 25),
        date(2026, 8, 12),
    ]  # fmt: skip
    assert df["progress_pct"].to_list() == [None] * 5  # scores are not progress
    # userId: an e-mail when it has "@", else a user id (E-4711 and e-4711: one learner).
    assert learners(portfolio) == ["email", "user_id"]
    jonas = df.filter(pl.col("external_id").is_in(["a1b2c3d4-0002", "f0e1d2c3-0003"]))
    assert jonas["learner_id"].n_unique() == 1
    assert content(portfolio)["a1b2c3d4-0002"] == ("The Five Dysfunctions of a Team", "Book")


def test_ui_display_headers_import(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    renamed = {"userId": "USER ID", "firstName": "FIRST NAME", "lastName": "LAST NAME",
               "contentUuid": "CONTENT UUID", "contentTitle": "CONTENT TITLE",
               "contentType": "CONTENT TYPE", "status": "STATUS",
               "completedDate": "COMPLETED DATE", "duration": "DURATION",
               "firstAccess": "FIRST ACCESS", "lastAccess": "LAST ACCESS",
               "totalAccesses": "TOTAL ACCESSES"}  # fmt: skip
    data = [{renamed.get(k, k): v for k, v in r.items()} for r in rows()[:2]]
    result = imp(portfolio, tmp_path, render(UI, data))
    assert result.status == "imported", result.errors
    df = by_content(portfolio)
    assert df["completed"].to_list() == [True, False]
    assert df["minutes"].to_list() == [91.0, None]


def test_routing_by_alias_and_product_override(engine: Engine, tmp_path) -> None:
    add_products(engine, [["product", "category"], ["Skills Hub", "content_library"],
                          ["Sales Academy", "academy"]])  # fmt: skip
    add_contract(engine, "Skills Hub", "Percipio")
    assert imp(engine, tmp_path, report(rows()[:2]), name="a.csv").product == "Skills Hub"
    forced = imp(engine, tmp_path, report(rows()[2:]), name="b.csv", product="Sales Academy")
    assert (forced.status, forced.product) == ("imported", "Sales Academy")


def test_duplicate_reimport_changes_nothing(portfolio: Engine, tmp_path) -> None:
    add_products(portfolio)
    assert imp(portfolio, tmp_path, report(), name="a.csv").status == "imported"
    before = counts(portfolio)
    assert imp(portfolio, tmp_path, report(), name="b.csv").status == "duplicate"
    assert counts(portfolio) == before


def _broken(**values: str) -> str:
    data = rows()
    data[3].update(values)
    return report(data)


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        (_broken(duration="a while"), 5, "duration", "is not a duration"),
        (_broken(lastAccess="2026-09-31T07:00:00Z"), 5, "lastAccess", "is not a date"),
        (_broken(completedDate="2026-12-24T07:00:00Z"), 5, "completedDate",
         "is after today (2026-11-23)"),
        (_broken(userId="", firstName="", lastName=""), 5, "userId / firstName + lastName",
         "no learner"),
        (_broken(contentUuid="", contentTitle=""), 5, "contentUuid / contentTitle", "no content"),
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
