"""The overview in a real browser: it renders its figures, charts and table, no error box."""

from __future__ import annotations

import pytest

from tests.browser.server import streamlit_server, wait_for_app

pytestmark = pytest.mark.browser


def test_overview_renders_in_chromium(browser: object, seeded_url: str) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})  # type: ignore[attr-defined]
        page.goto(url)
        wait_for_app(page)
        page.wait_for_selector("text=Portfolio overview")
        page.wait_for_selector("[data-testid='stMetric']")
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
        assert {"Budget plan", "Actual to date", "Forecast", "Idle spend"} <= set(labels)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator(".js-plotly-plot").count() >= 2
        page.close()


def test_a_product_link_opens_that_product_in_that_year(browser: object, seeded_url: str) -> None:
    """The link a selected row offers (`pages.links.product_link`), opened as a user would."""
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})  # type: ignore[attr-defined]
        page.goto(url)  # a fresh server's first page run skips the menu (pages.router)
        wait_for_app(page)
        page.goto(f"{url}/product?product=Udemy+Tech+Skills&year=2025")
        wait_for_app(page)
        page.locator("h1", has_text="Udemy Tech Skills").first.wait_for(timeout=60_000)
        caption = page.locator("[data-testid='stCaptionContainer']").first.inner_text()
        assert caption.endswith("2025"), caption  # "programme · mature · Udemy … · 2025"
        # The year carries to the next page opened from the menu (same session). A link's first
        # run in a fresh process has no menu (pages.router): a reload keeps ?year= and has one.
        page.reload()
        wait_for_app(page)
        page.get_by_text("Portfolio", exact=True).first.click()
        page.get_by_text("Plan vs actual", exact=True).first.click()
        wait_for_app(page)
        page.wait_for_selector("text=Plan vs actual", timeout=60_000)
        assert "2025" in page.locator("[data-testid='stCaptionContainer']").first.inner_text()
        page.close()
