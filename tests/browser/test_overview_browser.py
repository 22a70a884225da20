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
