"""Share links of the Prioritise page: a link opens the page in the state it was made in.

A link carries a `planning.scenarios` query (`to_query`); it is applied
once per link and session, so moving a slider afterwards is not undone by
the link still in the address bar.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st

from pages import scenario_state as state
from pages.planning_reads import PlanningData
from planning.scenarios import Scenario, from_query, to_query

__all__ = ["open_shared_link", "share"]

_QUERY_SEEN = "prio.query_seen"


def _signature(params: Mapping[str, str | list[str]]) -> str:
    return repr(sorted((k, str(v)) for k, v in params.items()))


def share(scenario: Scenario) -> str:
    """Put the scenario in the address bar and return the full link to copy."""
    query = to_query(scenario)
    st.query_params.from_dict(query)
    st.session_state[_QUERY_SEEN] = _signature(query)  # made here: not to be re-applied
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{urlencode(query)}"


def open_shared_link(params: Mapping[str, str | list[str]], data: PlanningData) -> str | None:
    """Apply a shared link's scenario once per link; returns an error message or None."""
    if "y" not in params or "name" not in params:
        return None
    signature = _signature(params)
    if st.session_state.get(_QUERY_SEEN) == signature:
        return None
    st.session_state[_QUERY_SEEN] = signature
    try:
        scenario = from_query(params)
    except ValueError as exc:
        return f"The shared link could not be opened: {exc}"
    state.apply(scenario, data)
    return None
