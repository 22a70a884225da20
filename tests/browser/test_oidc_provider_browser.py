"""Streamlit's real OIDC login against the test provider, driven in headless Chromium.

A throwaway script (not the app) shows a "Log in" button calling `st.login`; the
browser follows the whole authorization-code flow (provider form, callback, token
exchange with PKCE, signed ID token) and comes back signed in; "Log out" signs out.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.browser.server import streamlit_server, wait_for_app
from tests.oidc_provider import auth_secrets, oidc_provider, sign_in

pytestmark = pytest.mark.browser

SCRIPT = """
import streamlit as st

if not st.user.is_logged_in:
    st.write("Signed out")
    st.button("Log in", on_click=st.login)
else:
    st.write(f"Signed in as {st.user.email}")
    st.write(f"Name: {st.user.name}")
    st.button("Log out", on_click=st.logout)
"""


def test_log_in_and_out_through_the_provider(browser: object, tmp_path: Path) -> None:
    script = tmp_path / "login_app.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    with (
        oidc_provider() as provider,
        streamlit_server({}, secrets=lambda url: auth_secrets(provider, url), script=script) as url,
    ):
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(url)
        wait_for_app(page)
        page.get_by_text("Signed out").wait_for(timeout=30_000)

        page.get_by_role("button", name="Log in").click()
        page.wait_for_selector("text=Sign in as", timeout=60_000)
        assert page.url.startswith(provider.issuer + "/authorize")
        page.fill("input[name='email']", "viewer@example.com")
        page.get_by_role("button", name="Sign in").click()

        page.get_by_text("Signed in as viewer@example.com").wait_for(timeout=60_000)
        page.get_by_text("Name: Viewer").wait_for(timeout=30_000)
        assert page.url.rstrip("/") == url
        assert provider.logins == ["viewer@example.com"]
        assert provider.pkce_used == [True]  # Streamlit asks for S256 when offered
        assert "_streamlit_user" in {c["name"] for c in context.cookies(url)}

        # st.logout empties st.user at once, so this session's rerun already shows
        # "Signed out"; the cookie goes only when the browser reaches /auth/logout and
        # is sent back to the app as a new page: wait for a document without the mark.
        page.evaluate("window.__before_logout = true")
        page.get_by_role("button", name="Log out").click()
        page.wait_for_function("() => !window.__before_logout", timeout=60_000)
        wait_for_app(page)
        page.get_by_text("Signed out").wait_for(timeout=60_000)
        assert "_streamlit_user" not in {c["name"] for c in context.cookies(url)}
        assert page.locator("[data-testid='stException']").count() == 0

        # The helper signs in the same way, here as someone else.
        sign_in(page, url, "editor@example.com")
        page.get_by_text("Signed in as editor@example.com").wait_for(timeout=60_000)
        assert provider.logins == ["viewer@example.com", "editor@example.com"]
        context.close()
