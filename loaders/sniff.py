"""One file's bytes to a `Table`: the reader is chosen by what the bytes are.

`import_file` calls `read_upload`, never a reader directly, so a new kind
of file is one more branch here. The file's name is never consulted (an LRS
dump arrives as `statements.txt`, a CSV as `export.json`): the first bytes
decide.

* JSON learning records (xAPI statements, tracking logs) go to
  `loaders.json_records`;
* an Excel workbook goes to `loaders.workbook`;
* text (CSV, TSV) goes to `loaders.reading`, runs of NUL bytes skipped and
  reported first.

Archives never get here as such: `loaders.archives.unpack` hands their
files over one by one, and an archive that arrives anyway is refused with
where to send it. Dotted xAPI columns (JSON statements, pandas'
`json_normalize` CSVs) are renamed to the flat-CSV names here, before
detection (`loaders.formats.xapi.undotted`).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from loaders.archives import DOCUMENT, upload_kind
from loaders.errors import Rejected
from loaders.formats.xapi import undotted
from loaders.json_records import looks_like_json, read_json_table, strip_nul_runs
from loaders.reading import HeaderTest, Table, read_table
from loaders.result import decision
from loaders.workbook import read_workbook

__all__ = ["read_upload"]

_ARCHIVE = (
    "the file is a {kind} archive; import it on the Import data page or with "
    "`python -m loaders`, which unpack it and import each file in it"
)
# A zip cut short has lost the directory that says whether it held a workbook or files.
_DAMAGED_ZIP = (
    "this file could not be opened: it is a damaged or incomplete zip archive or Excel "
    "workbook; download or export it again"
)


def read_upload(data: bytes, *, is_header: HeaderTest | None = None) -> Table:
    """Read one file, whatever its kind, into a `Table` with spreadsheet row numbers.

    Parameters
    ----------
    data
        The file's bytes; its name is never consulted.
    is_header
        As for `loaders.reading.read_table`.

    Raises
    ------
    Rejected
        When the file cannot be read, with a message saying what it is and
        what to do.
    """
    kind = upload_kind(data)
    if kind == "workbook":
        return undotted(read_workbook(data, is_header=is_header))
    if kind == "document":
        raise Rejected.single(DOCUMENT)
    if kind == "zip" and not zipfile.is_zipfile(io.BytesIO(data)):
        raise Rejected.single(_DAMAGED_ZIP)
    if kind in ("zip", "gzip"):
        raise Rejected.single(_ARCHIVE.format(kind=kind))
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
