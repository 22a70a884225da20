"""Import one file, all or nothing: read, detect, validate, write, in one transaction.

A rejected file writes nothing (not even its import row); a file whose bytes
were already imported (and not undone) is a `duplicate` and writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from polars.exceptions import PanicException
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from loaders.aggregate import run_aggregate
from loaders.archives import unpack
from loaders.dates import DateOrder
from loaders.errors import Rejected
from loaders.facts import (
    run_budgets,
    run_contracts,
    run_experiments,
    run_kpis,
    run_outcomes,
    run_releases,
)
from loaders.formats import FORMATS, Format, detect, header_test
from loaders.job import Job, Options
from loaders.people import run_people
from loaders.periods import parse_period
from loaders.products import run_products
from loaders.progress import READING, SAVING, Progress, report
from loaders.read_ahead import ReadAhead
from loaders.reading import Table, drop_summary_rows
from loaders.result import ImportResult, decision
from loaders.sniff import read_upload
from loaders.streaming import import_large_file
from loaders.survey import run_survey
from loaders.unused import unused_date_warnings
from loaders.usage import run_usage
from loaders.writer import find_duplicate, import_session
from models.access import Actor, Role, require
from models.activity import log_activity
from models.db import bump_data_version
from models.enums import ImportKind
from models.tables import DataImport, Product
from settings import get_settings

__all__ = ["DryRun", "import_file", "import_paths", "import_upload", "read_file"]

_LOG = logging.getLogger(__name__)

# Called inside a dry run's transaction with the session and the new import's id,
# after every row was written and before all of it is rolled back.
Capture = Callable[[Session, int], object]


class DryRun(Exception):  # noqa: N818  (a control-flow signal, not an error)
    """Raised inside a dry run's transaction so that everything written is rolled back."""

    def __init__(self, captured: object) -> None:
        super().__init__("dry run")
        self.captured = captured


_LIVE_CONTENT = "ux_data_import_live_content"  # models.tables.DataImport's unique index

_HANDLERS: dict[ImportKind, Callable[..., None]] = {
    ImportKind.usage: run_usage,
    ImportKind.aggregate: run_aggregate,
    ImportKind.products: run_products,
    ImportKind.budgets: run_budgets,
    ImportKind.contracts: run_contracts,
    ImportKind.outcomes: run_outcomes,
    ImportKind.experiments: run_experiments,
    ImportKind.survey: run_survey,
    ImportKind.releases: run_releases,
    ImportKind.people: run_people,
}


def _reading_notes(table: Table, skipped: list[int]) -> list[dict[str, object]]:
    notes = list(table.notes)
    if table.delimiter == "json":  # JSON has no encoding, delimiter or header row
        return notes
    if table.delimiter:  # text; a workbook's sheet (no delimiter) says how in its own notes
        notes += [
            decision("encoding", f"read as {table.encoding}", value=table.encoding),
            decision(
                "delimiter", f"fields separated by {table.delimiter!r}", value=table.delimiter
            ),
        ]
    notes.append(
        decision("header_row", f"header found on row {table.header_row}", value=table.header_row)
    )
    if table.blank_rows:
        notes.append(
            decision(
                "blank_rows", f"{table.blank_rows} blank row(s) skipped", value=table.blank_rows
            )
        )
    if skipped:
        shown = ", ".join(str(r) for r in skipped[:10])
        notes.append(
            decision(
                "summary_rows",
                f"total/summary row(s) skipped: {shown}",
                value=len(skipped),
                rows=skipped[:50],
            )
        )
    return notes


def _rejected(result: ImportResult, exc: Rejected) -> ImportResult:
    result.status = "rejected"
    result.rows_imported = 0
    result.rows_rejected = exc.errors.rows_rejected(result.rows_read)
    result.errors = [e.as_dict() for e in exc.errors.first()]
    result.errors_total = exc.errors.total
    result.import_id = None
    return result


def _failed(result: ImportResult, exc: BaseException) -> ImportResult:
    """A file whose import hit an unexpected fault: refused with a plain message, nothing kept.

    The transaction was rolled back by `import_session` as the exception left
    it; the traceback goes to the log, never to the person importing.
    """
    if isinstance(exc, (OSError, SQLAlchemyError)):
        # The store refused (a full disk, a lost connection): its words help whoever runs it.
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        short = reason[0][:200] if reason else type(exc).__name__
        message = f"could not read this file: {short}; nothing was imported"
    else:
        # A parser's or the importer's own fault: its text means nothing to the person importing.
        what = f"this {result.format} file" if result.format else "this file"
        message = (
            f"could not read this file: something in {what} is not as the importer expects "
            "(the details are in the server log); nothing was imported. Export it again, or "
            "open it in a spreadsheet and save it as CSV; if it keeps failing, send it to "
            "whoever runs Learning Portfolio"
        )
    result.status = "rejected"
    result.rows_imported = 0
    result.rows_rejected = 0
    result.errors = [{"row": None, "column": None, "message": message}]
    result.errors_total = 1
    result.import_id = None
    return result


