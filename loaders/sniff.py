"""What an upload is, decided from its bytes: JSON learning records, or a delimited text file.

The file's name is never consulted (an LRS dump arrives as `statements.txt`,
a CSV as `export.json`): the first bytes decide, then one reader turns the
file into the `Table` every format is detected on.
"""

from __future__ import annotations

from dataclasses import replace

from loaders.formats.xapi import undotted
from loaders.json_records import looks_like_json, read_json_table, strip_nul_runs
from loaders.reading import HeaderTest, Table, read_table
from loaders.result import decision

__all__ = ["read_upload"]


def read_upload(data: bytes, *, is_header: HeaderTest | None = None) -> Table:
    """Read an upload into a `Table`: JSON records, else CSV (runs of NUL bytes skipped).

    Dotted xAPI columns (JSON statements, pandas' `json_normalize` CSVs) are
    renamed to the flat-CSV names here, before detection (`xapi.undotted`).

    Raises
    ------
    loaders.errors.Rejected
        When the file cannot be read; the message says what it looks like.
    """
    if looks_like_json(data):
        return undotted(read_json_table(data))
    cleaned, dropped = strip_nul_runs(data)
    table = read_table(cleaned, is_header=is_header)
    if dropped:
        note = decision(
            "nul_bytes",
            f"{dropped:,} NUL bytes (filler a log rotation leaves) skipped",
            value=dropped,
        )
        table = replace(table, notes=(*table.notes, note))
    return undotted(table)
