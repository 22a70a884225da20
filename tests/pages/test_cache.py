"""`pages.cache.by_data_version`: one cache per reader, keyed by the data version, bounded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from models import bump_data_version, make_engine, session_scope
from pages.cache import by_data_version, current_version, engine
from settings import get_settings


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    make_engine(url).dispose()  # creates the schema
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    st.cache_data.clear()
    yield url
    st.cache_data.clear()
    get_settings.cache_clear()


def _write() -> None:
    with session_scope(engine()) as session:
        bump_data_version(session=session)


def test_a_reader_recomputes_after_a_write_and_only_then(database: str) -> None:
    calls: list[int] = []

    @by_data_version(max_entries=4)
    def doubled(x: int) -> int:
        calls.append(x)
        return 2 * x

    assert (doubled(3), doubled(3)) == (6, 6)
    assert calls == [3]  # the second call was a hit
    before = current_version()
    _write()
    assert current_version() == before + 1
    assert doubled(3) == 6
    assert calls == [3, 3]  # a write made the cached value stale


def test_two_readers_never_share_a_cache(database: str) -> None:
    # Both decorated functions have the same inner wrapper and the same arguments:
    # without their own names in the cache key, the second would return the first's value.
    @by_data_version(max_entries=4)
    def plus_one(x: int) -> int:
        return x + 1

    @by_data_version(max_entries=4)
    def minus_one(x: int) -> int:
        return x - 1

    assert plus_one(10) == 11
    assert minus_one(10) == 9


def test_keyword_arguments_are_part_of_the_key(database: str) -> None:
    @by_data_version(max_entries=4)
    def scaled(x: int, *, by: int) -> int:
        return x * by

    assert scaled(2, by=3) == 6
    assert scaled(2, by=5) == 10


def test_the_cache_is_bounded(database: str) -> None:
    calls: list[int] = []

    @by_data_version(max_entries=2)
    def echo(x: int) -> int:
        calls.append(x)
        return x

    for x in (1, 2, 3):  # three entries in a cache of two: the oldest (1) is dropped
        echo(x)
    echo(3)
    echo(1)
    assert calls == [1, 2, 3, 1]


def test_the_undecorated_reader_stays_reachable(database: str) -> None:
    @by_data_version(max_entries=2)
    def answer() -> int:
        return 42

    assert answer.__wrapped__() == 42
    assert answer.__name__ == "answer"
