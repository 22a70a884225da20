"""After an import the pages' first views are computed in the background (issue 20).

`pages.warm_up` must fill the very cache entries the pages read (same reader,
same arguments), or the warming is wasted: each page's first run after a warm
pass reads no usage fact. The thread must warm once for a batch of writes, again
for a write made while warming, never when turned off, and never take the app
down when something fails.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import models.frames
from loaders import ImportResult
from models import bump_data_version, session_scope
from pages import warm_up, writes
from settings import get_settings

ROOT = Path(__file__).resolve().parents[2]

PAGES = [
    "pages/overview.py",
    "pages/funding_review.py",
    "pages/plan_actual.py",
    "pages/suppliers.py",
    "pages/prioritise.py",
]


@pytest.fixture
def warming(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warm-up on (the test suite turns it off), with a short quiet time."""
    monkeypatch.setenv("LP_WARM_UP", "true")
    monkeypatch.setattr(warm_up, "_QUIET", 0.05)
    get_settings.cache_clear()


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    usage_frame = models.frames.usage_frame

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return usage_frame(*args, **kwargs)

    monkeypatch.setattr(models.frames, "usage_frame", counted)
    return reads


@pytest.mark.parametrize("page", PAGES)
def test_a_page_after_the_warm_up_reads_no_fact(
    page: str, seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    del seeded_url  # selected through DATABASE_URL
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    st.cache_data.clear()  # cold, as after an import
    reads = _counting_reads(monkeypatch)
    assert warm_up.warm() is True
    assert reads, "the warm-up read the year's usage"
    reads.clear()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert reads == [], f"{page} computed again after the warm-up"


def test_the_year_being_worked_in_is_warmed(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    del seeded_url
    from pages import reads

    st.cache_data.clear()
    as_of = reads.settings().today()
    years = reads.available_years()
    older = min(years)
    assert older != as_of.year  # the seeded sample has budgets for more than one year
    reads_made = _counting_reads(monkeypatch)
    assert warm_up.warm(older) is True
    reads_made.clear()
    reads.portfolio_view(older, as_of)
    assert reads_made == []
    # A year without budgets (a link from an old pack): the year pages open on.
    assert warm_up.warm(1999) is True
    reads_made.clear()
    reads.portfolio_view(as_of.year, as_of)
    assert reads_made == []


def test_a_batch_of_writes_warms_once(
    seeded_url: str, warming: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    del seeded_url, warming
    passes: list[int | None] = []
    monkeypatch.setattr(warm_up, "warm", lambda year=None: passes.append(year) or True)
    for _ in range(5):
        warm_up.soon(2026)
    assert warm_up.wait(timeout=10)
    assert passes == [2026]


def test_a_write_while_warming_warms_again(
    seeded_url: str, warming: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    del seeded_url, warming
    started, release = threading.Event(), threading.Event()
    passes: list[bool] = []

    def slow(year: int | None = None) -> bool:
        del year
        if not passes:
            started.set()
            release.wait(10)
            passes.append(False)  # the data changed on the way
            return False
        passes.append(True)
        return True

    monkeypatch.setattr(warm_up, "warm", slow)
    warm_up.soon()
    assert started.wait(10)
    warm_up.soon()  # a second import lands while the first pass runs
    release.set()
    assert warm_up.wait(timeout=10)
    assert passes == [False, True]


def test_turned_off_nothing_runs(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    del seeded_url
    monkeypatch.setenv("LP_WARM_UP", "false")
    get_settings.cache_clear()
    monkeypatch.setattr(warm_up, "warm", lambda year=None: pytest.fail("warmed while off"))
    warm_up.soon()
    time.sleep(0.1)
    assert warm_up.wait(timeout=1)


def test_a_failing_pass_is_logged_not_raised(
    seeded_url: str,
    warming: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    del seeded_url, warming

    def broken(year: int | None = None) -> bool:
        raise RuntimeError("database gone")

    monkeypatch.setattr(warm_up, "warm", broken)
    warm_up.soon()
    assert warm_up.wait(timeout=10)
    assert "warming the pages' caches failed" in caplog.text
    monkeypatch.setattr(warm_up, "warm", lambda year=None: True)
    warm_up.soon()  # the next write starts a new thread
    assert warm_up.wait(timeout=10)


def test_only_a_write_that_changed_the_data_warms(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []
    monkeypatch.setattr(warm_up, "soon", lambda year=None: asked.append(year))
    writes.written(None)  # a table saved without a change
    writes.written(ImportResult(file="a.csv", status="rejected"))
    writes.written(ImportResult(file="a.csv", status="duplicate"))
    assert asked == []
    writes.written(ImportResult(file="a.csv", status="imported"))
    assert len(asked) == 1


def test_streamlits_no_page_warning_is_dropped_in_the_warm_up_thread_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each cached reader warns that it runs outside a page; the warm-up thread has none."""
    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    text = "Thread 'x': missing ScriptRunContext! This warning can be ignored in bare mode."
    caplog.set_level(logging.WARNING, logger=logger.name)
    thread = threading.Thread(target=logger.warning, args=(text,), name=warm_up._THREAD)
    thread.start()
    thread.join()
    assert text not in caplog.text
    logger.warning(text)  # any other thread: kept
    assert text in caplog.text


@pytest.fixture
def watching(warming: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int | None]]:
    """`watch` looking every 20 ms, with `soon` recorded instead of warming; stopped after."""
    del warming
    asked: list[int | None] = []
    monkeypatch.setattr(warm_up, "_POLL", 0.02)
    monkeypatch.setattr(warm_up, "soon", lambda year=None: asked.append(year))
    yield asked
    warm_up._stop_watching()


def _until(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_an_import_made_elsewhere_is_noticed_and_warmed(
    seeded_url: str, watching: list[int | None]
) -> None:
    """A command-line import or another server moves the data version: this server warms."""
    del seeded_url
    from pages.cache import engine

    warm_up.watch()
    warm_up.watch()  # once per process, however many sessions run app.py
    assert _until(lambda: len(watching) == 1)  # the first look: a server just started
    time.sleep(0.2)
    assert len(watching) == 1  # nothing changed: no second pass
    with session_scope(engine()) as session:
        bump_data_version(session=session)  # as any import does, from wherever
    assert _until(lambda: len(watching) == 2)
    assert [t.name for t in threading.enumerate()].count(warm_up._WATCHER) == 1


def test_watching_is_off_with_the_warm_up(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    del seeded_url
    monkeypatch.setenv("LP_WARM_UP", "false")
    get_settings.cache_clear()
    warm_up.watch()
    assert warm_up._WATCHER not in [t.name for t in threading.enumerate()]
