"""The Suppliers page's tabs: contracts by vendor, renewals to decide, contract history.

Each function draws one tab from a cached read (`pages.supplier_reads`);
every figure comes computed from `metrics.suppliers`, and the tables keep
numbers as numbers (`pages.views.supplier_tables`).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages import display
from pages.safe_text import literal
from pages.supplier_reads import RenewalsView, SupplierView, contract_history_view
from pages.views import supplier_tables as tables

__all__ = ["contract_history", "contracts_by_vendor", "renewals"]


def contracts_by_vendor(view: SupplierView, *, year: int, currency: str) -> None:
    """Vendors side by side, then every contract in force in the year."""
    if view.vendors.is_empty():
        st.info(
            f"No supplier in {year}: no contract in force and no product with a vendor has "
            "costs or usage. Import contracts.csv on the Import data page."
        )
        return
    st.subheader("Vendors compared")
    st.caption(
        "Cost per active learner and per completion use each vendor's products' actual cost "
        "(all cost categories) ÷ their distinct active learners or completions in the year. "
        "Utilisation = seats in use ÷ seats, over the contracts whose usage is tracked. "
        "“—”: no licence contract, or usage not tracked."
    )
    tables.show(
        view.vendors,
        tables.VENDORS,
        key="suppliers.vendors",
        currency=currency,
        pinned="Vendor",
        placeholder="—",
    )
    st.subheader(f"Contracts in force in {year}")
    if view.contracts.is_empty():
        st.info(f"No licence contract is in force in {year}.")
        return
    st.caption(
        "Contract value = seats × price per seat for the term; licence actual = the product's "
        "actual licence cost in the budgets, to date. Utilisation, idle seats and idle spend "
        "are the product's, as on its Product page (active learners over the term ÷ seats); a "
        "product with several contracts shares them in proportion to seats and value."
    )
    tables.show(
        view.contracts,
        tables.CONTRACTS,
        key="suppliers.contracts",
        currency=currency,
        pinned="Product",
    )


def renewals(view: RenewalsView, *, as_of: date, currency: str) -> None:
    """The renewals to decide as of today, the rule, the stake, and the list to download."""
    st.caption(
        f"{view.rule} Days counted from {display.day(as_of)}, over the contracts in force in "
        f"{view.year}; a contract already followed by a later term is left out."
    )
    if view.renewals.is_empty():
        st.success(view.summary, icon=":material/event_available:")
        return
    st.warning(view.summary, icon=":material/event:")
    tables.show(
        view.renewals,
        tables.RENEWALS,
        key="suppliers.renewals",
        currency=currency,
        pinned="Product",
    )
    st.download_button(
        "Download the list (CSV)",
        data=lambda: tables.renewals_csv(view.renewals, currency=currency),
        file_name=f"renewals_to_decide_{as_of.isoformat()}.csv",
        mime="text/csv",
        key="suppliers.renewals.download",
        icon=":material/download:",
        on_click="ignore",
    )


def contract_history(products: dict[str, int], *, currency: str) -> None:
    """A product picker, then every term of the product's contracts with what changed."""
    if not products:
        st.info("No contract imported yet: import contracts.csv on the Import data page.")
        return
    name = st.selectbox("Product", list(products), key="suppliers.history.product")
    history = contract_history_view(products[name])
    st.caption(
        f"Every contract term of {literal(name)}, every year, oldest first. A term starting "
        "inside an earlier one of the same vendor adds seats mid-term; a later term renews; "
        "“Restated” lists later imports that changed a term's seats, price or end."
    )
    tables.show(
        history,
        tables.HISTORY,
        key="suppliers.history",
        currency=currency,
        placeholder="",
    )
