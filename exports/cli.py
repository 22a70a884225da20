"""The funding-pack command line (DESIGN, "Funding-pack export"), for automation.

`python -m exports --format json|xlsx|html|pdf [--product NAME...] [--year YYYY]
[--out PATH]`

Why it is thin: the figures must be the ones the pages show, so this module
only reads the year's frames (`read_frames`, the same `year_frames` the
pages use), resolves the product names (`exports.selection`), builds the
payload (`exports.payload`) and hands it to the format's writer
(`exports.formats`). `--year` defaults to the year of the `as_of` setting
(LP_AS_OF, else today). Products appear in the pack in name order.

Exit status: 0 when the pack was written; 1 when the database cannot be read
or the output file cannot be written; 2 on bad arguments (a year that is not
four digits, an unknown product, a format not available yet, `--out` in a
folder that does not exist) or bad settings. A user error never prints a
traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from exports.formats import FORMATS, available_formats, writer_for
from exports.payload import funding_pack
from exports.selection import ProductSelectionError, resolve_products
from models.db import make_engine
from models.frames import YearFrames, year_frames
from settings import get_settings

__all__ = ["main", "read_frames"]

_PROG = "python -m exports"
_FOUR_DIGITS = re.compile(r"[0-9]{4}")


def _year(text: str) -> int:
    """Argparse type for `--year`: four digits, not 0000."""
    value = text.strip()
    if not _FOUR_DIGITS.fullmatch(value) or int(value) < 1:
        msg = f"{text!r} is not a four-digit year such as 2026"
        raise argparse.ArgumentTypeError(msg)
    return int(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description=(
            "Export the funding-review pack: each product's cost, usage, licence, "
            "outcome and health figures for a year, and the portfolio totals."
        ),
    )
    parser.add_argument(
        "--format",
        required=True,
        choices=FORMATS,
        help=f"output format (available now: {', '.join(available_formats())})",
    )
    parser.add_argument(
        "--product",
        dest="products",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="only these products (repeatable; exact name, else ignoring case); "
        "the portfolio totals then cover them only",
    )
    parser.add_argument(
        "--year", type=_year, metavar="YYYY", help="reporting year (default: the as-of year)"
    )
    parser.add_argument(
        "--out", type=Path, metavar="PATH", help="write to this file instead of standard output"
    )
    return parser


def _usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    """Report a bad argument the way argparse does, and return its exit status."""
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: {message}", file=sys.stderr)
    return 2


def _not_available(fmt: str) -> str:
    ready = [f.upper() for f in available_formats()]
    verb = "is" if len(ready) == 1 else "are"
    return f"format {fmt} is not available yet ({' and '.join(ready)} {verb})"


def _safe_url(url: str) -> str:
    """The database URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(the DATABASE_URL setting)"


def _reason(exc: Exception) -> str:
    """The driver's own words when there are some, without SQLAlchemy's SQL echo."""
    source = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = [line.strip() for line in str(source).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def read_frames(url: str, *, year: int) -> YearFrames:
    """Read `year`'s scorecard inputs from the database at `url`.

    Raises
    ------
    FileNotFoundError
        When `url` names a SQLite file that does not exist: an export does
        not create an empty database (a mistyped DATABASE_URL would
        otherwise export an empty portfolio).
    sqlalchemy.exc.SQLAlchemyError
        When the database cannot be reached or read.
    """
    parsed = make_url(url)
    database = parsed.database
    is_file_db = parsed.get_backend_name() == "sqlite" and database not in (None, "", ":memory:")
    if is_file_db and not Path(str(database)).is_file():
        msg = f"no database file at {database} (run the app once, or import with python -m loaders)"
        raise FileNotFoundError(msg)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return year_frames(conn, year=year)
    finally:
        engine.dispose()


def _write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (a temporary file, then a rename)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _write_stdout(data: bytes) -> int:
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not our error to report
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    write = writer_for(args.format)
    if write is None:
        return _usage_error(parser, _not_available(args.format))
    out: Path | None = args.out
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        problem = "is a folder" if out.is_dir() else "is in a folder that does not exist"
        return _usage_error(parser, f"--out: {out} {problem}")
    try:
        settings = get_settings()
    except (ValueError, RuntimeError) as exc:
        print(
            f"{_PROG}: error in the settings (LP_* environment variables): {exc}", file=sys.stderr
        )
        return 2
    as_of = settings.today()
    year = args.year if args.year is not None else as_of.year
    try:
        frames = read_frames(settings.database_url, year=year)
    except (SQLAlchemyError, OSError) as exc:
        where = _safe_url(settings.database_url)
        print(f"{_PROG}: cannot read the database {where}: {_reason(exc)}", file=sys.stderr)
        return 1
    chosen: list[str] | None = None
    if args.products:
        try:
            chosen = resolve_products(args.products, frames.products["product"].to_list())
        except ProductSelectionError as exc:
            return _usage_error(parser, f"--product: {exc}")
    pack = funding_pack(
        frames,
        year=year,
        as_of=as_of,
        currency=settings.reporting_currency,
        generated_at=datetime.now(UTC),
        thresholds=settings.health,
        products=chosen,
    )
    data = write(pack)
    if out is None:
        return _write_stdout(data)
    try:
        _write_file(out, data)
    except OSError as exc:
        print(f"{_PROG}: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
