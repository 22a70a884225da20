"""A large CSV usage report imported in bounded memory: read and checked chunk by chunk.

`import_file` holds the whole file, its text cells and their copies at once:
about a gigabyte per million rows of a vendor report, ten at ten million. A
large file on disk (`STREAM_BYTES` or more) whose format is a declarative
usage format (a vendor report such as LinkedIn Learning's learner detail)
is instead:

* hashed in a second thread, in blocks, while it is read;
* read in chunks of about `CHUNK_BYTES`, each cut at a line end outside
  quotes, with polars' CSV reader and the same options, cleaning, summary-row
  rules and mapping as the whole-file path (`loaders.reading`,
  `loaders.formats.base`); each row's learner identity and content key are
  worked out in the chunk, and every text cell the import keeps is held as
  a polars categorical (a 4-byte code per row, each distinct text once);
* then parsed, checked and written exactly as `loaders.usage` does for a
  whole file, in the same transaction: dates, percentages and durations are
  parsed on the columns' text (made text again one column at a time), so the
  same values, decisions, errors and facts come out.

Anything this path does not handle the same way (another encoding, a lone
CR line end, NUL bytes, a format that reshapes its columns, a file polars
cannot parse) is left to `import_file`: the
caller then reads the file whole, as before. Nothing is written until every
chunk was read, so handing over costs nothing but time.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import polars as pl
from polars.exceptions import PanicException
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from loaders.archives import upload_kind
from loaders.dates import DateOrder
from loaders.decoding import decode
from loaders.errors import ROW, Rejected
from loaders.formats import FORMATS, Format, detect, header_test
from loaders.formats.base import USAGE_COLUMNS
from loaders.formats.registry import Detection
from loaders.formats.xapi import undotted
from loaders.job import Job, Options
from loaders.json_records import looks_like_json
from loaders.lines import STREAM_BYTES, unix_line_ends
from loaders.periods import parse_period
from loaders.reading import (
    Table,
    _clean_cells,
    _Layout,
    _layout,
    _read_csv,
    drop_summary_rows,
    normalise_header,
)
from loaders.result import ImportResult
from loaders.unused import WARNING_LIMIT, read_headers, unused_date_warnings
from loaders.usage import blank_tokens, check_and_write, derived_keys
from loaders.writer import find_duplicate, import_session
from models.access import Actor, Role, require
from models.db import bump_data_version
from models.enums import ImportKind
from settings import get_settings

__all__ = ["CHUNK_BYTES", "STREAM_BYTES", "import_large_file"]

_LOG = logging.getLogger(__name__)

CHUNK_BYTES = 32 * 2**20
"""Bytes read and parsed at a time (about 220,000 rows of a LinkedIn report)."""
_HEAD_BYTES = 8 * 2**20  # holds the header search's sample (at most 4 MiB) twice over
_HASH_BLOCK = 4 * 2**20
# Text the import keeps per row, held as categoricals; the parsed columns are parsed at the end.
_KEPT = (
    "key_kind", "ident", "content_key", "name", "org_unit", "content_title", "content_type",
    "product",
)  # fmt: skip
_PARSED = ("activity_date", "completed_date", "progress", "minutes", "completed")


class _HandOver(Exception):  # noqa: N818  (a signal: the whole-file path takes the file)
    """The file is not one this path reads exactly as `import_file` would."""


@dataclass(frozen=True)
class _Plan:
    """What the file's head says: where its data start, its header and its format."""

    layout: _Layout
    offset: int  # byte offset in the file of the first data line
    encoding: str
    detection: Detection
    headers: tuple[str, ...]

    @property
    def empty(self) -> Table:
        return _empty_table(self.layout, self.encoding)


def _empty_table(layout: _Layout, encoding: str, frame: pl.DataFrame | None = None) -> Table:
    if frame is None:
        frame = pl.DataFrame(schema={ROW: pl.Int64} | dict.fromkeys(layout.names, pl.String))
    return Table(
        frame, tuple(layout.names), layout.header_row, encoding, layout.delimiter, blank_rows=0
    )


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(_HEAD_BYTES)


def _plan(head: bytes, registry: Sequence[Format], vendor: str | None) -> _Plan | None:
    """The file's layout and format when this path can import it, else None."""
    if upload_kind(head) != "text" or looks_like_json(head) or b"\x00" in head:
        return None
    try:
        decoded = decode(head)
        if decoded.encoding not in ("utf-8", "utf-8-sig"):
            return None
        if unix_line_ends(decoded.body) is not decoded.body:  # lone CRs: made \n whole-file
            return None
        layout = _layout(decoded, header_test(registry))
        empty = _empty_table(layout, decoded.encoding)
        if undotted(empty) is not empty:
            return None
        detection = detect(
            list(empty.normalised), formats=registry, vendor=vendor, what=empty.source
        )
    except Rejected:
        return None  # the whole-file path words the refusal
    fmt = detection.format
    spec = fmt.usage
    if (
        fmt.kind != ImportKind.usage
        or spec is None
        or fmt.to_canonical is not None
        or fmt.fills is not None
        or fmt.period_columns is not None
        or fmt.name == "kpis"
    ):
        return None
    offset = layout.data_start + (3 if decoded.encoding == "utf-8-sig" else 0)
    return _Plan(layout, offset, decoded.encoding, detection, tuple(layout.names))


