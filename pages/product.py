"""Product: one learning offer as an investment, its use, and its chain of evidence."""

from __future__ import annotations

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from pages import display, product_charts, product_reads, reads, router, tables, unit_reads
from pages.cache import settings
from pages.chart_style import HEALTH_COLOURS_NAMED
from pages.safe_text import literal
from pages.views import one_pager, org_filter
from pages.views.experiment_views import experiment_panel
from pages.views.licence_view import licence_block
from pages.views.org_units_view import org_unit_table
from pages.views.release_views import releases_block

router.use_app_router()
config = settings()
as_of = config.today()
currency = config.reporting_currency
ids = reads.product_ids()
if not ids:
    st.title("Product")
    st.info("No products yet: import products.csv on the Import data page.")
    st.stop()

wanted = st.query_params.get("product")
names = list(ids)
name = st.sidebar.selectbox(
    "Product", names, key="product.name", index=names.index(wanted) if wanted in ids else 0
)
st.query_params["product"] = name
year = router.year_picker("product.year", as_of=as_of)
units = org_filter.org_unit_picker("product.org_units", unit_reads.org_unit_options(year, as_of))
view = product_reads.product_view(ids[name], year, as_of)
card, info = view.card, view.info
# Narrowed to the chosen units' learners: the usage figures; cost, seats and health unchanged.
narrowed = unit_reads.product_in_units(ids[name], year, as_of, units) if units else None
use = card if narrowed is None else narrowed.scorecard.row(0, named=True)
mg = config.min_group_size

st.title(literal(name))
st.caption(
    " · ".join(
        literal(x)
        for x in (
            info["category"],
            info["lifecycle_stage"],
            info["vendor"] or "in-house",
            f"owner {info['owner'] or '—'}",
            year,
        )
        if x
    )
)
st.markdown(f"#### {view.one_pager.summary}")
st.markdown(
    f":{HEALTH_COLOURS_NAMED[card['health']]}-badge[{card['health']}] "
    + " · ".join(card["health_reasons"] or [])
)

one_pager.profile_block(view.one_pager.profile, view.one_pager.target_audience_size)

# Two rows of three: six across cut labels and figures ("not…") at 1280×720.
m = [*st.columns(3), *st.columns(3)]
m[0].metric(
    "Actual to date",
    display.money_short(card["actual_cost"], currency),
    border=True,
    help="Sum of the recorded actuals of the year.",
)
m[1].metric(
    "Forecast",
    display.money_short(card["forecast_cost"], currency),
    border=True,
    help=f"Plan {display.money(card['budget_plan'], currency)}; actuals plus the plan "
    "of months with no actual yet.",
)
m[2].metric(
    "Fully-loaded cost",
    display.money_short(view.fully_loaded, currency),
    border=True,
    help="Actuals plus one-offs amortised over "
    f"{config.amortisation_years:g} years plus participant time at "
    f"{display.money_exact(config.loaded_hourly_rate, currency)}/h. Shown beside, never used "
    "for ROI.",
)
in_units = None if narrowed is None else "in the chosen org units"
display.figure_tile(
    m[3],
    "Active learners",
    org_filter.shown(use, "active_learners", display.count, min_group=mg),
    note=in_units,
    help=f"Reach: {display.pct(card['reach'])} of the target audience (every learner).",
)
display.figure_tile(
    m[4],
    "Cost / active learner",
    org_filter.shown(
        use, "cost_per_active_learner", lambda v: display.money_exact(v, currency), min_group=mg
    ),
    note=in_units,
    help="Actual cost (the whole product's) ÷ active learners.",
)
m[5].metric(
    "ROI",
    display.pct(card["roi"]),
    border=True,
    help="(benefits − actual cost) ÷ actual cost; benefits from level-4 rows only.",
)

st.subheader("Cost as an investment")
left, right = st.columns(2)
left.plotly_chart(
    product_charts.cost_build_up(view.cost_build_up, currency=currency), key="product.chart.build"
)
right.plotly_chart(
    product_charts.monthly_spend(view.monthly, year=year, currency=currency),
    key="product.chart.monthly",
)

st.subheader("Use")
if not card["usage_tracked"]:
    st.warning(
        "Usage not tracked: no usage report imported for this product in "
        f"{year}." + (" Its licence is paid for regardless." if card["seats"] else "")
    )
else:
    if view.freshness_text:  # what the usage figures are as of
        (st.warning if view.stale else st.caption)(literal(view.freshness_text))
    if narrowed is not None:
        org_filter.unit_tiles(use, min_group=mg, currency=currency)
        note = org_filter.units_note(units, min_group=mg, people=narrowed.people, table=False)
        (st.info if narrowed.people < mg else st.caption)(note)
    left, right = st.columns(2)
    left.plotly_chart(
        product_charts.active_by_month(view.active_by_month, year=year, releases=view.releases),
        key="product.chart.active",
    )
    if view.funnel:
        right.plotly_chart(product_charts.learner_funnel(view.funnel), key="product.chart.funnel")
    org_unit_table(
        org_filter.only_units(view.org_units, units),
        min_group=mg,
        currency=currency,
        key="product.units",
    )
    if view.average_retention is not None:
        st.caption(
            "Month-over-month retention of active learners: "
            f"{display.pct(view.average_retention)} on average."
        )

releases_block(view.releases, name, year)

licence_block(view, currency=currency, filtered=narrowed is not None)

st.subheader("Chain of evidence")
if view.customer_vs_user:
    st.warning(f"Customer vs user: {literal(view.customer_vs_user)}", icon=":material/call_split:")
display.show_table(
    tables.evidence_table(view.evidence, currency=currency),
    key="product.evidence",
    currency=currency,
    kinds=tables.EVIDENCE_KINDS,
    placeholder="—",  # "not tracked" is said once, in Latest; it did not fit under "n"
)
if sources := tables.evidence_sources(view.evidence):
    st.caption(literal(sources))
if not view.assumptions.is_empty():
    st.caption("Assumptions behind the monetised benefits (level 4, first-year, isolated):")
    display.show_table(
        tables.assumptions_table(view.assumptions),
        key="product.assumptions",
        currency=currency,
        kinds=tables.ASSUMPTION_KINDS,
    )

experiment_panel(ids[name], name)

st.subheader("The ask and the risks")
one_pager.ask_line(view.one_pager.ask, year=year, currency=currency)
# Risks compare the product with the whole portfolio: computed only once opened.
risks = st.expander(
    "Risks: value, usability, feasibility, viability (against the whole portfolio)",
    key="product.risks",
    on_change="rerun",
)
if risks.open:
    with risks:
        one_pager.risks_block(product_reads.product_risks(ids[name], year, as_of))
