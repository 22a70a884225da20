"""Sign-in in Chromium against a real OIDC provider: a viewer reads, tries to write, changes none.

The provider (tests/oidc_provider.py) serves discovery, a sign-in form, tokens and JWKS; the
app runs with an `[auth]` secrets file pointing at it and LP_ROLES giving the roles, exactly
as a deployment would (README, "Deploying for a team").
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from tests.browser.server import streamlit_server, wait_for_app
from tests.oidc_provider import auth_secrets, oidc_provider, sign_in

pytestmark = pytest.mark.browser

ROLES = "viewer@corp.example=viewer, editor@corp.example=editor"
_UPLOAD = "[data-testid='stFileUploaderDropzoneInput']"


def _snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    import models.tables  # noqa: F401  (registers every table)

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: sorted(
                    (tuple(r) for r in conn.execute(text(f'SELECT * FROM "{name}"'))), key=repr
                )
                for name in SQLModel.metadata.tables
            }
    finally:
        engine.dispose()


def _open(page: Any, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def _signed_in(browser: Any, url: str, email: str) -> Any:
    """A page of a fresh browser context (cookies are per context) signed in as `email`."""
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    _open(page, url)
    sign_in(page, url, email)
    wait_for_app(page)
    return page


def test_a_signed_in_viewer_can_read_but_not_change_anything(browser: Any, seeded_url: str) -> None:
    before = _snapshot(seeded_url)
    env = {"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23", "LP_ROLES": ROLES}
    with (
        oidc_provider() as provider,
        streamlit_server(env, secrets=lambda url: auth_secrets(provider, url)) as url,
    ):
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        _open(page, url)
        page.get_by_role("button", name=re.compile("Sign in")).wait_for(timeout=60_000)
        assert page.locator("[data-testid='stMetric']").count() == 0  # no data before sign-in
        sign_in(page, url, "viewer@corp.example")
        wait_for_app(page)
        # (an e-mail is shown as typed: WORD JOINERs keep Streamlit from making it a link)
        page.get_by_text(re.compile("viewer@\u2060?corp.example · read-only")).wait_for(
            timeout=60_000
        )
        page.locator("[data-testid='stMetric']").first.wait_for(
            timeout=60_000
        )  # reads the overview
        # Import data: the upload is not offered, the page says why
        _open(page, f"{url}/import_data")
        page.get_by_text("Read-only: you can read every page").first.wait_for(timeout=60_000)
        assert page.locator(_UPLOAD).count() == 0
        # Prioritise: sliders move, saving is not offered
        _open(page, f"{url}/prioritise")
        page.get_by_text("Read-only: load, compare and share scenarios").wait_for(timeout=60_000)
        assert page.get_by_role("button", name="Save scenario").count() == 0
        # Manage data: tables to read, no editor and no Save
        _open(page, f"{url}/manage_data")
        page.get_by_text("Read-only: you can read every page").first.wait_for(timeout=60_000)
        assert page.get_by_role("button", name="Save changes").count() == 0
        page.context.close()
        # Someone with no role sees nothing; an editor gets the upload
        stranger = _signed_in(browser, url, "stranger@elsewhere.example")
        stranger.get_by_text("no role is given to you here").wait_for(timeout=60_000)
        assert stranger.locator("[data-testid='stMetric']").count() == 0
        stranger.context.close()
        editor = _signed_in(browser, url, "editor@corp.example")
        _open(editor, f"{url}/import_data")
        editor.locator(_UPLOAD).wait_for(state="attached", timeout=60_000)
        editor.context.close()
    assert _snapshot(seeded_url) == before
