"""Smoke test of `bench/pages_bench.py`: it runs end to end and prints a line per page
(or, with `--pack`, per pack size).

Times are never asserted (these machines are shared and noisy); only the
shape of the lines, the page names and the reuse of a built database are.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE_LINE = re.compile(
    r"^page=(\w+) cold_s=\d+\.\d\d warm_s=\d+\.\d\d floor_ratio=\d+\.\d\d peak_rss_mb=\d+$"
)
FLOOR_LINE = re.compile(r"^floor read_s=\d+\.\d\d group_s=\d+\.\d\d floor_s=\d+\.\d\d$")
PACK_LINE = re.compile(r"^pack products=(\d+) rows=2000 read_s=\d+\.\d\d cold_s=\d+\.\d\d$")


def _bench(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pages_bench.py"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()


def test_bench_times_every_page_then_reuses_its_database(tmp_path: Path) -> None:
    small = ("--products", "6", "--rows", "3000", "--reuse", str(tmp_path))
    lines = _bench(*small)
    assert lines[0].startswith("built: products=6 usage_rows=3000")
    pages = [m.group(1) for m in map(PAGE_LINE.match, lines) if m]
    assert pages == [
        "overview",
        "product",
        "plan_actual",
        "suppliers",
        "prioritise",
        "funding_review",
        "import_data",
    ]
    assert lines[-len(pages) - 2].startswith("load average: ")
    assert FLOOR_LINE.match(lines[-len(pages) - 3])
    assert re.fullmatch(r"slowest page=\w+ cold_s=\d+\.\d\d floor_ratio=\d+\.\d\d", lines[-1])
    again = _bench(*small, "--pages", "product")
    assert again[0] == f"reused: products=6 rows=3000 from {tmp_path}"
    assert [m.group(1) for m in map(PAGE_LINE.match, again) if m] == ["product"]


def test_bench_times_the_json_pack_for_each_size_and_prints_the_growth() -> None:
    lines = _bench("--rows", "2000", "--pack", "4,8")
    sizes = [m.group(1) for m in map(PACK_LINE.match, lines) if m]
    assert sizes == ["4", "8"]
    assert re.fullmatch(r"pack growth products=8/4 cold_ratio=\d+\.\d\d", lines[-1])
    assert lines[-2].startswith("load average: ")
    assert not any(PAGE_LINE.match(line) for line in lines)  # the pack alone, no page


def test_the_pack_bench_reuses_its_databases(tmp_path: Path) -> None:
    """`--reuse DIR` builds one database per size in DIR once; a second run only times them."""
    options = ("--rows", "2000", "--pack", "4,6", "--repeat", "2", "--reuse", str(tmp_path))
    first = _bench(*options)
    assert sum(line.startswith("built: products=") for line in first) == 2
    again = _bench(*options)
    assert not any(line.startswith("built: ") for line in again)
    assert [line for line in again if line.startswith("reused: ")] == [
        f"reused: products=4 rows=2000 from {tmp_path / 'pack-4'}",
        f"reused: products=6 rows=2000 from {tmp_path / 'pack-6'}",
    ]
    assert [m.group(1) for m in map(PACK_LINE.match, again) if m] == ["4", "6"]
    assert re.fullmatch(r"pack growth products=6/4 cold_ratio=\d+\.\d\d", again[-1])


def test_bench_compares_two_databases_in_one_run(tmp_path: Path) -> None:
    """`--database-url` twice: each is built (empty), timed, then compared page by page."""
    first = f"sqlite:///{tmp_path / 'a.sqlite'}"
    second = f"sqlite:///{tmp_path / 'b.sqlite'}"
    sizes = ("--products", "5", "--rows", "2000", "--pages", "overview,product")
    lines = _bench(*sizes, "--database-url", first, "--database-url", second)
    assert sum(line.startswith("built: products=5") for line in lines) == 2
    assert [line for line in lines if line.startswith("database: ")] == [
        f"database: {first}",
        f"database: {second}",
    ]
    assert sum(bool(FLOOR_LINE.match(line)) for line in lines) == 2
    compared = [line for line in lines if line.startswith("compare ")]
    assert [line.split(" cold_ratio=")[0] for line in compared] == [
        "compare page=overview sqlite/sqlite",
        "compare page=product sqlite/sqlite",
    ]
    again = _bench(*sizes, "--database-url", first)
    assert again[0].startswith("reused: products=5 usage_rows=")
