"""Prioritise and Funding review in a real browser: live fragments, share links, downloads.

AppTest reruns the whole script for a widget inside an `st.fragment`, so the
fragment's behaviour (moving a slider updates its view in place) is checked
here, in Chromium.
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urlencode

import pytest

from tests.browser.server import streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

ENV = {"LP_AS_OF": "2026-11-23"}


def _metric(page: object, label: str) -> str:
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first  # type: ignore[attr-defined]
    return card.locator("[data-testid='stMetricValue']").inner_text()


def _thumb(slider: object) -> str:
    """The value a slider shows on its thumb."""
    return slider.locator("[data-testid='stSliderThumbValue']").inner_text().strip()  # type: ignore[attr-defined]


def test_a_budget_slider_updates_the_what_if_in_place(browser: object, seeded_url: str) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, **ENV}) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 1400})  # type: ignore[attr-defined]
        page.goto(f"{url}/prioritise")
        wait_for_app(page)
        page.get_by_text("Budget what-if", exact=True).first.click()
        page.wait_for_selector("text=Change each product's budget")
        wait_for_app(page)
        before = _metric(page, "Scenario spend")
        slider = page.locator("[data-testid='stSlider']").filter(has_text="Leading at Northwind")
        thumb = slider.get_by_role("slider")
        thumb.focus()
        for _ in range(10):  # 10 steps of 5 %: −50 %
            page.keyboard.press("ArrowLeft")
        page.wait_for_function(
            "(before) => [...document.querySelectorAll('[data-testid=stMetric]')]"
            ".some(m => m.innerText.includes('Scenario spend') && !m.innerText.includes(before))",
            arg=before,
            timeout=30_000,
        )
        assert _metric(page, "Scenario spend") != before
        assert _thumb(slider) == "-50%"
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()


def test_a_shared_link_opens_the_page_in_its_state(browser: object, seeded_url: str) -> None:
    query = urlencode({"name": "Reach first", "y": "2026", "w": "reach:10"})
    with streamlit_server({"DATABASE_URL": seeded_url, **ENV}) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})  # type: ignore[attr-defined]
        page.goto(f"{url}/prioritise?{query}")
        wait_for_app(page)
        page.wait_for_selector("[data-testid='stDataFrame']")
        reach = page.locator("[data-testid='stSlider']").filter(has_text="Reach & utilisation")
        assert float(_thumb(reach)) == 10
        fit = page.locator("[data-testid='stSlider']").filter(has_text="Strategic fit")
        assert float(_thumb(fit)) == 0
        assert page.get_by_label("Name", exact=True).input_value() == "Reach first"
        page.close()


def test_the_funding_review_downloads_an_excel_workbook(browser: object, seeded_url: str) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, **ENV}) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})  # type: ignore[attr-defined]
        page.goto(f"{url}/funding_review")
        wait_for_app(page)
        page.wait_for_selector("text=Recommendation per product")
        with page.expect_download(timeout=60_000) as download:
            page.get_by_text("Excel workbook", exact=True).click()
        data = open(download.value.path(), "rb").read()  # noqa: SIM115
        assert download.value.suggested_filename == "funding_review_2026.xlsx"
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "xl/workbook.xml" in names
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()


def test_pairwise_and_back_keeps_the_slider_weights(browser: object, seeded_url: str) -> None:
    """The Ranking view is a fragment: a run drawing the AHP pairs forgot the sliders (0.00)."""
    with streamlit_server({"DATABASE_URL": seeded_url, **ENV}) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
        page.goto(f"{url}/prioritise")
        wait_for_app(page)
        sliders = page.locator("[data-testid='stSlider']")
        # The ranking's chart comes after the five weight sliders: the view is fully drawn.
        page.wait_for_selector("text=What drives each product's score", timeout=120_000)
        wait_for_app(page)
        before = [_thumb(sliders.nth(i)) for i in range(5)]
        assert before == ["3.00", "2.00", "2.00", "3.00", "1.00"]  # planning.criteria defaults
        page.get_by_text("Pairwise comparison (AHP)", exact=True).click()
        page.wait_for_selector("text=Consistency ratio", timeout=60_000)
        wait_for_app(page)
        page.get_by_text("Sliders", exact=True).click()
        page.wait_for_selector("text=What drives each product's score", timeout=120_000)
        # The pairwise view's word sliders ("as important as") may still be on the page for a
        # moment on a loaded machine: wait for five numeric thumbs, the weight sliders.
        page.wait_for_function(
            """() => [...document.querySelectorAll("[data-testid='stSliderThumbValue']")]
                .slice(0, 5).filter(t => /^[0-9.]+$/.test(t.textContent.trim())).length === 5""",
            timeout=60_000,
        )
        wait_for_app(page)
        assert [_thumb(sliders.nth(i)) for i in range(5)] == before
        page.close()
