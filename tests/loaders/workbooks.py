"""Excel workbooks written for the tests with real cells (date, time and number cells)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import xlsxwriter

Cell = str | int | float | dt.date | dt.datetime | dt.timedelta | None
Sheet = tuple[str, Sequence[Sequence[Cell] | None]]  # a name, rows from row 1 (None: blank)


def workbook(*sheets: Sheet, hidden: Sequence[str] = ()) -> bytes:
    """An .xlsx with real Excel cells: dates as date cells, hours as time cells, numbers."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    day = book.add_format({"num_format": "mm/dd/yyyy"})
    hours = book.add_format({"num_format": "[h]:mm:ss"})
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        if name in hidden:
            sheet.hide()
        for r, row in enumerate(rows):
            for c, value in enumerate(row or []):
                if value is None:
                    continue
                if isinstance(value, dt.timedelta):
                    sheet.write_number(r, c, value.total_seconds() / 86_400, hours)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, day)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    book.close()
    return out.getvalue()
