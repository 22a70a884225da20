"""Smoke test of `bench/import_bench.py`: it runs end to end and prints the agreed last line.

Times are never asserted (these machines are shared and noisy); only the
shape of the line and the row count are.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(
    r"^import: rows=(\d+) floor_s=\d+\.\d{2} import_s=\d+\.\d{2} ratio=\d+\.\d{2} "
    r"peak_rss_mb=\d+$"
)
COMMAND_LINE = re.compile(
    r"^command floor: rows=(\d+) startup_s=\d+\.\d{2} floor_s=\d+\.\d{2} "
    r"import_s=\d+\.\d{2} ratio=\d+\.\d{2}$"
)


def test_bench_runs_small_and_prints_the_last_line(tmp_path: Path) -> None:
    command = [sys.executable, "bench/import_bench.py", "--rows", "2000", "--keep", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    *_, command_line, last = done.stdout.strip().splitlines()
    match = LAST_LINE.match(last)
    assert match, last
    assert match.group(1) == "2000"
    # The same floor as a command, before it, into a database with the app's settings.
    as_command = COMMAND_LINE.match(command_line)
    assert as_command and as_command.group(1) == "2000", command_line
    floor_db = sqlite3.connect(tmp_path / "floor.sqlite")  # the command's, left by the last run
    try:
        assert floor_db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert floor_db.execute("PRAGMA page_size").fetchone() == (8192,)
        assert floor_db.execute("SELECT count(*) FROM report").fetchone() == (2000,)
    finally:
        floor_db.close()
    assert (tmp_path / "linkedin_learner_detail_2000.csv").is_file()  # --keep keeps the files


def test_generated_report_is_deterministic_and_a_snapshot(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import import_bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    import polars as pl

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    import_bench.generate(first, 5_000)
    import_bench.generate(second, 5_000)
    assert first.read_bytes() == second.read_bytes()
    report = pl.read_csv(first, infer_schema=False)
    assert tuple(report.columns) == import_bench.HEADER
    assert report.height == 5_000
    learner = pl.coalesce(pl.col("Email").str.to_lowercase(), pl.col("Unique User ID"))
    assert report.select(pl.struct(learner, pl.col("Content ID")).is_unique().all()).item()


XAPI_LINE = re.compile(
    r"^xapi: statements=(\d+) read_ndjson_s=\d+\.\d{2} import_s=\d+\.\d{2} ratio=\d+\.\d{2} "
    r"peak_rss_mb=\d+$"
)


def test_the_xapi_case_runs_small_and_prints_its_line(tmp_path: Path) -> None:
    command = [sys.executable, "bench/import_bench.py", "--xapi", "--rows", "2000",
               "--keep", str(tmp_path)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    match = XAPI_LINE.match(done.stdout.strip().splitlines()[-1])
    assert match and match.group(1) == "2000", done.stdout
    lines = (tmp_path / "xapi_statements_2000.jsonl").read_text().splitlines()
    assert len(lines) == 2000 and lines[0].startswith('{"id": "00000000-0000-4000-8000-')
