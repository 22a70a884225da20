"""Excel workbooks: the first sheet with data, read through the CSV's detection and checks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from loaders import import_file
from loaders.archives import DOCUMENT
from loaders.errors import Rejected
from loaders.formats import FORMATS, header_test
from loaders.result import ImportResult
from loaders.sniff import read_upload
from loaders.workbook import DAMAGED, PROTECTED
from models.frames import usage_frame
from tests.actors import EDITOR
from tests.loaders.conftest import counts
from tests.loaders.factories import LINKEDIN_HEADER
from tests.loaders.workbooks import Cell, workbook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "workbooks"
USAGE_HEADER = ["product", "learner", "content_title", "date", "minutes", "completed"]


def imp(engine: Engine, data: bytes, name: str = "report.xlsx", **kwargs: object) -> ImportResult:
    return import_file(data, file_name=name, engine=engine, actor=EDITOR, **kwargs)


def note(result: ImportResult, topic: str) -> dict[str, object]:
    return next(d for d in result.decisions if d["topic"] == topic)


def linkedin_rows() -> list[list[Cell]]:
    """Four learners of the LinkedIn learner detail, as Excel cells.

    Learner i watched i % 4 hours, (7 i) % 60 minutes and 30 seconds (a time
    cell); learners 0 and 3 completed (100 %, a completion date cell).
    """
    viewed = dt.date(2026, 10, 14)
    rows: list[list[Cell]] = []
    for i in range(4):
        done = i % 3 == 0
        watched = dt.timedelta(hours=i % 4, minutes=(7 * i) % 60, seconds=30)
        rows.append([
            f"Learner{i}", "Tester", f"learner{i}@acme.example", f"U{i:04d}", "Sales, EMEA",
            f"Negotiation {i % 2}", "Course", f"LL{i % 2}", "LinkedIn", 100 if done else 35,
            viewed if done else None, viewed, watched,
        ])  # fmt: skip
    return rows


def test_a_linkedin_workbook_with_a_title_line_is_imported_with_its_dates_and_hours(
    portfolio: Engine,
) -> None:
    # Row 1 a title, row 2 the export date, row 3 blank, row 4 the header, rows 5-8 the
    # learners, row 9 a total: as a portal writes it.
    rows = [
        ["LinkedIn Learning - Learner Detail Report"],
        ["Exported", dt.date(2026, 11, 1)],
        None,
        LINKEDIN_HEADER,
        *linkedin_rows(),
        ["Total", None, None, None, None, None, None, None, None, 270],
    ]
    result = imp(portfolio, workbook(("Learners", rows)))
    assert result.status == "imported", result.errors
    assert (result.format, result.vendor, result.product) == (
        "linkedin_learning_learner_detail", "LinkedIn Learning", "Linked Library",
    )  # fmt: skip
    assert (result.rows_read, result.rows_imported, result.rows_rejected) == (4, 4, 0)
    assert (result.period_start, result.period_end) == (dt.date(2026, 10, 14),) * 2
    assert note(result, "sheet")["message"] == "read sheet 'Learners' (the only sheet)"
    assert note(result, "header_row")["value"] == 4  # the sheet's row, title lines counted
    assert note(result, "summary_rows")["rows"] == [9]  # the total row, by its sheet row
    assert not any(d["topic"] in ("encoding", "delimiter") for d in result.decisions)
    with portfolio.connect() as conn:
        df = usage_frame(conn).sort("minutes")
    # Time cells read as durations: learner i watched i:(7i):30, so 0:00:30 = 0.5 min,
    # 1:07:30 = 67.5, 2:14:30 = 134.5, 3:21:30 = 201.5 (computed by hand).
    assert df["minutes"].to_list() == pytest.approx([0.5, 67.5, 134.5, 201.5])
    assert df["completed"].to_list() == [True, False, False, True]  # learners 0 and 3: 100
    assert df["date"].to_list() == [dt.date(2026, 10, 14)] * 4  # date cells, not serials


def test_cells_come_out_as_a_csv_would_write_them() -> None:
    # A date cell at midnight is an ISO date, one with a time keeps it; an integer is "25",
    # not "25.0"; a time cell of 1 h 10 min is a duration; a cell of 30 h 5 min too.
    rows = [
        ["When", "At", "Minutes", "Share", "Watched", "Long", "Code"],
        [dt.date(2026, 2, 3), dt.datetime(2026, 2, 3, 9, 30), 25, 12.5,
         dt.timedelta(hours=1, minutes=10), dt.timedelta(hours=30, minutes=5), "007"],
    ]  # fmt: skip
    table = read_upload(workbook(("S", rows)))
    assert table.frame.drop("__row").row(0) == (
        "2026-02-03", "2026-02-03 09:30:00", "25", "12.5", "1:10:00", "30:05:00", "007",
    )  # fmt: skip
    assert table.frame["__row"].to_list() == [2]
    assert (table.encoding, table.delimiter) == ("xlsx", "")


def test_the_usage_template_as_a_workbook_counts_numbers_as_numbers(portfolio: Engine) -> None:
    rows = [
        USAGE_HEADER,
        ["Leadership Academy", "ana@acme.example", "Module 1", dt.date(2026, 2, 3), 25, "yes"],
        ["Leadership Academy", "ben@acme.example", "Module 2", dt.date(2026, 2, 4), 12.5, "no"],
        ["Udemy Seats", "ana@acme.example", "Intro", dt.date(2026, 2, 5), 100, "no"],
    ]
    result = imp(portfolio, workbook(("usage", rows)))
    assert result.status == "imported", result.errors
    assert (result.format, result.rows_read, result.rows_imported) == ("usage", 3, 3)
    assert result.products == ["Leadership Academy", "Udemy Seats"]
    with portfolio.connect() as conn:
        df = usage_frame(conn).sort("date")
    assert df["date"].to_list() == [dt.date(2026, 2, 3), dt.date(2026, 2, 4), dt.date(2026, 2, 5)]
    assert df["minutes"].to_list() == [25.0, 12.5, 100.0]
    assert df["completed"].to_list() == [True, False, False]


def test_a_bad_cell_is_named_by_the_sheets_row(portfolio: Engine) -> None:
    rows = [
        ["Usage for February"],
        None,
        USAGE_HEADER,
        ["Leadership Academy", "ana@acme.example", "Module 1", dt.date(2026, 2, 3), 25, "yes"],
        None,
        ["Leadership Academy", "ben@acme.example", "Module 2", "31/02/2026", 10, "no"],
    ]
    before = counts(portfolio)
    result = imp(portfolio, workbook(("usage", rows)))
    assert result.status == "rejected"
    assert [(e["row"], e["column"]) for e in result.errors] == [(6, "date")]
    assert "31/02/2026" in str(result.errors[0]["message"])
    assert counts(portfolio) == before


def test_an_empty_first_sheet_and_a_hidden_one_are_passed_over() -> None:
    rows = [USAGE_HEADER, ["Leadership Academy", "ana@acme.example", "M1", dt.date(2026, 2, 3)]]
    data = workbook(
        ("Cover", []),
        ("Lists", [["a", "b"], ["c", "d"]]),  # hidden: lookup lists a person never sees
        ("Notes", [["Exported by the portal"]]),  # one cell: no table
        ("Report", rows),
        ("Other", rows),
        hidden=["Lists"],
    )
    table = read_upload(data, is_header=header_test(FORMATS))
    (sheet,) = table.notes
    assert sheet["message"] == (
        "read sheet 'Report' (4th of 5 sheets; 'Cover' is empty, 'Lists' is hidden, "
        "'Notes' holds no table)"
    )
    assert (sheet["value"], sheet["sheet_number"], sheet["sheets"]) == ("Report", 4, 5)
    assert table.frame["learner"].to_list() == ["ana@acme.example"]


def test_a_workbook_without_data_is_refused_and_nothing_changes(portfolio: Engine) -> None:
    before = counts(portfolio)
    result = imp(portfolio, workbook(("A", []), ("B", [["only a title"]]), ("C", [None, None])))
    assert result.status == "rejected"
    message = str(result.errors[0]["message"])
    assert message.startswith("the file is an Excel workbook with 3 sheets, none holding data")
    assert counts(portfolio) == before
    one = imp(portfolio, workbook(("Sheet1", [])))
    assert "an Excel workbook whose only sheet holds no data" in str(one.errors[0]["message"])


@pytest.mark.parametrize("keep", [0.03, 0.5, 0.99])
def test_a_damaged_workbook_is_refused_with_what_to_do_and_nothing_changes(
    portfolio: Engine, keep: float
) -> None:
    rows = [LINKEDIN_HEADER, *linkedin_rows()]
    data = workbook(("Learners", rows))
    before = counts(portfolio)
    result = imp(portfolio, data[: int(len(data) * keep)])
    assert result.status == "rejected"
    assert [e["message"] for e in result.errors] == [DAMAGED]  # never the parser's own words
    assert counts(portfolio) == before


def test_a_password_protected_workbook_is_refused_as_such(portfolio: Engine) -> None:
    before = counts(portfolio)
    result = imp(portfolio, (FIXTURES / "usage_protected.xlsx").read_bytes())
    assert (result.status, [e["message"] for e in result.errors]) == ("rejected", [PROTECTED])
    assert counts(portfolio) == before


def test_an_old_xls_workbook_is_read_like_an_xlsx(portfolio: Engine) -> None:
    # usage_legacy.xls (see build_workbooks.py): sheet 2, header on row 3, two rows.
    result = imp(portfolio, (FIXTURES / "usage_legacy.xls").read_bytes(), name="usage.xls")
    assert result.status == "imported", result.errors
    assert (result.format, result.rows_read, result.rows_imported) == ("usage", 2, 2)
    assert (
        note(result, "sheet")["message"] == "read sheet 'Usage' (2nd of 2 sheets; 'Blank' is empty)"
    )
    assert note(result, "header_row")["value"] == 3
    with portfolio.connect() as conn:
        df = usage_frame(conn).sort("date")
    assert df["date"].to_list() == [dt.date(2026, 2, 3), dt.date(2026, 2, 4)]
    assert df["minutes"].to_list() == [45.0, 12.5]


def test_an_office_file_that_is_not_a_workbook_is_refused(engine: Engine) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as doc:  # the parts of a Word document
        doc.writestr("[Content_Types].xml", "<Types/>")
        doc.writestr("word/document.xml", "<w:document/>")
    result = imp(engine, out.getvalue(), name="minutes.docx")
    assert [e["message"] for e in result.errors] == [DOCUMENT]


def test_the_same_workbook_twice_is_a_duplicate(portfolio: Engine) -> None:
    data = workbook(("Learners", [LINKEDIN_HEADER, *linkedin_rows()]))
    assert imp(portfolio, data).status == "imported"
    before = counts(portfolio)
    assert imp(portfolio, data, name="again.xlsx").status == "duplicate"
    assert counts(portfolio) == before


def test_reading_a_workbook_with_no_header_test_takes_the_fullest_row() -> None:
    rows = [["Title"], ["a", "b", "c"], ["1", "2", "3"]]
    table = read_upload(workbook(("S", rows)))
    assert (table.headers, table.header_row) == (("a", "b", "c"), 2)
    with pytest.raises(Rejected):
        read_upload(workbook(("S", [["a", "b", "c"]])))  # a header, no data
