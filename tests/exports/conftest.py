"""Fixtures for the funding-pack export: a seeded database, the CLI as a subprocess.

The sample portfolio is seeded once per session through the real import
(`tests.seeded`); each module here gets its own copy, which its tests only
read. Tests that write (a new product) take the function-scoped `seeded_url`.
`tricky_url` adds products whose names and profile texts try to break a
writer: formula-like text, quotes, emoji, right-to-left scripts and names
that collide as sheet names (`TRICKY_PRODUCTS`).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from loaders import import_paths
from models import make_engine
from tests.actors import EDITOR
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


def export_file(url: str, fmt: str, out: Path, *args: str, as_of: str = AS_OF) -> Path:
    """Run `python -m exports --format FMT --out OUT`, check it succeeded quietly; returns OUT."""
    done = run_export(url, "--format", fmt, "--out", str(out), *args, as_of=as_of)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")
    return out


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


FORMULA_NAME = '=HYPERLINK("http://x","y")'
QUOTES_NAME = 'The "Best" Manager\'s Course'
EMOJI_NAME = "Launchpad 🚀 for new joiners"
ARABIC_NAME = "تعلم القيادة"
HEBREW_NAME = "מנהיגות למנהלים"
TRICKY_PRODUCTS: dict[str, dict[str, str]] = {
    FORMULA_NAME: {"owner": "=cmd|' /C calc'!A0", "sponsor": "@SUM(1+1)", "goal": "-2+3"},
    QUOTES_NAME: {"owner": 'O\'Brien "Bri"', "sponsor": "+44 20 7946 0000", "goal": "Quotes"},
    EMOJI_NAME: {"owner": "Zoë 🎓", "sponsor": "CFO", "goal": "Faster ramp-up 📈"},
    ARABIC_NAME: {"owner": "ليلى", "sponsor": "المدير المالي", "goal": "قادة أفضل"},
    HEBREW_NAME: {"owner": "נועה", "sponsor": "סמנכ״ל כספים", "goal": "מנהלים טובים יותר"},
    # two names that are the same sheet name once ':' and '/' are removed, and two
    # that are the same once cut to 31 characters
    "Sales: Q1/Q2": {"owner": "A", "sponsor": "B", "goal": "C"},
    "Sales Q1Q2": {"owner": "A", "sponsor": "B", "goal": "C"},
    "Leadership Development Programme North": {"owner": "A", "sponsor": "B", "goal": "C"},
    "Leadership Development Programme South": {"owner": "A", "sponsor": "B", "goal": "C"},
}
"""Extra products of `tricky_url`, with owner, sponsor and business goal."""


def import_tricky_products(url: str, folder: Path) -> None:
    """Import `TRICKY_PRODUCTS` (and a January 2026 budget line for each) into the database."""
    products_csv, budgets_csv = folder / "products.csv", folder / "budgets.csv"
    with products_csv.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["product", "category", "vendor", "owner", "sponsor", "target_audience",
                         "lifecycle_stage", "business_goal", "strategic_fit"])  # fmt: skip
        for name, text in TRICKY_PRODUCTS.items():
            writer.writerow([name, "other", "", text["owner"], text["sponsor"], "All staff",
                             "pilot", text["goal"], 3])  # fmt: skip
    with budgets_csv.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["product", "month", "cost_category", "plan", "actual"])
        for i, name in enumerate(TRICKY_PRODUCTS, start=1):
            writer.writerow([name, "2026-01", "delivery", f"{1000 * i}.00", f"{900 * i}.55"])
    engine = make_engine(url)
    results = import_paths([products_csv, budgets_csv], engine=engine, actor=EDITOR)
    engine.dispose()
    assert [r.status for r in results] == ["imported", "imported"], [r.to_json() for r in results]


@pytest.fixture(scope="module")
def tricky_url(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample portfolio plus `TRICKY_PRODUCTS`, which this module's tests only read."""
    folder = tmp_path_factory.mktemp("tricky")
    url = copy_of(seeded_template, folder / "tricky.sqlite")
    import_tricky_products(url, folder)
    return url
