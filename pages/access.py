"""Who is using the app, with which role: sign-in, the read-only notice, the acting user.

With Streamlit's OIDC sign-in configured (an `[auth]` section in
`.streamlit/secrets.toml`), each visitor signs in and gets the role
`LP_ROLES` or an admin's grant gives their e-mail (`models.access`); someone
with no role sees no data. Without it, the app is one person's: a local
editor (a viewer when `LP_READ_ONLY=1`).

Why the pages ask here for the actor at each write and never keep it in the
session: the role is worked out from `st.user` (set by the server from the
signed cookie) on every run, so nothing a browser sends can raise it, and a
role taken back applies at the next rerun.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from models import session_scope
from models.access import Actor, Role, resolve_role
from models.roles import granted_roles
from pages.cache import by_data_version, engine, settings
from pages.safe_text import literal

__all__ = [
    "READ_ONLY_NOTE",
    "acting",
    "actor",
    "gate",
    "may_write",
    "read_only_note",
    "sign_in_configured",
]

LOCAL_USER = "local user"
READ_ONLY_NOTE = (
    "Read-only: you can read every page, move sliders, compare scenarios and download packs; "
    "importing, undoing, editing data and saving scenarios need the editor role."
)


def sign_in_configured() -> bool:
    """Whether OIDC sign-in is set up (`[auth]` in `.streamlit/secrets.toml`)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


@by_data_version(max_entries=2)
def _grants() -> dict[str, Role]:
    """The roles admins gave in the app (a grant bumps the data version)."""
    with session_scope(engine()) as session:
        return granted_roles(session)


def _email() -> str | None:
    if not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    return str(email).strip() if email else None


def actor() -> Actor | None:
    """The person using this session, with their role; None when signed out or without a role."""
    config = settings()
    if not sign_in_configured():
        return Actor(LOCAL_USER, Role.viewer if config.read_only else Role.editor)
    email = _email()
    if email is None:
        return None
    role = resolve_role(email, configured=config.role_map(), granted=_grants())
    if role is None:
        return None
    return Actor(email, Role.viewer if config.read_only else role)


def acting() -> Actor:
    """The actor a write is made as: this session's, or a signed-out viewer (refused).

    Writes pass this to `loaders`/`models`, which check the role themselves.
    """
    return actor() or Actor("a signed-out visitor", Role.viewer)


def may_write() -> bool:
    """Whether this session may import, undo, edit and save (an editor or an admin)."""
    who = actor()
    return who is not None and who.may(Role.editor)


def read_only_note() -> None:
    """Say, where a write would be offered, that this session is read-only."""
    st.info(READ_ONLY_NOTE, icon=":material/visibility:")


def gate() -> Actor:
    """Stop the page unless someone with a role is using it; show who they are in the sidebar.

    Signed out: a sign-in screen. Signed in without a role: who they are,
    that an admin can give them one, and a sign-out button.
    """
    who = actor()
    if who is None and sign_in_configured() and _email() is None:
        st.title("Learning Portfolio")
        st.write("Sign in with your organisation's account to see the portfolio.")
        st.button("Sign in", type="primary", on_click=st.login, icon=":material/login:")
        st.stop()
    if who is None:
        st.title("Learning Portfolio")
        st.warning(
            f"You are signed in as {literal(_email() or 'an account without an e-mail')}, "
            "but no role is given to you here. Ask an admin to give you one.",
            icon=":material/lock:",
        )
        st.button("Sign out", on_click=st.logout, icon=":material/logout:")
        st.stop()
    _account(who)
    return who


def _account(who: Actor) -> None:
    """Who is signed in and their role, in the sidebar, with sign-out when signed in.

    Without sign-in, the local editor sees nothing extra: the machine is theirs.
    """
    with st.sidebar:
        label = "read-only" if who.read_only else who.role.value
        if who.name == LOCAL_USER:  # one person's machine: said only when it is read-only
            if who.read_only:
                st.caption(f":material/visibility: This computer · {label}")
        else:
            st.caption(f":material/person: {literal(who.name)} · {label}")
            st.button("Sign out", key="access.sign_out", on_click=st.logout)
