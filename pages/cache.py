"""The pages' way to the database: one engine, the settings, and one cache keyed by the data.

Why a module: every cached reader must be keyed by the data version (which
every write bumps) and the database URL, and bounded. Writing that pair of
public/private functions by hand around `st.cache_data` for each reader
invited a reader that forgot the version; `by_data_version` does it once.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Connection, Engine

from models import data_version, make_engine, session_scope
from settings import Settings, get_settings

__all__ = ["by_data_version", "connect", "current_version", "engine", "engine_for", "settings"]

P = ParamSpec("P")
R = TypeVar("R")


def settings() -> Settings:
    """The deployment's settings (read once per process)."""
    return get_settings()


@st.cache_resource(show_spinner=False)
def engine_for(url: str) -> Engine:
    """One engine per process and database URL."""
    return make_engine(url)


def engine() -> Engine:
    """The engine of the configured database (DATABASE_URL)."""
    return engine_for(settings().database_url)


def connect() -> Connection:
    """A connection for one read (use as a context manager)."""
    return engine().connect()


def current_version() -> int:
    """The data version every write bumps (one tiny query per call)."""
    with session_scope(engine()) as session:
        return data_version(session=session)


def by_data_version(
    *, max_entries: int, spinner: str | bool = False
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a reader per argument, data version and database URL, in a bounded cache.

    Parameters
    ----------
    max_entries
        How many results to keep (the oldest is dropped first): every cache
        is bounded, so a long-running server does not grow without end.
    spinner
        The text shown while a miss is computed; False shows none.

    Returns
    -------
    Callable
        A decorator. The decorated reader keeps its signature; its arguments
        must be hashable by Streamlit (numbers, dates, strings, tuples), never
        a DataFrame. The undecorated function stays reachable as
        ``__wrapped__`` (tests call it to bypass the cache).

    Notes
    -----
    `st.cache_data` tells functions apart by module, qualified name and
    source, so the inner function is given the reader's module and
    qualified name, the latter with a digest of the reader's source: two
    readers never share a cache, and editing a reader starts a new one.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        source = hashlib.sha256(inspect.getsource(func).encode()).hexdigest()[:16]

        def cached(
            version: int, url: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
        ) -> R:
            del version, url  # part of the cache key only
            return func(*args, **dict(kwargs))

        cached.__module__ = func.__module__
        cached.__qualname__ = f"{func.__qualname__}.{source}"
        cached.__name__ = func.__name__
        store = st.cache_data(max_entries=max_entries, show_spinner=spinner)(cached)

        @functools.wraps(func)
        def reader(*args: P.args, **kwargs: P.kwargs) -> R:
            key = tuple(sorted(kwargs.items()))
            return store(current_version(), settings().database_url, args, key)

        return reader

    return decorate
