"""Reach by org unit as a heat-map: products down, org units across, biggest units first.

Drawing only: the figures come from `metrics.reach_by_org_unit`, suppression
included. A hidden cell reads "<5" (fewer than `LP_MIN_GROUP_SIZE` people), a
unit with no headcount reads "n/a"; neither is coloured, so no one reads a
hidden figure off the colour scale. Names reach plotly through `plot_text`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from exports.charts import MOST_BARS
from metrics.people import ALL_PRODUCTS
from pages.chart_style import layout
from pages.safe_text import plot_text

__all__ = ["heatmap_note", "reach_heatmap"]

ALL = ALL_PRODUCTS

# Pale to mid blue: dark text stays readable (over 4.5:1) on every cell.
_SCALE = [[0.0, "#f3f6fa"], [1.0, "#8fb3d9"]]


def _cell(row: dict[str, object], min_group: int) -> str:
    if row["suppressed"]:
        return plot_text(f"<{min_group}")  # "&lt;5": plotly shows "<5", and no "<" starts a tag
    if row["reach"] is None:
        return "n/a"
    return f"{float(row['reach']):.0%}"  # type: ignore[arg-type]


def _most_active(rows: pl.DataFrame) -> list[str]:
    """The `MOST_BARS` products with the most active learners over the units, most first.

    Why: a row per product stays readable to a few dozen; hundreds drew a map tens of
    thousands of pixels tall. Hidden counts (null) add nothing, so the order gives no
    hidden figure away; ties go by name.
    """
    named = rows.filter(pl.col("product") != ALL)
    totals = named.group_by("product").agg(pl.col("active_learners").fill_null(0).sum())
    ranked = totals.sort(["active_learners", "product"], descending=[True, False])
    return ranked.head(MOST_BARS).get_column("product").to_list()


def heatmap_note(rows: pl.DataFrame) -> str | None:
    """The line saying which products `reach_heatmap` leaves out; None when it shows them all."""
    products = rows.filter(pl.col("product") != ALL).get_column("product").n_unique()
    if products <= MOST_BARS:
        return None
    return (
        f"The {MOST_BARS} products with the most active learners of {products:,}; "
        "the table above lists every product."
    )


def reach_heatmap(rows: pl.DataFrame, *, min_group: int, most_units: int = 12) -> go.Figure:
    """Products × org units, coloured by reach; the `most_units` biggest units by headcount.

    At most `MOST_BARS` products (those with the most active learners, `heatmap_note`
    says so), A to Z, under the portfolio's row.

    `rows` has `product`, `org_unit`, `headcount`, `reach`, `suppressed`
    (the products' rows of `metrics.reach_by_org_unit`, in its order).
    """
    units = (
        rows.group_by("org_unit", maintain_order=True)
        .agg(pl.col("headcount").max())
        .sort("headcount", descending=True, nulls_last=True)
        .head(most_units)
        .get_column("org_unit")
        .to_list()
    )
    # Plotly draws the first row at the bottom: reversed, the list reads A to Z, the
    # portfolio's row ("All products") on top.
    named = sorted(_most_active(rows), key=str.casefold)
    products = [*reversed(named), ALL] if ALL in set(rows["product"]) else list(reversed(named))
    cells = {(r["product"], r["org_unit"]): r for r in rows.iter_rows(named=True)}
    z, text = [], []
    for product in products:
        found = [cells.get((product, unit)) for unit in units]
        z.append(
            [
                None if r is None or r["suppressed"] or r["reach"] is None else min(r["reach"], 1)
                for r in found
            ]
        )
        text.append(["" if r is None else _cell(r, min_group) for r in found])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[plot_text(u) for u in units],
            y=[plot_text(p) for p in products],
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale=_SCALE,
            colorbar={"title": "Reach", "tickformat": ".0%"},
            hovertemplate="%{y} in %{x}: %{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    height = 120 + 28 * len(products)
    layout(fig, "", height)
    # The unit names sit on top, upright: a slanted name's box reaches over its neighbour's
    # column once there are eight units on a laptop (checked in Chromium at 1280). The top
    # margin is theirs (the page's subheader titles the chart), as long as the longest needs.
    longest = max((len(u) for u in units), default=0)
    fig.update_xaxes(side="top", tickangle=-90, automargin=True)
    fig.update_layout(title=None, margin={"t": 20 + min(longest, 40) * 7})
    return fig
