"""JSON learning records read as a table: xAPI statements and Open edX tracking logs.

DESIGN.md ("xAPI and tracking logs"): a `.json` upload is read as JSON, never
as CSV. It may hold one xAPI statement, an array of them, an LRS statements
page (`{"statements": [...], "more": "..."}`; the `more` link is reported,
not followed) or JSON lines; an Open edX tracking log is JSON lines of
events. The file's name is never consulted: the bytes decide.

Records are flattened into text columns named as pandas' `json_normalize`
names them (`actor.mbox`, `verb.id`, `context.course_id`), so one mapping
(`loaders.formats.xapi.undotted`) serves flattened CSV exports and JSON
alike. Language maps (`verb.display`, `object.definition.name`) become one
text: the first English entry (`en`, `en-US`, `en-GB`...), else the first.

Why polars' own JSON reader with an explicit schema: an LRS dump can hold
millions of statements, and only a dozen fields matter; fields not in the
schema (extensions, context activities) are skipped by the reader, and a
nested object read as text comes back as its JSON, from which the language
map is picked in bulk.

A run of NUL bytes (left when a log is rotated while being written) is
skipped and reported, never a reason to refuse a text file. A damaged
record refuses the file naming its line, and says what the file looks like.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from polars.exceptions import PanicException

from loaders.errors import ROW, Rejected
from loaders.reading import Table
from loaders.result import decision

__all__ = ["JSON_KINDS", "looks_like_json", "read_json_table", "strip_nul_runs"]

_NUL_RUN = re.compile(rb"\x00{8,}")
"""Eight NULs in a row never occur in UTF-8 or UTF-16 text: a run is filler, not data."""
_WHITESPACE = b" \t\r\n"
_TEXT = re.compile(b"[^" + re.escape(_WHITESPACE) + b"]")
"""A byte that is not JSON whitespace (RFC 8259: space, tab, CR, LF)."""
_BOM = b"\xef\xbb\xbf"
_SNIFF = 64 * 1024  # bytes read to find the first record's keys

S = pl.Struct
_LANGUAGE_MAP = pl.String()  # read as its JSON text: the keys are languages, not known fields
_XAPI_SCHEMA: Final[dict[str, pl.DataType]] = {
    "id": pl.String(),
    "timestamp": pl.String(),
    "stored": pl.String(),
    "actor": S(
        {
            "objectType": pl.String(),
            "name": pl.String(),
            "mbox": pl.String(),
            "mbox_sha1sum": pl.String(),
            "account": S({"homePage": pl.String(), "name": pl.String()}),
        }
    ),
    "verb": S({"id": pl.String(), "display": _LANGUAGE_MAP}),
    "object": S(
        {
            "id": pl.String(),
            "objectType": pl.String(),
            "definition": S({"name": _LANGUAGE_MAP, "type": pl.String()}),
        }
    ),
    "result": S(
        {
            "completion": pl.String(),
            "success": pl.String(),
            "duration": pl.String(),
        }
    ),
    "context": S({"platform": pl.String()}),
}
_TRACKING_SCHEMA: Final[dict[str, pl.DataType]] = {
    "username": pl.String(),
    "event_type": pl.String(),
    "time": pl.String(),
    "event_source": pl.String(),
    "context": S({"course_id": pl.String(), "user_id": pl.String(), "org_id": pl.String()}),
}
JSON_KINDS: Final[dict[str, str]] = {
    "xapi": "an xAPI statement file",
    "tracking": "an Open edX tracking log",
}
"""What a JSON file looks like, in the words of the messages."""


@dataclass(frozen=True)
class _Shape:
    """How the JSON is laid out and what its records are."""

    layout: str  # "lines", "array", "page" or "object"
    kind: str | None  # a key of JSON_KINDS, None when the records are neither
    keys: tuple[str, ...]  # the first record's keys, for a refusal that says what it holds


def looks_like_json(data: bytes) -> bool:
    """Whether the bytes start (after a BOM, blanks or NUL filler) with `{` or `[`."""
    head = strip_nul_runs(data[:_SNIFF])[0]
    encoding = json.detect_encoding(head)
    if not encoding.startswith("utf-8"):
        head = head.decode(encoding, errors="ignore").encode()
    return head.removeprefix(_BOM).lstrip(_WHITESPACE)[:1] in (b"{", b"[")


def _as_utf8(data: bytes) -> bytes:
    """JSON written as UTF-16 or UTF-32, re-encoded as the UTF-8 every later step reads.

    RFC 8259 asks for UTF-8, but the older RFC 7159 allowed UTF-16 and -32 and
    tools still write them (Windows PowerShell's `Out-File` writes UTF-16):
    `json.detect_encoding` tells them apart by where the first NULs fall.
    """
    encoding = json.detect_encoding(data)
    if encoding.startswith("utf-8"):
        return data
    try:
        return data.decode(encoding).encode()
    except UnicodeDecodeError:
        msg = (
            f"this JSON file is {encoding.upper()} text but damaged (cut in the middle of a "
            "character): export it again, ideally as UTF-8; nothing was imported"
        )
        raise Rejected.single(msg) from None


def strip_nul_runs(data: bytes) -> tuple[bytes, int]:
    """`data` without its NUL filler, and how many bytes were dropped.

    Runs of 8 or more NULs go always (no text has them). Stray NULs go too
    when they are rare (at most 1 byte in 1,000) and the file is not UTF-16,
    whose every other byte is NUL: a text file with a few is damaged text,
    not binary, and the binary check after this still refuses a real binary.
    """
    if b"\x00" not in data:
        return data, 0
    cleaned = _NUL_RUN.sub(b"", data)
    stray = cleaned.count(b"\x00")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or _every_other_nul(data)
    if stray and not utf16 and stray * 1000 <= len(cleaned):
        cleaned = cleaned.replace(b"\x00", b"")
    return cleaned, len(data) - len(cleaned)


def _every_other_nul(data: bytes) -> bool:
    """NULs in every other byte of the sample: UTF-16 text without its byte-order mark."""
    sample = data[:4096]
    odd = sample[1::2].count(0) / max(len(sample[1::2]), 1)
    even = sample[0::2].count(0) / max(len(sample[0::2]), 1)
    return max(odd, even) > 0.3


def _first_value(data: bytes) -> tuple[Any, str]:
    """The whole document when it is one JSON value, else its first line's ("lines")."""
    first = _first_line_object(data)
    if first is not None:
        return first, "lines"
    try:
        return json.loads(data), "one"
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            body = data.lstrip()  # only a damaged file gets here: copying it is fine
            if b"\n" in body.rstrip() and body[:1] == b"{":
                first = body.split(b"\n", 1)[0]
                try:
                    return json.loads(first), "lines"
                except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
                    pass
            raise _damaged(data, line=exc.lineno) from None
        # JSON lines: the first record ends its line (exc.pos counts characters, not bytes).
        first = data.lstrip().split(b"\n", 1)[0]
        try:
            return json.loads(first), "lines"
        except (ValueError, RecursionError):
            try:
                text = data.decode("utf-8").lstrip()
                return json.JSONDecoder().raw_decode(text)[0], "lines"
            except (ValueError, RecursionError):
                raise _damaged(data, line=1) from None
    except RecursionError:
        msg = (
            "a JSON file nested deeper than any learning record (thousands of brackets inside "
            "each other): it is damaged or not an export; nothing was imported"
        )
        raise Rejected.single(msg) from None
    except UnicodeDecodeError:
        msg = (
            "this JSON file is not UTF-8 text (JSON must be): export it again as UTF-8, "
            "or open it in a text editor and save it as UTF-8"
        )
        raise Rejected.single(msg) from None
    except ValueError:  # Python refuses to read a number of more than 4,300 digits
        raise _damaged(data, line=1) from None


def _first_line_object(data: bytes) -> dict[str, Any] | None:
    """The first line's object when it is one whole object and text follows it, else None.

    Such a file can only be JSON lines. Why look at the first line before the whole: an
    LRS dump of a million statements is 600 MB, and parsing it as one document to learn
    that it is not one decoded all of it, then copied it twice to cut its first line off
    (0.75 s, and twice the file's size in memory). None sends every other file (one
    document, an array, a pretty-printed object, damage) the way it always went.
    """
    begins = _TEXT.search(data)
    if begins is None or data[begins.start()] != ord("{"):
        return None
    ends = data.find(b"\n", begins.start())
    if ends < 0 or _TEXT.search(data, ends) is None:
        return None  # one line: the document is that one value (or damaged)
    try:
        value = json.loads(data[begins.start() : ends])
    except (ValueError, RecursionError):  # a decode error too
        return None
    return value if isinstance(value, dict) else None


def _damaged(data: bytes, *, line: int) -> Rejected:
    kind = _kind_of_text(data)
    what = JSON_KINDS.get(kind or "", "a JSON file")
    msg = (
        f"{what}, but it is cut off or damaged at line {line:,}: nothing was imported. "
        "Export it again (a download that stopped early leaves such a file)."
    )
    return Rejected.single(msg)


def _kind_of_text(data: bytes) -> str | None:
    head = data[:_SNIFF]
    if b'"actor"' in head and b'"verb"' in head:
        return "xapi"
    if b'"event_type"' in head:
        return "tracking"
    return None


def _kind(record: object) -> str | None:
    if not isinstance(record, dict):
        return None
    if "actor" in record and "verb" in record:
        return "xapi"
    if "event_type" in record and ("time" in record or "timestamp" in record):
        return "tracking"
    return None


def _shape(data: bytes) -> tuple[_Shape, Any]:
    value, how = _first_value(data)
    if how == "lines":
        return _Shape("lines", _kind(value), tuple(value) if isinstance(value, dict) else ()), None
    if isinstance(value, list):
        first = next((r for r in value if isinstance(r, dict)), None)
        keys = tuple(first) if first else ()
        return _Shape("array", _kind(first), keys), value
    if isinstance(value, dict) and isinstance(value.get("statements"), list):
        first = next((r for r in value["statements"] if isinstance(r, dict)), None)
        return _Shape("page", "xapi" if first is None else _kind(first), tuple(value)), value
    if isinstance(value, dict):
        return _Shape("object", _kind(value), tuple(value)), value
    return _Shape("object", None, ()), value


def _as_lines(records: list[Any]) -> bytes:
    """Records (from an array, a page or one object) as JSON lines for polars' reader."""
    return b"\n".join(json.dumps(r).encode() for r in records if isinstance(r, dict))


def _read_lines(data: bytes, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """JSON lines through polars; a damaged line is found and named for the refusal."""
    try:
        return pl.read_ndjson(io.BytesIO(data), schema=schema, ignore_errors=False)
    except (pl.exceptions.PolarsError, ValueError, PanicException):  # a panic is no Exception
        lines = data.split(b"\n")
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    json.loads(line)
                except (ValueError, RecursionError):  # a decode error too
                    raise _damaged(data, line=number) from None
        raise _damaged(data, line=len(lines)) from None


def _language(column: pl.Expr) -> pl.Expr:
    """A language map's text (its JSON) -> the first English entry, else the first entry."""
    english = column.str.extract(r'"en(?:-[A-Za-z]+)?"\s*:\s*"((?:[^"\\]|\\.)*)"', 1)
    first = column.str.extract(r'^\{\s*"(?:[^"\\]|\\.)*"\s*:\s*"((?:[^"\\]|\\.)*)"', 1)
    raw = pl.coalesce(english, first)
    return (pl.lit('"') + raw + pl.lit('"')).str.json_decode(pl.String())


def _field(*path: str) -> pl.Expr:
    expr = pl.col(path[0])
    for name in path[1:]:
        expr = expr.struct.field(name)
    return expr


def _xapi_columns() -> list[pl.Expr]:
    """Statements flattened to the dotted names `loaders.formats.xapi.undotted` maps."""
    return [
        _field("id").alias("id"),
        _field("timestamp").alias("timestamp"),
        _field("stored").alias("stored"),
        _field("actor", "objectType").alias("actor.objectType"),
        _field("actor", "name").alias("actor.name"),
        _field("actor", "mbox").alias("actor.mbox"),
        _field("actor", "mbox_sha1sum").alias("actor.mbox_sha1sum"),
        _field("actor", "account", "homePage").alias("actor.account.homePage"),
        _field("actor", "account", "name").alias("actor.account.name"),
        _field("verb", "id").alias("verb.id"),
        _language(_field("verb", "display")).alias("verb.display"),
        _field("object", "id").alias("object.id"),
        _field("object", "objectType").alias("object.objectType"),
        _language(_field("object", "definition", "name")).alias("object.definition.name"),
        _field("result", "completion").alias("result.completion"),
        _field("result", "success").alias("result.success"),
        _field("result", "duration").alias("result.duration"),
        _field("context", "platform").alias("context.platform"),
    ]


def _tracking_columns() -> list[pl.Expr]:
    return [
        _field("username").alias("username"),
        _field("event_type").alias("event_type"),
        _field("time").alias("time"),
        _field("event_source").alias("event_source"),
        _field("context", "course_id").alias("context.course_id"),
        _field("context", "user_id").alias("context.user_id"),
    ]


def _trimmed(field: pl.Expr) -> pl.Expr:
    """The text trimmed, null when nothing is left: each cell as the CSV readers leave it."""
    text = field.str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(text)


def _records(lines: bytes, kind: str) -> pl.DataFrame:
    """Every record of the JSON lines, numbered from 1, flattened and its cells trimmed.

    Why one streamed query: read whole, then flattened, then trimmed, a million
    statements (600 MB) held three copies of their table at once, 1.45 GB above their
    bytes; polars' streaming engine reads, flattens and trims them a batch at a time,
    0.8 GB less at the peak in the same time. Each record's number comes from the scan
    itself. A damaged line stops the query; the lines are then read whole, which names it.
    """
    schema = _XAPI_SCHEMA if kind == "xapi" else _TRACKING_SCHEMA
    fields = _xapi_columns() if kind == "xapi" else _tracking_columns()
    scan = pl.scan_ndjson(lines, schema=schema, row_index_name=ROW, row_index_offset=1)
    try:
        body = _cleaned(scan, fields)
    except (pl.exceptions.PolarsError, ValueError, PanicException):  # a panic is no Exception
        whole = _read_lines(lines, schema)  # refused here, naming the damaged line
        body = _cleaned(whole.with_row_index(ROW, offset=1).lazy(), fields)
    # Rows in file order, as the errors name them (a batch's rows come in order).
    return body if body.get_column(ROW).is_sorted() else body.sort(ROW)


def _cleaned(records: pl.LazyFrame, fields: list[pl.Expr]) -> pl.DataFrame:
    return records.select(
        pl.col(ROW).cast(pl.Int64), *(_trimmed(field) for field in fields)
    ).collect(engine="streaming")


def _table(body: pl.DataFrame, notes: list[dict[str, object]], kind: str) -> Table:
    """The records as a `Table`; row numbers are statement (line) numbers, from 1."""
    return Table(
        body,
        tuple(c for c in body.columns if c != ROW),
        0,
        "utf-8",
        "json",
        0,
        source=JSON_KINDS[kind],
        notes=tuple(notes),
    )


def read_json_table(data: bytes) -> Table:
    """Read JSON learning records into a `Table` (see the module docstring).

    Raises
    ------
    Rejected
        When the JSON is damaged (the line named), not UTF-8, holds no
        records, or holds records that are neither xAPI statements nor
        tracking-log events (their keys named).
    """
    cleaned, dropped = strip_nul_runs(data)
    notes: list[dict[str, object]] = []
    if dropped:
        notes.append(
            decision(
                "nul_bytes",
                f"{dropped:,} NUL bytes (filler a log rotation leaves) skipped",
                value=dropped,
            )
        )
    cleaned = _as_utf8(cleaned).removeprefix(_BOM)
    if not cleaned[:_SNIFF].strip(_WHITESPACE) and not cleaned.strip(_WHITESPACE):
        raise Rejected.single("the file is empty")
    shape, value = _shape(cleaned)
    if shape.kind is None:
        keys = ", ".join(shape.keys[:8]) or "none"
        msg = (
            "a JSON file, but neither xAPI statements (actor, verb, object) nor an Open edX "
            f"tracking log (username, event_type, time): its first record's keys are {keys}. "
            "Export the statements from your LRS, or the tracking log from the LMS."
        )
        raise Rejected.single(msg)
    if shape.layout == "page":
        more = value.get("more")
        if more:
            notes.append(
                decision(
                    "more",
                    f"this LRS page links to more statements ({more}): not followed; export "
                    "or fetch the next page and import it too",
                    value=str(more),
                )
            )
        lines = _as_lines(value["statements"])
    elif shape.layout == "array":
        lines = _as_lines(value)
    elif shape.layout == "object":
        lines = _as_lines([value])
    else:
        lines = cleaned
    filled = lines[:_SNIFF].strip() or lines.strip()  # the head decides, but for blank heads
    if not filled or (body := _records(lines, shape.kind)).is_empty():
        raise Rejected.single(f"{JSON_KINDS[shape.kind]} with no records in it")
    layout = {
        "lines": "JSON lines",
        "array": "a JSON array",
        "page": "an LRS statements page",
        "object": "one JSON record",
    }[shape.layout]
    notes.insert(
        0,
        decision(
            "json",
            f"read as JSON ({layout}): {JSON_KINDS[shape.kind]} of {body.height:,} records",
            value=shape.layout,
        ),
    )
    return _table(body, notes, shape.kind)
