"""The Product page's releases: how each was received, and a form to record one."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from metrics.releases import RELEASE_WINDOW_DAYS, release_sentence
from models.access import NotAllowedError
from models.enums import ReleaseKind
from pages import access, evidence_writes, importing
from pages.safe_text import literal

__all__ = ["releases_block"]

_ADDED = "product.release.added"


def releases_block(releases: pl.DataFrame, product: str, year: int) -> None:
    """Each release of the year in words, then (editors) a form to add one."""
    st.markdown(f"**Releases in {year}** (★ on the chart above)")
    if releases.is_empty():
        st.caption(
            f"None recorded for {year}: add one below or import releases.csv. Each release "
            f"shows its active learners in the {RELEASE_WINDOW_DAYS} days before and from it."
        )
    for row in releases.iter_rows(named=True):
        st.markdown("- " + literal(release_sentence(row)))
    if result := st.session_state.pop(_ADDED, None):
        importing.show_results([result])
    if not access.may_write():
        return
    with st.expander("Record a release", icon=":material/new_releases:"):
        with st.form("product.release", clear_on_submit=True):
            a, b, c = st.columns([1, 3, 1])
            day = a.date_input("Date", value=date.today(), format="DD/MM/YYYY")
            title = b.text_input("Title", max_chars=300)
            kind = c.selectbox("Kind", [k.value for k in ReleaseKind])
            go = st.form_submit_button("Record", type="primary")
        if go:
            try:
                st.session_state[_ADDED] = evidence_writes.release(product, day, title, kind)
            except NotAllowedError as exc:
                st.error(literal(exc))
                return
            st.rerun()
