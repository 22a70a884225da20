"""Plotly figures of the overview: drawing only, every number comes in computed.

Product names reach plotly through `plot_text` (plotly reads a little HTML in
labels and hover text): a name shows as typed, never as a tag or a link. A bar
per product stops at `exports.charts.MOST_BARS` (the largest): `pages.chart_notes`
names the rest.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from exports.charts import MOST_BARS
from pages import display
from pages.chart_style import ACTUAL, FORECAST, HEALTH_COLOURS, PLAN, layout
from pages.label_layout import Plot, log_ticks, place_labels
from pages.safe_text import plot_text

__all__ = ["cost_vs_reach", "seat_rows", "seat_use", "spend_rows", "spend_vs_plan"]


def spend_rows(card: pl.DataFrame) -> pl.DataFrame:
    """What `spend_vs_plan` can draw, smallest plan first: it draws the last `MOST_BARS`."""
    df = card.filter(pl.col("budget_plan").is_not_null() | pl.col("actual_cost").is_not_null())
    return df.sort(pl.col("budget_plan").fill_null(0), maintain_order=True)


def seat_rows(card: pl.DataFrame) -> pl.DataFrame:
    """What `seat_use` can draw, least idle spend first: it draws the last `MOST_BARS`."""
    df = card.filter(pl.col("seats").is_not_null() & pl.col("idle_seats").is_not_null())
    used = pl.col("seats") - pl.col("idle_seats")
    return df.with_columns(used=used).sort("idle_spend", maintain_order=True)


def spend_vs_plan(card: pl.DataFrame, *, year: int, currency: str) -> go.Figure:
    """Plan and actual to date as bars, forecast as a marker: the largest plans on top."""
    df = spend_rows(card).tail(MOST_BARS)
    symbol = display.currency_symbol(currency)
    names = [plot_text(n) for n in df["product"]]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=df["budget_plan"],
        name=f"Plan {year}",
        orientation="h",
        marker_color=PLAN,
        hovertemplate="%{y}<br>Plan: " + symbol + "%{x:,.0f}<extra></extra>",
    )
    fig.add_bar(
        y=names,
        x=df["actual_cost"],
        name="Actual to date",
        orientation="h",
        marker_color=ACTUAL,
        hovertemplate="%{y}<br>Actual: " + symbol + "%{x:,.0f}<extra></extra>",
    )
    fig.add_scatter(
        y=names,
        x=df["forecast_cost"],
        name="Forecast (year end)",
        mode="markers",
        marker={
            "symbol": "diamond",
            "size": 11,
            "color": FORECAST,
            "line": {"width": 1, "color": "white"},
        },
        hovertemplate="%{y}<br>Forecast: " + symbol + "%{x:,.0f}<extra></extra>",
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_traces(selector={"type": "bar", "name": "Actual to date"}, width=0.45)
    # Level and few ticks: in a half-width column plotly turned them 45° and they collided.
    fig.update_xaxes(
        title=f"{currency} spent in {year}",
        tickprefix=symbol,
        tickformat="~s",
        tickangle=0,
        nticks=3,
    )
    return layout(fig, f"Spend vs plan by product, {year}", 90 + 34 * max(len(names), 3))


def cost_vs_reach(card: pl.DataFrame, *, currency: str) -> go.Figure:
    """Cost per active learner against reach of the target audience, sized by spend.

    The cost axis is logarithmic (a compliance course costs a few units of
    money per learner, a leadership programme thousands), its ticks 1-3-10
    steps over the data's own range (so yen and dinars get ticks too). Each
    label goes on a free side of its bubble, biggest spend first
    (`pages.label_layout`); a product with no free side is named on hover.
    """
    df = card.filter(pl.col("reach").is_not_null() & (pl.col("cost_per_active_learner") > 0)).sort(
        "cost_per_active_learner"
    )
    symbol = display.currency_symbol(currency)
    fig = go.Figure()
    if df.is_empty():
        return layout(fig, "Cost per active learner vs reach (bubble = spend)", 520)
    max_cost = max(df["actual_cost"].max() or 1.0, 1.0)
    sizes = [12 + 38 * (c or 0) / max_cost for c in df["actual_cost"].to_list()]
    costs = df["cost_per_active_learner"].to_list()
    y_range = (math.log10(min(costs)) - 0.3, math.log10(max(costs)) + 0.3)
    x_range = (-0.05, 1.15)
    sides = place_labels(
        df["reach"].to_list(),
        costs,
        df["product"].to_list(),
        [s / 2 for s in sizes],
        priority=[c or 0 for c in df["actual_cost"].to_list()],
        # The plot area this chart gets at its narrowest, measured in Chromium: half of a
        # 1280-wide screen beside the sidebar, less the axes, is 303 × 433 px (the height is
        # fixed by the figure's). Wider screens only add room between the labels.
        plot=Plot(width=300, height=425, x_range=x_range, y_range=y_range, y_log=True),
    )
    df = df.with_columns(
        pl.Series("_size", sizes),
        pl.Series("_side", [s or "top center" for s in sides]),
        pl.Series(
            "_label", [plot_text(n) if s else "" for n, s in zip(df["product"], sides, strict=True)]
        ),
    )
    for label, colour in HEALTH_COLOURS.items():
        part = df.filter(pl.col("health") == label)
        if part.is_empty():
            continue
        fig.add_scatter(
            x=part["reach"].to_list(),
            y=part["cost_per_active_learner"].to_list(),
            mode="markers+text",
            name=label,
            text=part["_label"].to_list(),
            textposition=part["_side"].to_list(),
            textfont={"size": 11, "color": "#333"},
            marker={
                "size": part["_size"].to_list(),
                "color": colour,
                "opacity": 0.75,
                "line": {"width": 1, "color": "white"},
            },
            customdata=list(zip(map(plot_text, part["product"]), part["actual_cost"], strict=True)),
            hovertemplate="%{customdata[0]}<br>Reach: %{x:.0%} of target audience<br>Cost per "
            "active learner: "
            + symbol
            + "%{y:,.0f}<br>Actual spend: "
            + symbol
            + "%{customdata[1]:,.0f}<extra></extra>",
            cliponaxis=False,
        )
    fig.update_xaxes(
        title="Reach (% of the target audience)",
        tickformat=".0%",
        range=list(x_range),
    )
    ticks = log_ticks(*y_range)
    fig.update_yaxes(
        title=f"Cost per active learner ({currency}, log scale)",
        type="log",
        range=list(y_range),
        tickvals=ticks,
        ticktext=[display.money(v, currency) for v in ticks],
    )
    return layout(fig, "Cost per active learner vs reach (bubble = spend)", 520)


def seat_use(card: pl.DataFrame, *, currency: str) -> go.Figure:
    """Used and idle licence seats, idle spend beside each bar: the most idle spend on top."""
    df = seat_rows(card).tail(MOST_BARS)
    names = [plot_text(n) for n in df["product"]]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=df["used"],
        name="Seats used",
        orientation="h",
        marker_color=ACTUAL,
        hovertemplate="%{y}<br>Seats used: %{x:,}<extra></extra>",
    )
    fig.add_bar(
        y=names,
        x=df["idle_seats"],
        name="Seats idle",
        orientation="h",
        marker_color="#d9a5a5",
        hovertemplate="%{y}<br>Idle seats: %{x:,}<extra></extra>",
        text=[f"idle {display.money_short(v, currency)}" for v in df["idle_spend"]],
        textposition="outside",
        cliponaxis=False,
    )
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(title="Licence seats in force")
    title = "Licence seats: used vs idle (idle spend beside each bar)"
    return layout(fig, title, 110 + 40 * max(len(names), 2), right=110)
