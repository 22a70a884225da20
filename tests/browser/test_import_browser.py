"""The Import page in Chromium at laptop sizes: an earlier file's result does not linger, a bad
date in an unread column is a visible warning, and an unknown file's mapping is guessed from its
values (issue 15). Set LP_SHOTS to a folder to keep the screenshots for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.server import streamlit_server, wait_for_app
from tests.pages.test_import_page import COURSES, LINKEDIN

pytestmark = pytest.mark.browser

_INPUT = "[data-testid='stFileUploaderDropzoneInput']"
USAGE = (
    b"product,learner,content_title,date,minutes,Last login\n"
    b"LinkedIn Learning,zoe.moss9@northwind.example,Excel,05/11/2026,30,2026-11-01\n"
    b"LinkedIn Learning,ian.ross7@northwind.example,Excel,06/11/2026,15,not a date\n"
)


def _upload(page: object, name: str, data: bytes) -> None:
    page.set_input_files(  # type: ignore[attr-defined]
        _INPUT, files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    page.wait_for_timeout(1000)  # type: ignore[attr-defined]
    wait_for_app(page)


def _shot(page: object, name: str, width: int) -> None:
    """The whole page (Streamlit scrolls inside its main container, so the viewport grows)."""
    folder = os.environ.get("LP_SHOTS")
    if not folder:
        return
    size = page.viewport_size  # type: ignore[attr-defined]
    tall = page.evaluate(  # type: ignore[attr-defined]
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
    )
    page.set_viewport_size({"width": width, "height": max(size["height"], tall)})  # type: ignore[attr-defined]
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    page.screenshot(path=str(Path(folder) / f"import_{name}_{width}.png"))  # type: ignore[attr-defined]
    page.set_viewport_size(size)  # type: ignore[attr-defined]


def _headings(page: object) -> list[str]:
    return page.locator("h3").all_inner_texts()  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1440, 900)])
def test_results_go_with_their_files_and_warnings_show(
    browser: object, seeded_url: str, width: int, height: int
) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        page.goto(f"{url}/import_data")
        wait_for_app(page)
        other = LINKEDIN.replace(b"Negotiation", f"Negotiation {width}".encode())
        _upload(page, "li_nov.csv", other)
        _shot(page, "preview", width)
        page.get_by_role("button", name="Import 1 file(s)").click()
        page.wait_for_selector("h3:has-text('Result')", timeout=60_000)
        wait_for_app(page)
        _shot(page, "result", width)
        # Another file joins the upload: the earlier file's result is gone.
        _upload(page, "usage.csv", USAGE.replace(b"Excel", f"Excel {width}".encode()))
        assert "Result" not in _headings(page)
        warning = page.get_by_text("1 warning in columns this format does not read")
        assert warning.is_visible()
        _shot(page, "warning", width)
        # Import it, then remove every upload: the result goes with them.
        page.get_by_role("button", name="Import 1 file(s)").click()
        page.wait_for_selector("h3:has-text('Result')", timeout=60_000)
        wait_for_app(page)
        for name in ("li_nov.csv", "usage.csv"):
            page.get_by_label(f"Remove {name}").click()
            page.wait_for_timeout(500)
            wait_for_app(page)
        assert "Result" not in _headings(page)
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1440, 900)])
def test_an_unknown_files_mapping_is_guessed_from_its_values(
    browser: object, seeded_url: str, width: int, height: int
) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        page.goto(f"{url}/import_data")
        wait_for_app(page)
        _upload(page, "courses.csv", COURSES)
        page.wait_for_selector("text=Save mapping", timeout=60_000)

        def chosen(label: str) -> str:
            return page.get_by_role("combobox", name=label, exact=True).input_value()  # type: ignore[no-any-return]

        weak_key = "Learner name (only if there is no e-mail or id: a weak key)"
        assert chosen(weak_key) == "Participant"
        assert chosen("Content title") == "Coursename"
        assert chosen("Time spent") == "Spent"
        assert chosen("Learner: e-mail or employee id") == "—"  # no e-mail or id column
        _shot(page, "mapping", width)
        page.close()


SURVEY_EXPORT = (
    b"ID,Start time,Completion time,Email,Name,How likely are you to recommend this course?,"
    b"How relevant was it to your job?,Have you applied what you learned?\n"
    b"1,3/2/2026 9:01,3/2/2026 9:04,ann@x.example,Ann Lee,10 - Extremely likely,4,Yes\n"
    b"2,3/3/2026 9:01,3/3/2026 9:05,bob@x.example,Bob Ray,6,2,No\n"
)


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1440, 900)])
def test_a_survey_export_is_taken_for_survey_answers_with_its_columns_guessed(
    browser: object, seeded_url: str, width: int, height: int
) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        page.goto(f"{url}/import_data")
        wait_for_app(page)
        _upload(page, "forms.csv", SURVEY_EXPORT)
        page.wait_for_selector("text=Save mapping", timeout=60_000)
        survey = page.get_by_role("radio", name="survey answers (fills survey.csv)")
        assert survey.is_checked()
        combo = page.get_by_role("combobox", name="How likely to recommend (0-10)", exact=True)
        assert combo.input_value() == "How likely are you to recommend this course?"
        assert page.locator("[data-testid='stException']").count() == 0
        _shot(page, "survey_mapping", width)
        page.close()


# A label Streamlit cuts with "…" is an element with text-overflow: ellipsis wider inside than out.
_CLIPPED = """() => [...document.querySelectorAll('[data-testid="stDownloadButton"] *')]
    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth)
    .map(e => e.innerText)"""


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1440, 900)])
def test_every_template_button_reads_in_full(
    browser: object, seeded_url: str, width: int, height: int
) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        page.goto(f"{url}/import_data")
        wait_for_app(page)
        page.get_by_role("tab", name="Templates").click()
        page.get_by_text("releases.csv", exact=True).wait_for(timeout=60_000)
        assert page.evaluate(_CLIPPED) == []
        page.close()
