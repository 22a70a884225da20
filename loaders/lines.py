r"""Byte-level preparation of a decoded CSV body: line ends, the sniffing sample, blank lines.

Three things polars cannot be trusted with on hostile files, done here on the
raw bytes before it parses them:

* **Line ends.** polars ends a line at ``\n`` only, while the csv module
  (which finds the header) also ends one at a lone ``\r``. A file mixing
  ``\r\n``, ``\r`` and ``\n`` would be split two different ways: a header
  ending in a lone CR made polars see more columns than the header, and rows
  ending in one were glued to the next and silently cut. Every lone CR
  becomes ``\n`` (a CR inside a quoted cell then reads as a line break,
  which is what it shows in a spreadsheet).
* **The sample.** The header is looked for in the first 64 KiB, extended to
  whole lines (up to `LONGEST_SAMPLE`), so a title or header line longer
  than 64 KiB is read whole instead of cut.
* **Blank-line floods.** polars makes a row of nulls for every blank line,
  about 0.4 KB each: a 5 MB file of newlines took 2.3 GB. Runs of two or
  more blank lines (outside quoted cells) are replaced here by one marker
  line, ``\x00<n>``, that stands for the whole run, and `BlankRuns` keeps how
  many lines each marker replaced, so row numbers stay those a spreadsheet
  shows. ``decoding.decode`` never returns a body holding a NUL, so a marker
  cannot be mistaken for a cell; `reading` still checks every marker came
  back where it was put, and parses the file as written if not.

And one size: `STREAM_BYTES`, from which a file is read in chunks
(`loaders.streaming`) rather than whole (`loaders.read_ahead` reads nothing
that large). It lives here, not in `loaders.streaming`, because the read-ahead
must load without SQLAlchemy, which the streaming module imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.errors import Rejected

__all__ = [
    "LONGEST_SAMPLE",
    "MARK",
    "SAMPLE",
    "STREAM_BYTES",
    "BlankRuns",
    "blank_runs",
    "leading_blank_lines",
    "line_offset",
    "sample_end",
    "unix_line_ends",
]

SAMPLE = 64 * 1024
LONGEST_SAMPLE = 4 * 1024 * 1024
MARK = "\x00"
STREAM_BYTES = 256 * 2**20
"""Files of this size or more are streamed (`loaders.streaming`, when their kind allows it)."""
_SEARCH_LINES = 31  # the header is looked for in the first 30 records
_LEADING = re.compile(rb"(?:[ \t\r,;|]*\n)*")


def unix_line_ends(body: bytes) -> bytes:
    r"""`body` with every lone ``\r`` made ``\n``; untouched (no copy) when there is none.

    Examples
    --------
    >>> unix_line_ends(b"a,b\rc,d\r\ne,f\n")
    b'a,b\nc,d\ne,f\n'
    """
    if b"\r" not in body:
        return body
    crs = body.count(b"\r")
    crlf = body.count(b"\r\n")
    if crs == crlf:  # plain CRLF: polars reads it as it is
        return body
    return body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def leading_blank_lines(body: bytes) -> tuple[int, int]:
    """Byte offset after the blank lines the file starts with, and how many there are.

    A line of spaces, tabs or any of the delimiters alone is blank.
    """
    end = _LEADING.match(body)
    stop = end.end() if end else 0
    return stop, body.count(b"\n", 0, stop)


def sample_end(body: bytes, start: int) -> int:
    """Where the sample starting at `start` ends: 64 KiB extended to whole lines.

    The sample holds at least the first 31 lines (the header search) as long
    as they fit in `LONGEST_SAMPLE`, and always ends at a line end unless it
    is the whole rest of the file.

    Raises
    ------
    Rejected
        When the first line runs past `LONGEST_SAMPLE` with no line break.
    """
    size = len(body)
    end = min(start + SAMPLE, size)
    limit = min(start + LONGEST_SAMPLE, size)
    lines = body.count(b"\n", start, end)
    if end < size and body[end - 1 : end] != b"\n":
        nl = body.find(b"\n", end, limit)
        if nl >= 0:
            end, lines = nl + 1, lines + 1
    while lines < _SEARCH_LINES and end < limit:
        nl = body.find(b"\n", end, limit)
        if nl < 0:
            break
        end, lines = nl + 1, lines + 1
    if end < size and body[end - 1 : end] != b"\n":
        last = body.rfind(b"\n", start, end)
        if last < 0:
            mib = LONGEST_SAMPLE // (1024 * 1024)
            msg = (
                f"the first line is longer than {mib} MiB without a line break; "
                "this is not a CSV report"
            )
            raise Rejected.single(msg)
        end = last + 1
    return end


def line_offset(body: bytes, start: int, lines: int) -> int:
    """Byte offset just after the `lines`-th line end from `start` (the end of `body` if fewer)."""
    pos = start
    for _ in range(lines):
        nl = body.find(b"\n", pos)
        if nl < 0:
            return len(body)
        pos = nl + 1
    return pos


@dataclass(frozen=True)
class BlankRuns:
    """The data lines with each run of blank lines replaced by a marker line.

    `body` holds only the data lines (from just after the header); `lines[i]`
    is how many blank lines the marker ``MARK + str(i)`` stands for.
    """

    body: bytes
    lines: tuple[int, ...]


def blank_runs(body: bytes, start: int, delimiter: str) -> BlankRuns | None:
    """Replace each run of 2+ blank lines after byte `start` by one marker line; None if none.

    `start` is where the data lines begin (just after the header's line end).
    A run inside a quoted cell (an odd number of quotes before it) is left as
    it is: those lines are the cell's text, not rows.
    """
    blank = re.escape(delimiter.encode())
    # One character class, no nested repetition: re keeps no backtracking state per line.
    pattern = re.compile(rb"\n[ \t\r\n" + blank + rb"]*\n")
    first = max(start - 1, 0)
    if body[first:start] != b"\n":  # no header line end: the data start the file
        body = b"\n" + body[start:]
        first, start = 0, 1
    pieces: list[bytes] = []
    lines: list[int] = []
    kept = start
    quotes = 0
    counted = start
    for found in pattern.finditer(body, first):
        run_start = found.start() + 1
        run = body.count(b"\n", found.start(), found.end()) - 1
        if run < 2:
            continue  # a single blank line costs one row, like the data around it
        quotes += body.count(b'"', counted, run_start)
        counted = run_start
        if quotes % 2:
            continue
        pieces.append(body[kept:run_start])
        pieces.append(f"{MARK}{len(lines)}\n".encode())
        lines.append(run)
        kept = found.end()
    if not lines:
        return None
    pieces.append(body[kept:])
    return BlankRuns(b"".join(pieces), tuple(lines))
