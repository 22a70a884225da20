"""Links between pages: a product name leads to its Product page, in the year being read."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import streamlit as st

from pages import display
from pages.safe_text import literal

__all__ = ["product_link", "product_table", "selected_product"]

PRODUCT_PAGE = "pages/product.py"


def product_link(product: str, year: int) -> None:
    """A link to `product`'s page for `year` (the Product page reads `?product=` and `?year=`).

    `st.page_link` renders its label as Markdown: the name is escaped (`literal`).
    """
    st.page_link(
        PRODUCT_PAGE,
        label=f"Open {literal(product)}",
        icon=":material/open_in_new:",
        query_params={"product": product, "year": str(year)},
    )


def selected_product(table: object, picked: object, *, year: int, health: str) -> None:
    """Below a table with row selection: the chosen product's reasons in full and its link.

    Why: a table cell cuts a long reason ("declining, strategic fit 2/5; 31 %
    over plan; no level-3/4 evidence…"); the selected row reads in full here.
    `health` names the column holding the label; the reasons are in "Why".
    """
    rows = picked.selection.rows if picked is not None else []  # type: ignore[attr-defined]
    if not rows:
        return
    chosen = table.row(rows[0], named=True)  # type: ignore[attr-defined]
    with st.container(border=True):
        st.markdown(f"**{literal(chosen['Product'])}** · {chosen[health]}")
        st.markdown(literal(chosen["Why"] or "no warning signs"))
        product_link(chosen["Product"], year)


def product_table(
    table: pl.DataFrame,
    *,
    key: str,
    currency: str,
    kinds: Mapping[str, display.ColumnKind],
    year: int,
    health: str,
) -> None:
    """A product table (product pinned, every row in view, "—" for nothing) whose selected
    row reads in full below it with a link to that product's page (`selected_product`)."""
    picked = display.show_table(
        table,
        key=key,
        currency=currency,
        kinds=kinds,
        pinned="Product",
        height=display.table_height(table.height),
        placeholder="—",
        on_select="rerun",
        selection_mode="single-row",
    )
    selected_product(table, picked, year=year, health=health)
