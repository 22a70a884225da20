"""The import bench's floor: a report read by polars, every row written by plain sqlite3.

`bench/import_bench.py` runs `write_rows` in its own process: the issue's floor, with
Python started and polars loaded before the clock starts. It also runs this file as a
command of its own,

    python bench/floor_work.py REPORT DB [PRAGMA ...]

into a database given the app's SQLite settings (`models.db.SQLITE_PRAGMAS`), timed from
outside as `python -m loaders` is: the same work paid the way an import command pays it.
Only the standard library and polars are imported here, so the command loads nothing the
floor does not need.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import polars as pl


def write_rows(path: Path, db: Path, pragmas: Sequence[str] = ()) -> tuple[float, int, str]:
    """read_csv of `path`, then executemany of every row into a new table of `db`, committed.

    Returns the seconds up to the commit, the rows in the table and the parts' times.
    `pragmas` run first on the connection (none: SQLite's defaults, a rollback journal).
    """
    start = time.perf_counter()
    frame = pl.read_csv(path)
    read = time.perf_counter()
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    marks = ", ".join("?" for _ in frame.columns)
    conn = sqlite3.connect(db)
    try:
        for pragma in pragmas:
            conn.execute(pragma)
        conn.execute(f"CREATE TABLE report ({columns})")
        conn.executemany(f"INSERT INTO report VALUES ({marks})", frame.iter_rows())
        inserted = time.perf_counter()
        conn.commit()
        end = time.perf_counter()
        written = conn.execute("SELECT COUNT(*) FROM report").fetchone()[0]
    finally:
        conn.close()  # with WAL, the last connection's close copies the log into the file
    parts = f"read {read - start:.2f} + insert {inserted - read:.2f} + commit {end - inserted:.2f}"
    return end - start, written, parts


if __name__ == "__main__":
    _, rows, _ = write_rows(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
    print(rows)
