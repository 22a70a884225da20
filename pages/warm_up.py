"""Fill the pages' caches after an import, so the first visit after it is not a cold one.

Why: every write bumps the data version, which voids every cached figure, and
the first visit to each page then reads the year's facts and computes them
(issue 20: at 200 products and a million usage rows the funding review takes
about 3 s cold and 0.2 s warm; at ten million rows 24 s). The people an import
was for are often the ones watching. So after an import or an undo the app
computes each page's first view in a background thread, in the order people
open them, while they are still reading the import's result.

Streamlit computes a cached value once: a page opened while its figures are
being warmed waits for them rather than computing them a second time. A batch
of files warms once, after the last (`_QUIET` seconds with no new write), and
a write made while warming stops the pass and starts another for the newer
data. An import made elsewhere (the command line, a nightly job, another app
server on the same database) is noticed by `watch`, which looks at the data
version every `_POLL` seconds, and warms the same way; so does a server just
started. `LP_WARM_UP=false` turns it all off (a small machine keeps its cores
for the people using it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy.exc import SQLAlchemyError

from pages import planning_reads, reads, review_reads, supplier_reads, unit_reads
from pages.cache import current_version, settings
from pages.reads import default_year

__all__ = ["soon", "wait", "warm", "watch"]

_LOG = logging.getLogger(__name__)

_QUIET = 2.0
"""Seconds with no new write before warming: the files of one upload are imported one by one."""

_POLL = 30.0
"""Seconds between two looks at the data version (one tiny query) by `watch`."""

_THREAD = "lp-warm-up"


class _NoPageHere(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" warning in the warm-up thread.

    Why: each cached reader warns that it runs outside a page (its spinner has
    nowhere to show), once per reader and pass; the thread has no page by design.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        mine = threading.current_thread().name in (_THREAD, _WATCHER)
        return not (mine and "missing ScriptRunContext" in record.getMessage())


logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    _NoPageHere()
)

_WATCHER = "lp-warm-watch"

_lock = threading.Lock()
_due = 0.0  # when the next pass may start (monotonic seconds)
_thread: threading.Thread | None = None
_watcher: threading.Thread | None = None
_stop = threading.Event()  # set to end the watcher (tests)


def watch() -> None:
    """Warm whenever the data version moves, whoever moved it; started once per process.

    Why: the caches are keyed by the data version, so an import from the
    command line or on another server voids this server's caches too, and
    without this the next visitor here pays the cold run. The first look
    warms as well: a server just started holds nothing.
    """
    global _watcher
    if not settings().warm_up:
        return
    with _lock:
        if _watcher is not None:
            return
        _stop.clear()
        _watcher = threading.Thread(target=_watch, name=_WATCHER, daemon=True)
        _watcher.start()


def _watch() -> None:
    """Look at the data version every `_POLL` seconds; warm when it moved."""
    seen: int | None = None
    while not _stop.is_set():
        try:
            version = current_version()
        except SQLAlchemyError:  # the database away for a moment: look again later
            _LOG.warning("could not read the data version to warm the pages", exc_info=True)
        else:
            if version != seen:
                seen = version
                soon()
        _stop.wait(_POLL)


def _stop_watching() -> None:
    """End the watcher and let `watch` start a new one (tests)."""
    global _watcher
    _stop.set()
    thread = _watcher
    if thread is not None:
        thread.join(10)
    with _lock:
        _watcher = None


def soon(year: int | None = None) -> None:
    """Warm the caches for the data as it now is, once writes have been quiet a moment.

    `year` is the one the person is working in (the pages' shared choice);
    None warms the year a page opens on.
    """
    global _due, _thread
    if not settings().warm_up:
        return
    with _lock:
        _due = time.monotonic() + _QUIET
        if _thread is None:  # the thread clears it, under the lock, as it ends
            _thread = threading.Thread(target=_run, args=(year,), name=_THREAD, daemon=True)
            _thread.start()


def wait(timeout: float | None = None) -> bool:
    """Wait for the warm-up under way, if any; True when none is left running."""
    thread = _thread
    if thread is not None:
        thread.join(timeout)
    return thread is None or not thread.is_alive()


def _run(year: int | None) -> None:
    """Wait for quiet, warm; again when a write came while warming."""
    global _thread
    while True:
        with _lock:
            pause = _due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
            continue
        try:
            done = warm(year)
        except Exception:  # the thread's boundary: whatever failed, log it and end cleanly
            # (a thread that died here would leave `_thread` set and stop every later pass)
            _LOG.exception("warming the pages' caches failed")
            done = True
        with _lock:
            if done and _due <= time.monotonic():
                _thread = None
                return


def warm(year: int | None = None) -> bool:
    """Compute each page's first view for `year` (None: the year pages open on), in order.

    Returns False when the data changed on the way (the rest would be for
    data no longer shown), True when every view was computed.
    """
    version = current_version()
    years = reads.available_years()
    if not years:
        return True  # no budgets: the pages show how to start, nothing to compute
    as_of = settings().today()
    chosen = year if year in years else default_year(years, as_of)
    started = time.perf_counter()
    for view in _first_views(chosen, as_of):
        if current_version() != version:
            return False
        view()
    _LOG.info("warmed the pages for %d in %.1f s", chosen, time.perf_counter() - started)
    return True


def _first_views(year: int, as_of: date) -> list[Callable[[], object]]:
    """Each page's first view, in the order people open them after an import."""
    return [
        reads.product_ids,
        lambda: reads.portfolio_view(year, as_of),  # Overview
        lambda: unit_reads.org_unit_options(year, as_of),
        lambda: review_reads.review_pack(year, as_of, None, None),  # Funding review
        lambda: reads.tdrp_view(year, as_of, None),  # Plan vs actual
        lambda: supplier_reads.year_views(year, as_of),  # Suppliers
        supplier_reads.contracted_products,
        lambda: planning_reads.planning_data(year, as_of),  # Prioritise
    ]
