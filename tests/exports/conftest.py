"""Fixtures for the funding-pack export: a seeded database, the CLI as a subprocess.

The sample portfolio is seeded once per session through the real import
(`tests.seeded`); each module here gets its own copy, which its tests only
read. Tests that write (a new product) take the function-scoped `seeded_url`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.seeded import AS_OF, copy_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FILES = ROOT / "sample_data" / "files"


def run_export(url: str, *args: str, as_of: str = AS_OF) -> subprocess.CompletedProcess[str]:
    """`python -m exports ARGS` against the database at `url`, as automation would run it."""
    env = {**os.environ, "DATABASE_URL": url, "LP_AS_OF": as_of}
    return subprocess.run(
        [sys.executable, "-m", "exports", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def export_json(url: str, *args: str, as_of: str = AS_OF) -> dict[str, Any]:
    """Run the JSON export, check it succeeded, and parse it."""
    done = run_export(url, "--format", "json", *args, as_of=as_of)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return json.loads(done.stdout)


def by_name(pack: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["product"]: p for p in pack["products"]}


def sample_csv(name: str) -> pl.DataFrame:
    """A sample file as text columns, so money can be summed exactly as Decimal."""
    return pl.read_csv(SAMPLE_FILES / name, infer_schema=False)


def decimal_sum(values: list[str | None]) -> Decimal:
    """Exact sum of the non-blank amounts."""
    return sum((Decimal(v) for v in values if v not in (None, "")), Decimal(0))


@pytest.fixture(scope="module")
def shared_url(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the seeded sample database that this module's tests only read."""
    return copy_of(seeded_template, tmp_path_factory.mktemp("exports") / "shared.sqlite")


@pytest.fixture(scope="module")
def pack(shared_url: str) -> dict[str, Any]:
    """`python -m exports --format json` on the sample portfolio, as of 2026-11-23."""
    return export_json(shared_url)
