"""Smoke test of `bench/pages_bench.py`: it runs end to end and prints a line per page.

Times are never asserted (these machines are shared and noisy); only the
shape of the lines, the page names and the reuse of a built database are.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE_LINE = re.compile(r"^page=(\w+) cold_s=\d+\.\d\d warm_s=\d+\.\d\d$")


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
    assert lines[-len(pages) - 1].startswith("load average: ")
    again = _bench(*small, "--pages", "product")
    assert again[0] == f"reused: products=6 rows=3000 from {tmp_path}"
    assert [m.group(1) for m in map(PAGE_LINE.match, again) if m] == ["product"]
