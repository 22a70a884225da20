"""Learning Portfolio: the router. Page config, settings, schema upgrade, seeding, navigation."""

import re

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from models import SchemaStateError
from pages import access, router, warm_up
from pages.safe_text import literal
from settings import SettingsError, get_settings

st.set_page_config(**router.PAGE_CONFIG)
try:
    get_settings()  # checked once, before any page reads a setting
except SettingsError as exc:
    # In a code fence longer than any run of backticks in it, a value as typed is never markup.
    fence = "`" * max([3, *(len(run) + 1 for run in re.findall("`+", str(exc)))])
    st.error(
        f"{fence}\n{exc}\n{fence}",
        title="Learning Portfolio cannot start: fix these settings and restart it.",
        icon=":material/settings:",
    )
    st.stop()
try:
    router.ensure_seeded()  # the engine upgrades the schema first (models.migrate)
except SchemaStateError as exc:
    st.error(f"The database cannot be used: {literal(exc)}.", icon=":material/database:")
    st.stop()
warm_up.watch()  # once per process: pages computed after any import, wherever it was made
access.gate()  # signed in with a role, or the sign-in screen (local mode: this computer)

navigation = st.navigation(
    {
        "Portfolio": [
            st.Page(
                "pages/overview.py",
                title="Portfolio overview",
                icon=":material/dashboard:",
                default=True,
                url_path="overview",
            ),
            st.Page(
                "pages/product.py",
                title="Product",
                icon=":material/inventory_2:",
                url_path="product",
            ),
            st.Page(
                "pages/plan_actual.py",
                title="Plan vs actual",
                icon=":material/table_chart:",
                url_path="plan_actual",
            ),
            st.Page(
                "pages/suppliers.py",
                title="Suppliers",
                icon=":material/storefront:",
                url_path="suppliers",
            ),
        ],
        "Decide": [
            st.Page(
                "pages/prioritise.py",
                title="Prioritise",
                icon=":material/balance:",
                url_path="prioritise",
            ),
            st.Page(
                "pages/funding_review.py",
                title="Funding review",
                icon=":material/request_quote:",
                url_path="funding_review",
            ),
            st.Page(
                "pages/experiments.py",
                title="Experiments",
                icon=":material/science:",
                url_path="experiments",
            ),
        ],
        "Data": [
            st.Page(
                "pages/import_data.py",
                title="Import data",
                icon=":material/upload_file:",
                url_path="import_data",
            ),
            st.Page(
                "pages/manage_data.py",
                title="Manage data",
                icon=":material/edit_note:",
                url_path="manage_data",
            ),
            st.Page(
                "pages/activity.py",
                title="Activity",
                icon=":material/history:",
                url_path="activity",
            ),
        ],
    },
    position="top",
)
with router.routed_by_app():
    navigation.run()
