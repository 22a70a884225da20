"""The pages in yen: the money of a JPY portfolio reads in whole yen, never in pounds.

The portfolio of `tests.exports.test_currencies` is imported with
`LP_CURRENCY=JPY`; computed by hand there: plan ¥41,000, actual ¥38,500,
forecast ¥39,500, idle spend ¥6,000 (50 idle seats at ¥120), benefits
¥1,125. Headline money is written short (`metrics.text.money_short`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders import import_file
from models import make_engine
from settings import get_settings
from tests.actors import EDITOR
from tests.exports.test_currencies import BUDGETS, OUTCOMES, PRODUCTS, contracts, usage
from tests.pages import open_page


@pytest.fixture
def yen_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'yen.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LP_CURRENCY", "JPY")
    monkeypatch.setenv("LP_AS_OF", "2026-12-31")
    get_settings.cache_clear()
    engine = make_engine(url)
    files = {
        "products.csv": PRODUCTS,
        "budgets.csv": BUDGETS,
        "contracts.csv": contracts("JPY"),
        "outcomes.csv": OUTCOMES,
        "usage.csv": usage(),
    }
    for name, body in files.items():
        assert (
            import_file(body.encode(), file_name=name, engine=engine, actor=EDITOR).status
            == "imported"
        )
    engine.dispose()
    yield url
    get_settings.cache_clear()


def _metrics(at: AppTest) -> dict[str, str]:
    """Each label's first metric (a page's headline comes before a product's own)."""
    found: dict[str, str] = {}
    for m in at.metric:
        found.setdefault(m.label, m.value)
    return found


def _no_pounds(at: AppTest) -> None:
    shown = [m.value for m in at.metric] + [m.value for m in at.markdown]
    shown += [c.value for c in at.caption]
    assert not [text for text in shown if "£" in text or "GBP" in text]


def test_overview_in_yen(yen_url: str) -> None:
    at = open_page("pages/overview.py")
    got = _metrics(at)
    assert (got["Budget plan"], got["Actual to date"], got["Forecast"]) == (
        "¥41k",
        "¥38k",
        "¥40k",
    )
    assert got["Idle spend"] == "¥6.0k"
    assert any("money in JPY" in c.value for c in at.caption)
    _no_pounds(at)


def test_funding_review_in_yen(yen_url: str) -> None:
    at = open_page("pages/funding_review.py")
    got = _metrics(at)
    assert (got["Budget plan"], got["Actual to date"], got["Benefits delivered"]) == (
        "¥41k",
        "¥38k",
        "¥1.1k",
    )
    _no_pounds(at)


def test_prioritise_in_yen(yen_url: str) -> None:
    at = open_page("pages/prioritise.py")
    at.segmented_control(key="prio.view").set_value("Budget what-if").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metrics(at)["Budget plan"] == "¥41k"
    _no_pounds(at)
