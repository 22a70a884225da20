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
from dataclasses import dataclass

import polars as pl

from loaders.decoding import Decoded, decode, decode_legacy
from loaders.errors import ROW, Rejected

__all__ = ["Table", "drop_summary_rows", "normalise_header", "read_table"]

_SAMPLE = 64 * 1024
_HEADER_SEARCH = 30
_DELIMITERS = (",", ";", "\t", "|")
_TOTAL = re.compile(r"^(grand\s+|sub-?)?totals?(\s*[:(\-].*)?$|^summary(\s*[:(\-].*)?$")

HeaderTest = Callable[[Sequence[str]], bool]


def normalise_header(text: str) -> str:
    """Header as compared for detection: BOM stripped, case-folded, whitespace collapsed."""
    return " ".join(text.replace("\ufeff", "").casefold().split())


@dataclass(frozen=True)
class Table:
    """A parsed export: text cells (null when blank), headers as written, row numbers.

    `frame` has the `__row` column (Int64 spreadsheet row numbers) and one
    String column per header, named as written (trimmed; repeats get " (2)").
    """

    frame: pl.DataFrame
    headers: tuple[str, ...]
    header_row: int
    encoding: str
    delimiter: str
    blank_rows: int

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
    if known is None:
        candidates = records[:_HEADER_SEARCH]
        most = max((_filled(r) for r, _ in candidates), default=0)
        if most == 0:
            raise Rejected.single("the file is empty")
        known = next(i for i, (r, _) in enumerate(candidates) if _filled(r) == most)
    return delimiter, records, known


def _unique(names: Sequence[str]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for i, raw in enumerate(names):
        name = raw.replace("\ufeff", "").strip() or f"column {i + 1}"
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _parse(decoded: Decoded, is_header: HeaderTest | None) -> Table:
    body = decoded.body
    head = body[:_SAMPLE].decode("utf-8", errors="ignore").lstrip("\ufeff")
    if "\n" not in head and "\r" in head:  # classic Mac line ends
        body = body.replace(b"\r", b"\n")
        head = head.replace("\r", "\n")
    if len(body) > _SAMPLE and "\n" in head:
        head = head[: head.rindex("\n") + 1]
    delimiter, records, header_index = _sniff(head, is_header)
    lines_before = records[header_index - 1][1] if header_index else 0
    header_row = header_index + 1  # blank and title records count as spreadsheet rows
    names = _unique(records[header_index][0])
    frame = pl.read_csv(
        body,
        separator=delimiter,
        skip_lines=lines_before,
        infer_schema=False,
        new_columns=names,
        row_index_name=ROW,
        truncate_ragged_lines=True,
        raise_if_empty=False,
    )
    names = [c for c in frame.columns if c != ROW]
    frame = frame.select(
        (pl.col(ROW).cast(pl.Int64) + header_row + 1).alias(ROW),
        *[pl.col(c).str.strip_chars() for c in names],
    )
    # polars reads an empty field as null; only cells of spaces (or "") are empty strings now.
    found = frame.select((pl.col(c).str.len_bytes() == 0).any() for c in names) if names else None
    empty = [c for c in names if found is not None and found.get_column(c).item()]
    if empty:
        frame = frame.with_columns(
            pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in empty
        )
    blank = pl.all_horizontal(pl.col(c).is_null() for c in names) if names else pl.lit(True)
    blank_rows = frame.select(blank.sum()).item() if names else frame.height
    kept = frame.filter(~blank) if blank_rows else frame  # a filter copies every column
    return Table(kept, tuple(names), header_row, decoded.encoding, delimiter, blank_rows)


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
    except pl.exceptions.ComputeError as exc:
        if not (decoded.unchecked_utf8 and "utf-8" in str(exc).lower()):
            msg = f"the file could not be read as CSV: {str(exc).splitlines()[0]}"
            raise Rejected.single(msg) from None
        table = _parse(decode_legacy(data), is_header)
    if table.frame.is_empty():
        raise Rejected.single("the file has a header row but no data rows")
    return table


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
    kept = table.frame.filter(~skip)
    return Table(
        kept, table.headers, table.header_row, table.encoding, table.delimiter, table.blank_rows
    ), skipped