def read_file(path: str | Path) -> bytes | ImportResult:
    """The bytes of `path`, or a `rejected` result when it cannot be read (a folder, no access)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        result = ImportResult(file=Path(path).name, status="rejected")
        return _failed(result, OSError(exc.strerror or str(exc)))


def _duplicate(result: ImportResult, earlier: DataImport, session: Session) -> ImportResult:
    """Describe the earlier import of the same bytes; nothing is written."""
    product = session.get(Product, earlier.product_id) if earlier.product_id else None
    result.status, result.duplicate_of = "duplicate", earlier.id
    result.vendor, result.format = earlier.vendor, earlier.format
    result.kind = getattr(earlier.kind, "value", earlier.kind)
    result.grain = getattr(earlier.grain, "value", earlier.grain) if earlier.grain else None
    result.product = product.name if product else None
    result.products = [product.name] if product else []
    result.period_start, result.period_end = earlier.period_start, earlier.period_end
    result.rows_read = earlier.rows_read
    return result


_FORMAT_HANDLERS: dict[str, Callable[..., None]] = {"kpis": run_kpis}
"""Formats that write an existing kind their own way (a KPI series is level-4 outcomes)."""


def _run(job: Job, session: Session) -> None:
    template = job.format.fills or job.format
    handler = _FORMAT_HANDLERS.get(template.name) or _HANDLERS.get(template.kind)
    if handler is None:
        msg = f"importing {job.format.kind} files is not supported yet"
        raise Rejected.single(msg)
    handler(job, session=session)
    bump_data_version(session=session)


def import_file(
    data: bytes,
    *,
    file_name: str,
    engine: Engine,
    actor: Actor,
    vendor: str | None = None,
    product: str | None = None,
    period: str | tuple[date, date] | None = None,
    date_order: DateOrder | None = None,
    formats: Sequence[Format] | None = None,
    dry_run: tuple[int, Capture] | None = None,
    progress: Progress | None = None,
    content_hash: str | None = None,
    logged_as: str = "import",
    read_ahead: ReadAhead | None = None,
) -> ImportResult:
    """Import one file's bytes; never raises for a bad file, only for bad arguments.

    Parameters
    ----------
    data
        The file's content.
    file_name
        Recorded with the import and shown in results; never used to detect anything.
    engine
        The database (`models.make_engine`).
    actor
        Who imports: recorded with the import and in the activity log; a
        viewer is refused before anything is read (a dry run included).
    vendor, product, period, date_order
        As `--vendor`, `--product`, `--period YYYY-MM[..YYYY-MM]` and
        `--date-order dmy|mdy` of `python -m loaders`.
    formats
        The formats to detect from (default: the registry); user-saved
        column mappings are added here.
    dry_run
        ``(limit, capture)``: validate and write only the first `limit` data
        rows, call ``capture(session, import_id)`` to read back what was
        stored, then roll everything back. The result then has
        ``preview`` set to what `capture` returned; nothing is kept.
    progress
        Called as ``progress(fraction, message)`` as each phase starts and
        after each chunk of rows written (`loaders.progress`); the last call
        is ``(1.0, ...)`` once an import is committed.
    content_hash
        The SHA-256 of the whole file when `data` is only its head (a
        preview), so the duplicate check still compares whole files.
    logged_as
        The activity-log action: "import", or "edit" for a table edited in
        the app (`loaders.edits`).
    read_ahead
        The file as the command line read it while starting
        (`loaders.read_ahead`): its hash and table are used when they are of
        these very bytes and were read with the header test of `formats`;
        otherwise the file is read here as always.

    Raises
    ------
    ValueError
        For a malformed `period` or `date_order` (a caller's mistake, not the file's).
    models.access.NotAllowedError
        When `actor` may not import (a viewer); nothing is read or changed.
    """
    require(actor, Role.editor, "import a file")
    if date_order not in (None, "dmy", "mdy"):
        msg = f"date_order must be 'dmy' or 'mdy', not {date_order!r}"
        raise ValueError(msg)
    span = parse_period(period) if isinstance(period, str) else period
    options = Options(vendor=vendor, product=product, period=span, date_order=date_order)
    registry = tuple(formats) if formats is not None else FORMATS
    result = ImportResult(file=file_name, status="imported")
    ahead = read_ahead if read_ahead is not None and read_ahead.data is data else None
    digest = content_hash or (ahead.digest if ahead else hashlib.sha256(data).hexdigest())
    try:
        with import_session(engine) as session:
            earlier = find_duplicate(session, digest)
            if earlier is not None:
                return _duplicate(result, earlier, session)
            report(progress, READING, "reading the file")
            table = ahead.table_for(registry) if ahead else None
            if table is None:
                table = read_upload(data, is_header=header_test(registry))
            result.rows_read = table.frame.height
            detection = detect(
                list(table.normalised), formats=registry, vendor=vendor, what=table.source
            )
            fmt = detection.format
            result.vendor, result.format, result.kind = detection.vendor, fmt.name, fmt.kind.value
            result.grain = fmt.grain.value if fmt.grain else None
            skipped: list[int] = []
            if table.delimiter != "json":  # a JSON record is never a total line
                table, skipped = drop_summary_rows(table, fmt.key_columns(table))
            result.rows_read = table.frame.height
            result.decisions.extend(_reading_notes(table, skipped))
            if table.frame.is_empty():
                raise Rejected.single("the file has a header row but no data rows")
            if dry_run is not None:
                table = replace(table, frame=table.frame.head(dry_run[0]))
            result.warnings, result.warnings_total = unused_date_warnings(
                table, fmt, order=date_order
            )
            job = Job(table, detection, options, get_settings(), result, digest, registry)
            job.progress = progress
            _run(job, session)
            result.import_id = job.record_row.id if job.record_row else None
            if dry_run is not None and result.import_id is not None:
                raise DryRun(dry_run[1](session, result.import_id))
            _log_import(session, job, actor, logged_as)
            report(progress, SAVING, "saving")
    except Rejected as exc:
        return _rejected(result, exc)
    except DryRun as done:
        result.import_id = None
        result.preview = done.captured
        return result
    except IntegrityError as exc:
        if _LIVE_CONTENT not in str(exc.orig) and "data_import.content_hash" not in str(exc.orig):
            _LOG.exception("importing %s failed; nothing was imported", file_name)
            return _failed(result, exc)
        # Another upload of the same bytes committed first (the unique index of live imports).
        with import_session(engine) as session:
            earlier = find_duplicate(session, digest)
            if earlier is None:  # the winner was undone meanwhile: say so, import nothing
                return _failed(result, exc)
            return _duplicate(ImportResult(file=file_name, status="duplicate"), earlier, session)
    except (Exception, PanicException) as exc:  # any fault: this file is refused, the batch goes on
        # (a polars panic is a BaseException: one seen in the fuzz, parsing a mangled date column)
        _LOG.exception("importing %s failed; nothing was imported", file_name)
        return _failed(result, exc)
    report(progress, 1.0, f"imported {result.rows_imported:,} rows")
    return result


def _log_import(session: Session, job: Job, actor: Actor, action: str) -> None:
    """Record who imported the file, on its import row and in the activity log."""
    row = job.record_row
    if row is None:
        return
    row.created_by = actor.name
    session.add(row)
    log_activity(
        session,
        actor,
        action,
        subject=row.file_name,
        detail=f"{job.result.rows_imported:,} rows"
        + (f" of {row.vendor}" if row.vendor else f", {ImportKind(row.kind).value} template"),
        import_id=row.id,
    )


def import_upload(
    data: bytes,
    *,
    file_name: str,
    engine: Engine,
    actor: Actor,
    vendor: str | None = None,
    product: str | None = None,
    period: str | tuple[date, date] | None = None,
    date_order: DateOrder | None = None,
    formats: Sequence[Format] | None = None,
    read_ahead: ReadAhead | None = None,
) -> Iterator[ImportResult]:
    """Import one upload: a file, or each file of a `.zip`/`.gz` as a file of its own.

    Yields one result per file, as each is imported, so a caller can show
    progress and only one unpacked file is held at a time
    (`loaders.archives.unpack`). A file refused while unpacking (a limit, a
    password) is its own `rejected` result and the next file is imported.
    The options are `import_file`'s; `read_ahead` serves the file that is
    the upload itself, never a file unpacked from it.

    Raises
    ------
    models.access.NotAllowedError
        When `actor` may not import (a viewer), before anything is unpacked.
    """
    require(actor, Role.editor, "import a file")
    for member in unpack(file_name, data):
        if member.refusal is not None:
            yield member.rejected()
            continue
        result = import_file(
            member.data,
            file_name=member.name,
            engine=engine,
            actor=actor,
            vendor=vendor,
            product=product,
            period=period,
            date_order=date_order,
            formats=formats,
            read_ahead=read_ahead,
        )
        yield member.annotate(result)


def import_paths(
    paths: Iterable[str | Path],
    *,
    engine: Engine,
    actor: Actor,
    vendor: str | None = None,
    product: str | None = None,
    period: str | tuple[date, date] | None = None,
    date_order: DateOrder | None = None,
    formats: Sequence[Format] | None = None,
) -> list[ImportResult]:
    """Import files in the order given (so templates can come before usage).

    A `.zip` or `.gz` gives one result per file in it (`import_upload`). A
    file that cannot be read or whose import fails is that file's
    `rejected` result; the files after it are still imported.
    """
    results = []
    for path in paths:
        streamed = import_large_file(
            path,
            engine=engine,
            actor=actor,
            vendor=vendor,
            product=product,
            period=period,
            date_order=date_order,
            formats=formats,
        )
        if streamed is not None:
            results.append(streamed)
            continue
        data = read_file(path)
        if isinstance(data, ImportResult):
            results.append(data)
            continue
        results.extend(
            import_upload(
                data,
                file_name=Path(path).name,
                engine=engine,
                actor=actor,
                vendor=vendor,
                product=product,
                period=period,
                date_order=date_order,
                formats=formats,
            )
        )
    return results
