"""Seats to reclaim (issue 19): who holds a licence seat without using it, and what it costs.

A tab of the Suppliers page: `render_reclaim(year, view)`. Every figure comes from `metrics.reclaim`
through the page's cached `pages.supplier_reads.reclaim_view`; tables keep numbers as numbers;
the list downloads as `python -m exports --format reclaim` writes it (`render_reclaim_csv`).
"""

from __future__ import annotations

from typing import Final

import polars as pl
import streamlit as st

from exports.formats import render_reclaim_csv
from pages import display, reclaim_reads, supplier_reads
from pages.cache import settings
from pages.safe_text import literal

__all__ = ["ALL", "NOTHING_REVOKED", "render_reclaim"]

ALL: Final = "All products"
NOTHING_REVOKED: Final = (
    "Nothing is revoked from here: it is a list to act on in the vendor's admin portal."
)
_PRODUCT_KINDS: Final[dict[str, display.ColumnKind]] = {
    "Seats": "count",
    "Holders": "count",
    "Idle seats": "count",
    "Leavers": "count",
    "Inactive": "count",
    "New starters (left out)": "count",
    "To reclaim": "count",
    "Price per seat": "money_exact",
    "Value to reclaim": "money",
}
_DATE = st.column_config.DateColumn(format="D MMM YYYY")
_SHOWN: Final = 1_000  # people on screen; a big employer lists 100,000s (the CSV has all)
_INLINE: Final = 5  # reconciliations shown unfolded; more start folded (a page per 50 products)


def _headline(view: reclaim_reads.ReclaimView) -> None:
    n, currency = view.after_days, view.currency
    leavers = int(view.products["leavers"].sum())
    st.markdown(
        f"**{display.count(view.to_reclaim)} seats to reclaim, worth "
        f"{display.money(view.value, currency)}**, across {view.products.height} "
        f"product{'s' if view.products.height != 1 else ''}, each with a contract in force on "
        f"its report's end: seats held by leavers, and by people with no activity in the last {n} "
        f"days before that end (new starters of the last {n} days left out; "
        f"`LP_RECLAIM_AFTER_DAYS` = {n})."
    )
    tiles = (
        ("Seats to reclaim", display.count(view.to_reclaim),
         "Leavers + inactive holders, at most the seats of each contract."),
        ("Worth", display.money(view.value, currency),
         "Seats to reclaim × the contract's price per seat."),
        ("Seats held by leavers", display.count(leavers),
         "Seats of people whose roster end date has passed: the first to reclaim."),
    )  # fmt: skip
    for column, (label, value, why) in zip(st.columns(3), tiles, strict=True):
        display.figure_tile(column, label, value, help=why)


def _product_table(view: reclaim_reads.ReclaimView) -> None:
    table = view.products.select(
        pl.col("product").alias("Product"),
        pl.col("vendor").alias("Vendor"),
        pl.col("seats").alias("Seats"),
        pl.col("holders").alias("Holders"),
        pl.col("idle_seats").alias("Idle seats"),
        pl.col("leavers").alias("Leavers"),
        pl.col("inactive").alias("Inactive"),
        pl.col("new_starters").alias("New starters (left out)"),
        pl.col("to_reclaim").alias("To reclaim"),
        pl.col("price_per_seat").alias("Price per seat"),
        pl.col("reclaim_value").alias("Value to reclaim"),
    )
    st.caption(
        "Per product, its contracts in force on its report's end. Holders: people with any "
        "row in the term, active or not. Idle seats: seats − people active over the term (as "
        "the idle spend figure); to reclaim: leavers + inactive holders, at most the seats."
    )
    display.show_table(
        table, key="reclaim.products", currency=view.currency, kinds=_PRODUCT_KINDS,
        pinned="Product",
    )  # fmt: skip


def _stale(products: pl.DataFrame, *, stale_after_days: int) -> None:
    stale = products.filter(pl.col("stale").fill_null(False))
    if stale.is_empty():
        return
    listed = ", ".join(
        f"{literal(r['product'])} (to {display.day(r['report_end'])})"
        for r in stale.iter_rows(named=True)
    )
    lists = "Its list is" if stale.height == 1 else "Their lists are"
    st.warning(
        f"Usage more than {stale_after_days} days old: {listed}. {lists} as of that day: import "
        "a newer report before acting on it.",
        icon=":material/history:",
    )


