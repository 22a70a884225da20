"""Plotly figures for the pages: drawing only, every number comes in computed.

Charts are labelled in plain language with the currency and the unit, so a
finance partner can read them at a glance on a projector.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from pages import display

__all__ = [
    "HEALTH_COLOURS",
    "HEALTH_COLOURS_NAMED",
    "active_by_month",
    "cost_build_up",
    "cost_vs_reach",
    "learner_funnel",
    "monthly_spend",
    "seat_use",
    "spend_vs_plan",
]

HEALTH_COLOURS = {"Invest": "#2e7d32", "Fix": "#e69500", "Sunset": "#c62828"}
# The same colours by Streamlit's badge names.
HEALTH_COLOURS_NAMED = {"Invest": "green", "Fix": "orange", "Sunset": "red"}
_PLAN = "#c9d3df"
_ACTUAL = "#1f4e79"
_FORECAST = "#e4572e"
_FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 14}


def _layout(fig: go.Figure, title: str, height: int, right: int = 20) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        height=height,
        margin={"l": 10, "r": right, "t": 60, "b": 40},
        font=_FONT,
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.12, "x": 0},
        hoverlabel={"font_size": 13},
    )
    fig.update_xaxes(gridcolor="#e8e8e8", zerolinecolor="#999")
    fig.update_yaxes(gridcolor="#e8e8e8")
    return fig


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
        marker_color=_PLAN,
        hovertemplate="%{y}<br>Plan: " + symbol + "%{x:,.0f}<extra></extra>",
    )
    fig.add_bar(
        y=names,
        x=df["actual_cost"],
        name="Actual to date",
        orientation="h",
        marker_color=_ACTUAL,
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
            "color": _FORECAST,
            "line": {"width": 1, "color": "white"},
        },
        hovertemplate="%{y}<br>Forecast: " + symbol + "%{x:,.0f}<extra></extra>",
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_traces(selector={"type": "bar", "name": "Actual to date"}, width=0.45)
    fig.update_xaxes(title=f"{currency} spent in {year}", tickprefix=symbol, tickformat="~s")
    return _layout(fig, f"Spend vs plan by product, {year}", 90 + 34 * max(len(names), 3))


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
            x=(part["reach"] * 100).to_list(),
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
            hovertemplate="%{text}<br>Reach: %{x:.0f}% of target audience<br>Cost per active "
            "learner: "
            + symbol
            + "%{y:,.0f}<br>Actual spend: "
            + symbol
            + "%{customdata:,.0f}<extra></extra>",
            cliponaxis=False,
        )
    fig.update_xaxes(
        title="Reach: active learners as % of the target audience", ticksuffix="%", range=[-5, 115]
    )
    fig.update_yaxes(
        title=f"Cost per active learner ({currency}, log scale)",
        type="log",
        tickvals=[1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000],
        ticktext=[f"{symbol}{v:,}" for v in (1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000)],
    )
    return _layout(fig, "Cost per active learner vs reach (bubble = spend)", 520)


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
        marker_color=_ACTUAL,
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
    return _layout(fig, title, 110 + 40 * max(len(names), 2), right=110)


_COMPONENTS = {
    "licence": "Licences",
    "design_development": "Design & development (amortised)",
    "delivery": "Delivery",
    "participant_time": "Participant time",
    "evaluation": "Evaluation",
    "overhead": "Overhead",
    "other": "Other",
}


def monthly_spend(monthly: pl.DataFrame, *, year: int, currency: str) -> go.Figure:
    """Plan and actual by month for one product."""
    symbol = display.currency_symbol(currency)
    fig = go.Figure()
    months = [f"{m:%b}" for m in monthly["month"]]
    fig.add_bar(
        x=months,
        y=monthly["plan"],
        name="Plan",
        marker_color=_PLAN,
        hovertemplate="%{x}: plan " + symbol + "%{y:,.0f}<extra></extra>",
    )
    fig.add_bar(
        x=months,
        y=monthly["actual"],
        name="Actual",
        marker_color=_ACTUAL,
        hovertemplate="%{x}: actual " + symbol + "%{y:,.0f}<extra></extra>",
    )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(title=f"{currency} per month", tickprefix=symbol, tickformat="~s")
    return _layout(fig, f"Plan vs actual by month, {year}", 360)


def cost_build_up(components: pl.DataFrame, *, currency: str) -> go.Figure:
    """The fully-loaded cost by component, with how each was valued."""
    df = components.filter(pl.col("amount").is_not_null())
    symbol = display.currency_symbol(currency)
    labels = [_COMPONENTS.get(c, c) for c in df["component"]]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=df["amount"],
        orientation="h",
        marker_color=_ACTUAL,
        text=[display.money_short(v, currency) for v in df["amount"]],
        textposition="outside",
        customdata=df["note"].to_list(),
        cliponaxis=False,
        hovertemplate="%{y}: " + symbol + "%{x:,.0f}<br>%{customdata}<extra></extra>",
    )
    fig.update_xaxes(title=f"{currency} for the year", tickprefix=symbol, tickformat="~s")
    fig.update_yaxes(autorange="reversed")
    return _layout(
        fig, "Fully-loaded cost build-up (investment view)", 120 + 36 * len(labels), right=70
    )


def active_by_month(frame: pl.DataFrame, *, year: int) -> go.Figure:
    """Active learners per month."""
    fig = go.Figure()
    fig.add_scatter(
        x=[f"{m:%b}" for m in frame["month"]],
        y=frame["active_learners"],
        mode="lines+markers",
        line={"color": _ACTUAL, "width": 3},
        name="Active",
        hovertemplate="%{x}: %{y:,} active learners<extra></extra>",
    )
    fig.update_yaxes(title="Active learners", rangemode="tozero")
    return _layout(fig, f"Active learners by month, {year}", 320)


def learner_funnel(stages: dict[str, object]) -> go.Figure:
    """Enrolled → started → completed, as people."""
    names = ["Enrolled", "Started", "Completed"]
    values = [stages.get("enrolled"), stages.get("started"), stages.get("completed")]
    fig = go.Figure(
        go.Funnel(
            y=names,
            x=values,
            textinfo="value+percent initial",
            marker={"color": [_PLAN, "#5b87b5", _ACTUAL]},
        )
    )
    return _layout(fig, "Learner funnel (people)", 300)
