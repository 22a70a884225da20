"""Prioritise's sidebar: save, load, delete and share the page's scenario."""

from __future__ import annotations

import streamlit as st

from models.scenarios import ScenarioExistsError
from pages import reads, scenario_links, writes
from pages import scenario_state as state
from pages.planning_reads import PlanningData
from pages.safe_text import literal

__all__ = ["scenario_bar"]


def scenario_bar(data: PlanningData, year: int) -> None:
    """The sidebar's scenario box (outside every fragment, so a load redraws every view)."""
    sidebar = st.sidebar
    sidebar.subheader("Scenario")
    sidebar.text_input("Name", key=state.NAME, max_chars=120)
    replace = sidebar.checkbox("Replace a saved scenario of that name", key="prio.replace")
    if sidebar.button("Save scenario", key="prio.save", icon=":material/save:"):
        scenario = state.current(data, year)
        try:
            stored = writes.store(scenario.name, year, scenario.to_dict(), replace=replace)
        except ScenarioExistsError as exc:
            sidebar.error(f"{literal(exc)}: tick “Replace” to overwrite it.")
        except ValueError as exc:
            sidebar.error(literal(exc))
        else:
            sidebar.success(f"Saved “{literal(stored)}”.")
    names = [s.name for s in reads.saved_names(year)]
    if names:
        chosen = sidebar.selectbox("Saved scenarios", names, key="prio.load.name")
        left, right = sidebar.columns(2)
        if left.button("Load", key="prio.load", icon=":material/folder_open:"):
            try:
                scenario = reads.saved_scenario(chosen)
            except reads.ScenarioUnreadableError as exc:
                st.error(literal(exc))
            else:
                if scenario is not None:
                    state.apply(scenario, data)
                    st.rerun()
        if right.button("Delete", key="prio.delete", icon=":material/delete:"):
            writes.delete(chosen)
            st.rerun()
    if sidebar.button("Share a link to this state", key="prio.share", icon=":material/link:"):
        link = scenario_links.share(state.current(data, year))
        sidebar.caption("The address bar now opens this state; copy it:")
        sidebar.code(link, language=None, wrap_lines=True)