def _cut(buffer: bytes) -> int:
    """Where `buffer` (starting outside quotes) may be cut: after a line end outside quotes.

    -1 when no line end in it is outside quotes (a cell runs on: read more).
    """
    quotes = buffer.count(b'"')
    end = len(buffer)
    for _ in range(10_000):
        line_end = buffer.rfind(b"\n", 0, end)
        if line_end < 0:
            return -1
        if (quotes - buffer.count(b'"', line_end + 1)) % 2 == 0:
            return line_end + 1
        end = line_end
    return -1


def _chunks(f: BinaryIO, start: int) -> Iterator[bytes]:
    """The data lines from byte `start`, in pieces of whole records."""
    f.seek(start)
    pending = b""
    while True:
        block = f.read(CHUNK_BYTES)
        if not block:
            if pending:
                yield pending
            return
        buffer = pending + block if pending else block
        cut = _cut(buffer)
        if cut <= 0:
            pending = buffer
            continue
        yield buffer[:cut]
        pending = buffer[cut:]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_HASH_BLOCK):
            digest.update(block)  # releases the GIL: runs beside the parsing
    return digest.hexdigest()


@dataclass
class _Read:
    """The file's rows, compact: what `check_and_write` needs, text as categoricals."""

    frame: pl.DataFrame
    unused: pl.DataFrame | None
    sources: dict[str, str]
    rows_cleaned: int
    blank_rows: int
    skipped: list[int]


