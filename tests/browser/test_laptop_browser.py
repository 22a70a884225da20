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


# Every text of every plotly chart, with its fill, except text drawn inside a bar (set
# against the bar's own colour) and hover labels.
_TEXT_FILLS = """() => [...document.querySelectorAll('.js-plotly-plot .main-svg text')]
    .filter(t => !(t.getAttribute('class') || '').includes('bartext-inside')
                 && !t.closest('.hoverlayer'))
    .map(t => [t.textContent, getComputedStyle(t).fill])"""


def _luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.1 relative luminance (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_white(fill: str) -> float:
    """WCAG 2.1 contrast ratio (L1 + 0.05) / (L2 + 0.05) of an "rgb(r, g, b)" fill on white."""
    rgb = tuple(int(v) for v in fill[fill.index("(") + 1 : fill.index(")")].split(",")[:3])
    return 1.05 / (_luminance(rgb) + 0.05)  # type: ignore[arg-type]


def test_contrast_formula_matches_the_w3c_examples() -> None:
    # W3C: black on white is 21:1; #767676 is the lightest grey passing 4.5:1 on white.
    assert contrast_on_white("rgb(0, 0, 0)") == pytest.approx(21.0)
    assert contrast_on_white("rgb(118, 118, 118)") == pytest.approx(4.54, abs=0.01)
    assert contrast_on_white("rgb(128, 132, 149)") < 4.5  # Streamlit's chart grey: 3.7:1


def test_chart_text_is_at_least_4_5_to_1(browser: object, seeded_url: str) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})  # type: ignore[attr-defined]
        low: list[tuple[str, str, str]] = []
        for path in ("", "product", "funding_review", "prioritise"):
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            page.wait_for_selector(".js-plotly-plot text", timeout=60_000)
            wait_for_app(page)
            texts = page.evaluate(_TEXT_FILLS)
            assert texts, path
            low += [(path, t, f) for t, f in texts if t.strip() and contrast_on_white(f) < 4.5]
        assert low == []
        page.close()
