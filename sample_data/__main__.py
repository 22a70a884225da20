"""Command line: `python -m sample_data [--as-of DATE] [--out DIR] [--seed N] [--currency X]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from metrics.currency import check_currency
from sample_data.generator import DEFAULT_SEED, FILES_DIR, generate
from sample_data.money import SAMPLE_CURRENCY


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the options; the as-of date defaults to today (the only place "today" is read)."""
    parser = argparse.ArgumentParser(
        prog="python -m sample_data",
        description="Write Northwind Group's sample learning portfolio (24 months of history).",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=date.today(),
        help="last day of the history, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--out", type=Path, default=FILES_DIR, help=f"output folder (default: {FILES_DIR})"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--currency",
        type=_currency,
        default=SAMPLE_CURRENCY,
        help="ISO 4217 code of the contracts and amounts: the same figures with its decimals "
        f"(default: {SAMPLE_CURRENCY})",
    )
    return parser.parse_args(argv)


def _currency(text: str) -> str:
    """An ISO 4217 code for argparse (a ValueError's message becomes the usage error)."""
    try:
        return check_currency(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the files and print one line per file: name, data rows, size."""
    args = _parse(argv)
    files = generate(args.as_of, args.out, args.seed, currency=args.currency)
    width = max(len(f.path.name) for f in files)
    print(f"Sample portfolio as of {args.as_of}, seed {args.seed}, {args.currency}, in {args.out}")
    for f in files:
        print(f"  {f.path.name:<{width}}  {f.rows:>7,} rows  {f.size / 1024:>8,.1f} KiB")
    total = sum(f.size for f in files)
    print(f"  {'total':<{width}}  {sum(f.rows for f in files):>7,} rows  {total / 1024:>8,.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
