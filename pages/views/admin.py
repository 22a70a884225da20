"""The admin's part of Manage data: roles given in the app, and erasing a learner's records."""

from __future__ import annotations

import polars as pl
import streamlit as st

from models.access import NotAllowedError, Role
from pages import admin_reads, display, writes
from pages.cache import settings
from pages.safe_text import literal

__all__ = ["erase_box", "roles_box"]


def roles_box() -> None:
    """Who has which role: `LP_ROLES` (fixed here) and the grants made in the app."""
    configured = settings().role_map()
    granted = admin_reads.grants()
    rows = [(s, r.value, "LP_ROLES (the deployment's list)", "") for s, r in configured.items()]
    rows += [
        (g.subject, str(g.role), f"given in the app by {g.granted_by}", display.day(g.granted_at))
        for g in granted
    ]
    display.data_table(
        pl.DataFrame(rows, schema=["Who", "Role", "From", "Given on"], orient="row"),
        hide_index=True,
        width="stretch",
        key="manage.roles.table",
    )
    st.caption(
        "Who is an e-mail address, a domain (covering its sub-domains) or * (everyone signed "
        "in). The most specific entry wins; LP_ROLES wins over the app for the same entry."
    )
    with st.form("manage.roles.form", clear_on_submit=True):
        left, right = st.columns([3, 1])
        subject = left.text_input("E-mail, domain or *", max_chars=320)
        role = right.selectbox("Role", [r.value for r in Role])
        give = st.form_submit_button("Give this role")
    if give:
        try:
            stored = writes.grant(subject, Role(role))
        except (ValueError, NotAllowedError) as exc:
            st.error(literal(exc))
        else:
            st.success(f"{literal(stored)} is now {role}.")
    if granted:
        taken = st.selectbox(
            "Take back a role given in the app",
            [g.subject for g in granted],
            index=None,
            key="manage.roles.revoke",
        )
        if taken and st.button("Take it back", key="manage.roles.revoke.go"):
            try:
                writes.revoke(taken)
            except NotAllowedError as exc:
                st.error(literal(exc))
            else:
                st.success(f"The role given to {literal(taken)} in the app is taken back.")


def erase_box() -> None:
    """Erase every stored usage fact of one learner, after a confirmation."""
    st.write(
        "On a learner's request, erase every usage fact keyed by them, from every import. "
        "The activity log records that an erasure happened and how many facts it removed, "
        "never who. A file imported later that names them brings new facts in."
    )
    with st.form("manage.erase.form", clear_on_submit=True):
        identity = st.text_input("The learner's e-mail or employee id", max_chars=320)
        sure = st.checkbox("I understand this cannot be undone")
        go = st.form_submit_button("Erase their records", type="primary")
    if not go:
        return
    if not sure:
        st.warning("Tick “I understand this cannot be undone” to erase.")
        return
    try:
        done = writes.erase(identity)
    except (ValueError, NotAllowedError) as exc:
        st.error(literal(exc))
        return
    if done.learners == 0:
        st.info("No stored learner matches that e-mail or id: nothing was erased.")
    else:
        st.success(f"Erased {done.facts:,} usage fact(s) from {done.imports:,} import(s).")
