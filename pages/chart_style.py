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
    "RELEASE",
    "TEXT",
    "layout",
    "readable_text",
]

HEALTH_COLOURS = {"Invest": "#2e7d32", "Fix": "#e69500", "Sunset": "#c62828"}
# The same colours by Streamlit's badge names.
HEALTH_COLOURS_NAMED = {"Invest": "green", "Fix": "orange", "Sunset": "red"}
PLAN = "#c9d3df"
ACTUAL = "#1f4e79"
FORECAST = "#e4572e"
RELEASE = "#b8860b"  # a release marked on a usage chart (dark gold: apart from plan/actual)
_LEGEND_ROOM = 50
"""Pixels under the x-axis title for a one- or two-row legend."""
TEXT = "#31333f"
"""Every chart's text (ticks, axis titles, legend, labels): Streamlit's body text colour,
12.6:1 against white. Streamlit's chart theme draws axis text in #808495 (3.7:1), under
the 4.5:1 WCAG 2.1 asks for text, so each chart sets it."""
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 14, "color": TEXT}


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
    return readable_text(fig)


def readable_text(fig: go.Figure, colour: str = TEXT) -> go.Figure:
    """Set every text of `fig` outside the marks to `colour` (≥ 4.5:1 on white).

    Why explicit: Streamlit's chart theme overrides the layout font for the
    axes and the legend, and its grey fails the contrast a projector needs.
    Text inside a bar keeps its own colour (chosen against the bar).
    """
    fig.update_xaxes(tickfont={"color": colour}, title_font={"color": colour})
    fig.update_yaxes(tickfont={"color": colour}, title_font={"color": colour})
    fig.update_layout(legend_font_color=colour, title_font_color=colour)
    for trace in fig.data:
        if getattr(trace, "textposition", None) in ("outside", "auto", None) and hasattr(
            trace, "textfont"
        ):
            trace.textfont.color = trace.textfont.color or colour
    return fig
