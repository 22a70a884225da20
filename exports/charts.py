"""Plotly figures for the funding-review pack, built from the pack dict only.

Why a module of its own: the HTML one-pager and the PDF show the same charts,
drawn from the same payload (`exports.payload`), so a figure in the pack can
never disagree with the table beside it. Nothing here computes a figure: it
only lays out what the pack carries.

Every chart is meant to be read in a meeting and on a black-and-white
printout: a plain-language title, axis titles with the currency and the
unit, and series told apart by lightness, outline and marker shape as well
as by colour (plan: light grey with a dark outline; actual: near-black;
forecast: a diamond). Text from the pack (product names) goes through
`chart_text`: neutralised as in every export, and with ``<``, ``>`` and
``&`` escaped because plotly reads a small HTML subset (``<a href>``
included) in its labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import plotly.graph_objects as go

from exports.safety import neutralise, plot_text
from metrics import text
from metrics.evidence import link_label
from metrics.text import NOT_TRACKED, currency_symbol, money_short

__all__ = [
    "FONT_FAMILY",
    "MOST_BARS",
    "NOT_TRACKED",
    "chart_text",
    "currency_symbol",
    "evidence_strength",
    "idle_rows",
    "idle_spend",
    "merged",
    "money_short",
    "monthly_plan_actual",
    "spend_by_product",
    "spend_rows",
    "value_delivered",
    "value_rows",
]

FONT_FAMILY: Final = (
    "'Source Sans Pro', 'Segoe UI', 'DejaVu Sans', 'Noto Sans', Arial, sans-serif, "
    "'Noto Color Emoji'"
)
"""One font stack for charts and text; the first family installed wins."""

MOST_BARS: Final = 25
"""Products a portfolio chart draws at most: the largest; the line under it names the rest.

A bar per product stays readable to a few dozen; a portfolio of hundreds drew a chart
tens of thousands of pixels tall that nobody could read in a meeting (and that took
longer to build than the figures). The line under the chart says which products are
left out and why (`exports.chart_notes`); the table below the charts lists every
product. The title stays as it is: at half a screen's width a "largest 25 of 2,000"
after it was cut, and on a line of its own it met the legend.
"""

_TEXT: Final = "#1a1a1a"
"""The packs' text colour: 17.4:1 on white."""
_PLAN_FILL: Final = "#d4d4d4"
_OUTLINE: Final = "#333333"
_ACTUAL: Final = "#1b2f45"
_FORECAST: Final = "#e4572e"
_BENEFIT: Final = "#8fb87a"
_IDLE: Final = "#b0663f"
_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_LABEL_CHARS: Final = 34

_STRENGTH_SCORE: Final[dict[str, int]] = {"none": 0, "weak": 1, "moderate": 2, "strong": 3}
_STRENGTH_FILL: Final[dict[str, str]] = {
    "none": "#ffffff",
    "weak": "#d9d9d9",
    "moderate": "#8c8c8c",
    "strong": "#262626",
}

Pack = Mapping[str, Any]
Product = Mapping[str, Any]


def chart_text(value: object) -> str:
    """Text from the pack made safe for a plotly label (see the module notes)."""
    return plot_text(neutralise(str(value)))


def _axis_labels(names: Iterable[object]) -> list[str]:
    """Short, unique, escaped category labels (a long name is cut with an ellipsis)."""
    labels: list[str] = []
    for name in names:
        text = str(name)
        if len(text) > _LABEL_CHARS:
            text = text[: _LABEL_CHARS - 1].rstrip() + "…"
        label = chart_text(text)
        while label in labels:
            label += "\u200b"  # a zero-width space keeps same-looking labels apart
        labels.append(label)
    return labels


def _currency_year(pack: Pack) -> tuple[str, object]:
    return str(pack["currency"]), pack.get("year") or ""


def _figure(data: list[dict[str, Any]], *layout: Mapping[str, Any]) -> go.Figure:
    """A figure of these traces, its layout the parts merged as `update_layout` merges them.

    Why plain dicts: built with `add_bar` and `update_layout`, plotly checks every key path
    of every call, about 20 ms a chart; given as one dict it checks it once (1-2 ms). A
    pack draws two charts a product: 2,000 products took 80 s of the HTML pack's build.
    """
    return go.Figure({"data": data, "layout": merged(*layout)})


