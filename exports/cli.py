"""The funding-pack command line (DESIGN, "Funding-pack export"), for automation.

`python -m exports --format json|xlsx|html|pdf|reclaim [--product NAME...] [--year YYYY]
[--out PATH] [--scenario NAME]`

`--format reclaim` writes the seats to reclaim instead of the pack (issue 19): the
CSV the Seats to reclaim view downloads (`exports.formats.render_reclaim_csv`),
with every learner pseudonymised (`metrics.reclaim.pseudonym`) whatever
`LP_STORE_IDENTITIES` says, as of the `as_of` setting and with the
`LP_RECLAIM_AFTER_DAYS` setting; `--product` narrows it, `--scenario` does not
apply to it.

Why it is thin: the figures must be the ones the pages show, so this module
only reads the year's frames (`read_frames`: `models.frames.pack_frames`, as
the Funding review page does), resolves the product names
(`exports.selection`), builds the payload with the settings
(`exports.build.pack_for`, the page's builder too) and hands it to the
format's writer (`exports.formats`). `--scenario` adds a scenario saved on
the Prioritise page (unknown name: exit 2). `--year` defaults to the year of the `as_of` setting
(LP_AS_OF, else today). Products appear in the pack in name order.

Without `--out` the pack goes to standard output; a binary format (xlsx,
pdf) is refused when standard output is a terminal, with a hint such as
`--out funding_pack_2026.xlsx` (redirecting or piping it is fine).

Exit status: 0 when the pack was written; 1 when the database cannot be read,
the output file cannot be written or the PDF cannot be printed (no Chromium);
2 on bad arguments (a year that is not
four digits, an unknown product, a format not available yet, `--out` in a
folder that does not exist, a binary format for a terminal, `--scenario`
with `--format reclaim`) or bad settings. A user error never prints a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from exports.build import pack_for
from exports.formats import FORMATS, LIST_FORMATS, render_reclaim_csv, writer_for
from exports.pdf_writer import PdfError
from exports.selection import ProductSelectionError, resolve_products
from metrics.reclaim import year_reclaim, year_reclaim_rows
from models.db import make_engine, session_scope
from models.frames import YearFrames, pack_frames, year_frames
from models.migrate import SchemaStateError
from models.scenarios import list_scenarios, load_scenario
from planning.scenarios import Scenario
from settings import Settings, SettingsError, get_settings

__all__ = ["main", "read_frames", "reclaim_csv"]

_PROG = "python -m exports"
_FOUR_DIGITS = re.compile(r"[0-9]{4}")
_BINARY_FORMATS = frozenset({"xlsx", "pdf"})


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
            "outcome and health figures for a year, and the portfolio totals; or, with "
            "--format reclaim, the seats to reclaim (CSV, learners pseudonymised)."
        ),
    )
    parser.add_argument(
        "--format",
        required=True,
        choices=(*FORMATS, *LIST_FORMATS),
        help="output format (reclaim: the seats to reclaim as CSV, not the pack)",
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
    parser.add_argument(
        "--scenario",
        metavar="NAME",
        help="include a scenario saved on the Prioritise page (what it changes against the plan)",
    )
    return parser


def _usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    """Report a bad argument the way argparse does, and return its exit status."""
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: {message}", file=sys.stderr)
    return 2


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


def read_frames(url: str, *, year: int, currency: str, pack: bool = True) -> YearFrames:
    """Read the funding pack's inputs for `year` from the database at `url`.

    The year's frames as the Product page reads them (`year_frames` with
    the previous year, for the TDRp "last year" column), with the budget
    lines of every year: the amortised one-offs of earlier years and next
    year's plan (the ask) come from them. `currency` is the reporting
    currency the money was imported in (the frames carry it).

    With `pack` false, the year's frames only (`year_frames`), as the Seats
    to reclaim view reads them: a learner's first and last activity are
    looked for in the same usage, so the list is the page's.

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
            if not pack:
                return year_frames(conn, year=year, currency=currency)
            return pack_frames(conn, year=year, currency=currency)
    finally:
        engine.dispose()


