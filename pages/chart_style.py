"""The look shared by every chart of the pages: colours, font, layout.

Charts are labelled in plain language with the currency and the unit, so a
finance partner can read them at a glance on a projector; this module keeps
their colours and frame the same from page to page.
"""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = [
    "ACTUAL",
    "FONT",
    "FORECAST",
    "HEALTH_COLOURS",
    "HEALTH_COLOURS_NAMED",
    "PLAN",
    "layout",
]

HEALTH_COLOURS = {"Invest": "#2e7d32", "Fix": "#e69500", "Sunset": "#c62828"}
# The same colours by Streamlit's badge names.
HEALTH_COLOURS_NAMED = {"Invest": "green", "Fix": "orange", "Sunset": "red"}
PLAN = "#c9d3df"
ACTUAL = "#1f4e79"
FORECAST = "#e4572e"
_LEGEND_ROOM = 50
"""Pixels under the x-axis title for a one- or two-row legend."""
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 14}


def layout(fig: go.Figure, title: str, height: int, right: int = 20) -> go.Figure:
    """Title, size, margins, font and grid of a page chart.

    A legend sits at the very bottom of the figure, under the x-axis title, in
    a bottom margin made for it (placed relative to the plot, it landed on the
    axis title of short charts); a chart without a legend keeps a slim margin.
    """
    legend = sum(1 for trace in fig.data if trace.showlegend is not False) > 1
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        height=height + (_LEGEND_ROOM if legend else 0),
        margin={"l": 10, "r": right, "t": 60, "b": 40 + (_LEGEND_ROOM if legend else 0)},
        font=FONT,
        plot_bgcolor="white",
        showlegend=legend,
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "traceorder": "normal",
        },
        hoverlabel={"font_size": 13},
    )
    fig.update_xaxes(gridcolor="#e8e8e8", zerolinecolor="#999")
    fig.update_yaxes(gridcolor="#e8e8e8")
    return fig
