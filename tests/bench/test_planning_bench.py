"""Smoke test of `bench/planning_bench.py`: it runs end to end and prints the agreed last line.

Times are never asserted (these machines are shared and noisy); only the
shape of the line and the product count are.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(
    r"^planning: products=(\d+) whatif_ms=\d+\.\d optimise_ms=\d+\.\d frontier_ms=\d+\.\d$"
)


def test_bench_runs_small_and_prints_the_last_line() -> None:
    command = [sys.executable, "bench/planning_bench.py", "--products", "40", "--repeat", "2"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    match = LAST_LINE.match(last)
    assert match, last
    assert match.group(1) == "40"


def test_synthetic_portfolio_is_deterministic_and_shaped_like_planning_inputs() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import planning_bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    import polars as pl

    from planning.criteria import PLANNING_INPUTS

    first = planning_bench.synthetic_inputs(60, seed=7)
    assert first.equals(planning_bench.synthetic_inputs(60, seed=7))
    assert dict(first.schema) == dict(PLANNING_INPUTS)
    assert first.height == 60
    budgets = first["budget"]
    assert budgets.min() >= 5_000 and budgets.max() <= 400_000
    assert first["seats"].null_count() < 60  # some licence products…
    assert first["price_per_seat"].null_count() > 0  # …and some without
    untracked = first.filter(~pl.col("usage_tracked"))
    assert untracked.height > 0
    assert untracked["active_learners"].null_count() == untracked.height  # not tracked: null