def merged(*parts: Mapping[str, Any]) -> dict[str, Any]:
    """The parts merged key by key, nested ones too, the later part winning (as plotly does)."""
    out: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if isinstance(value, Mapping):
                base = out.get(key)
                out[key] = merged(base if isinstance(base, dict) else {}, value)
            else:
                out[key] = value
    return out


def _layout(title: str, *, height: int, right: int = 24) -> dict[str, Any]:
    """The layout every pack chart shares: title, size, margins, fonts, grid and legend."""
    text = {"color": _TEXT}
    # Axis and legend text set explicitly: on a page, Streamlit's chart theme would draw
    # them in #808495 (3.7:1 on white, under WCAG's 4.5:1).
    axis = {"gridcolor": "#e0e0e0", "linecolor": "#555555", "automargin": True, "tickfont": text}
    return {
        "template": {},
        # The title at the top, and room under it for a legend of three rows: at half a
        # screen's width the legend puts one entry a row, and short product names start
        # the plot (and so the legend) at the left, under the title.
        "title": {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 12},
            "font": {"size": 19},
        },
        "height": height + 28,  # the 28 px added above the plot: the plot keeps its size
        "margin": {"l": 10, "r": right, "t": 120, "b": 48},
        "font": {"family": FONT_FAMILY, "size": 14, "color": _TEXT},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        # Above the plot, under the title: below it, a short chart's legend hits the axis title.
        "legend": {"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom", "font": text},
        "hoverlabel": {"font": {"size": 14}},
        "xaxis": {**axis, "zerolinecolor": "#555555", "title": {"font": text}},
        "yaxis": {**axis, "title": {"font": text}},
    }


