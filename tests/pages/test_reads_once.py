"""A page's cold run reads the year's usage facts once, whatever it draws (issue 20).

The usage read is a page's largest cost (a million rows a year is ordinary), so
a cold run (caches cleared, as after an import) must cost that read once and
the compute after it. Two cached readers of one page each reading the year
made the Suppliers page read it twice (its tabs are drawn together), and the
Import page computed the whole overview for its freshness table; it now asks
the database how far each product's usage runs and reads no fact. These tests
count the calls of `models.frames.usage_frame` (which every frame reader of a
page goes through) during each page's cold run on the seeded sample.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import models.frames

ROOT = Path(__file__).resolve().parents[2]

# Page file -> the usage reads its cold run makes: one each, none for the Import page.
PAGES = {
    "pages/overview.py": 1,
    "pages/plan_actual.py": 1,
    "pages/suppliers.py": 1,
    "pages/prioritise.py": 1,
    "pages/funding_review.py": 1,
    "pages/import_data.py": 0,
}


@pytest.mark.parametrize("page", list(PAGES))
def test_a_cold_page_reads_the_years_usage_once(
    page: str, seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    del seeded_url  # selected through DATABASE_URL
    reads: list[tuple[Any, ...]] = []
    usage_frame = models.frames.usage_frame

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(tuple(sorted(kwargs)))
        return usage_frame(*args, **kwargs)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    st.cache_data.clear()  # cold, as after an import
    monkeypatch.setattr(models.frames, "usage_frame", counted)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(reads) == PAGES[page], f"{page} read the usage {len(reads)} times"


def test_the_counter_sees_a_second_read(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The count itself: two cached readers of the year each reading it count twice."""
    del seeded_url
    from pages import reads, supplier_reads

    calls: list[int] = []
    usage_frame = models.frames.usage_frame

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return usage_frame(*args, **kwargs)

    monkeypatch.setattr(models.frames, "usage_frame", counted)
    as_of = reads.settings().today()
    reads.portfolio_view.__wrapped__(2026, as_of)  # type: ignore[attr-defined]
    supplier_reads.suppliers_year.__wrapped__(2026, as_of, 60, 45)  # type: ignore[attr-defined]
    assert len(calls) == 2


def test_the_import_page_computes_freshness_not_the_scorecard(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its Data freshness tab needs how far each product's usage runs, not the scorecard."""
    del seeded_url
    import metrics.scorecard

    scored: list[int] = []
    figures = metrics.scorecard.scorecard_figures

    def counted(*args: Any, **kwargs: Any) -> Any:
        scored.append(1)
        return figures(*args, **kwargs)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    st.cache_data.clear()
    monkeypatch.setattr(metrics.scorecard, "scorecard_figures", counted)
    at.switch_page("pages/import_data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(d.value.shape[0] for d in at.dataframe)  # the freshness table is drawn
    assert scored == []
