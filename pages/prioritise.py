"""Prioritise: rank the products, move budgets, find the best set under a cap, save scenarios."""

from __future__ import annotations

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from pages import display, planning_reads, router, scenario_links
from pages import scenario_state as state
from pages.cache import settings
from pages.safe_text import literal
from pages.views.best_set import best_set
from pages.views.compare import compare
from pages.views.ranking import ranking
from pages.views.scenario_bar import scenario_bar
from pages.views.sensitivity import sensitivity
from pages.views.what_if import what_if

router.use_app_router()
config = settings()
as_of = config.today()
currency = config.reporting_currency

st.title("Prioritise")
year = router.year_picker(
    "prio.year",
    label="Planning year",
    help="The year whose budgets the sliders move and whose figures score the products.",
    as_of=as_of,
)
data = planning_reads.planning_data(year, as_of)
if data.inputs.is_empty():
    st.info("No products in this year yet.")
    st.stop()
state.init(data, year)
problem = scenario_links.open_shared_link(st.query_params.to_dict(), data)
if problem:
    st.warning(literal(problem))

scenario_bar(data, year)
st.caption(
    f"{year} · as of {as_of:%d %b %Y} · {display.count(data.inputs.height, 'products')} · "
    f"money in {currency}. "
    "Scores use fixed scales (adding a product never re-scores the others); "
    "the health label comes from the portfolio's own rules."
)

VIEWS = {
    "Ranking": ranking,
    "Budget what-if": what_if,
    "Best set under a cap": best_set,
    "Sensitivity": sensitivity,
    "Compare scenarios": compare,
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
