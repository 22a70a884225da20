"""A bad date in a column the format does not read: a warning naming it, never a refusal.

Issue 15. The Udemy user course progress report carries five dates; the format
reads "Date Completed" and "Date Last Accessed" only. Before, a damaged "Date
Enrolled" passed in silence; a damaged "Date Completed" is still a refusal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from loaders import import_file
from loaders.errors import ROW
from loaders.unused_dates import unused_date_warnings

ROOT = Path(__file__).resolve().parents[2]
UDEMY = ROOT / "tests" / "fixtures" / "vendor_samples" / "udemy_user_course_progress.csv"


def _damaged(column: str, value: str = "not a date") -> bytes:
    frame = pl.read_csv(UDEMY, infer_schema=False)
    return (
        frame.with_columns(
            pl.when(pl.int_range(pl.len()) == 1)
            .then(pl.lit(value))
            .otherwise(pl.col(column))
            .alias(column)
        )
        .write_csv()
        .encode()
    )


def test_a_bad_date_in_an_unread_column_is_a_warning_and_the_file_imports(
    portfolio: Engine,
) -> None:
    result = import_file(_damaged("Date Enrolled"), file_name="udemy.csv", engine=portfolio)
    assert result.status == "imported", result.errors
    warnings = [d for d in result.decisions if d.get("topic") == "unused_column_dates"]
    # Row 3 of the file: the header is row 1, the damaged second data row is row 3.
    assert [(w["column"], w["row"], w["cells"], w["level"]) for w in warnings] == [
        ("Date Enrolled", 3, 1, "warning")
    ]
    assert "'not a date', which is not a date" in warnings[0]["message"]


def test_a_bad_date_in_a_read_column_still_refuses_the_file(portfolio: Engine) -> None:
    result = import_file(_damaged("Date Completed"), file_name="udemy.csv", engine=portfolio)
    assert result.status == "rejected"
    assert result.errors[0]["column"] == "Date Completed"


def test_a_column_that_is_not_dates_is_not_judged() -> None:
    # "Start day" holding words in most rows is a label, not a damaged date column.
    frame = pl.DataFrame(
        {ROW: [2, 3, 4], "Start day": ["Monday", "Tuesday", "2026-01-05"], "Used": ["a", "b", "c"]}
    )
    assert unused_date_warnings(frame, used={"Used"}, order="dmy") == []


def test_the_command_line_reports_the_warning(tmp_path: Path, portfolio: Engine) -> None:
    path = tmp_path / "udemy.csv"
    path.write_bytes(_damaged("Date Started", "31/02/2024"))
    url = str(portfolio.url)
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "--json", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    results = out if isinstance(out, list) else out.get("results", [out])
    decisions = results[0]["decisions"]
    assert any(
        d.get("topic") == "unused_column_dates" and d["column"] == "Date Started" for d in decisions
    ), decisions


def test_the_readable_output_says_warning(tmp_path: Path, portfolio: Engine) -> None:
    path = tmp_path / "udemy.csv"
    path.write_bytes(_damaged("Date Enrolled"))
    done = subprocess.run(
        [sys.executable, "-m", "loaders", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": str(portfolio.url)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "  warning: column 'Date Enrolled' (not used by this format): row 3" in done.stdout
