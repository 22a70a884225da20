"""Prioritise: rank the products, move budgets, find the best set under a cap, save scenarios."""

from __future__ import annotations

import streamlit as st

from pages import planning_readers, planning_views, readers
from pages import scenario_state as state

readers.use_app_router()
settings = readers.settings()
as_of = settings.today()
currency = settings.reporting_currency

st.title("Prioritise")
year = readers.year_picker(
    "prio.year",
    label="Planning year",
    help="The year whose budgets the sliders move and whose figures score the products.",
    as_of=as_of,
)
data = planning_readers.planning_data(year, as_of)
if data.inputs.is_empty():
    st.info("No products in this year yet.")
    st.stop()
state.init(data, year)
problem = state.open_shared_link(st.query_params.to_dict(), data)
if problem:
    st.warning(problem)

planning_views.scenario_sidebar(data, year)
st.caption(
    f"{year} · as of {as_of:%d %b %Y} · {data.inputs.height} products · money in {currency}. "
    "Scores use fixed scales (adding a product never re-scores the others); "
    "the health label comes from the portfolio's own rules."
)

VIEWS = {
    "Ranking": planning_views.ranking,
    "Budget what-if": planning_views.what_if,
    "Best set under a cap": planning_views.best_set,
    "Sensitivity": planning_views.sensitivity,
    "Compare scenarios": planning_views.compare,
}
view = st.segmented_control(
    "View",
    list(VIEWS),
    default="Ranking",
    required=True,
    key="prio.view",
    label_visibility="collapsed",
)
VIEWS[view or "Ranking"](data, year, as_of, currency)
