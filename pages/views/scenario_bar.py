"""Prioritise's sidebar: save, load, delete and share the page's scenario."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from models.access import NotAllowedError
from models.scenarios import ScenarioExistsError
from pages import access, reads, scenario_links, writes
from pages import scenario_state as state
from pages.planning_reads import PlanningData
from pages.safe_text import literal

__all__ = ["LOAD_NAME", "scenario_bar"]

LOAD_NAME = "prio.load.name"
_LOAD_PROBLEM = "prio.load.problem"
_DELETING = "prio.delete.pending"


def scenario_bar(data: PlanningData, year: int) -> None:
    """The sidebar's scenario box (outside every fragment, so a load redraws every view)."""
    sidebar = st.sidebar
    sidebar.subheader("Scenario")
    editor = access.may_write()
    if editor:
        _save_box(data, year)
    else:
        sidebar.caption(
            ":material/visibility: Read-only: load, compare and share scenarios; saving and "
            "deleting need the editor role."
        )
    names = [s.name for s in reads.saved_names(year)]
    if names:
        chosen = sidebar.selectbox("Saved scenarios", names, key=LOAD_NAME)
        left, right = sidebar.columns(2)
        left.button(
            "Load", key="prio.load", icon=":material/folder_open:", on_click=_load, args=(data,)
        )
        if problem := st.session_state.pop(_LOAD_PROBLEM, None):
            sidebar.error(literal(problem))
        if editor:
            right.button(
                "Delete",
                key="prio.delete",
                icon=":material/delete:",
                on_click=_ask_delete,
                args=(chosen,),
            )
            _confirm_delete(sidebar)
    if sidebar.button("Share a link to this state", key="prio.share", icon=":material/link:"):
        link = scenario_links.share(state.current(data, year))
        sidebar.caption("The address bar now opens this state; copy it:")
        sidebar.code(link, language=None, wrap_lines=True)


def _save_box(data: PlanningData, year: int) -> None:
    """The name, "Replace" and "Save scenario" (editors only)."""
    sidebar = st.sidebar
    sidebar.text_input("Name", key=state.NAME, max_chars=120)
    replace = sidebar.checkbox("Replace a saved scenario of that name", key="prio.replace")
    if sidebar.button("Save scenario", key="prio.save", icon=":material/save:"):
        scenario = state.current(data, year)
        try:
            stored = writes.store(scenario.name, year, scenario.to_dict(), replace=replace)
        except ScenarioExistsError as exc:
            sidebar.error(f"{literal(exc)}: tick “Replace” to overwrite it.")
        except (ValueError, NotAllowedError) as exc:
            sidebar.error(literal(exc))
        else:
            sidebar.success(f"Saved “{literal(stored)}”.")


def _load(data: PlanningData) -> None:
    """Set every widget to the chosen scenario, in the button's callback.

    Why a callback: Streamlit lets a widget's value be set only before the
    widget is drawn in a run; callbacks run before the rerun draws anything.
    """
    try:
        scenario = reads.saved_scenario(st.session_state[LOAD_NAME])
    except reads.ScenarioUnreadableError as exc:
        st.session_state[_LOAD_PROBLEM] = str(exc)
        return
    if scenario is not None:
        state.apply(scenario, data)


def _ask_delete(name: str) -> None:
    st.session_state[_DELETING] = name


def _cancel_delete() -> None:
    st.session_state.pop(_DELETING, None)


def _delete(name: str) -> None:
    st.session_state.pop(_DELETING, None)
    try:
        writes.delete(name)
    except NotAllowedError as exc:
        st.session_state[_LOAD_PROBLEM] = str(exc)


def _confirm_delete(sidebar: DeltaGenerator) -> None:
    """Ask before a delete: a saved scenario is shared by everyone and cannot be restored."""
    name = st.session_state.get(_DELETING)
    if name is None:
        return
    sidebar.warning(
        f"Delete the saved scenario “{literal(name)}” for everyone? This cannot be undone."
    )
    yes, no = sidebar.columns(2)
    yes.button(
        "Delete it", key="prio.delete.confirm", type="primary", on_click=_delete, args=(name,)
    )
    no.button("Cancel", key="prio.delete.cancel", on_click=_cancel_delete)
