"""The Product page's licence: seats, utilisation, idle spend, the renewal and over-subscription.

Apart from `pages/product.py` (a page stays under 200 lines). Seats are
bought for the whole product, so these figures never narrow to the org units
chosen; with a filter on, the utilisation says so.
"""

from __future__ import annotations

import streamlit as st

from pages import display
from pages.product_reads import ProductView

__all__ = ["licence_block"]


def licence_block(view: ProductView, *, currency: str, filtered: bool) -> None:
    """The licence section; nothing without a contract in force in the year."""
    if view.renewal is None:
        return
    card = view.card
    st.subheader("Licence")
    l1, l2, l3 = st.columns(3)
    display.figure_tile(l1, "Seats", display.count(card["seats"]))
    display.figure_tile(
        l2,
        "Seat utilisation",
        display.pct(card["seat_utilisation"]),
        note="every learner, not per unit" if filtered else None,
        help="Active learners over the contract term ÷ seats (capped at 100%).",
    )
    display.figure_tile(
        l3,
        "Idle spend",
        display.money_short(card["idle_spend"], currency),
        help="Idle seats × price per seat.",
    )
    if view.renews_soon:
        st.warning(f"{view.renewal_text} Decide on the seats before then.", icon=":material/event:")
    else:
        st.caption(view.renewal_text)
    if over := card["over_subscribed_by"]:
        st.caption(f"Over-subscribed by {display.count(over, 'learners')}.")
