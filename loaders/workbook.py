"""Read an Excel workbook's first sheet with data into a `Table`, by the CSV's rules.

Vendor portals export `.xlsx` (older ones `.xls`). calamine reads both
without Excel, through `fastexcel`, the engine `pl.read_excel` drives; the
reader is opened once here and its sheets loaded in turn, so a workbook
whose data is on its third sheet is not parsed three times.

Every cell is read as text from the sheet's row 1 with no header guessed,
so the header search of `loaders.reading` skips title lines as in a CSV
and errors name the rows a spreadsheet shows. calamine writes a number
cell as the number ("25", "35.5"), a date cell as ISO date and time; date
cells at midnight become plain ISO dates and time cells (hours viewed)
become durations, which is how the importer reads them in a CSV.
"""

from __future__ import annotations

from typing import Any

import fastexcel
import polars as pl

from loaders.errors import Rejected
from loaders.reading import HeaderTest, Table, table_from_rows
from loaders.result import decision

__all__ = ["DAMAGED", "PROTECTED", "read_workbook"]

DAMAGED = (
    "this Excel workbook could not be opened: it may be damaged or password-protected; "
    "export it again or save it as CSV"
)
PROTECTED = (
    "this Excel workbook is password-protected; remove the password in Excel (or save the "
    "sheet as CSV) and import it again"
)
# An Office file saved with a password is an OLE2 container holding this stream (ECMA-376
# encryption); calamine cannot open it, and the stream's name tells it from a damaged .xls.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ZIP = b"PK\x03\x04"
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00(?:\.0+)?$"
# A time cell is a fraction of a day: calamine writes it as a date-time on Excel's day 0
# (1899-12-31), a duration of a day or more on the days after it. No learning happened in
# January or February 1900, so such a cell is read as a duration ("1:10:00", "30:05:00").
_TIME_CELL = r"^(?:1899-12-31|1900-0[12]-\d{2}) \d{2}:\d{2}:\d{2}(?:\.\d+)?$"
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st."""
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}{_SUFFIXES.get(n % 10, 'th')}"


def _has_table(rows: pl.DataFrame) -> bool:
    """Whether a row holds two or more cells: the least a header and its data need."""
    if rows.width < 2:
        return False
    filled = [
        (pl.col(c).str.strip_chars().str.len_bytes() > 0).fill_null(False).cast(pl.UInt32)
        for c in rows.columns
    ]
    return bool(rows.select((pl.sum_horizontal(filled) >= 2).any()).item())


def _as_text(rows: pl.DataFrame) -> pl.DataFrame:
    """Date cells at midnight as ISO dates, time cells as H:MM:SS durations; the rest as read."""
    timed = rows.select(pl.col(c).str.contains(_TIME_CELL).any() for c in rows.columns)
    times = {c for c in rows.columns if timed.get_column(c).item()}
    out = []
    for c in rows.columns:
        cell = pl.col(c)
        dated = cell.str.replace(_MIDNIGHT, "${1}")
        if c in times:
            since = cell.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False) - pl.datetime(
                1899, 12, 31
            )
            duration = pl.format(
                "{}:{}:{}",
                since.dt.total_hours(),
                (since.dt.total_minutes() % 60).cast(pl.String).str.zfill(2),
                (since.dt.total_seconds() % 60).cast(pl.String).str.zfill(2),
            )
            dated = pl.when(cell.str.contains(_TIME_CELL)).then(duration).otherwise(dated)
        out.append(dated.alias(c))
    return rows.select(out)


def _sheet_note(name: str, index: int, count: int, passed: list[str]) -> dict[str, Any]:
    if count == 1:
        where = "the only sheet"
    else:
        where = f"{_ordinal(index + 1)} of {count} sheets"
        if passed:
            where += f"; {', '.join(passed)}"
    return decision(
        "sheet",
        f"read sheet '{name}' ({where})",
        value=name,
        sheet_number=index + 1,
        sheets=count,
    )


def _nothing_to_read(count: int, hidden: bool) -> str:
    what = (
        "an Excel workbook whose only sheet holds no data"
        if count == 1
        else f"an Excel workbook with {count} sheets, none holding data"
    )
    also = " (hidden sheets are not read)" if hidden else ""
    return (
        f"the file is {what}{also}: a table needs a header row of two or more cells; "
        "export the report again or save it as CSV"
    )


def read_workbook(data: bytes, *, is_header: HeaderTest | None = None) -> Table:
    """The first visible sheet holding a table, read like a CSV export of it.

    Parameters
    ----------
    data
        The workbook's bytes (`.xlsx`/`.xlsm`, or `.xls`).
    is_header
        As for `loaders.reading.read_table`: a known format's header is found
        below title lines.

    Returns
    -------
    Table
        With `encoding` "xlsx" or "xls", no delimiter, and a `sheet` note
        saying which sheet was read and why the ones before it were not.

    Raises
    ------
    Rejected
        When the workbook cannot be opened (damaged, password-protected) or
        no sheet holds a table; the message says what to do, never what the
        parser said.
    """
    file_type = "xlsx" if data.startswith(_ZIP) else "xls"
    try:
        reader = fastexcel.read_excel(data)
        names = list(reader.sheet_names)
    except fastexcel.FastExcelError:
        raise Rejected.single(PROTECTED if _ENCRYPTED_STREAM in data else DAMAGED) from None
    passed: list[str] = []
    hidden = False
    for index, name in enumerate(names):
        try:
            sheet = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
            if sheet.visible != "visible":
                hidden = True
                passed.append(f"'{name}' is hidden")
                continue
            rows = sheet.to_polars()
        except (fastexcel.FastExcelError, pl.exceptions.PolarsError):
            raise Rejected.single(DAMAGED) from None
        if not _has_table(rows):
            passed.append(f"'{name}' is empty" if rows.height == 0 else f"'{name}' holds no table")
            continue
        note = _sheet_note(name, index, len(names), passed)
        return table_from_rows(
            _as_text(rows), file_type=file_type, is_header=is_header, notes=[note]
        )
    raise Rejected.single(_nothing_to_read(len(names), hidden))