def _read(path: Path, plan: _Plan) -> _Read:
    """Every chunk read, cleaned, mapped and keyed.

    Raises
    ------
    _HandOver
        When a chunk holds what the whole-file path reads differently (a NUL
        byte, a lone CR) or polars cannot parse it.
    """
    fmt = plan.detection.format
    spec = fmt.usage
    assert spec is not None
    layout = plan.layout
    first_row = layout.header_row + 1
    used = read_headers(fmt)
    unused_names = [h for h in plan.headers if normalise_header(h) not in used]
    key_columns = fmt.key_columns(plan.empty)
    parts: list[pl.DataFrame] = []
    extras: list[pl.DataFrame] = []
    sources: dict[str, str] = {}
    offset = cleaned = blank = 0
    skipped: list[int] = []
    with path.open("rb") as f:
        for chunk in _chunks(f, plan.offset):
            # `in` first: a memchr, where counting scans the 32 MiB chunk twice (40 ms).
            if b"\x00" in chunk or (b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n")):
                raise _HandOver
            try:
                frame = _read_csv(chunk, layout, 0)
            except (pl.exceptions.PolarsError, OSError):
                raise _HandOver from None
            del chunk
            frame = frame.with_columns((pl.col(ROW).cast(pl.Int64) + first_row + offset).alias(ROW))
            offset += frame.height
            kept, blanks = _clean_cells(frame, layout.names)
            del frame
            blank += blanks
            cleaned += kept.height
            table, dropped = drop_summary_rows(
                _empty_table(layout, plan.encoding, kept), key_columns
            )
            skipped.extend(dropped)
            if table.frame.is_empty():
                continue
            if unused_names:
                extras.append(
                    table.frame.select(ROW, *(pl.col(c).cast(pl.Categorical) for c in unused_names))
                )
            mapped = fmt.canonical(table)
            sources = mapped.sources
            raw = mapped.frame.with_columns(
                pl.lit(None, pl.String).alias(c)
                for c in USAGE_COLUMNS
                if c not in mapped.frame.columns
            )
            keyed = blank_tokens(raw, sources).with_columns(derived_keys(spec))
            parts.append(
                keyed.select(ROW, *(pl.col(c).cast(pl.Categorical) for c in (*_KEPT, *_PARSED)))
            )
    if not sources:
        sources = fmt.canonical(plan.empty).sources
    frame = pl.concat(parts) if parts else pl.DataFrame()
    unused = pl.concat(extras) if extras else None
    return _Read(frame, unused, sources, cleaned, blank, skipped)


def _unused_warnings(
    read: _Read, plan: _Plan, order: DateOrder | None
) -> tuple[list[dict[str, object]], int]:
    """`unused_date_warnings`, one column made text at a time."""
    if read.unused is None:
        return [], 0
    warnings: list[dict[str, object]] = []
    total = 0
    fmt = plan.detection.format
    for name in read.unused.columns[1:]:
        column = read.unused.select(ROW, pl.col(name).cast(pl.String))
        table = Table(column, (name,), plan.layout.header_row, plan.encoding, ",", 0)
        found, count = unused_date_warnings(table, fmt, order=order)
        warnings.extend(found[: max(WARNING_LIMIT - len(warnings), 0)])
        total += count
    return warnings, total


def import_large_file(
    path: str | Path,
    *,
    engine: Engine,
    actor: Actor,
    vendor: str | None = None,
    product: str | None = None,
    period: str | tuple[date, date] | None = None,
    date_order: DateOrder | None = None,
    formats: Sequence[Format] | None = None,
) -> ImportResult | None:
    """Import a large usage report from disk in bounded memory; None: `import_file` must.

    The options and the result are `import_file`'s, and so is every outcome
    (imported, duplicate, rejected with the same errors): only the memory
    and the time differ. None when the file is not one this path reads
    exactly as `import_file` would (see the module docstring); nothing was
    written then.
    """
    from loaders import pipeline  # the whole-file path's result helpers

    require(actor, Role.editor, "import a file")
    if date_order not in (None, "dmy", "mdy"):
        msg = f"date_order must be 'dmy' or 'mdy', not {date_order!r}"
        raise ValueError(msg)
    path = Path(path)
    try:
        if path.stat().st_size < STREAM_BYTES:
            return None
    except OSError:
        return None
    span = parse_period(period) if isinstance(period, str) else period
    options = Options(vendor=vendor, product=product, period=span, date_order=date_order)
    registry = tuple(formats) if formats is not None else FORMATS
    try:
        plan = _plan(_head(path), registry, vendor)
    except OSError:
        return None
    if plan is None:
        return None
    result = ImportResult(file=path.name, status="imported")
    fmt = plan.detection.format
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing: Future[str] = pool.submit(_sha256, path)
        try:
            with import_session(engine) as session:
                try:
                    read = _read(path, plan)
                except _HandOver:
                    return None
                if read.rows_cleaned == 0:
                    return None  # "no data rows", said before the format: as import_file does
                digest = hashing.result()
                earlier = find_duplicate(session, digest)
                if earlier is not None:
                    return pipeline._duplicate(result, earlier, session)
                result.vendor, result.format, result.kind = (
                    plan.detection.vendor,
                    fmt.name,
                    fmt.kind.value,
                )
                result.grain = fmt.grain.value if fmt.grain else None
                table = Table(
                    read.frame,
                    plan.headers,
                    plan.layout.header_row,
                    plan.encoding,
                    plan.layout.delimiter,
                    read.blank_rows,
                )
                result.rows_read = read.frame.height
                result.decisions.extend(pipeline._reading_notes(table, read.skipped))
                if read.frame.is_empty():
                    raise Rejected.single("the file has a header row but no data rows")
                result.warnings, result.warnings_total = _unused_warnings(read, plan, date_order)
                job = Job(table, plan.detection, options, get_settings(), result, digest, registry)
                frame, read.frame, read.unused = read.frame, pl.DataFrame(), None
                raw = frame.select(ROW, *(pl.col(c).cast(pl.String) for c in _PARSED))
                out = frame.drop(_PARSED[:-1])
                del frame, table
                job.table = _empty_table(plan.layout, plan.encoding)
                check_and_write(job, out, raw, read.sources, session=session, keyed=True)
                del out, raw
                bump_data_version(session=session)
                result.import_id = job.record_row.id if job.record_row else None
                pipeline._log_import(session, job, actor, "import")
        except Rejected as exc:
            return pipeline._rejected(result, exc)
        except IntegrityError as exc:
            return _lost_race(result, exc, engine, digest_of(hashing))
        except (Exception, PanicException) as exc:
            _LOG.exception("importing %s failed; nothing was imported", path.name)
            return pipeline._failed(result, exc)
    return result


def digest_of(hashing: Future[str]) -> str | None:
    """The file's hash when it was worked out, else None."""
    try:
        return hashing.result()
    except Exception:
        return None


def _lost_race(
    result: ImportResult, exc: IntegrityError, engine: Engine, digest: str | None
) -> ImportResult:
    """As `import_file`: another upload of the same bytes committed first."""
    from loaders import pipeline

    if digest is None or (
        pipeline._LIVE_CONTENT not in str(exc.orig)
        and "data_import.content_hash" not in str(exc.orig)
    ):
        _LOG.exception("importing %s failed; nothing was imported", result.file)
        return pipeline._failed(result, exc)
    with import_session(engine) as session:
        earlier = find_duplicate(session, digest)
        if earlier is None:
            return pipeline._failed(result, exc)
        return pipeline._duplicate(
            ImportResult(file=result.file, status="duplicate"), earlier, session
        )
