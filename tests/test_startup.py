"""Bad settings stop the app and the command lines at start-up, with every problem named.

The app shows the `SettingsError` message as an error and runs no page (and seeds no
database); `python -m loaders` and `python -m exports` print it and exit 2 with no
traceback, before touching any database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
BAD = {"LP_RAG_AMBER": "abc", "LP_CURRENCY": "XYZ", "LP_AMORTISATION_YEARS": "0"}
NAMED = ("LP_RAG_AMBER='abc'", "LP_CURRENCY='XYZ'", "LP_AMORTISATION_YEARS='0'")


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_app_shows_every_problem_and_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    database = tmp_path / "never.sqlite"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    for name, value in BAD.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    shown = at.error[0].value
    assert "have 3 problems" in shown
    for text in NAMED:
        assert text in shown
    # In a code fence, so a value as typed is shown literally, never as markup.
    assert shown.startswith("```\n") and shown.endswith("\n```")
    assert not at.title and not at.metric  # no page ran
    assert not database.exists()  # nothing was seeded


def test_a_value_with_backticks_cannot_close_the_fence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never.sqlite'}")
    monkeypatch.setenv("LP_CURRENCY", "```**GBP**")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    shown = at.error[0].value
    assert shown.startswith("````\n") and shown.endswith("\n````")
    assert "LP_CURRENCY='```**GBP**'" in shown


def test_the_app_starts_once_the_settings_are_fixed(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.setenv("LP_RAG_AMBER", "abc")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    assert len(at.error) == 1
    monkeypatch.setenv("LP_RAG_AMBER", "0.02")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert at.title[0].value == "Portfolio overview"


def _run(module: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_import_command_prints_every_problem_and_exits_2(tmp_path: Path) -> None:
    database = tmp_path / "never.sqlite"
    report = tmp_path / "products.csv"
    report.write_text("product,category\nX,compliance\n", encoding="utf-8")
    done = _run("loaders", str(report), env={"DATABASE_URL": f"sqlite:///{database}", **BAD})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("python -m loaders: error: the settings (environment")
    for text in NAMED:
        assert text in done.stderr
    assert "Traceback" not in done.stderr
    assert not database.exists()


def test_the_export_command_prints_every_problem_and_exits_2(tmp_path: Path) -> None:
    database = tmp_path / "never.sqlite"
    done = _run("exports", "--format", "json", env={"DATABASE_URL": f"sqlite:///{database}", **BAD})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("python -m exports: error: the settings (environment")
    for text in NAMED:
        assert text in done.stderr
    assert "Traceback" not in done.stderr
    assert not database.exists()


@pytest.mark.parametrize(
    "extra",
    [{"LP_MODE": "production", "LP_PSEUDONYM_KEY": "k"}, {"LP_READ_ONLY": "1"}],
    ids=["production", "read-only"],
)
def test_an_empty_database_gets_no_sample_in_production_or_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None, extra: dict[str, str]
) -> None:
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    for name, value in extra.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("No budgets imported yet" in i.value for i in at.info)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM data_import")).scalar_one() == 0
    engine.dispose()
