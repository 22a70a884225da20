"""Read a vendor export into a table of text cells with spreadsheet row numbers.

Exports are messy: title lines above the header, semicolons in European
locales, quoted fields holding commas and line breaks, blank lines, a total
row at the end. This module finds the header and the delimiter on a small
sample with Python's csv module, then parses the whole file with polars
(every column as text), so a million-row report is read in well under a
second. Every data row keeps the row number a spreadsheet would show, for
error messages.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from loaders.decoding import Decoded, decode, decode_legacy
from loaders.errors import ROW, Rejected
from loaders.lines import (
    LONGEST_SAMPLE,
    MARK,
    BlankRuns,
    blank_runs,
    leading_blank_lines,
    line_offset,
    sample_end,
    unix_line_ends,
)
from loaders.strict_csv import read_strict
from loaders.values import without_empty_chunks

__all__ = [
    "Table",
    "drop_summary_rows",
    "normalise_header",
    "read_table",
    "table_from_rows",
    "visible",
]

_HEADER_SEARCH = 30
_LONGEST_NAME = 100
_WIDEST = 16_384  # Excel's last column, XFD: no export is wider (each column costs ~0.1 ms)
_DELIMITERS = (",", ";", "\t", "|")
_TOTAL = re.compile(r"^(grand\s+|sub-?)?totals?(\s*[:(\-].*)?$|^summary(\s*[:(\-].*)?$")
# Invisible characters that change how a name reads without showing (issue 14; decided: strip
# them from every cell here, once, rather than refuse the file): bidi embeddings, overrides,
# isolates and marks (so "evil" cannot display as "live"), the BOM, zero-width space and word
# joiner (so "\ufeffProduct" is "Product"), the soft hyphen and the invisible operators.
# Zero-width (non-)joiners spell Persian, Indic scripts and emoji, so they are kept there and
# stripped only beside Latin letters, where they only hide a look-alike ("Pro\u200dduct").
_INVISIBLE = "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
_JOINER_BEFORE = "([\u0000-\u024f])[\u200c\u200d]+"
_JOINER_AFTER = "[\u200c\u200d]+([\u0000-\u024f])"
_HIDDEN = _INVISIBLE[:-1] + "\u200c\u200d]"
# A header or title cell may be as long as the sample; the csv module stops at 128 KiB.
csv.field_size_limit(max(csv.field_size_limit(), LONGEST_SAMPLE))

HeaderTest = Callable[[Sequence[str]], bool]


def normalise_header(text: str) -> str:
    """Header as compared for detection: invisible characters stripped, case-folded, spaced once."""
    return " ".join(visible(text).casefold().split())


@dataclass(frozen=True)
class Table:
    """A parsed export: text cells (null when blank), headers as written, row numbers.

    `frame` has the `__row` column (Int64 spreadsheet row numbers) and one
    String column per header, named as written (trimmed; repeats get " (2)").
    A table read from cells rather than text (a workbook's sheet) has no
    delimiter (``""``), names its file type as `encoding` ("xlsx") and says
    how it was read in `notes` (the sheet chosen), which the import reports
    instead of the encoding and delimiter.
    """

    frame: pl.DataFrame
    headers: tuple[str, ...]
    header_row: int
    encoding: str
    delimiter: str
    blank_rows: int
    source: str = "a CSV file"  # what the file is, in a message's words ("an Excel workbook")
    notes: tuple[dict[str, Any], ...] = ()  # decisions taken while reading (sheet, JSON, NULs)

    @property
    def normalised(self) -> dict[str, str]:
        """Normalised header -> column name (the first column wins on repeats)."""
        out: dict[str, str] = {}
        for name in self.headers:
            out.setdefault(normalise_header(name), name)
        return out


def _records(text: str, delimiter: str) -> list[tuple[list[str], int]]:
    """Records of the sample with the physical line count read after each one."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    out = []
    try:
        for record in reader:
            out.append((record, reader.line_num))
    except csv.Error:
        pass
    return out


def _filled(record: Sequence[str]) -> int:
    return sum(1 for cell in record if cell.strip())


def _known_header(records: list[tuple[list[str], int]], is_header: HeaderTest | None) -> int | None:
    if is_header is None:
        return None
    for i, (record, _) in enumerate(records[:_HEADER_SEARCH]):
        if _filled(record) >= 2 and is_header([normalise_header(c) for c in record]):
            return i
    return None


def _score(records: list[tuple[list[str], int]], known: int | None) -> tuple[int, int, int]:
    widths = [len(r) for r, _ in records if _filled(r)]
    common = Counter(w for w in widths if w >= 2).most_common(1)
    if not common:
        return (known is not None, 0, 0)
    width, count = common[0]
    return (known is not None, count, width)


def _header_index(records: list[tuple[list[str], int]], known: int | None) -> int:
    """The header record: a known format's (`known`), else the fullest of the first 30."""
    if known is not None:
        return known
    candidates = records[:_HEADER_SEARCH]
    most = max((_filled(r) for r, _ in candidates), default=0)
    if most == 0:
        raise Rejected.single("the file is empty")
    return next(i for i, (r, _) in enumerate(candidates) if _filled(r) == most)


def _sniff(head: str, is_header: HeaderTest | None) -> tuple[str, list[tuple[list[str], int]], int]:
    """Choose the delimiter, then the header record: a known format's, else the fullest."""
    best: tuple[tuple[int, int, int], str, list[tuple[list[str], int]], int | None] | None = None
    for delimiter in _DELIMITERS:
        records = _records(head, delimiter)
        known = _known_header(records, is_header)
        score = _score(records, known)
        if best is None or score > best[0]:
            best = (score, delimiter, records, known)
    assert best is not None
    _, delimiter, records, known = best
    return delimiter, records, _header_index(records, known)


def _unique(names: Sequence[str]) -> list[str]:
    """Header names as columns: cleaned, at most 100 characters, repeats numbered."""
    seen: Counter[str] = Counter({ROW: 1})
    out = []
    for i, raw in enumerate(names):
        name = visible(raw).strip()[:_LONGEST_NAME].strip() or f"column {i + 1}"
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def visible(text: str) -> str:
    """`text` without the invisible characters `_INVISIBLE` strips from every cell.

    Examples
    --------
    >>> visible("\u202eevil\ufeff")
    'evil'
    """
    out = re.sub(_INVISIBLE, "", text)
    return re.sub(_JOINER_AFTER, r"\1", re.sub(_JOINER_BEFORE, r"\1", out))


def _cleaned(name: str) -> pl.Expr:
    """A text column trimmed and without invisible characters (bidi controls, BOM, ...)."""
    col = pl.col(name).str.replace_all(_INVISIBLE, "")
    col = col.str.replace_all(_JOINER_BEFORE, "${1}").str.replace_all(_JOINER_AFTER, "${1}")
    return col.str.strip_chars()


def _with_invisible(frame: pl.DataFrame, names: Sequence[str]) -> set[str]:
    """The columns holding an invisible character (looked for only where a cell is not ASCII)."""
    wide = frame.select(
        (pl.col(c).str.len_bytes() != pl.col(c).str.len_chars()).any() for c in names
    )
    looked = [c for c in names if wide.get_column(c).item()]
    if not looked:
        return set()
    found = frame.select(pl.col(c).str.contains(_HIDDEN).any() for c in looked)
    return {c for c in looked if found.get_column(c).item()}


@dataclass(frozen=True)
class _Layout:
    """Where the header and the data lines are in the (line-end normalised) body."""

    body: bytes
    delimiter: str
    names: list[str]
    header_row: int
    skip_lines: int  # physical lines before the first data line
    data_start: int  # byte offset of the first data line


def _layout(decoded: Decoded, is_header: HeaderTest | None) -> _Layout:
    body = unix_line_ends(decoded.body)
    lead_end, lead_lines = leading_blank_lines(body)
    end = sample_end(body, lead_end)
    head = body[lead_end:end].decode("utf-8", errors="ignore").lstrip("\ufeff")
    delimiter, records, header_index = _sniff(head, is_header)
    header_lines = records[header_index][1]
    width = len(records[header_index][0])
    if width > _WIDEST:
        row = lead_lines + header_index + 1
        msg = (
            f"row {row}, the header, has {width:,} columns; a spreadsheet holds at most "
            f"{_WIDEST:,}, so this is not a report"
        )
        raise Rejected.single(msg)
    return _Layout(
        body,
        delimiter,
        _unique(records[header_index][0]),
        lead_lines + header_index + 1,  # blank and title records count as spreadsheet rows
        lead_lines + header_lines,
        line_offset(body, lead_end, header_lines),
    )


def _polars(source: bytes, layout: _Layout, skip_lines: int) -> pl.DataFrame:
    """The body through polars' CSV reader, as text of `layout.names` columns.

    polars unpacks a body that starts like a gzip, zlib or zstd stream by
    itself; a damaged one is an OSError, refused here as what it is.
    """
    try:
        return _read_csv(source, layout, skip_lines)
    except OSError:
        msg = (
            "this file holds compressed data (like a .gz) that is damaged, not a report's "
            "text: download it again, or unpack it and upload the report itself"
        )
        raise Rejected.single(msg) from None


def _read_csv(source: bytes, layout: _Layout, skip_lines: int) -> pl.DataFrame:
    return pl.read_csv(
        source,
        has_header=False,
        separator=layout.delimiter,
        skip_lines=skip_lines,
        schema=dict.fromkeys(layout.names, pl.String),
        missing_columns="insert",
        extra_columns="ignore",
        row_index_name=ROW,
        truncate_ragged_lines=True,
        raise_if_empty=False,
    )


def _unmarked(frame: pl.DataFrame, runs: BlankRuns, first_row: int) -> tuple[pl.DataFrame, int]:
    """Drop the marker rows of `runs`, numbering the other rows as the file had them.

    Returns the frame with `ROW` as spreadsheet row numbers, and how many
    blank lines the markers stood for.

    Raises
    ------
    _MisplacedError
        When a marker did not come back as a row of its own (it fell inside
        a quoted cell the byte scan could not see).
    """
    first = next(c for c in frame.columns if c != ROW)
    has_mark = [pl.col(c).str.contains(MARK, literal=True).sum() for c in frame.columns[1:]]
    marks = frame.select(pl.sum_horizontal(has_mark)).item()
    is_mark = pl.col(first).str.starts_with(MARK).fill_null(False)
    found = frame.filter(is_mark).get_column(first).to_list()
    if marks != len(runs.lines) or found != [f"{MARK}{i}" for i in range(len(runs.lines))]:
        raise _MisplacedError
    extra = {f"{MARK}{i}": n - 1 for i, n in enumerate(runs.lines)}
    offset = pl.col(first).replace_strict(extra, default=0, return_dtype=pl.Int64).cum_sum()
    frame = frame.with_columns((pl.col(ROW).cast(pl.Int64) + first_row + offset).alias(ROW))
    return frame.filter(~is_mark), sum(runs.lines)


class _MisplacedError(Exception):
    """A blank-run marker fell inside a quoted cell: parse the file as written instead."""


def _frame(layout: _Layout) -> tuple[pl.DataFrame, int]:
    """The data lines as raw text cells with spreadsheet row numbers, and blank lines dropped."""
    first_row = layout.header_row + 1
    runs = blank_runs(layout.body, layout.data_start, layout.delimiter)
    if runs is not None:
        try:
            return _unmarked(_polars(runs.body, layout, 0), runs, first_row)
        except _MisplacedError:
            pass
    frame = _polars(layout.body, layout, layout.skip_lines)
    return frame.with_columns((pl.col(ROW).cast(pl.Int64) + first_row).alias(ROW)), 0


def _parse(decoded: Decoded, is_header: HeaderTest | None) -> Table:
    layout = _layout(decoded, is_header)
    try:
        frame, blank_lines = _frame(layout)
    except pl.exceptions.PolarsError:
        if decoded.unchecked_utf8 and not _valid_utf8(layout.body):
            raise
        frame, blank_lines = read_strict(
            layout.body,
            layout.data_start,
            delimiter=layout.delimiter,
            names=layout.names,
            first_row=layout.header_row + 1,
        )
    kept, blank_rows = _clean_cells(frame, layout.names)
    return Table(
        kept,
        tuple(layout.names),
        layout.header_row,
        decoded.encoding,
        layout.delimiter,
        blank_rows + blank_lines,
    )


def _clean_cells(frame: pl.DataFrame, names: list[str]) -> tuple[pl.DataFrame, int]:
    """Cells trimmed, invisible characters stripped, blank cells null; blank rows dropped.

    One rule for every source (CSV text or a workbook's cells), so a value
    reads the same whichever way it arrived. Returns the kept rows and how
    many blank rows were dropped.
    """
    hidden = _with_invisible(frame, names)
    frame = frame.select(
        pl.col(ROW), *[_cleaned(c) if c in hidden else pl.col(c).str.strip_chars() for c in names]
    )
    # polars reads an empty field as null; only cells of spaces (or "") are empty strings now.
    found = frame.select((pl.col(c).str.len_bytes() == 0).any() for c in names)
    empty = [c for c in names if found.get_column(c).item()]
    if empty:
        frame = frame.with_columns(
            pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in empty
        )
    blank = pl.all_horizontal(pl.col(c).is_null() for c in names)
    blank_rows = frame.select(blank.sum()).item()
    kept = frame.filter(~blank) if blank_rows else frame  # a filter copies every column
    return without_empty_chunks(kept), blank_rows


def _valid_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_table(data: bytes, *, is_header: HeaderTest | None = None) -> Table:
    """Decode, find the header and delimiter, and parse `data` into a `Table`.

    Parameters
    ----------
    data
        The raw upload; its name is never consulted.
    is_header
        Says whether a row of normalised cells is a known format's header, so
        title lines above it are skipped (else the fullest of the first 30
        records is the header).

    Raises
    ------
    Rejected
        When the bytes are not a readable CSV, or hold no data rows.
    """
    decoded = decode(data)
    try:
        table = _parse(decoded, is_header)
    except pl.exceptions.PolarsError:
        # UTF-8 was only checked on the sample; polars found invalid bytes further on.
        try:
            table = _parse(decode_legacy(data), is_header)
        except pl.exceptions.PolarsError:
            msg = (
                "the file could not be read as CSV: its quoting or line breaks are damaged (a "
                "value runs over several lines, or rows have more fields than the header); "
                "open it in a spreadsheet and save it as CSV again"
            )
            raise Rejected.single(msg) from None
    if table.frame.is_empty():
        raise Rejected.single("the file has a header row but no data rows")
    return table


def table_from_rows(
    rows: pl.DataFrame,
    *,
    file_type: str,
    is_header: HeaderTest | None = None,
    notes: Sequence[dict[str, Any]] = (),
) -> Table:
    """A `Table` from cells already in columns (a workbook's sheet), found by the CSV's rules.

    Why: a sheet has title lines above its header like a CSV export does, so
    the header is looked for the same way (a known format's header among the
    first 30 non-blank rows, else the fullest), names are cleaned and cells
    trimmed the same way, and row numbers stay the spreadsheet's.

    Parameters
    ----------
    rows
        Every row of the sheet from row 1, one String column per spreadsheet
        column (null where a cell is empty): row ``i`` of the frame is row
        ``i + 1`` of the sheet.
    file_type
        What the cells came from ("xlsx"), kept as the table's `encoding`.
    is_header
        As for `read_table`.
    notes
        How the cells were read (the sheet chosen), reported with the import.

    Raises
    ------
    Rejected
        When no row holds a cell, or the header has no data rows below it.
    """
    if rows.width == 0:
        raise Rejected.single("the file is empty")
    filled = rows.select(pl.any_horizontal(pl.all().is_not_null()).arg_true().first()).item()
    if filled is None:
        raise Rejected.single("the file is empty")
    sample = rows.slice(filled, _HEADER_SEARCH).iter_rows()
    records = [([cell or "" for cell in row], filled + i + 1) for i, row in enumerate(sample)]
    at = filled + _header_index(records, _known_header(records, is_header))
    header = records[at - filled][0]
    width = max(i for i, cell in enumerate(header) if cell.strip()) + 1  # as a CSV header ends
    names = _unique(header[:width])
    data = rows.slice(at + 1).select(rows.columns[:width])
    frame = data.rename(dict(zip(data.columns, names, strict=True))).select(
        (pl.int_range(pl.len(), dtype=pl.Int64) + at + 2).alias(ROW), *names
    )
    kept, blank_rows = _clean_cells(frame, names)
    if kept.is_empty():
        raise Rejected.single("the file has a header row but no data rows")
    source = "an Excel workbook" if file_type in ("xlsx", "xls") else f"a {file_type} file"
    return Table(
        kept, tuple(names), at + 1, file_type, "", blank_rows, source=source, notes=tuple(notes)
    )


def drop_summary_rows(table: Table, key_columns: Sequence[str]) -> tuple[Table, list[int]]:
    """Remove total/summary rows and rows empty in every key column; return their row numbers.

    A row whose first non-empty cell reads "Total", "Grand total" or
    "Summary", or that is empty in every key column, is not data: it is
    neither imported nor an error (DESIGN.md, "Rejection").
    """
    names = list(table.headers)
    first = pl.coalesce([pl.col(c) for c in names]).str.to_lowercase()
    summary = first.str.contains(_TOTAL.pattern).fill_null(False)
    keys = [c for c in key_columns if c in names]
    if keys:
        summary = summary | pl.all_horizontal(pl.col(c).is_null() for c in keys)
    skip = table.frame.select(summary).to_series()
    if not skip.any():
        return table, []  # the usual case: no copy of every column
    skipped = table.frame.get_column(ROW).filter(skip).to_list()
    kept = without_empty_chunks(table.frame.filter(~skip))
    return replace(table, frame=kept), skipped
