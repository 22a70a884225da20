"""Funding review: the business partner's page, and the pack to take away."""

from __future__ import annotations

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from exports.formats import FORMATS, writer_for
from exports.pdf_writer import chromium_path, page_count, print_seconds
from pages import reads, review_reads, router
from pages.cache import settings
from pages.safe_text import literal
from pages.views import review
from pages.views.one_pager import one_pager
from pages.views.sponsor_units_view import sponsor_units

router.use_app_router()
as_of = settings().today()

st.title("Funding review")
year = router.year_picker("review.year", as_of=as_of)
names = reads.product_names()
picked = st.sidebar.multiselect(
    "Products (none = the whole portfolio)", names, key="review.products"
)
scenarios = [s.name for s in reads.saved_names(year)]
scenario = st.sidebar.selectbox(
    "Scenario",
    [None, *scenarios],
    format_func=lambda s: "none (the current plan)" if s is None else s,
    key="review.scenario",
    help="A scenario saved on the Prioritise page: the pack then shows what it changes.",
)
try:
    pack = review_reads.review_pack(year, as_of, tuple(picked) or None, scenario)
except reads.ScenarioUnreadableError as exc:
    st.error(literal(exc))
    st.stop()

st.sidebar.subheader("Take it away")
stem = f"funding_review_{year}"
labels = {"xlsx": "Excel workbook", "html": "Web page (HTML)", "pdf": "PDF", "json": "JSON"}
mimes = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "pdf": "application/pdf",
    "json": "application/json",
}
for fmt in FORMATS:
    writer = writer_for(fmt, settings=settings())
    if fmt == "pdf" and chromium_path(settings().chromium_path) is None:
        st.sidebar.caption("PDF: needs Debian's chromium package on the server.")
        continue
    if fmt == "pdf" and print_seconds(pages := page_count(pack)) > 60:
        st.sidebar.caption(
            f"PDF: {pages:,} pages, minutes to print; choose products above for a shorter one."
        )
    st.sidebar.download_button(
        labels[fmt],
        data=lambda writer=writer: review.render_download(writer, pack),
        file_name=f"{stem}.{fmt}",
        mime=mimes[fmt],
        key=f"review.download.{fmt}",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )

review.portfolio(pack)
if pack.get("scenario"):
    review.scenario(pack)
review.recommendations(pack)
sponsor_units(pack)
one_pager(pack)
