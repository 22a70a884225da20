"""Plan vs actual: the TDRp management report, for the portfolio or one product."""

from __future__ import annotations

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from pages import display, reads, router, tables
from pages.cache import settings
from pages.display import data_table
from pages.safe_text import literal

router.use_app_router()
config = settings()
as_of = config.today()
currency = config.reporting_currency

st.title("Plan vs actual")
year = router.year_picker("tdrp.year", as_of=as_of)
ids = reads.product_ids()
scope = st.sidebar.selectbox("Report for", ["Whole portfolio", *ids], key="tdrp.scope")
report = reads.tdrp_view(year, as_of, ids.get(scope))

st.caption(
    f"{literal(scope)} · {year} · year to date as of {display.day(as_of)} · money in {currency}. "
    "Talent Development Reporting principles (TDRp) management report: efficiency, "
    "effectiveness and outcome measures against plan, with the year-end forecast. "
    f"Status compares the forecast with the plan (amber beyond {display.pct(config.rag_amber, 1)}, "
    f"red beyond {display.pct(config.rag_red, 1)}, in the direction that is worse)."
)
# Wide enough for "KWD 1,597,000" and "● on track" (auto-sizing cut them to "£1,597," and
# "● on tra"); on a narrow screen the table scrolls rather than cutting a figure.
_figure = st.column_config.TextColumn(width=130, alignment="right")  # "KWD 1,597,000"
_share = st.column_config.TextColumn(width=95, alignment="right")
columns = {
    "Measure": st.column_config.TextColumn(width="medium", pinned=True),
    **dict.fromkeys(("Last year", "Plan", "YTD actual", "Forecast"), _figure),
    **dict.fromkeys(("YTD % of plan", "Forecast % of plan"), _share),
    "Status": st.column_config.TextColumn(width=110),
    "n": st.column_config.TextColumn(width=60, alignment="right"),
}
for kind, question in (
    ("Outcome", "Are we moving the business? (Kirkpatrick/Phillips level 4 and ROI)"),
    ("Effectiveness", "How well? (reaction, learning, application on the job)"),
    ("Efficiency", "How much, at what cost?"),
):
    st.subheader(f"{kind}: {question}")
    table = tables.tdrp_table(report, kind=kind, currency=currency)
    data_table(
        table,
        hide_index=True,
        width="stretch",
        key=f"tdrp.table.{kind}",
        height=38 + 35 * table.height,
        column_config=columns,
    )
st.caption("“—” = no plan set or not tracked. Survey figures carry their sample size n.")
