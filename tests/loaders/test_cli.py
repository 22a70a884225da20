"""`python -m loaders`: exit codes and JSON lines, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.loaders.conftest import PRODUCTS_CSV
from tests.loaders.factories import linkedin_csv

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "LP_AS_OF": "2026-11-23",
    }
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "products": tmp_path / "products.csv",
        "linkedin": tmp_path / "linkedin export.csv",
        "bad": tmp_path / "bad.csv",
    }
    paths["products"].write_bytes(PRODUCTS_CSV)
    paths["linkedin"].write_text(linkedin_csv(3), encoding="utf-8")
    paths["bad"].write_text("product,category\nX,not-a-category\n", encoding="utf-8")
    return paths


def test_json_lines_and_exit_zero(tmp_path: Path, files: dict[str, Path]) -> None:
    done = run(tmp_path, str(files["products"]), str(files["linkedin"]), "--json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [x["status"] for x in lines] == ["imported", "imported"]
    assert lines[1]["file"] == "linkedin export.csv"
    assert lines[1]["vendor"] == "LinkedIn Learning"
    counted = [lines[1][k] for k in ("rows_read", "rows_imported", "rows_rejected")]
    assert counted == [3, 3, 0]
    assert lines[1]["errors"] == []
    again = run(tmp_path, str(files["linkedin"]), "--json")
    assert again.returncode == 0
    assert json.loads(again.stdout)["status"] == "duplicate"


def test_rejected_file_exits_one(tmp_path: Path, files: dict[str, Path]) -> None:
    done = run(tmp_path, str(files["products"]), str(files["bad"]), "--json")
    assert done.returncode == 1
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["status"] == "imported"
    assert second["status"] == "rejected" and second["rows_rejected"] == 1
    assert second["errors"][0]["row"] == 2 and second["errors"][0]["column"] == "category"


def test_readable_output(tmp_path: Path, files: dict[str, Path]) -> None:
    done = run(tmp_path, str(files["bad"]))
    assert done.returncode == 1
    assert "bad.csv: rejected" in done.stdout
    assert "row 2, column category: 'not-a-category' is not one of" in done.stdout


def test_vendor_report_without_routing_is_rejected(tmp_path: Path, files: dict[str, Path]) -> None:
    done = run(tmp_path, str(files["linkedin"]), "--json")
    assert done.returncode == 1
    assert "--product" in json.loads(done.stdout)["errors"][0]["message"]


@pytest.mark.parametrize(
    "args",
    [
        ["missing.csv"],
        ["--date-order", "ymd", "PLACEHOLDER"],
        ["--period", "2026-13", "PLACEHOLDER"],
        [],
    ],
)
def test_bad_arguments_exit_two(tmp_path: Path, files: dict[str, Path], args: list[str]) -> None:
    args = [str(files["products"]) if a == "PLACEHOLDER" else a for a in args]
    done = run(tmp_path, *args)
    assert done.returncode == 2
    assert done.stdout == ""


def test_missing_file_imports_nothing(tmp_path: Path, files: dict[str, Path]) -> None:
    done = run(tmp_path, str(files["products"]), str(tmp_path / "nope.csv"))
    assert done.returncode == 2
    assert "no such file" in done.stderr
    check = run(tmp_path, str(files["products"]), "--json")
    assert json.loads(check.stdout)["status"] == "imported"  # the first run wrote nothing