def _reconciliation(products: pl.DataFrame) -> None:
    title = "Idle seats and seats to reclaim: why they differ, product by product"
    with st.expander(title, expanded=products.height <= _INLINE):
        for row in products.iter_rows(named=True):
            st.markdown(
                f"**{literal(row['product'])}** (usage to {display.day(row['report_end'])}, "
                f"contract to {display.day(row['term_end'])}): {literal(row['reconciliation'])}"
            )


def _list(rows: pl.DataFrame, *, identities: bool, year: int, picked: str) -> None:
    st.markdown(f"**The list: {display.count(rows.height, 'people')}**, leavers first")
    who = (
        "Learners are shown by e-mail (identities are stored)."
        if identities
        else "Learners are shown by pseudonym (L-…): identities are not stored "
        "(`LP_STORE_IDENTITIES`); whoever holds the pseudonym key can match them to people."
    )
    st.caption(who)
    if rows.is_empty():
        st.success("No one to list: every seat holder was active lately or started lately.")
        return
    table = rows.select(
        pl.col("product").alias("Product"),
        pl.col("vendor").alias("Vendor"),
        pl.col("learner").alias("Learner"),
        pl.col("org_unit").alias("Org unit"),
        pl.col("reason").alias("Reason"),
        pl.col("last_active").alias("Last active"),
        pl.col("first_seen").alias("First seen"),
        pl.col("left_on").alias("Left on"),
    )
    if table.height > _SHOWN:
        st.caption(
            f"The first {display.count(_SHOWN)} of {display.count(table.height)} people listed, "
            "leavers first; the CSV below has all of them."
        )
    display.data_table(
        table.head(_SHOWN),
        hide_index=True,
        width="stretch",
        key="reclaim.list",
        placeholder="",
        column_config={
            "Product": st.column_config.TextColumn(pinned=True),
            "Last active": _DATE,
            "First seen": _DATE,
            "Left on": _DATE,
        },
    )
    stem = "seats_to_reclaim" if picked == ALL else f"seats_to_reclaim_{_slug(picked)}"
    st.download_button(
        "Download the list (CSV)",
        data=lambda: render_reclaim_csv(rows),
        file_name=f"{stem}_{year}.csv",
        mime="text/csv",
        key="reclaim.download",
        icon=":material/download:",
        on_click="ignore",
    )


def _slug(name: str) -> str:
    """A product name fit for a file name ("Udemy Tech Skills" -> "udemy_tech_skills")."""
    kept = "".join(c if c.isalnum() else "_" for c in name.casefold())
    return "_".join(part for part in kept.split("_") if part) or "product"


def render_reclaim(year: int, view: reclaim_reads.ReclaimView | None = None) -> None:
    """The Seats to reclaim tab for `year`: totals, per product, why idle differs, the list.

    `view` is the page's (`pages.supplier_reads.year_views`); None reads it.
    """
    config = settings()
    if view is None:
        view = supplier_reads.reclaim_view(year, config.today())
    if view.products.is_empty():
        st.info(
            f"No seats to reclaim in {year}: no product has both usage and a licence contract "
            "in force on its report's end. Import contracts.csv and the vendors' learner-level "
            "reports on the Import data page."
        )
        st.caption(NOTHING_REVOKED)
        return
    _headline(view)
    _product_table(view)
    names = view.products.get_column("product").to_list()
    picked = st.selectbox("Product", [ALL, *names], key="reclaim.product")
    chosen = view.products if picked == ALL else view.products.filter(pl.col("product") == picked)
    rows = view.rows if picked == ALL else view.rows.filter(pl.col("product") == picked)
    _stale(chosen, stale_after_days=config.stale_after_days)
    _reconciliation(chosen)
    _list(rows, identities=view.identities, year=year, picked=picked)
    st.caption(NOTHING_REVOKED)