def load_saved_scenario(url: str, name: str) -> Scenario:
    """A scenario saved on the Prioritise page, by name; ValueError when unknown or unreadable."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            payload = load_scenario(session=session, name=name)
            known = [s.name for s in list_scenarios(session=session)]
    finally:
        engine.dispose()
    if payload is None:
        listed = ", ".join(repr(k) for k in known) or "none saved yet"
        msg = f"no saved scenario named {name!r} (saved: {listed})"
        raise ValueError(msg)
    return Scenario.from_dict(payload)


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


def reclaim_csv(
    frames: YearFrames,
    *,
    settings: Settings,
    year: int,
    as_of: date,
    products: list[str] | None = None,
) -> bytes:
    """The seats to reclaim of `year` as CSV, every learner by pseudonym.

    As the Seats to reclaim view lists them (`metrics.reclaim`), with the
    `LP_RECLAIM_AFTER_DAYS` and `LP_STALE_AFTER_DAYS` settings; `products`
    (names) keeps only their rows.
    """
    result = year_reclaim(
        frames,
        year=year,
        as_of=as_of,
        after_days=settings.reclaim_after_days,
        stale_after_days=settings.stale_after_days,
    )
    rows = year_reclaim_rows(frames, result)  # no identities: pseudonyms only
    if products is not None:
        rows = rows.filter(pl.col("product").is_in(products))
    return render_reclaim_csv(rows)


def _emit(data: bytes, out: Path | None) -> int:
    """Write `data` to `out`, else to standard output; returns the exit status."""
    if out is None:
        return _write_stdout(data)
    try:
        _write_file(out, data)
    except OSError as exc:
        print(f"{_PROG}: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"{_PROG}: error: {exc}", file=sys.stderr)
        return 2
    if args.format in LIST_FORMATS and args.scenario is not None:
        return _usage_error(parser, f"--scenario does not apply to --format {args.format}")
    out: Path | None = args.out
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        problem = "is a folder" if out.is_dir() else "is in a folder that does not exist"
        return _usage_error(parser, f"--out: {out} {problem}")
    as_of = settings.today()
    year = args.year if args.year is not None else as_of.year
    if out is None and args.format in _BINARY_FORMATS and sys.stdout.isatty():
        hint = f"funding_pack_{year}.{args.format}"
        return _usage_error(
            parser,
            f"--format {args.format} writes a binary file: give --out PATH "
            f"(e.g. --out {hint}) or redirect standard output",
        )
    try:
        frames = read_frames(
            settings.database_url,
            year=year,
            currency=settings.reporting_currency,
            pack=args.format not in LIST_FORMATS,
        )
    except (SQLAlchemyError, OSError, SchemaStateError) as exc:
        where = _safe_url(settings.database_url)
        print(f"{_PROG}: cannot read the database {where}: {_reason(exc)}", file=sys.stderr)
        return 1
    chosen: list[str] | None = None
    if args.products:
        try:
            chosen = resolve_products(args.products, frames.products["product"].to_list())
        except ProductSelectionError as exc:
            return _usage_error(parser, f"--product: {exc}")
    if args.format in LIST_FORMATS:
        data = reclaim_csv(frames, settings=settings, year=year, as_of=as_of, products=chosen)
        return _emit(data, out)
    scenario = None
    if args.scenario is not None:
        try:
            scenario = load_saved_scenario(settings.database_url, args.scenario)
        except ValueError as exc:
            return _usage_error(parser, f"--scenario: {exc}")
        except SQLAlchemyError as exc:
            print(f"{_PROG}: cannot read the scenario: {_reason(exc)}", file=sys.stderr)
            return 1
    pack = pack_for(
        frames,
        settings=settings,
        year=year,
        as_of=as_of,
        generated_at=datetime.now(UTC),
        products=chosen,
        scenario=scenario,
    )
    try:
        data = writer_for(args.format, settings=settings)(pack)
    except PdfError as exc:  # no Chromium to print with, or it failed
        print(f"{_PROG}: {exc}", file=sys.stderr)
        return 1
    return _emit(data, out)
