"""The import command line (DESIGN.md, "Import from the command line").

`python -m loaders FILE [FILE...] [--vendor NAME] [--product NAME]
[--period YYYY-MM[..YYYY-MM]] [--date-order dmy|mdy] [--json] [--debug]`

A FILE is a CSV, an Excel workbook (its first sheet with data), or a
`.zip`/`.gz` whose files are each imported as a file of their own: one
line (or JSON object) per file in it, named ``exports.zip › a.csv``.

Exit status: 0 when every file was imported or was a duplicate, 1 when any
file was rejected, 2 on bad arguments (including a file that does not exist)
or bad settings (the message lists every invalid environment variable); then
nothing is imported.

An unexpected fault in one file is that file's `rejected` line and the next
file is imported; stderr gets one line naming the file, and the traceback
only with `--debug` (someone importing reads the rejected line, not Python).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from loaders import read_ahead
from loaders.periods import parse_period
from loaders.result import ImportResult
from models.access import Actor, command_line_actor

if TYPE_CHECKING:
    from settings import Settings

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders",
        description="Import vendor usage reports and portfolio templates "
        "(CSV, Excel workbooks, or .zip/.gz archives of them).",
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="CSV or Excel files, or .zip/.gz archives of them, imported in order",
    )
    parser.add_argument("--vendor", help="the vendor of the reports (also picks the format)")
    parser.add_argument("--product", help="the product vendor reports feed")
    parser.add_argument("--period", help="report period: YYYY-MM or YYYY-MM..YYYY-MM")
    parser.add_argument("--date-order", choices=("dmy", "mdy"), help="order of numeric dates")
    parser.add_argument("--json", action="store_true", help="one JSON object per file per line")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an unexpected fault"
    )
    return parser


# Decisions the readable output shows: where a file came from and what was skipped on the way.
_NOTED = ("archive_skipped", "sheet")


class _OneLine(logging.Formatter):
    """A log record as one line: the traceback is left to `--debug`."""

    def formatException(self, ei: object) -> str:  # noqa: N802 (logging's name)
        return ""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        return f"{line} (--debug shows where)" if record.exc_info else line


def _log_to_stderr(prog: str, *, debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    fmt = f"{prog}: %(message)s"
    handler.setFormatter(logging.Formatter(fmt) if debug else _OneLine(fmt))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])  # no-op if already set up


def _readable(result: ImportResult) -> str:
    what = " ".join(p for p in (result.vendor, result.format and f"[{result.format}]") if p)
    head = f"{result.file}: {result.status}"
    if result.status == "imported":
        head += f", {result.rows_imported} of {result.rows_read} rows"
        if result.product or result.products:
            head += f" -> {result.product or ', '.join(result.products)}"
        if result.period_start and result.period_end:
            head += f" (period {result.period_start}..{result.period_end})"
    elif result.status == "duplicate":
        head += f" of import {result.duplicate_of}; nothing changed"
    elif result.rows_rejected:
        head += f", {result.rows_rejected} of {result.rows_read} rows rejected; nothing changed"
    else:
        head += "; not imported, nothing changed"
    lines = [f"{head}  {what}".rstrip()]
    lines += [f"  {line}" for line in result.error_lines()]
    if result.errors_total > len(result.errors):
        lines.append(f"  ... and {result.errors_total - len(result.errors)} more errors")
    lines += [f"  warning: {line}" for line in result.warning_lines()]
    if result.warnings_total > len(result.warnings):
        lines.append(f"  ... and {result.warnings_total - len(result.warnings)} more warnings")
    lines += [f"  note: {d['message']}" for d in result.decisions if d.get("topic") in _NOTED]
    return "\n".join(lines)


def writing_operator(prog: str, settings: Settings, nothing: str) -> Actor | None:
    """Who a command line writes as; None (after saying so) on a read-only instance."""
    actor = command_line_actor(read_only=settings.read_only)
    if actor.read_only:
        print(
            f"{prog}: this instance is read-only (LP_READ_ONLY): nothing was {nothing}",
            file=sys.stderr,
        )
        return None
    return actor


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    _log_to_stderr(parser.prog, debug=args.debug)
    if args.period is not None:
        try:
            parse_period(args.period)
        except ValueError as exc:
            parser.error(f"--period: {exc}")
    paths = [Path(f) for f in args.files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such file: {', '.join(missing)}")
    first = read_ahead.start(paths[0])
    # Imported here, not above: SQLAlchemy, SQLModel and the tables take about half a
    # second to load, and the first file is read meanwhile (`loaders.read_ahead`).
    from loaders.mappings import all_formats
    from loaders.pipeline import import_upload, read_file
    from loaders.streaming import import_large_file
    from models.db import make_engine
    from models.migrate import SchemaStateError
    from settings import SettingsError, get_settings

    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    try:
        engine = make_engine(settings.database_url)
    except SchemaStateError as exc:
        print(f"{parser.prog}: {exc}", file=sys.stderr)
        return 1
    actor = writing_operator(parser.prog, settings, "imported")
    if actor is None:
        engine.dispose()
        return 2
    rejected = False
    try:
        formats = all_formats(engine=engine)  # built-in detectors + the user's saved mappings
        for path in paths:
            streamed = import_large_file(
                path,
                engine=engine,
                actor=actor,
                vendor=args.vendor,
                product=args.product,
                period=args.period,
                date_order=args.date_order,
                formats=formats,
            )
            ahead = first.take() if path is paths[0] and streamed is None else None
            data = streamed if streamed is not None else (ahead.data if ahead else read_file(path))
            results: Iterator[ImportResult] = (
                iter([data])
                if isinstance(data, ImportResult)
                else import_upload(
                    data,
                    file_name=path.name,
                    engine=engine,
                    actor=actor,
                    vendor=args.vendor,
                    product=args.product,
                    period=args.period,
                    date_order=args.date_order,
                    formats=formats,
                    read_ahead=ahead,
                )
            )
            for result in results:  # an archive: one line per file in it, as each is imported
                rejected |= result.status == "rejected"
                print(
                    json.dumps(result.to_json(), ensure_ascii=False)
                    if args.json
                    else _readable(result)
                )
                sys.stdout.flush()
    finally:
        engine.dispose()
    return 1 if rejected else 0
