"""Learning Portfolio: the router. Page config, schema upgrade and first-run seeding, navigation."""

import streamlit as st

from models import SchemaStateError
from pages import readers

st.set_page_config(**readers.PAGE_CONFIG)
try:
    readers.ensure_seeded()  # the engine upgrades the schema first (models.migrate)
except SchemaStateError as exc:
    st.error(f"The database cannot be used: {exc}.", icon=":material/database:")
    st.stop()

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
        ],
        "Data": [
            st.Page(
                "pages/import_data.py",
                title="Import data",
                icon=":material/upload_file:",
                url_path="import_data",
            ),
        ],
    },
    position="top",
)
with readers.routed_by_app():
    navigation.run()
