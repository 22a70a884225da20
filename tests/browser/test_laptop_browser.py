"""At laptop sizes (1280×720, 1440×900) no big figure or label is cut to an ellipsis on any
page with tiles, and the Product page's risks open on demand. Issue 13: six tiles across read
"£1.…" and "not…" at 1280; issue 15: every page, both sizes."""

from __future__ import annotations

import pytest

from tests.browser.server import streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

# The text of every metric label or figure wider than its box: Streamlit then ends it in "…".
_CUT = """() => [...document.querySelectorAll("[data-testid='stMetric'] *")]
    .filter(e => getComputedStyle(e).textOverflow === "ellipsis" && e.scrollWidth > e.clientWidth)
    .map(e => e.innerText)"""


# Every page with tiles, and the Prioritise views that have them (a button to click first).
_VIEWS = [
    ("", None),
    ("product", None),
    ("funding_review", None),
    ("prioritise", "Budget what-if"),
    ("prioritise", "Best set under a cap"),
]


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900)])
def test_no_figure_or_label_is_cut(browser: object, seeded_url: str, size: tuple[int, int]) -> None:
    width, height = size
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        for path, click in _VIEWS:
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            if click:
                page.get_by_text(click, exact=True).first.click()
                wait_for_app(page)
            page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
            wait_for_app(page)
            assert page.locator("[data-testid='stMetric']").count() >= 3, (path, click)
            assert page.evaluate(_CUT) == [], (path, click, size)
        page.close()


def test_product_risks_are_read_when_opened(browser: object, seeded_url: str) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
        page.goto(f"{url}/product")
        wait_for_app(page)
        page.wait_for_selector("text=The ask and the risks", timeout=60_000)
        assert page.get_by_text("Does it still make sense to fund?").count() == 0
        page.get_by_text("Risks: value, usability, feasibility, viability").click()
        page.wait_for_selector("text=Does it still make sense to fund?", timeout=60_000)
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()
