"""One file's bytes to a `Table`: the reader is chosen by what the bytes are.

`import_file` calls `read_upload`, never a reader directly, so a new kind
of file is one more branch here: an Excel workbook goes to
`loaders.workbook`, text (CSV, TSV) to `loaders.reading`. Archives never
get here as such: `loaders.archives.unpack` hands their files over one by
one, and an archive that arrives anyway is refused with where to send it.
"""

from __future__ import annotations

import io
import zipfile

from loaders.archives import DOCUMENT, upload_kind
from loaders.errors import Rejected
from loaders.reading import HeaderTest, Table, read_table
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
        return read_workbook(data, is_header=is_header)
    if kind == "document":
        raise Rejected.single(DOCUMENT)
    if kind == "zip" and not zipfile.is_zipfile(io.BytesIO(data)):
        raise Rejected.single(_DAMAGED_ZIP)
    if kind in ("zip", "gzip"):
        raise Rejected.single(_ARCHIVE.format(kind=kind))
    return read_table(data, is_header=is_header)
