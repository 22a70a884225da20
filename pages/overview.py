"""Portfolio overview: the year's money, use and health of every learning product."""

from __future__ import annotations

import streamlit as st

from metrics.changes import relative_change
from pages import charts, display, reads, router, tables
from pages.cache import settings
from pages.chart_style import HEALTH_COLOURS_NAMED

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
view = reads.portfolio_view(year, as_of)
s = view.summary
st.caption(
    f"{year} · as of {as_of:%d %b %Y} · {s.products} products · money in {currency} · "
    "“not tracked” means no data was imported, never zero"
)

over_plan = relative_change(s.forecast_cost, s.budget_plan)
# Two rows of three: six across cut the figures to "£1.…" on a 1280-wide laptop screen.
c1, c2, c3 = st.columns(3)
c4, c5, c6 = st.columns(3)
c1.metric(
    "Budget plan",
    display.money_short(s.budget_plan, currency),
    border=True,
    help="Sum of the year's planned spend across all cost categories.",
)
c2.metric(
    "Actual to date",
    display.money_short(s.actual_cost, currency),
    border=True,
    delta=f"{display.pct(s.actual_pct_of_plan)} of plan"
    if s.actual_pct_of_plan is not None
    else None,
    delta_color="off",
    help="Sum of recorded actuals; a blank actual is not yet known.",
)
c3.metric(
    "Forecast",
    display.money_short(s.forecast_cost, currency),
    border=True,
    delta=None if over_plan is None else f"{display.pct(over_plan)} vs plan",
    delta_color="inverse",
    help="Actual to date plus the plan of every month with no actual yet.",
)
c4.metric(
    "Active learners",
    display.count(s.active_learners),
    border=True,
    help="Distinct people with any recorded activity this year, across all products.",
)
c5.metric(
    "Seat utilisation",
    display.pct(s.seat_utilisation),
    border=True,
    help="Active learners over the contract term ÷ seats bought, licence products only.",
)
c6.metric(
    "Idle spend",
    display.money_short(s.idle_spend, currency),
    border=True,
    help="Idle seats × price per seat: licence money with nobody using it.",
)

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

st.subheader("Products")
table = tables.scorecard_table(view.scorecard, currency=currency)
display.show_table(
    table,
    key="overview.table",
    currency=currency,
    kinds=tables.SCORECARD_KINDS,
    height=38 + 35 * table.height,
)

if view.scorecard["seats"].is_not_null().any():
    st.plotly_chart(charts.seat_use(view.scorecard, currency=currency), key="overview.chart.seats")
