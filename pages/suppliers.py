"""Suppliers: contracts by vendor, renewals to decide, contract history, seats to reclaim."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from pages import display, router, supplier_reads
from pages.cache import settings
from pages.views import reclaim_view, suppliers_view

router.use_app_router()
config = settings()
as_of = config.today()
currency = config.reporting_currency

st.title("Suppliers")
year = router.year_picker("suppliers.year", as_of=as_of)
st.caption(
    f"{year} · licence contracts in force in the year · as of {display.day(as_of)} · "
    f"money in {currency}."
)

# Every tab's figures from one read of the year (Streamlit draws all the tabs at once).
views = supplier_reads.year_views(year, as_of)
# One entry per tab, drawn in this order: a further tab is one more line here.
TABS: dict[str, Callable[[], None]] = {
    "Contracts by vendor": lambda: suppliers_view.contracts_by_vendor(
        views.suppliers, year=year, currency=currency
    ),
    "Renewals": lambda: suppliers_view.renewals(
        supplier_reads.renewals_view(as_of, views), as_of=as_of, currency=currency
    ),
    "Contract history": lambda: suppliers_view.contract_history(
        supplier_reads.contracted_products(), currency=currency
    ),
    "Seats to reclaim": lambda: reclaim_view.render_reclaim(year, views.reclaim),
}
for tab, draw in zip(st.tabs(list(TABS)), TABS.values(), strict=True):
    with tab:
        draw()
