"""Plotly figures of the overview: drawing only, every number comes in computed."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from pages import display
from pages.chart_style import ACTUAL, FORECAST, HEALTH_COLOURS, PLAN, layout

__all__ = ["cost_vs_reach", "seat_use", "spend_vs_plan"]


def spend_vs_plan(card: pl.DataFrame, *, year: int, currency: str) -> go.Figure:
    """Horizontal bars of plan and actual to date per product, forecast as a marker."""
    df = card.filter(pl.col("budget_plan").is_not_null() | pl.col("actual_cost").is_not_null())
    df = df.sort(pl.col("budget_plan").fill_null(0))
    symbol = display.currency_symbol(currency)
    names = df["product"].to_list()
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
    fig.update_xaxes(title=f"{currency} spent in {year}", tickprefix=symbol, tickformat="~s")
    return layout(fig, f"Spend vs plan by product, {year}", 90 + 34 * max(len(names), 3))


def cost_vs_reach(card: pl.DataFrame, *, currency: str) -> go.Figure:
    """Cost per active learner against reach of the target audience, sized by spend.

    The cost axis is logarithmic (a compliance course costs pounds per learner,
    a leadership programme thousands); labels alternate above and below their
    bubble so that neighbours stay readable.
    """
    df = card.filter(
        pl.col("reach").is_not_null() & pl.col("cost_per_active_learner").is_not_null()
    )
    df = df.sort("cost_per_active_learner")
    symbol = display.currency_symbol(currency)
    fig = go.Figure()
    max_cost = max(df["actual_cost"].max() or 1.0, 1.0)
    positions = ["top center", "bottom center"]
    for label, colour in HEALTH_COLOURS.items():
        part = df.with_row_index("_i").filter(pl.col("health") == label)
        if part.is_empty():
            continue
        fig.add_scatter(
            x=part["reach"].to_list(),
            y=part["cost_per_active_learner"].to_list(),
            mode="markers+text",
            name=label,
            text=part["product"].to_list(),
            textposition=[positions[i % 2] for i in part["_i"].to_list()],
            textfont={"size": 11, "color": "#333"},
            marker={
                "size": [12 + 38 * (c or 0) / max_cost for c in part["actual_cost"].to_list()],
                "color": colour,
                "opacity": 0.75,
                "line": {"width": 1, "color": "white"},
            },
            customdata=part["actual_cost"].to_list(),
            hovertemplate="%{text}<br>Reach: %{x:.0%} of target audience<br>Cost per active "
            "learner: "
            + symbol
            + "%{y:,.0f}<br>Actual spend: "
            + symbol
            + "%{customdata:,.0f}<extra></extra>",
            cliponaxis=False,
        )
    fig.update_xaxes(
        title="Reach: active learners as % of the target audience",
        tickformat=".0%",
        range=[-0.05, 1.15],
    )
    fig.update_yaxes(
        title=f"Cost per active learner ({currency}, log scale)",
        type="log",
        tickvals=[1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000],
        ticktext=[f"{symbol}{v:,}" for v in (1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000)],
    )
    return layout(fig, "Cost per active learner vs reach (bubble = spend)", 520)


def seat_use(card: pl.DataFrame, *, currency: str) -> go.Figure:
    """Used and idle licence seats per product, idle spend written beside each bar."""
    df = card.filter(pl.col("seats").is_not_null() & pl.col("idle_seats").is_not_null())
    df = df.with_columns(used=pl.col("seats") - pl.col("idle_seats")).sort("idle_spend")
    names = df["product"].to_list()
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
