"""Sign-in and roles through app.py: signed out, no role, viewer, editor, admin (AppTest).

`at.secrets` gives the run an `[auth]` section (sign-in configured) and `at.user` the identity
Streamlit's OIDC login would set; the role comes from LP_ROLES or an admin's grant. The real
login flow, against a real OIDC provider in Chromium, is tests/browser/test_sign_in_browser.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from pages.safe_text import shown_text

ROOT = Path(__file__).resolve().parents[2]
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "learning-portfolio",
    "client_secret": "test-client-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = "lead@corp.example=admin, sam@corp.example=editor, corp.example=viewer"


@pytest.fixture(autouse=True)
def _roles(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from settings import get_settings

    monkeypatch.setenv("LP_ROLES", ROLES)
    get_settings.cache_clear()


def _count(url: str, sql: str) -> int:
    eng = create_engine(url)
    with eng.connect() as conn:
        value = conn.execute(text(sql)).scalar_one()
    eng.dispose()
    return int(value)


def _app(email: str | None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email}
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_signed_out_sees_only_the_sign_in_screen() -> None:
    at = _app(None)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.metric


def test_signed_in_without_a_role_sees_no_data() -> None:
    at = _app("eve@elsewhere.example")
    assert "no role is given to you here" in at.warning[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.dataframe and not at.metric


def test_a_viewer_reads_but_every_write_is_hidden(seeded_url: str) -> None:
    before = _count(seeded_url, "SELECT COUNT(*) FROM activity")
    overview = _app("kim@corp.example")
    assert overview.metric  # reads every page
    assert any(
        "kim@corp.example · read-only" in shown_text(c.value) for c in overview.sidebar.caption
    )
    imports = _app("kim@corp.example", "pages/import_data.py")
    assert not imports.get("file_uploader")
    assert any("Read-only" in i.value for i in imports.info)
    manage = _app("kim@corp.example", "pages/manage_data.py")
    assert all(".edit." not in (d.key or "") for d in manage.dataframe)
    assert not [b for b in manage.button if (b.key or "").endswith(".save")]
    assert _count(seeded_url, "SELECT COUNT(*) FROM activity") == before


def test_an_editor_may_import_but_not_manage_roles() -> None:
    imports = _app("sam@corp.example", "pages/import_data.py")
    assert imports.get("file_uploader")
    manage = _app("sam@corp.example", "pages/manage_data.py")
    assert [t.label for t in manage.tabs] == ["Products", "Contracts", "Budgets", "Outcomes"]


def test_an_admin_gives_a_role_in_the_app_and_it_applies_at_the_next_run(
    seeded_url: str,
) -> None:
    manage = _app("lead@corp.example", "pages/manage_data.py")
    assert [t.label for t in manage.tabs][-2:] == ["Roles", "Erase a learner"]
    roles = manage.tabs[4]
    roles.text_input[0].input("kim@corp.example")
    roles.selectbox[0].set_value("editor")
    roles.button[0].click()
    manage.run()
    assert not manage.exception
    assert any("kim@corp.example is now editor" in shown_text(s.value) for s in manage.success)
    imports = _app("kim@corp.example", "pages/import_data.py")
    assert imports.get("file_uploader")  # an editor now
    assert _count(seeded_url, "SELECT COUNT(*) FROM activity WHERE action = 'role_grant'") == 1
    # LP_ROLES decides its own entries: the app refuses to change them
    roles = manage.tabs[4]
    roles.text_input[0].input("corp.example")
    roles.selectbox[0].set_value("admin")
    roles.button[0].click()
    manage.run()
    assert any("LP_ROLES" in shown_text(e.value) for e in manage.error)


def test_read_only_caps_even_an_admin_at_viewer(monkeypatch: pytest.MonkeyPatch) -> None:
    from settings import get_settings

    monkeypatch.setenv("LP_READ_ONLY", "1")
    get_settings.cache_clear()
    at = _app("lead@corp.example", "pages/import_data.py")
    assert not at.get("file_uploader")
    assert any("lead@corp.example · read-only" in shown_text(c.value) for c in at.sidebar.caption)
