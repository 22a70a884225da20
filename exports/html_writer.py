"""The funding pack as one self-contained HTML file: the business partner's take-away.

Why one file with everything inside: the pack is opened in a meeting room,
forwarded by e-mail and read on a plane. So the page carries its own CSS,
its own copy of plotly.js (once, in the head: about 4.8 MB, not once per
chart) and its figures as data; it loads nothing from the network, and a
Content-Security-Policy in the head forbids it to.

Layout, for reading in a meeting: a portfolio section (headline figures in
large type, spend by product, the products with their health, value
delivered and idle spend, the TDRp report, the assumptions, reach by org
unit once a roster is imported, suppliers and renewals with the seats to
reclaim (`exports.html_suppliers`), the what-if scenario when the pack has one),
then one section per product (its one-pager: the problem and for whom, cost
as an investment, usage and reach with the sponsor's units, the chain of
evidence, the ask for next year, the four risks).

`build_document` renders the same content for the PDF
(`exports.pdf_writer`): with ``layout="print"`` every section is an A4
landscape page, the charts are static and sized to the page.

Safety: every text that comes from the pack goes through
`exports.safety.neutralise` (formula-like text gets a leading quote, as in
the workbook) and is HTML-escaped; names sit in ``dir="auto"`` elements so
that right-to-left names read correctly. Nothing here computes a figure:
null reads "not tracked", never 0.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal, TypeAlias

import plotly.graph_objects as go
import plotly.io
import plotly.offline

from exports import chart_drawing, chart_notes, charts, html_suppliers
from exports.html_parts import count as _count
from exports.html_parts import escape as _e
from exports.html_parts import facts as _facts
from exports.html_parts import name as _name
from exports.html_parts import number as _number
from exports.html_parts import pct as _pct
from exports.html_parts import section as _section
from exports.html_parts import table as _table
from exports.html_parts import text_or as _text
from exports.html_parts import whole as _int
from metrics import text
from metrics.health import HEALTH_BADGES
from metrics.investment import COST_CATEGORY_LABELS
from metrics.rag import STATUS_LABELS
from metrics.risks import risk_cards
from metrics.sponsor_units import sponsor_units_line, unit_figure
from metrics.text import NOT_TRACKED

__all__ = ["REACH_ROWS_PER_PAGE", "Layout", "build_document", "reach_pages", "render_html"]

Layout: TypeAlias = Literal["screen", "print"]
Pack: TypeAlias = Mapping[str, Any]
Product: TypeAlias = Mapping[str, Any]

_HEALTH_ORDER: Final[dict[str, int]] = {"Sunset": 0, "Fix": 1, "Invest": 2}
_GROUPS: Final[dict[str, str]] = {
    "Outcome": "Outcome: impact on business goals",
    "Effectiveness": "Effectiveness: how well it works",
    "Efficiency": "Efficiency: how much, at what cost",
}
_CATEGORIES: Final[dict[str, str]] = COST_CATEGORY_LABELS
_THRESHOLDS: Final[dict[str, tuple[str, str]]] = {
    "utilisation_fix_below": ("Fix when seat use is below", "pct"),
    "utilisation_sunset_below": ("Sunset when seat use is below", "pct"),
    "roi_invest_at_least": ("Invest needs an ROI of at least", "pct"),
    "roi_sunset_below": ("Sunset when ROI is below", "pct"),
    "overspend_fix_above": ("Fix when spend runs over plan by more than", "pct"),
    "strategic_fit_sunset_at_most": ("Sunset when strategic fit is at most", "fit"),
    "compliance_reach_fix_below": ("Fix a compliance product when reach is below", "pct"),
}
# Chart sizes in CSS pixels (96 per inch) for the A4 landscape pages of the PDF:
# the printable area is 277 × 186 mm, about 1045 × 700 px.
_PRINT_WIDTH: Final = 1040
_PRINT_HALF: Final = 510
REACH_ROWS_PER_PAGE: Final = 28
"""Org units per page of the reach-by-org-unit table (each page a section of its own)."""
_DEFAULT_MIN_GROUP: Final = 5


def render_html(pack: Pack) -> bytes:
    """The funding pack as one self-contained HTML file, UTF-8 encoded.

    Parameters
    ----------
    pack
        A funding pack (`exports.payload.funding_pack`).

    Returns
    -------
    bytes
        An HTML5 document with inline CSS, one inline copy of plotly.js and
        interactive charts; it references nothing outside itself.
    """
    return build_document(pack, layout="screen").encode("utf-8")


def build_document(pack: Pack, *, layout: Layout) -> str:
    """The pack as an HTML document for the screen or for printing to PDF.

    Parameters
    ----------
    pack
        A funding pack (`exports.payload.funding_pack`).
    layout
        "screen": fluid layout in large type, interactive charts.
        "print": each section one A4 landscape page (see
        `exports.pdf_writer.page_count`), static charts sized to the page.

    Returns
    -------
    str
        The whole document, starting with ``<!DOCTYPE html>``.
    """
    doc = _Doc(pack=pack, layout=layout)
    body = "\n".join(
        [
            _cover(doc),
            _products_page(doc),
            _value_page(doc),
            _report_page(doc),
            *_reach_pages(doc),
            *html_suppliers.supplier_sections(pack, layout=layout),
            _scenario_page(doc),
            *(_product_page(doc, i, p) for i, p in enumerate(pack.get("products") or [], 1)),
        ]
    )
    year = _int(pack.get("year"))
    title = f"Learning portfolio funding review {year}"
    last_script = chart_drawing.DRAW_ALL if layout == "print" else chart_drawing.DRAW_NEAR
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"{chart_drawing.BASE}\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
        'font-src data:">\n'
        f"<title>{_e(title)}</title>\n"
        f"<style>\n{_css(layout, title)}\n</style>\n"
        f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>\n'
        f"<script>{chart_drawing.BEFORE_CHARTS}</script>\n"
        f'</head>\n<body class="{layout}">\n<main>\n{body}\n</main>\n'
        f"<script>{last_script}</script>\n</body>\n</html>\n"
    )


# --- formatting -------------------------------------------------------------------------------


@dataclass
class _Doc:
    """What every section needs: the pack, the layout, the money format, a chart counter."""

    pack: Pack
    layout: Layout
    charts: int = field(default=0)

    @property
    def currency(self) -> str:
        return str(self.pack["currency"])

    @property
    def year(self) -> int:
        return _int(self.pack.get("year"))

    @property
    def is_print(self) -> bool:
        return self.layout == "print"

    def money(self, value: object) -> str:
        """Table money: £41,250 (`metrics.text.money`)."""
        return text.money(_number(value), self.currency)

    def short(self, value: object) -> str:
        """Headline money: £1.20m, £41k (`metrics.text.money_short`)."""
        return text.money_short(_number(value), self.currency)

    def chart(self, fig: go.Figure | None, *, width: int, height: int, empty: str) -> str:
        """One chart as HTML, or a plain sentence when there is nothing to draw."""
        if fig is None:
            return f'<p class="no-chart">{_e(empty)}</p>'
        self.charts += 1
        div_id = f"chart-{self.charts}"
        # The figure as a dict, sized for the page, written unchecked: plotly checked it when
        # it was built, and `update_layout` on the figure cost 4 ms a chart (two a product).
        spec = fig.to_plotly_json()
        if self.is_print:
            sizes = {"width": width, "height": height, "font": {"size": 12}}
            spec["layout"] = charts.merged(spec["layout"], sizes, {"title": {"font": {"size": 15}}})
            config: dict[str, Any] = {"staticPlot": True}
            style = f' style="width:{width}px;height:{height}px"'
        else:
            sizes = {"font": {"size": 15}, "title": {"font": {"size": 20}}}
            spec["layout"] = charts.merged(spec["layout"], sizes)
            config = {"displaylogo": False, "responsive": True}
            style = ""
        inner = plotly.io.to_html(
            spec,
            validate=False,
            full_html=False,
            include_plotlyjs=False,
            div_id=div_id,
            config=config,
            default_width=f"{width}px" if self.is_print else "100%",
            default_height=f"{height}px"
            if self.is_print
            else f"{spec['layout'].get('height') or height}px",
        )
        return f'<figure class="chart"{style}>{inner}</figure>'


def _measure(doc: _Doc, value: object, unit: object) -> str:
    """One TDRp or evidence value in its unit (`metrics.text.measure`)."""
    return text.measure(_number(value), str(unit or ""), doc.currency)


def _badge(health: object) -> str:
    label = HEALTH_BADGES.get(str(health))
    css = str(health).lower() if label else "unknown"
    label = label or f"? {health or 'no label'}"
    return f'<span class="badge {css}">{_e(label)}</span>'


def _tile(label: str, value: str, note: str = "", *, css: str = "") -> str:
    note_html = f'<span class="note">{_e(note)}</span>' if note else ""
    missing = " missing" if value == NOT_TRACKED else ""
    return (
        f'<div class="tile {css}{missing}"><span class="label">{_e(label)}</span>'
        f'<span class="value">{_e(value)}</span>{note_html}</div>'
    )


# --- portfolio pages --------------------------------------------------------------------------


def _cover(doc: _Doc) -> str:
    pack, port = doc.pack, doc.pack.get("portfolio") or {}
    year = doc.year
    forecast = port.get("forecast_cost")
    share = _of_plan(port.get("forecast_pct_of_plan"))
    idle_seats = _number(port.get("idle_seats"))
    idle_note = f"{_count(idle_seats)} seats nobody used" if idle_seats is not None else ""
    tiles = "".join(
        [
            _tile(f"Plan {year}", doc.short(port.get("budget_plan"))),
            _tile("Actual to date", doc.short(port.get("actual_cost"))),
            _tile("Forecast (year end)", doc.short(forecast), share),
            _tile("Benefits", doc.short(port.get("benefits")), "first year, isolated"),
            _tile("ROI", _pct(port.get("roi")), "on actual cost", css="roi"),
            _tile("Idle spend recoverable", doc.short(port.get("idle_spend")), idle_note),
        ]
    )
    by_health = port.get("products_by_health") or {}
    counts = " ".join(
        f'{_badge(h)} <span class="count">{_count(by_health.get(h, 0))}</span>'
        for h in ("Invest", "Fix", "Sunset")
    )
    generated = _stamp(pack.get("generated_at"))
    meta = (
        f"Figures as of {_e(text.day(pack.get('as_of')))} · money in {_e(doc.currency)} · "
        f"{_count(port.get('products', len(pack.get('products') or [])))} products · "
        f"generated {generated}"
    )
    height = 450 if doc.is_print else 0  # room for the line naming who is left out
    spend = charts.spend_by_product(pack)
    chart = doc.chart(
        spend,
        width=_PRINT_WIDTH,
        height=height or (spend.layout.height if spend else 300),
        empty="No product has a budget or spend recorded for the year.",
    ) + _chart_note(chart_notes.spend_note(pack))
    inner = (
        f'<header><p class="kicker">Learning portfolio · funding review</p>'
        f'<h1>Funding review {year}</h1><p class="meta">{meta}</p></header>'
        f'<div class="tiles">{tiles}</div>'
        f'<p class="health-counts">Products by health: {counts}</p>{chart}'
    )
    return _section("cover", "portfolio", inner)


def _chart_note(note: str | None) -> str:
    """The line under a chart naming the products it leaves out (`exports.chart_notes`)."""
    return "" if note is None else f'<p class="chart-note">{_e(note)}</p>'


def _of_plan(share: object) -> str:
    """The note under a forecast: "74% of plan" (the pack's forecast ÷ plan), or nothing."""
    return "" if _number(share) is None else f"{_pct(share)} of plan"


def _stamp(value: object) -> str:
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return _text(value)
    return _e(f"{when:%Y-%m-%d %H:%M} UTC" if when.utcoffset() is not None else f"{when:%F}")


def _products_page(doc: _Doc) -> str:
    products = list(enumerate(doc.pack.get("products") or [], 1))
    products.sort(
        key=lambda ip: (
            _HEALTH_ORDER.get(str(ip[1].get("health")), 3),
            -(_number(ip[1].get("forecast_cost")) or 0.0),
        )
    )
    rows = []
    for i, p in products:
        reasons = "; ".join(str(r) for r in p.get("health_reasons") or [])
        name = _name(p.get("product"))
        link = name if doc.is_print else f'<a href="#product-{i}">{name}</a>'
        seats = p.get("seats")
        rows.append(
            [
                link,
                _badge(p.get("health")),
                f'<span dir="auto">{_text(reasons, "")}</span>',
                _e(doc.money(p.get("budget_plan"))),
                _e(doc.money(p.get("actual_cost"))),
                _e(doc.money(p.get("forecast_cost"))),
                _e(_count(p.get("active_learners"))),
                _e(_pct(p.get("reach"))),
                _e("no licence" if seats is None else _pct(p.get("seat_utilisation"))),
                _e("no licence" if seats is None else doc.money(p.get("idle_spend"))),
                _e(_pct(p.get("roi"))),
            ]
        )
    head = [
        "Product",
        "Health",
        "Why",
        f"Plan {doc.year}",
        "Actual to date",
        "Forecast",
        "Active learners",
        "Reach",
        "Seats used",
        "Idle spend",
        "ROI",
    ]
    inner = (
        "<h2>Products at a glance</h2>"
        '<p class="lede">Sunset and Fix first: they need a decision. ROI is on actual cost; '
        "“not tracked” means no data, never zero.</p>"
        f'<div class="wide">{_table(head, rows, css="products")}</div>'
    )
    return _section("products-page", "products", inner)


def _value_page(doc: _Doc) -> str:
    pack, port = doc.pack, doc.pack.get("portfolio") or {}
    value = charts.value_delivered(pack)
    idle = charts.idle_spend(pack)
    tall = 520  # room for the lines naming who is left out
    value_html = doc.chart(
        value,
        width=_PRINT_HALF,
        height=tall if doc.is_print else (value.layout.height if value else 0),
        empty="No product has monetised (level-4) benefits this year: benefits not tracked.",
    ) + _chart_note(chart_notes.value_note(pack))
    idle_html = doc.chart(
        idle,
        width=_PRINT_HALF,
        height=tall if doc.is_print else (idle.layout.height if idle else 0),
        empty="No licensed product has its usage tracked: idle spend not tracked.",
    ) + _chart_note(chart_notes.idle_note(pack))
    lede = (
        f"Benefits {_e(doc.short(port.get('benefits')))} against actual spend "
        f"{_e(doc.short(port.get('actual_cost')))}: ROI {_e(_pct(port.get('roi')))} on actual "
        f"cost. Idle licence spend: {_e(doc.short(port.get('idle_spend')))}."
    )
    inner = (
        f'<h2>Value delivered, and spend we could recover</h2><p class="lede">{lede}</p>'
        f'<div class="two"><div>{value_html}</div><div>{idle_html}</div></div>'
    )
    return _section("value-page", "value", inner)


def _tdrp_table(doc: _Doc, rows: Sequence[Mapping[str, Any]], *, css: str = "tdrp") -> str:
    if not rows:
        return f'<p class="no-chart">{_e("No TDRp report in this pack: not tracked.")}</p>'
    head = ["Measure", "Last year", "Plan", "YTD", "YTD % of plan", "Forecast", "Fcst % of plan"]
    head.append("Status")
    body: list[str] = []
    group = None
    for r in rows:
        if r.get("group") != group:
            group = r.get("group")
            title = _GROUPS.get(str(group), str(group or ""))
            body.append(f'<tr class="group"><th colspan="8">{_e(title)}</th></tr>')
        unit = r.get("unit")
        status = STATUS_LABELS.get(str(r.get("status")), "—")
        css_status = str(r.get("status")) if status != "—" else "none"
        plan = "no plan set" if r.get("plan") is None else _measure(doc, r.get("plan"), unit)
        cells = [
            _text(r.get("measure")),
            _e(_measure(doc, r.get("last_year"), unit)),
            _e(plan),
            _e(_measure(doc, r.get("ytd"), unit)),
            _e(_share(r.get("ytd_pct_of_plan"))),
            _e(_measure(doc, r.get("forecast"), unit)),
            _e(_share(r.get("forecast_pct_of_plan"))),
            f'<span class="status {css_status}">{_e(status)}</span>',
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    return (
        f'<table class="{css}"><thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _share(value: object) -> str:
    return "—" if _number(value) is None else _pct(value)


def _report_page(doc: _Doc) -> str:
    port = doc.pack.get("portfolio") or {}
    inner = (
        f"<h2>Plan vs actual, {doc.year} (TDRp management report)</h2>"
        '<p class="lede">Forecast = actual to date + the plan of the months still to come. '
        "“—”: no plan or no data.</p>"
        + '<div class="report">'
        + _tdrp_table(doc, port.get("tdrp") or [])
        + "<div><h3>Assumptions behind the figures</h3>"
        + _assumptions(doc)
        + "</div></div>"
    )
    return _section("report-page", "report", inner)


def _assumptions(doc: _Doc) -> str:
    a = doc.pack.get("assumptions") or {}
    rows: list[tuple[str, str]] = [
        ("Currency", _e(a.get("currency") or doc.currency)),
        ("ROI", _e("(benefits − actual cost) ÷ actual cost; first-year benefits only")),
        (
            "Benefits",
            _e("change in the business measure × its value × attribution % × confidence %"),
        ),
    ]
    years = _number(a.get("amortisation_years"))
    if years is not None:
        rows.append(("One-off costs spread over", _e(f"{years:g} years (fully-loaded cost)")))
    rate = _number(a.get("loaded_hourly_rate"))
    if rate is not None:
        rows.append(
            (
                "Learner time valued at",
                _e(f"{text.money_exact(rate, doc.currency)} an hour (fully loaded)"),
            )
        )
    min_n, stale = _number(a.get("evidence_min_n")), _number(a.get("evidence_stale_after_days"))
    if min_n is not None or stale is not None:
        rule = (
            f"weak when fewer than {_count(min_n)} respondents or older than {_count(stale)} days"
        )
        rows.append(("Evidence", _e(rule)))
    amber, red = _number(a.get("rag_amber")), _number(a.get("rag_red"))
    if amber is not None and red is not None:
        rows.append(
            ("Status", _e(f"watch beyond {_pct(amber)} off plan, off track beyond {_pct(red)}"))
        )
    thresholds = a.get("health_thresholds") or {}
    health = []
    for key, value in thresholds.items():
        label, kind = _THRESHOLDS.get(str(key), (str(key).replace("_", " ").capitalize(), ""))
        if kind == "pct":
            shown = _pct(value)
        elif kind == "fit":
            shown = text.out_of(_number(value))
        else:
            shown = _text(value)
        health.append(f"<li>{_e(label)}: {_e(shown)}</li>")
    if health:
        rows.append(("Health label", f'<ul class="thresholds">{"".join(health)}</ul>'))
    return _facts(rows, css="facts assumptions")


def _scenario_page(doc: _Doc) -> str:
    scenario = doc.pack.get("scenario")
    if not scenario:
        return ""
    totals = scenario.get("totals") or {}
    tiles = "".join(
        [
            _tile(f"Plan {doc.year}", doc.short(totals.get("budget"))),
            _tile("Scenario", doc.short(totals.get("scenario_budget"))),
            _tile("Budget cap", doc.short(totals.get("cap")) if totals.get("cap") else "no cap"),
            _tile("Left under the cap", doc.short(totals.get("gap")) if totals.get("cap") else "—"),
        ]
    )
    rows = [
        [
            _name(r.get("product")),
            _e(doc.money(r.get("budget"))),
            _e(doc.money(r.get("scenario_budget"))),
            _e(text.change_words(_number(r.get("change")))),
            _e("funded" if r.get("funded") else "not funded"),
        ]
        for r in scenario.get("rows") or []
    ]
    table = _table(
        ["Product", f"Plan {doc.year}", "Scenario", "Change", "Funded?"], rows, css="scenario"
    )
    changes = [
        ("Starts funding", _names(scenario.get("added"))),
        ("Stops funding", _names(scenario.get("dropped"))),
        ("Notes", f'<span dir="auto">{_text(scenario.get("notes"), "none")}</span>'),
    ]
    inner = (
        f'<h2>What-if scenario: <span class="name" dir="auto">{_text(scenario.get("name"))}'
        f'</span></h2><div class="tiles small">{tiles}</div>'
        f'<div class="two">{table}{_facts(changes)}</div>'
    )
    return _section("scenario-page", "scenario", inner)


def _names(values: object) -> str:
    names = [v for v in values or [] if v is not None] if isinstance(values, list) else []
    if not names:
        return _e("none")
    return ", ".join(_name(v) for v in names)


# --- the product one-pager --------------------------------------------------------------------


def _product_page(doc: _Doc, index: int, p: Product) -> str:
    profile = p.get("profile") or {}
    meta = " · ".join(
        _text(p.get(k), missing)
        for k, missing in (
            ("category", "no category"),
            ("lifecycle_stage", "no stage"),
            ("vendor", "in-house"),
        )
    )
    reasons = "; ".join(str(r) for r in p.get("health_reasons") or [])
    head = (
        f'<header class="product-head"><div><h2>{_name(p.get("product"))} '
        f'{_badge(p.get("health"))}</h2><p class="meta"><span dir="auto">{meta}</span>'
        + (f' · <span dir="auto">{_e(reasons)}</span>' if reasons else "")
        + f'</p><p class="summary" dir="auto">{_text(p.get("summary"), "")}</p></div>'
        + f"{_ask_block(doc, p)}</header>"
    )
    problem = (
        '<div class="block problem"><h3>The problem, and for whom</h3>'
        f'<p dir="auto">{_text(profile.get("business_problem"), "Problem not recorded.")}</p>'
        + _facts(
            [
                ("Business goal", _text(profile.get("business_goal"))),
                ("Customer (funds it)", _text(profile.get("sponsor"))),
                ("Users (learners)", _audience(p, profile)),
                ("Owner", _text(profile.get("owner"))),
                ("Strategic fit", _fit(profile.get("strategic_fit"))),
            ]
        )
        + "</div>"
    )
    cost = _cost_block(doc, p)
    usage = _usage_block(doc, p)
    monthly = charts.monthly_plan_actual(p, year=doc.year, currency=doc.currency)
    evidence = charts.evidence_strength(p, currency=doc.currency)
    chart_h = 176 if doc.is_print else 330  # print: room for the sponsor's units line
    monthly_html = doc.chart(
        monthly, width=400, height=chart_h, empty="No monthly budget recorded: not tracked."
    )
    evidence_html = doc.chart(
        evidence, width=620, height=chart_h, empty="No chain of evidence: not tracked."
    )
    inner = (
        head
        + f'<div class="row three">{problem}{cost}{usage}</div>'
        + f'<div class="row charts">{monthly_html}{evidence_html}</div>'
        + f'<div class="row works">{_works_block(doc, p)}{_risks_block(p)}</div>'
        + _experiments_block(p)
        + ("" if doc.is_print else '<p class="back"><a href="#portfolio">↑ Portfolio</a></p>')
    )
    return _section("product", f"product-{index}", inner)


def _audience(p: Product, profile: Mapping[str, Any]) -> str:
    size = text.count(_number(p.get("target_audience_size")), "people")
    return f"{_text(profile.get('target_audience'))} ({_e(size)})"


def _fit(value: object) -> str:
    return _e(text.out_of(_number(value)))


def _cost_block(doc: _Doc, p: Product) -> str:
    plan, forecast = p.get("budget_plan"), p.get("forecast_cost")
    share = _of_plan(p.get("forecast_pct_of_plan"))
    tiles = "".join(
        [
            _tile(f"Plan {doc.year}", doc.short(plan)),
            _tile("Actual to date", doc.short(p.get("actual_cost"))),
            _tile("Forecast", doc.short(forecast), share),
            _tile("Fully-loaded", doc.short(p.get("fully_loaded_cost")), "investment view"),
        ]
    )
    parts = [
        f"{_CATEGORIES.get(str(c.get('category')), str(c.get('category')))} "
        f"{doc.short(c.get('actual') if c.get('actual') is not None else c.get('plan'))}"
        for c in p.get("cost_by_category") or []
    ]
    split = (
        f'<p class="small">Spent on: {_e(" · ".join(parts))}</p>'
        if parts
        else f'<p class="small">{_e("Cost by category: not tracked.")}</p>'
    )
    return (
        '<div class="block"><h3>Cost as an investment</h3>'
        f'<div class="tiles mini">{tiles}</div>{split}</div>'
    )


def _usage_block(doc: _Doc, p: Product) -> str:
    seats = _number(p.get("seats"))
    if seats is None:
        seat_text = "no licence"
    elif _number(p.get("seat_utilisation")) is None:
        seat_text = f"{_count(seats)} seats, usage not tracked"
    else:
        seat_text = f"{_pct(p.get('seat_utilisation'))} of {_count(seats)} seats"
        over = _number(p.get("over_subscribed_by"))
        if over:
            seat_text += f" (over-subscribed by {_count(over)})"
    facts = [
        ("Active learners", _e(_count(p.get("active_learners")))),
        ("Reach of the target audience", _e(_pct(p.get("reach")))),
        ("Seats in use", _e(seat_text)),
        ("Idle spend", _e("no licence" if seats is None else doc.money(p.get("idle_spend")))),
        ("Completions", _e(_count(p.get("completions")))),
        ("Cost per active learner", _e(doc.money(p.get("cost_per_active_learner")))),
        ("Cost per completion", _e(doc.money(p.get("cost_per_completion")))),
    ]
    if "sponsor_units" in p:  # a pack made before the roster existed has no such key
        line = sponsor_units_line(
            p.get("sponsor_units") or [],
            p.get("reach_by_org_unit") or [],
            p.get("organisation_reach"),
            min_group=_min_group(doc.pack),
        )
        sponsor = f'<p class="sponsor" dir="auto"><b>Sponsor\'s units:</b> {_e(line)}</p>'
    else:
        sponsor = ""
    return f'<div class="block"><h3>Usage and reach</h3>{_facts(facts)}{sponsor}</div>'


def _min_group(pack: Pack) -> int:
    """`LP_MIN_GROUP_SIZE` as the pack's assumptions carry it (5 in a pack without it)."""
    value = (pack.get("assumptions") or {}).get("min_group_size")
    return value if isinstance(value, int) and not isinstance(value, bool) else _DEFAULT_MIN_GROUP


def reach_pages(pack: Pack) -> int:
    """Pages of the reach-by-org-unit table: none without a roster, else one per 28 units.

    The portfolio's rows are shown once a roster is imported (the pack's
    portfolio then carries `organisation_reach`), `REACH_ROWS_PER_PAGE` to
    a section, so the PDF's page count is known in advance.
    """
    port = pack.get("portfolio") or {}
    rows = port.get("reach_by_org_unit") or []
    if port.get("organisation_reach") is None or not rows:
        return 0
    return math.ceil(len(rows) / REACH_ROWS_PER_PAGE)


def _reach_pages(doc: _Doc) -> list[str]:
    """The portfolio's reach by org unit, with the products each unit is a sponsor's unit of."""
    pages = reach_pages(doc.pack)
    if not pages:
        return []
    port, group = doc.pack.get("portfolio") or {}, _min_group(doc.pack)
    rows = port.get("reach_by_org_unit") or []
    sponsored: dict[str, list[object]] = {}
    for p in doc.pack.get("products") or []:
        for unit in p.get("sponsor_units") or []:
            sponsored.setdefault(str(unit), []).append(p.get("product"))
    hidden = f"fewer than {group}"
    body = [
        [
            f'<span dir="auto">{_text(r.get("org_unit"), "(no name)")}</span>',
            _e("—" if r.get("headcount") is None else _count(r.get("headcount"))),
            _e(hidden if r.get("suppressed") else _count(r.get("active_learners"))),
            _e("—" if r.get("reach") is None else _pct(r.get("reach"))),
            ", ".join(_name(n) for n in sponsored.get(str(r.get("org_unit")), [])),
        ]
        for r in rows
    ]
    whole = unit_figure(port.get("organisation_reach"), min_group=group)
    lede = (
        f"Active learners of the selected products ÷ people in post on "
        f"{_e(text.day(doc.pack.get('as_of')))}; the whole organisation: {_e(whole)}. "
        f"“{_e(hidden)}”: a figure about 1 to {group - 1} people, hidden; “—”: no headcount "
        f"(a unit the roster does not list, or fewer than {group} in post). A product's "
        "sponsor's units are the org units its target audience (else its sponsor) names."
    )
    head = ["Org unit", "Headcount", "Active learners", "Reach", "Sponsor's unit of"]
    out = []
    for page in range(pages):
        chunk = body[page * REACH_ROWS_PER_PAGE : (page + 1) * REACH_ROWS_PER_PAGE]
        title = "Reach by org unit" + (" (continued)" if page else "")
        inner = f"<h2>{_e(title)}</h2>" + (f'<p class="lede">{lede}</p>' if not page else "")
        anchor = "reach" if not page else f"reach-{page + 1}"
        out.append(_section("reach-page", anchor, inner + _table(head, chunk, css="reach")))
    return out


def _ask_block(doc: _Doc, p: Product) -> str:
    ask = p.get("ask") or {}
    year = _int(ask.get("year")) or doc.year + 1
    plan = _number(ask.get("plan"))
    value = doc.money(plan) if plan is not None else "not set"
    change = _number(ask.get("change"))
    note = "" if change is None else f"{text.signed(change, text.pct)} vs {doc.year}'s plan"
    source = ask.get("source")
    src = f"from {source}" if source and source != "not set" else "no budget lines for next year"
    return (
        f'<div class="ask"><span class="label">The ask for {year}</span>'
        f'<span class="value">{_e(value)}</span>'
        f'<span class="note">{_e(" · ".join(x for x in (note, src) if x))}</span></div>'
    )


def _works_block(doc: _Doc, p: Product) -> str:
    tiles = "".join(
        [
            _tile("Benefits", doc.short(p.get("benefits")), "first year, isolated"),
            _tile("ROI", _pct(p.get("roi")), "on actual cost"),
            _tile("Benefit-cost", text.ratio(_number(p.get("bcr")))),
            _tile("Payback", text.months(_number(p.get("payback_months")))),
        ]
    )
    rows = []
    for a in p.get("assumptions") or []:
        change = text.baseline_to_value(_number(a.get("baseline")), _number(a.get("value")))
        missing = [str(m).replace("_", " ") for m in a.get("missing") or []]
        measure = _text(a.get("measure"), "measure")
        if missing:
            measure += f' <span class="note">(missing: {_e(", ".join(missing))})</span>'
        rows.append(
            [
                f'<span dir="auto">{measure}</span>',
                _e(change),
                _e(text.money_exact(_number(a.get("unit_value")), doc.currency)),
                _e(text.percent_recorded(_number(a.get("attribution_pct")))),
                _e(text.percent_recorded(_number(a.get("confidence_pct")))),
                _e(doc.money(a.get("benefit"))),
                _e(_count(a.get("n"))),
            ]
        )
    head = ["Measure", "Change", "Unit value", "Attribution", "Confidence", "Benefit", "n"]
    basis = (
        '<p class="small">Benefit = change × unit value × attribution × confidence</p>'
        + _table(head, rows, css="basis")
        if rows
        else f'<p class="small">{_e("No monetised benefit this year: benefits not tracked.")}</p>'
    )
    return (
        '<div class="block"><h3>Does it pay back?</h3>'
        f'<div class="tiles mini">{tiles}</div>{basis}</div>'
    )


def _risks_block(p: Product) -> str:
    items = []
    for card in risk_cards(p.get("risks") or []):
        css = card.level or "unknown"
        items.append(
            f'<li class="risk {css}"><span class="kind">{_e(card.title)}</span> '
            f'<span class="level">{_e(card.level_text.upper() if card.level else NOT_TRACKED)}'
            f'</span><span class="question">{_e(card.question)}</span>'
            f'<span class="reason" dir="auto">{_text(card.reason, "")}</span></li>'
        )
    return (
        f'<div class="block"><h3>The four risks</h3><ul class="risks">{"".join(items)}</ul></div>'
    )


def _experiments_block(p: Product) -> str:
    """Experiments' verdicts, releases' reception and a customer-vs-user gap; "" when none."""
    parts = []
    if gap := p.get("customer_vs_user"):
        parts.append(f'<p class="gap" dir="auto"><b>Customer vs user:</b> {_e(gap)}</p>')
    tests = [
        f'<li><span class="kind" dir="auto">{_e(e.get("experiment"))}</span> '
        f'<span dir="auto">{_e(e.get("verdict"))}</span></li>'
        for e in p.get("experiments") or []
    ]
    if tests:
        parts.append(
            f"<h3>Experiments (each treatment against its control)</h3><ul>{''.join(tests)}</ul>"
        )
    releases = [
        f'<li dir="auto">{_e(r.get("date"))} · {_e(r.get("title"))} ({_e(r.get("kind"))}): '
        f"{_e(r.get('active_before'))} active learners in the 28 days before, "
        + (
            f"{_e(r.get('active_after'))} in the 28 from it</li>"
            if r.get("active_after") is not None
            else "too early to tell</li>"
        )
        for r in p.get("releases") or []
    ]
    if releases:
        parts.append(f"<h3>Releases</h3><ul>{''.join(releases)}</ul>")
    return f'<div class="block experiments">{"".join(parts)}</div>' if parts else ""


# --- style ------------------------------------------------------------------------------------


def _css(layout: Layout, title: str) -> str:
    """Inline CSS: large type on screen; A4 landscape pages for print."""
    font = charts.FONT_FAMILY
    common = f"""
*{{box-sizing:border-box}}
body{{margin:0;font-family:{font};color:#1a1a1a;background:#fff;line-height:1.35}}
h1,h2,h3{{margin:0 0 .35em;line-height:1.15}}
.name{{unicode-bidi:isolate}}
.kicker{{text-transform:uppercase;letter-spacing:.08em;color:#555;margin:0}}
.meta{{color:#444;margin:.2em 0}}
.lede{{color:#333;margin:.2em 0 .6em}}
.tiles{{display:grid;grid-template-columns:repeat(6,1fr);gap:.6em;margin:.6em 0}}
.tiles.small{{grid-template-columns:repeat(4,1fr)}}
.tiles.mini{{grid-template-columns:repeat(2,1fr);gap:.4em}}
.tile{{border:1.5px solid #333;border-radius:6px;padding:.45em .6em;display:flex;
  flex-direction:column}}
.tile .label{{font-size:.8em;color:#333}}
.tile .value{{font-weight:700;font-size:2em;line-height:1.1}}
.tile.missing .value{{font-size:1em;font-weight:400;font-style:italic;color:#555}}
.tile .note{{font-size:.75em;color:#444}}
.tiles.mini .value{{font-size:1.35em}}
.badge{{display:inline-block;padding:.05em .5em;border-radius:1em;font-weight:700;font-size:.8em;
  border:1.5px solid #000;white-space:nowrap;vertical-align:middle}}
.badge.invest{{background:#dcefdc;color:#174d17}}
.badge.fix{{background:#fff0c7;color:#6b4a00;border-style:dashed}}
.badge.sunset{{background:#f8d7d7;color:#7a1111;border-width:3px;border-style:double}}
.health-counts .count{{font-weight:700;margin-right:1em}}
table{{border-collapse:collapse;width:100%}}
th,td{{border-bottom:1px solid #999;padding:.25em .4em;text-align:left;vertical-align:top}}
thead th{{border-bottom:2px solid #000}}
td:nth-child(n+4){{text-align:right;white-space:nowrap}}
table.tdrp td:nth-child(n+2){{text-align:right;white-space:nowrap}}
table.tdrp tr.group th{{background:#eee;border-bottom:1px solid #000}}
table.scenario td:nth-child(n+2){{text-align:right}}
table.reach{{width:auto;min-width:60%}}
table.reach th,table.reach td{{padding-right:1.6em}}
table.reach td:nth-child(n+2){{text-align:right;white-space:nowrap}}
table.reach td:nth-child(5){{text-align:left;white-space:normal}}
.status{{white-space:nowrap;font-weight:600}}
.status.green{{color:#174d17}} .status.amber{{color:#6b4a00}} .status.red{{color:#7a1111}}
.facts{{display:grid;grid-template-columns:max-content 1fr;gap:.15em .8em;margin:.3em 0}}
.facts dt{{color:#444}} .facts dd{{margin:0;font-weight:600}}
.facts ul{{margin:0;padding-left:1.1em;font-weight:400}}
.no-chart{{border:1.5px dashed #777;padding:1em;color:#444;font-style:italic}}
figure.chart{{margin:0;break-inside:avoid}}
.two{{display:grid;grid-template-columns:1fr 1fr;gap:1em;align-items:start}}
.row{{display:grid;gap:1em;margin:.5em 0}}
.row.three{{grid-template-columns:1.05fr 1fr 1fr}}
.row.charts{{grid-template-columns:2fr 3fr}}
.row.works{{grid-template-columns:3fr 2fr}}
.product-head{{display:grid;grid-template-columns:1fr auto;gap:1em;align-items:start}}
.ask{{border:2.5px solid #1b2f45;border-radius:6px;padding:.35em .8em;display:flex;
  flex-direction:column;min-width:13em}}
.ask .label{{font-size:.85em;font-weight:700}}
.ask .value{{font-size:2em;font-weight:700;line-height:1.1}}
.ask .note{{font-size:.8em;color:#333}}
.chart-note{{font-size:.8em;color:#444;margin:.2em 0 .8em}}
.works .tiles.mini{{grid-template-columns:repeat(4,1fr)}}
.block{{border-top:3px solid #1b2f45;padding-top:.3em;break-inside:avoid}}
.summary{{font-size:1.1em;margin:.2em 0;font-weight:600}}
.big{{font-size:2em;font-weight:700;margin:.1em 0}}
.small{{font-size:.85em;margin:.2em 0}}
table.basis{{font-size:.8em;margin:.3em 0}}
table.basis td:nth-child(n+2){{text-align:right;white-space:nowrap}}
.report{{display:grid;grid-template-columns:5fr 3fr;gap:1.2em;align-items:start}}
.report .facts{{grid-template-columns:1fr;gap:0}}
.report .facts dd{{margin-bottom:.35em}}
.risks{{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:1fr 1fr;gap:.35em}}
.risk{{border:1.5px solid #333;border-radius:5px;padding:.25em .45em;font-size:.85em}}
.risk .kind{{font-weight:700}}
.risk .level{{float:right;font-weight:700;font-size:.85em;padding:0 .3em;border:1px solid #000}}
.risk.high{{border-width:3px}} .risk.high .level{{background:#1a1a1a;color:#fff}}
.risk.medium .level{{background:#ccc}}
.risk .question,.risk .reason{{display:block;font-size:.9em}}
.risk .question{{color:#555}}
.sponsor{{margin:.3em 0 0;font-size:.9em}}
{html_suppliers.CSS}"""
    if layout == "screen":
        return (
            common
            + """
body{font-size:18px}
main{max-width:1320px;margin:0 auto;padding:1.2em 1.5em 3em}
h1{font-size:2.6em} h2{font-size:1.7em;margin-top:.4em} h3{font-size:1.15em}
section.page{padding:1.4em 0 2em;border-bottom:4px solid #1b2f45}
section.product{padding-top:2em}
table.products{font-size:.75em}
table.products td:nth-child(3){min-width:11em}
table.products td:first-child{min-width:7em}
.wide{overflow-x:auto}
.tiles .value{font-size:2.2em}
.tiles{grid-template-columns:repeat(3,1fr)}
/* two rows of three, as on the overview: six across cut "£158.77m" at 1440 px */
.back a{color:#1b2f45}
a{color:#0b3d91}
@media (max-width:1000px){
 .row.three,.row.charts,.row.works,.two,.report{grid-template-columns:1fr}}
@media print{
 @page{size:A4 landscape;margin:10mm}
 body{font-size:10pt} main{max-width:none;padding:0}
 section.page{break-before:page;border:0;padding:0}
 section.page:first-child{break-before:auto}
 .back{display:none} a{color:inherit;text-decoration:none}
 .row.three{grid-template-columns:1.05fr 1fr 1fr} .row.charts,.two{grid-template-columns:1fr 1fr}
}
"""
        )
    footer = html.escape(title, quote=True).replace('"', "")
    return (
        common
        + f"""
@page{{size:A4 landscape;margin:9mm 10mm 11mm 10mm;
 @bottom-left{{content:"{footer}";font-family:{font};font-size:8pt;color:#555}}
 @bottom-right{{content:"Page " counter(page) " of " counter(pages);
  font-family:{font};font-size:8pt;color:#555}}}}
html,body{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
body{{font-size:9.5pt}}
main{{padding:0}}
h1{{font-size:24pt}} h2{{font-size:15pt}} h3{{font-size:10.5pt}}
section.page{{break-before:page;padding-top:2mm}}
section.page:first-child{{break-before:auto}}
.tiles .value{{font-size:20pt}}
.tiles.mini .value{{font-size:12pt}}
.tiles.small .value{{font-size:18pt}}
.big{{font-size:18pt}}
table{{font-size:8.5pt}}
table.products td,table.products th{{padding:.18em .3em}}
table.tdrp{{font-size:8.5pt}}
.row{{margin:.3em 0;gap:.7em}}
.row.charts{{grid-template-columns:400px 620px;gap:20px}}
.row.works{{grid-template-columns:560px 460px;gap:20px}}
.ask .value{{font-size:17pt}}
.two{{grid-template-columns:{_PRINT_HALF}px {_PRINT_HALF}px;gap:20px}}
.product-head h2{{font-size:17pt;line-height:1.3}}
.summary{{font-size:10.5pt}}
.facts{{font-size:9pt}}
.sponsor{{font-size:8pt;margin:.2em 0 0;line-height:1.25}}
{html_suppliers.PRINT_CSS}"""
    )