def _money_bars(
    names: list[str],
    values: list[Any],
    name: str,
    colours: tuple[str, str],
    currency: str,
    hover: str | None = None,
) -> dict[str, Any]:
    """Horizontal bars of amounts, each written beside its bar ("£12k").

    `colours` are the fill and the outline; `hover` names the amount on hover (`name`).
    """
    fill, line = colours
    return {
        "type": "bar",
        "y": names,
        "x": values,
        "name": name,
        "orientation": "h",
        "marker": {"color": fill, "line": {"color": line, "width": 1}},
        "text": [money_short(v, currency) for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": f"{hover or name}: {currency_symbol(currency)}"
        + "%{x:,.0f}<extra></extra>",
    }


def _money_axis(*, axis: str, title: str, currency: str) -> dict[str, Any]:
    """The money axis's layout: currency ticks from zero ("£100k"), titled."""
    settings: dict[str, Any] = {"title": {"text": title}, "tickprefix": currency_symbol(currency)}
    settings["tickformat"] = "~s"
    settings["rangemode"] = "tozero"
    if axis == "x":
        # Level and few: in a half-width column plotly turned "£100k" ticks 45° and cut them.
        return {"xaxis": {**settings, "tickangle": 0, "nticks": 3}}
    return {"yaxis": settings}


def spend_rows(pack: Pack) -> list[Mapping[str, Any]]:
    """Products with a plan, actual or forecast, smallest plan first (drawn bottom-up)."""
    keys = ("budget_plan", "actual_cost", "forecast_cost")
    rows = [p for p in pack.get("products") or [] if any(p.get(k) is not None for k in keys)]
    return sorted(rows, key=lambda p: (p.get("budget_plan") or 0, p.get("forecast_cost") or 0))


def value_rows(pack: Pack) -> list[Mapping[str, Any]]:
    """Products with monetised benefits, smallest benefits first."""
    rows = [p for p in pack.get("products") or [] if p.get("benefits") is not None]
    return sorted(rows, key=lambda p: p["benefits"])


def idle_rows(pack: Pack) -> list[Mapping[str, Any]]:
    """Licensed products whose idle spend is known, smallest first."""
    rows = [p for p in pack.get("products") or [] if p.get("idle_spend") is not None]
    return sorted(rows, key=lambda p: p["idle_spend"])


def spend_by_product(pack: Pack) -> go.Figure | None:
    """Plan and actual to date per product as horizontal bars, the forecast as a diamond.

    Products with no plan, actual or forecast at all are left out; None when
    no product has any spend figure. The biggest plan is at the top.
    """
    currency, year = _currency_year(pack)
    drawable = spend_rows(pack)
    if not drawable:
        return None
    rows = drawable[-MOST_BARS:]
    names = _axis_labels(p.get("product") for p in rows)
    symbol = currency_symbol(currency)
    plan = {
        "type": "bar",
        "y": names,
        "x": [p.get("budget_plan") for p in rows],
        "name": f"Plan {year}",
        "orientation": "h",
        "marker": {"color": _PLAN_FILL, "line": {"color": _OUTLINE, "width": 1}},
        "hovertemplate": "%{y}<br>Plan: " + symbol + "%{x:,.0f}<extra></extra>",
    }
    actual = {
        "type": "bar",
        "y": names,
        "x": [p.get("actual_cost") for p in rows],
        "name": "Actual to date",
        "orientation": "h",
        "width": 0.4,
        "marker": {"color": _ACTUAL, "line": {"color": _ACTUAL, "width": 1}},
        "hovertemplate": "%{y}<br>Actual to date: " + symbol + "%{x:,.0f}<extra></extra>",
    }
    forecast = {
        "type": "scatter",
        "y": names,
        "x": [p.get("forecast_cost") for p in rows],
        "name": "Forecast (year end)",
        "mode": "markers",
        "marker": {
            "symbol": "diamond",
            "size": 13,
            "color": _FORECAST,
            "line": {"width": 1.5, "color": "#000000"},
        },
        "hovertemplate": "%{y}<br>Forecast: " + symbol + "%{x:,.0f}<extra></extra>",
    }
    return _figure(
        [plan, actual, forecast],
        {"barmode": "overlay", "bargap": 0.3},
        _money_axis(axis="x", title=f"{currency} in {year}", currency=currency),
        _layout(f"Spend by product, {year}", height=150 + 30 * max(len(rows), 4)),
    )


def value_delivered(pack: Pack) -> go.Figure | None:
    """Benefits against actual cost for each product whose benefits are tracked.

    The label of each product carries its ROI on actual cost. None when no
    product has monetised (level-4) benefits this year.
    """
    currency, year = _currency_year(pack)
    drawable = value_rows(pack)
    if not drawable:
        return None
    rows = drawable[-MOST_BARS:]
    names = [
        f"{label}<br><i>ROI {text.pct(p.get('roi'))}</i>"
        for label, p in zip(_axis_labels(p.get("product") for p in rows), rows, strict=True)
    ]
    costs = [p.get("actual_cost") for p in rows]
    cost = _money_bars(names, costs, "Actual cost", (_ACTUAL, _ACTUAL), currency)
    gains = [p["benefits"] for p in rows]
    benefits = _money_bars(
        names, gains, "Benefits (first year, isolated)", (_BENEFIT, _OUTLINE), currency, "Benefits"
    )
    title = f"Value delivered: benefits vs actual cost, {year}"
    return _figure(
        [cost, benefits],
        {"barmode": "group", "bargap": 0.25, "bargroupgap": 0.05},
        _money_axis(axis="x", title=f"{currency} in {year}", currency=currency),
        _layout(title, height=160 + 52 * max(len(rows), 3), right=70),
    )


def idle_spend(pack: Pack) -> go.Figure | None:
    """Idle licence spend per licensed product whose usage is tracked, largest at the top.

    Each bar is labelled with the amount, each product with its idle seats. None when no
    product has a licence with tracked usage.
    """
    currency, year = _currency_year(pack)
    drawable = idle_rows(pack)
    if not drawable:
        return None
    rows = drawable[-MOST_BARS:]
    names = []
    for label, p in zip(_axis_labels(p.get("product") for p in rows), rows, strict=True):
        idle, seats = p.get("idle_seats"), p.get("seats")
        if idle is not None and seats:
            label += f"<br><i>{text.count(idle)} of {text.count(seats, 'seats')} idle</i>"
        names.append(label)
    idle = _money_bars(
        names, [p["idle_spend"] for p in rows], "Idle spend", (_IDLE, _OUTLINE), currency
    )
    axis_title = f"{currency} paid in {year} for seats nobody used"
    return _figure(
        [idle],
        {"bargap": 0.35, "showlegend": False},
        _money_axis(axis="x", title=axis_title, currency=currency),
        _layout(
            "Idle licence spend you could recover", height=110 + 44 * max(len(rows), 3), right=60
        ),
    )


def monthly_plan_actual(product: Product, *, year: int, currency: str) -> go.Figure | None:
    """Plan and actual spend of one product by month; None without monthly figures."""
    months = [m for m in product.get("monthly") or [] if str(m.get("month", "")).strip()]
    if not any(m.get("plan") is not None or m.get("actual") is not None for m in months):
        return None
    labels = [_month_label(str(m["month"])) for m in months]
    symbol = currency_symbol(currency)
    plan = {
        "type": "bar",
        "x": labels,
        "y": [m.get("plan") for m in months],
        "name": "Plan",
        "marker": {"color": _PLAN_FILL, "line": {"color": _OUTLINE, "width": 1}},
        "hovertemplate": "%{x}: plan " + symbol + "%{y:,.0f}<extra></extra>",
    }
    actual = {
        "type": "bar",
        "x": labels,
        "y": [m.get("actual") for m in months],
        "name": "Actual",
        "marker": {"color": _ACTUAL, "line": {"color": _ACTUAL, "width": 1}},
        "hovertemplate": "%{x}: actual " + symbol + "%{y:,.0f}<extra></extra>",
    }
    return _figure(
        [plan, actual],
        {"barmode": "group", "bargap": 0.25, "xaxis": {"type": "category"}},
        _money_axis(axis="y", title=f"{currency} per month", currency=currency),
        _layout(f"Spend by month, {year}: plan vs actual", height=330),
        {
            "legend": {
                "orientation": "h",
                "x": 1,
                "xanchor": "right",
                "y": 1.0,
                "yanchor": "bottom",
            },
            "margin": {"b": 36},
        },
    )


def evidence_strength(product: Product, *, currency: str) -> go.Figure | None:
    """The chain of evidence as bars of strength (none → strong), link by link.

    Each bar is labelled with the link's latest value, its sample size and its
    strength in words, so the chart reads without colour. None when the
    product has no chain of evidence.
    """
    links = list(product.get("evidence") or [])
    if not links:
        return None
    links.reverse()  # plotly draws the first category at the bottom: reach goes on top
    strengths = [str(e.get("strength") or "none") for e in links]
    # Each link's name and reading are its axis label ("Reach: 98% · n=39 · moderate"), not
    # text beside the bar: beside the bars they needed a 240 px margin, which left a 64 px
    # plot in a half-width column, and plotly dropped every other label. One line per link,
    # no axis title: the six links fit the 190 px a printed one-pager gives the chart.
    labels = [
        chart_text(
            f"{link_label(e.get('link')) or e.get('label') or ''}: {_evidence_text(e, s, currency)}"
        )
        for e, s in zip(links, strengths, strict=True)
    ]
    bars = {
        "type": "bar",
        "y": labels,
        "x": [max(_STRENGTH_SCORE.get(s, 0), 0.04) for s in strengths],
        "orientation": "h",
        "marker": {
            "color": [_STRENGTH_FILL.get(s, "#ffffff") for s in strengths],
            "line": {"color": _OUTLINE, "width": 1},
        },
        "hoverinfo": "y",
        "showlegend": False,
    }
    # A title that fits the half-width column it is drawn in at 1280 px (the question form,
    # 63 characters, was cut), and no room for a legend, as it has none.
    return _figure(
        [bars],
        {
            "xaxis": {"range": [0, 3.05], "showticklabels": False, "showgrid": False},
            "yaxis": {"tickfont": {"size": 12}},
            "bargap": 0.3,
        },
        _layout("Evidence, link by link (longer = stronger)", height=0, right=16),
        {"margin": {"t": 40, "b": 10}, "height": 80 + 26 * len(links)},
    )


def _evidence_text(link: Mapping[str, Any], strength: str, currency: str) -> str:
    value = link.get("value")
    if value is None:
        return NOT_TRACKED
    parts = [text.measure(value, str(link.get("unit") or ""), currency)]
    if link.get("n") is not None:
        parts.append(f"n={text.count(link['n'])}")
    parts.append(strength)
    return " · ".join(parts)


def _month_label(month: str) -> str:
    """The month's short name ("2026-03" → "Mar"); any other text as given, escaped."""
    year, _, number = month.partition("-")
    if year.isdigit() and number.isdigit() and 1 <= int(number) <= 12:
        return _MONTHS[int(number) - 1]
    return chart_text(month)
