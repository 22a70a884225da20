"""Row errors, collected without a Python loop per row, and the rejection signal.

A file with one invalid data row is rejected as a whole (DESIGN.md, "Rejection"),
so validation only needs to know *which* rows offend and to word the first few
of them well; the rest are counted. Checks hand over whole polars frames of
offending rows, and only the first `ERROR_LIMIT` become message strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

__all__ = ["ERROR_LIMIT", "ROW", "ErrorLog", "Rejected", "RowError"]

ERROR_LIMIT = 50
ROW = "__row"  # the spreadsheet row number column every parsed table carries


@dataclass(frozen=True)
class RowError:
    """One problem: spreadsheet row (None for the whole file), column as written, message."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, object]:
        """The `{row, column, message}` object of the JSON output."""
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        place = [f"row {self.row}" if self.row is not None else None]
        place.append(f"column {self.column}" if self.column else None)
        prefix = ", ".join(p for p in place if p)
        return f"{prefix}: {self.message}" if prefix else self.message


class ErrorLog:
    """Errors of one file: the first few worded, all of them counted.

    Notes
    -----
    `rows_rejected` counts distinct offending rows. A file-level error (a
    missing column, a product that cannot be chosen) offends every row, so it
    makes `rows_rejected` equal to the rows read; a file whose format is not
    recognised (`unrecognised`) had no row judged, so none is counted rejected.
    """

    def __init__(self, *, limit: int = ERROR_LIMIT) -> None:
        self.limit = limit
        self.total = 0
        self.file_level = False
        self.unrecognised = False
        self._kept: list[RowError] = []
        self._rows: list[pl.Series] = []

    def __bool__(self) -> bool:
        return self.total > 0

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        """Record one error; `row=None` marks a problem of the whole file."""
        self.total += 1
        if row is None:
            self.file_level = True
        else:
            self._rows.append(pl.Series(ROW, [row], dtype=pl.Int64))
        self._kept.append(RowError(row, column, message))

    def add_rows(
        self,
        offending: pl.DataFrame,
        *,
        column: str | None,
        message: Callable[[dict[str, object]], str],
    ) -> None:
        """Record one error per row of `offending` (which has a `__row` column).

        `message` turns one row (as a dict) into text; it is called for the
        first `limit` rows only, so a file where every row is bad stays cheap.
        """
        if offending.is_empty():
            return
        offending = offending.sort(ROW)
        self.total += offending.height
        self._rows.append(offending.get_column(ROW).cast(pl.Int64))
        for item in offending.head(self.limit).iter_rows(named=True):
            self._kept.append(RowError(int(item[ROW]), column, message(item)))

    def rows_rejected(self, rows_read: int) -> int:
        """Distinct offending rows (every row when a file-level error was seen)."""
        if self.unrecognised:
            return 0
        if self.file_level:
            return rows_read
        if not self._rows:
            return 0
        return pl.concat(self._rows).n_unique()

    def first(self) -> list[RowError]:
        """The first `limit` errors: file-level ones first, then by row."""
        ordered = sorted(self._kept, key=lambda e: (e.row is not None, e.row or 0))
        return ordered[: self.limit]


class Rejected(Exception):  # noqa: N818  (a state, not a fault: the file is rejected)
    """Raised inside an import to abandon it; carries the errors to report."""

    def __init__(self, errors: ErrorLog) -> None:
        super().__init__(f"{errors.total} error(s)")
        self.errors = errors

    @classmethod
    def single(cls, message: str, *, column: str | None = None) -> Rejected:
        """A rejection for one file-level reason."""
        log = ErrorLog()
        log.add(message, column=column)
        return cls(log)
