"""The slow, exact reading for the files polars refuses: Python's csv module, strict quoting.

polars stops at a quote in the middle of an unquoted value (``5" screen``):
"CSV malformed". Python's csv module reads such a value as written, and in
strict mode refuses only quoting that really cannot be read (a quoted value
never closed, text after a closing quote). So when polars fails, the data
lines are read again here: the file is imported when they read cleanly,
else refused naming the row (and the column, when the line shows it) where
the quotes stop pairing up. Only files up to `STRICT_LIMIT` bytes are read
this way (Python holds every cell as an object, several times the file).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

import polars as pl

from loaders.errors import ROW, ErrorLog, Rejected

__all__ = ["STRICT_LIMIT", "read_strict"]

STRICT_LIMIT = 64 * 1024 * 1024
_QUOTES = (
    "the quotes do not pair up: a quoted value must end with a quote, and a quote "
    'inside a value must be doubled ("5"" screen"); the file could not be read as CSV'
)


class _Lines:
    """The text's lines, remembering the one a record starts on (for the error message)."""

    def __init__(self, text: io.TextIOBase) -> None:
        self._text = text
        self.count = 0
        self.wanted = 1
        self.start_line = ""

    def __iter__(self) -> Iterator[str]:
        for line in self._text:
            self.count += 1
            if self.count == self.wanted:
                self.start_line = line
            yield line


def _column(line: str, delimiter: str, names: Sequence[str]) -> str | None:
    """The column of the first value on `line` whose quotes cannot pair up, if the line shows it."""
    for i, value in enumerate(line.rstrip("\r\n").split(delimiter)):
        cell = value.strip()
        if '"' not in cell:
            continue
        inner = cell[1:-1] if len(cell) >= 2 and cell[0] == cell[-1] == '"' else None
        if inner is None or inner.replace('""', "").count('"'):
            return names[i] if i < len(names) else None
    return None


def read_strict(
    body: bytes, start: int, *, delimiter: str, names: Sequence[str], first_row: int
) -> tuple[pl.DataFrame, int]:
    """Read the data lines of `body` (from byte `start`) with the csv module.

    Returns the frame (`ROW` and one String column per name, cells as
    written, blank records left out) and how many blank records there were.

    Raises
    ------
    Rejected
        For quoting that cannot be read, naming the row (and the column when
        the row's first line shows it), or a file over `STRICT_LIMIT`.
    """
    if len(body) - start > STRICT_LIMIT:
        mib = STRICT_LIMIT // (1024 * 1024)
        msg = (
            "the file could not be read as CSV: some quotes do not pair up (a quote inside "
            f"a value must be doubled and the value quoted); files over {mib} MiB are not "
            "checked row by row"
        )
        raise Rejected.single(msg)
    data = io.BytesIO(body[start:])
    text = io.TextIOWrapper(data, encoding="utf-8", errors="replace", newline="")
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    width = len(names)
    rows: list[int] = []
    columns: list[list[str | None]] = [[] for _ in names]
    blank = 0
    record = 0
    while True:
        lines.wanted = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error:
            log = ErrorLog()
            where = _column(lines.start_line, delimiter, names)
            log.add(_QUOTES, row=first_row + record, column=where)
            raise Rejected(log) from None
        if not any(v.strip() for v in values):
            blank += 1
        else:
            rows.append(first_row + record)
            padded = [*values[:width], *([None] * (width - len(values)))]
            for column, value in zip(columns, padded, strict=True):
                column.append(value if value != "" else None)
        record += 1
    frame = pl.DataFrame(
        {ROW: pl.Series(rows, dtype=pl.Int64)}
        | {name: pl.Series(col, dtype=pl.String) for name, col in zip(names, columns, strict=True)}
    )
    return frame, blank
