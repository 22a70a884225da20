"""Activity: who changed what, and when (imports, undos, edits, scenarios, roles, erasures)."""

from __future__ import annotations

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from pages import admin_reads, display, router

router.use_app_router()

LIMIT = 1000

st.title("Activity")
st.caption(
    "Every change to the stored data, newest first, with who made it. Reading, moving sliders "
    "and downloading packs change nothing and are not listed. An erased learner is never named."
)
log = admin_reads.activity(LIMIT)
if log.is_empty():
    st.info("Nothing has been changed yet.")
else:
    shown = log.select(
        When=log["at"].map_elements(display.day_time, return_dtype=str),
        Who=log["actor"],
        Role=log["role"],
        What=log["what"],
        On=log["subject"].fill_null(""),
        Detail=log["detail"].fill_null(""),
        Import=log["import_id"],
    )
    display.data_table(shown, hide_index=True, width="stretch", key="activity.table")
    if log.height == LIMIT:
        st.caption(f"The newest {LIMIT:,} changes are shown.")
