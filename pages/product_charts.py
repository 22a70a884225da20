"""Plotly figures of the Product page: drawing only, every number comes in computed."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl

from metrics.investment import COST_CATEGORY_LABELS
from pages import display
from pages.chart_style import ACTUAL, PLAN, RELEASE, TEXT, layout
from pages.safe_text import plot_text

__all__ = ["active_by_month", "cost_build_up", "learner_funnel", "monthly_spend"]

_COMPONENTS = {
    **COST_CATEGORY_LABELS,
    "design_development": f"{COST_CATEGORY_LABELS['design_development']} (amortised)",
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
        marker_color=PLAN,
        hovertemplate="%{x}: plan " + symbol + "%{y:,.0f}<extra></extra>",
    )
    fig.add_bar(
        x=months,
        y=monthly["actual"],
        name="Actual",
        marker_color=ACTUAL,
        hovertemplate="%{x}: actual " + symbol + "%{y:,.0f}<extra></extra>",
    )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(title=f"{currency} per month", tickprefix=symbol, tickformat="~s")
    return layout(fig, f"Plan vs actual by month, {year}", 360)


def cost_build_up(components: pl.DataFrame, *, currency: str) -> go.Figure:
    """The fully-loaded cost by component, with how each was valued."""
    df = components.filter(pl.col("amount").is_not_null())
    symbol = display.currency_symbol(currency)
    labels = [plot_text(_COMPONENTS.get(c, c)) for c in df["component"]]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=df["amount"],
        orientation="h",
        marker_color=ACTUAL,
        text=[display.money_short(v, currency) for v in df["amount"]],
        textposition="outside",
        customdata=[plot_text(n or "") for n in df["note"]],
        cliponaxis=False,
        hovertemplate="%{y}: " + symbol + "%{x:,.0f}<br>%{customdata}<extra></extra>",
    )
    fig.update_xaxes(title=f"{currency} for the year", tickprefix=symbol, tickformat="~s")
    fig.update_yaxes(autorange="reversed")
    return layout(
        fig, "Fully-loaded cost build-up (investment view)", 120 + 36 * len(labels), right=70
    )


def active_by_month(
    frame: pl.DataFrame, *, year: int, releases: pl.DataFrame | None = None
) -> go.Figure:
    """Active learners per month, with each month's releases marked (titles on hover).

    Why markers and not labels: several releases in a month would overprint;
    the list under the chart reads them in full.
    """
    fig = go.Figure()
    fig.add_scatter(
        x=[f"{m:%b}" for m in frame["month"]],
        y=frame["active_learners"],
        mode="lines+markers",
        line={"color": ACTUAL, "width": 3},
        name="Active",
        hovertemplate="%{x}: %{y:,} active learners<extra></extra>",
    )
    if releases is not None and not releases.is_empty():
        by_month = releases.group_by(pl.col("date").dt.month().alias("m")).agg(
            pl.col("title").map_elements(plot_text, return_dtype=pl.String).str.join("<br>")
        )
        active = dict(zip(frame["month"].dt.month(), frame["active_learners"], strict=False))
        fig.add_scatter(
            x=[f"{date(year, m, 1):%b}" for m in by_month["m"]],
            y=[active.get(m, 0) for m in by_month["m"]],
            mode="markers",
            marker={"symbol": "star", "size": 15, "color": RELEASE},
            cliponaxis=False,  # a release in the busiest month sits on the plot's top edge
            name="Release",
            text=by_month["title"],
            hovertemplate="%{x}: %{text}<extra>Released</extra>",
        )
    fig.update_yaxes(title="Active learners", rangemode="tozero")
    return layout(fig, f"Active learners by month, {year}", 320)


def learner_funnel(stages: dict[str, object]) -> go.Figure:
    """Enrolled → started → completed, as people."""
    names = ["Enrolled", "Started", "Completed"]
    values = [stages.get("enrolled"), stages.get("started"), stages.get("completed")]
    fig = go.Figure(
        go.Funnel(
            y=names,
            x=values,
            textinfo="value+percent initial",
            marker={"color": [PLAN, "#5b87b5", ACTUAL]},
            # Dark text on the light bar, white on the dark ones (4.5:1 either way).
            textfont={"color": [TEXT, "#ffffff", "#ffffff"]},
        )
    )
    return layout(fig, "Learner funnel (people)", 300)
