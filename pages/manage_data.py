"""Manage data: edit products, contracts, budgets and outcomes in the app; admins' tools."""

from __future__ import annotations

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from loaders.edits import EDITABLE
from models.access import Role
from pages import access, admin_reads, reads, router
from pages.views.admin import erase_box, roles_box
from pages.views.table_editor import table_editor

router.use_app_router()
who = access.acting()

st.title("Manage data")
st.caption(
    "Change what the templates hold without a spreadsheet. Each save is checked exactly as an "
    "import is (a bad row is refused with its row and column, and nothing is saved), becomes an "
    "import of its own in the history, with who made it and when, and can be undone there."
)
year = router.year_picker("manage.year", label="Year (budgets, outcomes, contracts in force)")
product = st.selectbox("Product", ["All products", *reads.product_names()], key="manage.product")
chosen = None if product == "All products" else product

names = list(EDITABLE)
tabs = st.tabs(
    [name.capitalize() for name in names]
    + (["Roles", "Erase a learner"] if who.may(Role.admin) else [])
)
for tab, table in zip(tabs, names, strict=False):
    with tab:
        table_editor(
            table, admin_reads.table_rows(table, chosen, None if table == "products" else year)
        )
if who.may(Role.admin):
    with tabs[len(names)]:
        roles_box()
    with tabs[len(names) + 1]:
        erase_box()
