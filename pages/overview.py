"""Portfolio overview: the year's money, use and health of every learning product."""

from __future__ import annotations

from datetime import date

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from metrics.changes import relative_change
from pages import (
    chart_notes,
    charts,
    display,
    links,
    people_charts,
    reads,
    router,
    tables,
    unit_reads,
)
from pages.cache import settings
from pages.chart_style import HEALTH_COLOURS_NAMED
from pages.safe_text import literal
from pages.views import org_filter

router.use_app_router()
config = settings()
as_of = config.today()
currency = config.reporting_currency

st.title("Portfolio overview")
year = router.year_picker(
    "overview.year",
    help="Budgets, usage and outcomes are counted for this calendar year.",
    as_of=as_of,
)
units = org_filter.org_unit_picker("overview.org_units", unit_reads.org_unit_options(year, as_of))
view = reads.portfolio_view(year, as_of)
s = view.summary
# Narrowed to the chosen units' learners: their usage figures; cost, seats and health unchanged.
narrowed = unit_reads.portfolio_in_units(year, as_of, units) if units else None
card = view.scorecard if narrowed is None else narrowed.scorecard
active = display.count(s.active_learners if narrowed is None else narrowed.active_learners)
if narrowed is not None and narrowed.active_hidden:
    active = f"fewer than {config.min_group_size}"
end_of_year = date(year, 12, 31)
st.caption(
    f"{year} · as of {display.day(as_of)} · {display.count(s.products, 'products')} · "
    f"money in {currency} · "
    "“not tracked” means no data was imported, never zero"
)

over_plan = relative_change(s.forecast_cost, s.budget_plan)
# Two rows of three: six across cut the figures to "£1.…" on a 1280-wide laptop screen.
c1, c2, c3 = st.columns(3)
c4, c5, c6 = st.columns(3)
display.figure_tile(
    c1,
    "Budget plan",
    display.money_short(s.budget_plan, currency),
    help="Sum of the year's planned spend across all cost categories.",
)
display.figure_tile(
    c2,
    "Actual to date",
    display.money_short(s.actual_cost, currency),
    note=None
    if s.actual_pct_of_plan is None
    else f"{display.pct(s.actual_pct_of_plan)} of the year's plan",
    help="Sum of recorded actuals; a blank actual is not yet known. Plan vs actual compares "
    "it with the plan of the months to date instead (“YTD % of plan”).",
)
display.change_tile(
    c3,
    "Forecast",
    display.money_short(s.forecast_cost, currency),
    change=over_plan,
    text=f"{display.signed(over_plan, display.pct)} vs plan",
    better="lower",
    help="Spent to date plus the plan of every month with no actual yet.",
)
display.figure_tile(
    c4,
    "Active learners",
    active,
    note=None if narrowed is None else "in the chosen org units",
    help="Distinct people with any recorded activity this year, across all products "
    "(someone using two products counts once).",
)
display.figure_tile(
    c5,
    "Seat utilisation",
    display.pct(s.seat_utilisation),
    note=None if narrowed is None else "every learner, not per unit",
    help="Active learners over the contract term ÷ seats bought, licence products only.",
)
display.figure_tile(
    c6,
    "Idle spend",
    display.money_short(s.idle_spend, currency),
    help="Idle seats × price per seat: licence money with nobody using it.",
)

if narrowed is not None:
    note = org_filter.units_note(
        units, min_group=config.min_group_size, people=narrowed.people, table=True
    )
    (st.info if narrowed.people < config.min_group_size else st.caption)(note)
if view.freshness_text:  # what the usage figures are as of, beside them
    stale = view.freshness["stale"].fill_null(False).any()
    (st.warning if stale else st.caption)(literal(view.freshness_text))

counts = s.products_by_health
st.markdown(
    " &nbsp; ".join(
        f":{colour}-badge[{label}: {counts.get(label, 0)}]"
        for label, colour in HEALTH_COLOURS_NAMED.items()
    )
)

left, right = st.columns(2)
left.plotly_chart(
    charts.spend_vs_plan(view.scorecard, year=year, currency=currency), key="overview.chart.spend"
)
right.plotly_chart(
    charts.cost_vs_reach(view.scorecard, currency=currency), key="overview.chart.reach"
)
for column, note in (
    (left, chart_notes.spend_note(view.scorecard)),
    (right, chart_notes.reach_note(view.scorecard)),
):
    if note:
        column.caption(literal(note))
right.caption("A bubble with no room for its name is named when you point at it.")

st.subheader("Products")
table = tables.scorecard_table(card, currency=currency)
st.caption(
    "— : not tracked (no data imported), or no licence for seat utilisation and idle spend. "
    "Select a row to read why in full and open the product."
)
links.product_table(
    table,
    key="overview.table",
    currency=currency,
    kinds=tables.SCORECARD_KINDS,
    year=year,
    health="Health",
)

if view.scorecard["seats"].is_not_null().any():
    st.plotly_chart(charts.seat_use(view.scorecard, currency=currency), key="overview.chart.seats")
    if note := chart_notes.seat_note(view.scorecard):
        st.caption(literal(note))

reach_rows = org_filter.only_units(view.reach_units, units)
if view.roster_size and not reach_rows.is_empty():
    st.subheader("Reach by org unit")
    st.plotly_chart(
        people_charts.reach_heatmap(reach_rows, min_group=config.min_group_size),
        key="overview.chart.units",
    )
    st.caption(
        f"Active learners of the year ÷ people in post on {display.day(min(as_of, end_of_year))} "
        f"(the roster of {display.count(view.roster_size, 'people')}). "
        f"“<{config.min_group_size}”: fewer than {config.min_group_size} people, hidden "
        "(LP_MIN_GROUP_SIZE); “n/a”: no headcount (learners the roster does not list, placed "
        "by their usage, or unassigned). Someone who left during the year counts in their "
        "unit when active, not in its headcount, so reach can pass 100%. Units by headcount, "
        "largest first."
    )
    if note := people_charts.heatmap_note(reach_rows):
        st.caption(literal(note))
