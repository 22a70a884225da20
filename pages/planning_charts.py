"""Plotly figures of the Prioritise page: drawing only, every number comes in computed.

Product names and labels reach plotly through `plot_text`: shown as typed,
never as a tag or a link.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from exports.charts import MOST_BARS
from pages import display
from pages.chart_style import layout
from pages.safe_text import plot_text

__all__ = ["budget_change", "contributions", "frontier", "tornado"]

# One colour per criterion (colour-blind-safe Okabe-Ito), in CRITERIA order.
_CRITERION_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")
_OPTIMAL = "#1f4e79"
_LINE = "#e4572e"
_GREY = "#9aa5b1"


def contributions(ranked: pl.DataFrame, labels: dict[str, str], *, top: int = 25) -> go.Figure:
    """Stacked bars: each product's score out of 100, split by criterion (best on top)."""
    shown = ranked.filter(pl.col("score").is_not_null()).sort("rank").head(top)
    fig = go.Figure()
    for colour, (key, label) in zip(_CRITERION_COLOURS, labels.items(), strict=False):
        fig.add_bar(
            y=[plot_text(n) for n in shown["product"]],
            x=shown[f"contribution_{key}"],
            name=label,
            orientation="h",
            marker_color=colour,
            hovertemplate="%{y}<br>" + label + ": %{x:.1f} points<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title="Weighted score (points out of 100)", range=[0, 100])
    title = "What drives each product's score"
    if ranked.height > top:
        title += f" (top {top} of {ranked.height})"
    return layout(fig, title, height=140 + 26 * shown.height)


def budget_change(projection: pl.DataFrame, *, currency: str) -> go.Figure:
    """Today's budget against the scenario's spend, per product, at most `MOST_BARS`.

    The products the scenario changes come first (the largest change first), then the
    largest budgets; the title says how many of how many are drawn.
    """
    drawable = projection.filter(pl.col("budget").is_not_null())
    change = (pl.col("spend") - pl.col("budget")).abs().fill_null(0)
    shown = drawable.sort([change, pl.col("budget")], descending=True).head(MOST_BARS)
    names = [plot_text(n) for n in shown["product"]]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=shown["budget"],
        name="Budget plan",
        orientation="h",
        marker_color="#c9d3df",
    )
    fig.add_bar(
        y=names,
        x=shown["spend"],
        name="Scenario spend",
        orientation="h",
        marker_color=_OPTIMAL,
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title=f"Spend in the year ({currency})")
    title = "Budget plan vs scenario, per product"
    if drawable.height > shown.height:
        title += f" ({shown.height} of {drawable.height:,}: changed first, then largest)"
    return layout(fig, title, height=140 + 30 * shown.height)


def frontier(
    points: pl.DataFrame,
    *,
    currency: str,
    marks: dict[str, tuple[float, float]],
) -> go.Figure:
    """The efficient frontier, the funding line, and where named portfolios sit.

    `marks` maps a label ("Current plan", "Best set at the cap", …) to a
    (cost, value) point.
    """
    fig = go.Figure()
    fig.add_scatter(
        x=points["optimal_cost"],
        y=points["optimal_value"],
        mode="lines+markers",
        name="Best set at each cap (exact)",
        line={"color": _OPTIMAL, "width": 3},
        hovertemplate=f"cost %{{x:,.0f}} {currency}<br>value %{{y:.0f}} points<extra></extra>",
    )
    fig.add_scatter(
        x=points["line_cost"],
        y=points["line_value"],
        mode="lines+markers",
        name="Funding line (fund in rank order)",
        line={"color": _LINE, "dash": "dash", "width": 2},
        marker={"symbol": "square"},
        hovertemplate=f"cost %{{x:,.0f}} {currency}<br>value %{{y:.0f}} points<extra></extra>",
    )
    symbols = ("star", "diamond", "circle", "x")
    for symbol, (label, (cost, value)) in zip(symbols, marks.items(), strict=False):
        fig.add_scatter(
            x=[cost],
            y=[value],
            mode="markers",
            name=plot_text(label),
            marker={"size": 15, "symbol": symbol, "color": "#222", "line": {"width": 1}},
            hovertemplate=f"{plot_text(label)}<br>cost %{{x:,.0f}} {currency}<br>value %{{y:.0f}}"
            "<extra></extra>",
        )
    fig.update_xaxes(
        title=f"Money spent ({currency} a year)",
        rangemode="tozero",
        tickprefix=display.currency_symbol(currency),
        tickformat="~s",
    )
    fig.update_yaxes(title="Weighted value (points)", rangemode="tozero")
    return layout(fig, "Value you can buy for each amount of money", height=480)


def tornado(rows: pl.DataFrame) -> go.Figure:
    """Value of the best set when each weight or assumption swings low and high."""
    shown = rows.sort("spread")  # widest at the top once the axis is drawn bottom-up
    base = float(shown["value_base"][0]) if shown.height else 0.0
    labels = [plot_text(n) for n in shown["label"]]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=shown["value_low"] - base,
        base=base,
        name="Lower setting",
        orientation="h",
        marker_color=_GREY,
        customdata=shown["low_setting"],
        hovertemplate="%{y} at %{customdata}: value %{x:+.1f}<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=shown["value_high"] - base,
        base=base,
        name="Higher setting",
        orientation="h",
        marker_color=_OPTIMAL,
        marker_pattern_shape="/",
        customdata=shown["high_setting"],
        hovertemplate="%{y} at %{customdata}: value %{x:+.1f}<extra></extra>",
    )
    fig.add_vline(
        x=base, line_dash="dot", annotation_text="today's settings", annotation_position="top"
    )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title="Value of the best set under the cap (points)")
    fig.update_yaxes(automargin=True)
    return layout(fig, "What would change the answer most", height=170 + 40 * shown.height)
