"""Every page in Chromium with hostile user text: nothing fetched or linked, text shown as typed.

The portfolio of `tests.hostile` names products, owners, sponsors, problems,
a vendor, content and a scenario with Markdown images and links to
`ATTACKER`, raw HTML, colour directives, icons, LaTeX and formulas. Each page
is loaded (and the views and choices that show those texts are opened); the
browser must send no request to that host (nor for the ``<img src=x>``), the
page must hold no image or link to it, no formula (KaTeX) or coloured text
from a user, and the hostile texts must read exactly as typed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.server import streamlit_server, wait_for_app
from tests.hostile import ATTACKER, LICENSED, PRODUCTS, SCENARIO, TAG, add_hostile_portfolio
from tests.seeded import AS_OF, copy_of

pytestmark = pytest.mark.browser

# Every element whose text Streamlit drew from Markdown, and every plotly text.
_TEXTS = (
    "() => [...document.querySelectorAll("
    "'[data-testid=stMarkdownContainer], [data-testid=stCaptionContainer], "
    "[data-testid=stHeading], [data-testid=stWidgetLabel], .js-plotly-plot text')]"
    ".map(e => e.textContent.replaceAll('\\u2060', ''))"
)


@pytest.fixture(scope="module")
def app_url(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile_browser")
    url = copy_of(seeded_template, folder / "hostile.sqlite")
    add_hostile_portfolio(url, folder)
    with streamlit_server({"DATABASE_URL": url, "LP_AS_OF": AS_OF}) as base:
        yield base


def _hostile(request_url: str) -> bool:
    parts = urlparse(request_url)
    return (parts.hostname or "").endswith(ATTACKER) or parts.path.rstrip("/").endswith("/x")


def _settle(page: Any) -> None:
    page.wait_for_selector("[data-testid=stMain] h1", timeout=60_000)  # every page has a title
    wait_for_app(page)
    page.mouse.wheel(0, 30_000)  # charts below the fold draw when scrolled to
    page.wait_for_timeout(1_500)
    wait_for_app(page)


def _prioritise(page: Any) -> None:
    for view in ("Budget what-if", "Compare scenarios"):
        page.get_by_text(view, exact=True).first.click()
        _settle(page)


def _funding_review(page: Any) -> None:
    box = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(
        has_text="Scenario"
    )
    box.click()
    page.get_by_role("option", name=SCENARIO).click()
    _settle(page)


def _suppliers(page: Any) -> None:
    for tab in ("Renewals", "Contract history"):
        page.get_by_role("tab", name=tab).click()
        _settle(page)


PAGES: dict[str, tuple[str, Callable[[Any], None] | None, list[str]]] = {
    "overview": ("overview", None, []),
    "product": (
        f"product?product={quote(LICENSED)}",
        None,
        [LICENSED, *(v for v in PRODUCTS[LICENSED].values() if v)],
    ),
    "product_tag": (f"product?product={quote(TAG + ' Lab')}", None, [TAG + " Lab"]),
    "plan_actual": ("plan_actual", None, []),
    "suppliers": ("suppliers", _suppliers, [LICENSED]),
    "prioritise": ("prioritise", _prioritise, [SCENARIO]),
    "funding_review": ("funding_review", _funding_review, [SCENARIO]),
    "import_data": ("import_data", None, []),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_hostile_text_is_never_markup_in_the_browser(
    browser: object, app_url: str, name: str
) -> None:
    path, action, expected = PAGES[name]
    page = browser.new_page(viewport={"width": 1500, "height": 1100})  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{app_url}/{path}")
    _settle(page)
    if action is not None:
        action(page)
    assert [r for r in requests if _hostile(r)] == []
    # Nothing leaves the server at all: no fonts, icons or favicons from Google or a CDN.
    app_host = urlparse(app_url).netloc
    outside = [r for r in requests if urlparse(r).scheme in ("http", "https", "ws", "wss")]
    assert [r for r in outside if urlparse(r).netloc != app_host] == []
    sources = page.eval_on_selector_all("img, a, image", "els => els.map(e => e.src || e.href)")
    assert [s for s in sources if _hostile(str(s))] == []
    # Streamlit's own markup only: no formula, colour or icon drawn from a user's text.
    assert page.locator("[data-testid=stMarkdownContainer] .katex").count() == 0
    coloured = page.locator(".stMarkdownColoredText").all_inner_texts()
    assert [t for t in coloured if "boo" in t] == []
    for text in expected:  # a loaded machine may still be drawing the rerun: wait for it
        with contextlib.suppress(PlaywrightTimeout):  # the assertion below says what was there
            page.wait_for_function(
                f"(want) => ({_TEXTS.removeprefix('() => ')}).some(t => t.includes(want))",
                arg=text,
                timeout=60_000,
            )
    texts = page.evaluate(_TEXTS)
    for text in expected:
        assert any(text in t for t in texts), (text, texts)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
