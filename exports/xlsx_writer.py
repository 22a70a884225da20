"""The funding pack as an Excel workbook, for the business partner to take away.

Why a workbook: finance re-cuts the figures, so every figure is a real
number with a number format (currency, %, counts), never text, and every
table has a frozen header. Sheets:

* **Summary**: title, year, as-of day, currency; one row per product (health,
  cost, usage, licences, outcomes, the ask) with the portfolio's row below,
  header frozen and filterable; the portfolio headline; the portfolio TDRp
  report; the what-if scenario when the pack carries one.
* **Assumptions**: the settings behind the figures (amortisation, loaded
  hourly rate, health, RAG, evidence and risk thresholds) and every level-4
  row behind a product's benefits, with its unit value, attribution and
  confidence.
* **Reach by org unit**: one row per product and org unit, then the
  portfolio's ("All products"), as the pack's ``reach_by_org_unit`` rows:
  headcount, active learners, reach (a percent-formatted number), whether
  the figures are hidden (about fewer than `LP_MIN_GROUP_SIZE` people: the
  cells are blank and the column says "fewer than 5") and whether the unit
  is one of the product's sponsor's units (`metrics.sponsor_units`).
* **Suppliers**: the vendors compared, the renewals to decide and each
  product's seats to reclaim with the sentence relating them to its idle
  seats, then their total (`exports.xlsx_suppliers`).
* **one sheet per product**: its one-pager: profile (problem, sponsor,
  learners), the summary line, cost as an investment and by category,
  usage and reach (with the sponsor's units and the whole organisation's
  reach), the money back, monthly plan/actual/active learners, the
  TDRp report, the chain of evidence, the ask for next year and the four
  risks. Sheet names are Excel-safe and unique (`sheet_names`); the full
  product name is in the sheet's title cell.

Safety (DESIGN, "Export safety"): every text cell is written with
`write_string` after `exports.safety.neutralise`, and the workbook turns
off xlsxwriter's string-to-formula, -URL and -number conversions as well.
Numbers are written as numbers. A null is a blank cell in a table (each
sheet says "blank = not tracked") and the words "not tracked" beside a
headline label.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Final, Literal, TypeAlias

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from exports import xlsx_suppliers
from exports.payload import FundingPack
from exports.safety import neutralise
from exports.xlsx_suppliers import SUPPLIERS_SHEET
from metrics.currency import decimals, symbol
from metrics.risks import risk_cards
from metrics.sponsor_units import sponsor_units_line, unit_figure
from metrics.text import NOT_TRACKED, day

__all__ = ["REACH_SHEET", "SHEET_NAME_MAX", "SUPPLIERS_SHEET", "render_xlsx", "sheet_names"]

SHEET_NAME_MAX: Final[int] = 31
"""Excel's limit on a sheet name, in UTF-16 code units."""

Kind: TypeAlias = Literal[
    "text", "money", "money2", "pct", "count", "number", "ratio", "pvalue", "year", "date", "flag"
]
Row: TypeAlias = Mapping[str, Any]

_FORBIDDEN: Final[frozenset[str]] = frozenset("[]:*?/\\")
REACH_SHEET: Final = "Reach by org unit"
"""The sheet of every product's (and the portfolio's) reach by org unit."""
_RESERVED: Final[tuple[str, ...]] = (
    "Summary",
    "Assumptions",
    REACH_SHEET,
    SUPPLIERS_SHEET,
    "History",
)
_ALL_PRODUCTS: Final = "All products"
_DEFAULT_MIN_GROUP: Final = 5
_BLANK_NOTE: Final = "Blank cells: not tracked."
_HEALTH_FILL: Final[dict[str, str]] = {"Invest": "#D9EAD3", "Fix": "#FFF2CC", "Sunset": "#F4CCCC"}
_LEVEL_FILL: Final[dict[str, str]] = {"high": "#F4CCCC", "medium": "#FFF2CC", "low": "#D9EAD3"}
_STATUS_FILL: Final[dict[str, str]] = {"green": "#D9EAD3", "amber": "#FFF2CC", "red": "#F4CCCC"}
_WIDTHS: Final[tuple[float, ...]] = (36, 30, 16, 14, 14, 14, 14, 14, 14, 12, 10, 30, 30)

# (header, key, kind) of the Summary's product table; keys of a pack product.
_PRODUCT_TABLE: Final[tuple[tuple[str, str, Kind], ...]] = (
    ("Product", "product", "text"),
    ("Health", "health", "text"),
    ("Category", "category", "text"),
    ("Lifecycle stage", "lifecycle_stage", "text"),
    ("Vendor", "vendor", "text"),
    ("Budget plan", "budget_plan", "money"),
    ("Actual cost", "actual_cost", "money"),
    ("Forecast cost", "forecast_cost", "money"),
    ("Fully-loaded cost", "fully_loaded_cost", "money"),
    ("Unique learners", "unique_learners", "count"),
    ("Active learners", "active_learners", "count"),
    ("Target audience", "target_audience_size", "count"),
    ("Reach", "reach", "pct"),
    ("Seats", "seats", "count"),
    ("Seat utilisation", "seat_utilisation", "pct"),
    ("Idle seats", "idle_seats", "count"),
    ("Idle spend", "idle_spend", "money"),
    ("Completions", "completions", "count"),
    ("Cost per active learner", "cost_per_active_learner", "money2"),
    ("Cost per completion", "cost_per_completion", "money2"),
    ("Benefits", "benefits", "money"),
    ("BCR", "bcr", "ratio"),
    ("ROI", "roi", "pct"),
    ("Payback (months)", "payback_months", "number"),
    ("Ask next year", "ask.plan", "money"),
    ("Ask change", "ask.change", "pct"),
    ("Summary", "summary", "text"),
    ("Health reasons", "health_reasons", "text"),
)
_PORTFOLIO_HEADLINE: Final[tuple[tuple[str, str, Kind], ...]] = (
    ("Budget plan", "budget_plan", "money"),
    ("Actual cost", "actual_cost", "money"),
    ("Forecast cost", "forecast_cost", "money"),
    ("Active learners (each counted once)", "active_learners", "count"),
    ("Seats", "seats", "count"),
    ("Seat utilisation", "seat_utilisation", "pct"),
    ("Idle seats", "idle_seats", "count"),
    ("Idle spend", "idle_spend", "money"),
    ("Benefits (level 4)", "benefits", "money"),
    ("BCR", "bcr", "ratio"),
    ("ROI", "roi", "pct"),
    ("Products", "products", "count"),
)
_TDRP_TABLE: Final[tuple[tuple[str, str], ...]] = (
    ("Type", "group"),
    ("Measure", "measure"),
    ("Unit", "unit"),
    ("Last year", "last_year"),
    ("Plan", "plan"),
    ("YTD", "ytd"),
    ("YTD % of plan", "ytd_pct_of_plan"),
    ("Forecast", "forecast"),
    ("Forecast % of plan", "forecast_pct_of_plan"),
    ("Status", "status"),
    ("n", "n"),
    ("Plan from", "plan_basis"),
    ("Forecast from", "forecast_basis"),
)
_TDRP_VALUES: Final[frozenset[str]] = frozenset({"last_year", "plan", "ytd", "forecast"})
_UNIT_KINDS: Final[dict[str, Kind]] = {
    "%": "pct",
    "people": "count",
    "count": "count",
    "hours": "count",
    "NPS": "number",
    "points": "number",
    "ratio": "ratio",
}


def _money_format(currency: str, places: int) -> str:
    """'"£"#,##0' (the symbol of `metrics.currency`), '"CHF "#,##0' for a code without one."""
    digits = "#,##0" + ("." + "0" * places if places else "")
    return f'"{symbol(currency)}"{digits}'


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 code units, never inside a character."""
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


def _base_sheet_name(product: str) -> str:
    kept = "".join(
        ch
        for ch in product
        if ch not in _FORBIDDEN and not unicodedata.category(ch).startswith("C")
    )
    cleaned = kept.strip().strip("'").strip()
    cleaned = _clip(cleaned, SHEET_NAME_MAX).rstrip("'").rstrip()
    return cleaned or "Product"


def sheet_names(products: Iterable[str], *, taken: Iterable[str] = _RESERVED) -> list[str]:
    r"""An Excel-safe, unique sheet name for each product name, in order.

    Parameters
    ----------
    products
        Product names as stored (any text).
    taken
        Names already used in the workbook (compared ignoring case, as
        Excel does); "Summary", "Assumptions", "Reach by org unit",
        "Suppliers" and Excel's reserved "History" by default.

    Returns
    -------
    list of str
        One name per product: the characters ``[]:*?/\`` and control
        characters removed, leading and trailing apostrophes and spaces
        stripped, at most 31 UTF-16 code units; "Product" when nothing is
        left; " (2)", " (3)", ... appended (the name shortened to fit) when
        the name is already used, ignoring case.

    Examples
    --------
    >>> sheet_names(["Sales: Q1/Q2", "sales q1q2", "'Quoted'"])
    ['Sales Q1Q2', 'sales q1q2 (2)', 'Quoted']
    """
    used = {name.casefold() for name in taken}
    names: list[str] = []
    for product in products:
        base = _base_sheet_name(product)
        name, number = base, 1
        while name.casefold() in used:
            number += 1
            suffix = f" ({number})"
            stem = _clip(base, SHEET_NAME_MAX - len(suffix)).rstrip().rstrip("'").rstrip()
            name = f"{stem}{suffix}"
        used.add(name.casefold())
        names.append(name)
    return names


class _Writer:
    """Writes cells with the workbook's formats; text always neutralised."""

    def __init__(self, book: xlsxwriter.Workbook, currency: str) -> None:
        def fmt(**props: Any) -> Format:
            return book.add_format({"valign": "top", **props})

        self.currency = currency
        self.title = fmt(bold=True, font_size=15)
        self.heading = fmt(bold=True, font_size=12, font_color="#1F3864")
        self.label = fmt(bold=True)
        self.note = fmt(italic=True, font_color="#595959")
        self.wrap = fmt(text_wrap=True)
        self.header = fmt(bold=True, text_wrap=True, bg_color="#D9E1F2", bottom=1)
        self.total_label = fmt(bold=True, top=1)
        self.kinds: dict[str, Format] = {
            "text": fmt(),
            "money": fmt(num_format=_money_format(currency, 0)),
            "money2": fmt(num_format=_money_format(currency, decimals(currency))),
            "pct": fmt(num_format="0.0%"),
            "count": fmt(num_format="#,##0"),
            "number": fmt(num_format="#,##0.0"),
            "ratio": fmt(num_format="0.00"),
            "pvalue": fmt(num_format="0.000"),
            "year": fmt(num_format="0"),
            "date": fmt(num_format="yyyy-mm-dd", align="left"),
            "flag": fmt(),
        }
        self.totals = {
            kind: fmt(bold=True, top=1, num_format=f.num_format or "General")
            for kind, f in self.kinds.items()
        }
        self.fills = {
            colour: fmt(bg_color=colour)
            for colour in {*_HEALTH_FILL.values(), *_LEVEL_FILL.values()}
        }

    def text(
        self, ws: Worksheet, row: int, col: int, value: object, fmt: Format | None = None
    ) -> None:
        """A text cell: `str(value)` neutralised; blank for None."""
        if value is None:
            ws.write_blank(row, col, None, fmt)
            return
        ws.write_string(row, col, neutralise(str(value)), fmt or self.kinds["text"])

    def value(
        self,
        ws: Worksheet,
        row: int,
        col: int,
        value: object,
        kind: Kind,
        fmt: Format | None = None,
    ) -> None:
        """A typed cell: numbers as numbers with the kind's format, None as a blank."""
        cell = fmt or self.kinds[kind]
        if value is None:
            ws.write_blank(row, col, None, cell)
        elif isinstance(value, list | tuple):
            self.text(ws, row, col, "; ".join(str(v) for v in value), fmt)
        elif kind == "text" or isinstance(value, str):
            self.text(ws, row, col, value, fmt)
        elif isinstance(value, bool) or kind == "flag":
            ws.write_string(row, col, "yes" if value else "no", cell)
        elif kind == "date" and isinstance(value, date):
            ws.write_datetime(row, col, value, cell)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, cell)
        else:
            self.text(ws, row, col, value, fmt)

    def pair(
        self,
        ws: Worksheet,
        row: int,
        label: str,
        value: object,
        kind: Kind,
        *,
        missing: str = NOT_TRACKED,
    ) -> int:
        """A headline: label in A, value in B (`missing` for None); returns the next row."""
        self.text(ws, row, 0, label, self.label)
        if value is None:
            ws.write_string(row, 1, missing, self.note)
        else:
            self.value(ws, row, 1, value, kind)
        return row + 1

    def heading_row(self, ws: Worksheet, row: int, text: str) -> int:
        self.text(ws, row, 0, text, self.heading)
        return row + 1

    def table(
        self,
        ws: Worksheet,
        row: int,
        headers: Sequence[str],
        rows: Iterable[Sequence[tuple[object, Kind, Format | None]]],
        *,
        empty: str = "none recorded",
    ) -> tuple[int, int]:
        """A header row then the rows; returns (header row, next free row)."""
        for col, header in enumerate(headers):
            ws.write_string(row, col, header, self.header)
        first = row
        row += 1
        wrote = False
        for cells in rows:
            for col, (value, kind, fmt) in enumerate(cells):
                self.value(ws, row, col, value, kind, fmt)
            row += 1
            wrote = True
        if not wrote:
            ws.write_string(row, 0, empty, self.note)
            row += 1
        return first, row + 1


def _get(product: Row, key: str) -> object:
    """A product value by key; "ask.plan" reads a nested key."""
    if "." in key:
        outer, inner = key.split(".", 1)
        nested = product.get(outer) or {}
        return nested.get(inner) if isinstance(nested, Mapping) else None
    return product.get(key)


def _tdrp_kind(row: Row, currency: str) -> Kind:
    if row.get("unit") == currency:
        return "money2" if str(row.get("key", "")).startswith("cost_per_") else "money"
    return _UNIT_KINDS.get(str(row.get("unit")), "number")


def _tdrp_cells(
    w: _Writer, rows: Sequence[Row]
) -> Iterable[list[tuple[object, Kind, Format | None]]]:
    for r in rows:
        measure_kind = _tdrp_kind(r, w.currency)
        cells: list[tuple[object, Kind, Format | None]] = []
        for _, key in _TDRP_TABLE:
            if key in _TDRP_VALUES:
                cells.append((r.get(key), measure_kind, None))
            elif key.endswith("_pct_of_plan"):
                cells.append((r.get(key), "pct", None))
            elif key == "n":
                cells.append((r.get(key), "count", None))
            elif key == "status":
                fill = _STATUS_FILL.get(str(r.get(key)))
                cells.append((r.get(key), "text", w.fills.get(fill) if fill else None))
            else:
                cells.append((r.get(key), "text", None))
        yield cells


def _summary_sheet(w: _Writer, ws: Worksheet, pack: FundingPack, names: Sequence[str]) -> None:
    year = pack["year"]
    products = pack["products"]
    w.text(ws, 0, 0, f"Funding review pack {year}", w.title)
    meta = (
        f"Year {year} · as of {day(pack['as_of'])} · amounts in {pack['currency']} · "
        f"generated {pack['generated_at']} · {_BLANK_NOTE}"
    )
    w.text(ws, 1, 0, meta, w.note)
    header_row = 3
    headers = [h for h, _, _ in _PRODUCT_TABLE] + ["Sheet"]
    rows = []
    for product in products:
        cells: list[tuple[object, Kind, Format | None]] = []
        for _, key, kind in _PRODUCT_TABLE:
            fmt = None
            if key == "health":
                fill = _HEALTH_FILL.get(str(product.get("health")))
                fmt = w.fills.get(fill) if fill else None
            cells.append((_get(product, key), kind, fmt))
        rows.append(cells)
    _, after = w.table(ws, header_row, headers, rows, empty="no products selected")
    last_product_row = header_row + len(products)
    for i, name in enumerate(names):
        target = "internal:'" + name.replace("'", "''") + "'!A1"
        ws.write_url(header_row + 1 + i, len(headers) - 1, target, string=neutralise(name))
    ws.freeze_panes(header_row + 1, 1)
    ws.autofilter(header_row, 0, max(last_product_row, header_row), len(headers) - 1)

    portfolio = pack["portfolio"]
    total_row = after
    ws.write_string(total_row, 0, "Portfolio", w.total_label)
    for col, (_, key, kind) in enumerate(_PRODUCT_TABLE):
        if col == 0:
            continue
        value = portfolio.get(key) if key in portfolio and key != "products" else None
        w.value(ws, total_row, col, value, kind, w.totals[kind])
    row = total_row + 1
    w.text(ws, row, 0, "The portfolio row counts a learner of several products once.", w.note)
    row += 2

    row = w.heading_row(ws, row, "Portfolio headline")
    for label, key, kind in _PORTFOLIO_HEADLINE:
        row = w.pair(ws, row, label, portfolio.get(key), kind)
    by_health = portfolio.get("products_by_health") or {}
    if isinstance(by_health, Mapping):
        for label, count in by_health.items():
            row = w.pair(ws, row, f"Products to {str(label).lower()}", count, "count")
    row += 1

    row = w.heading_row(ws, row, f"TDRp management report {year} (selected products together)")
    tdrp = portfolio.get("tdrp") or []
    _, row = w.table(ws, row, [h for h, _ in _TDRP_TABLE], _tdrp_cells(w, tdrp))  # type: ignore[arg-type]

    scenario = pack.get("scenario")
    if scenario:
        _scenario_block(w, ws, row, scenario)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 22)
    ws.set_column(2, len(_PRODUCT_TABLE) - 3, 14)
    ws.set_column(len(_PRODUCT_TABLE) - 2, len(_PRODUCT_TABLE) - 1, 60)
    ws.set_column(len(_PRODUCT_TABLE), len(_PRODUCT_TABLE), 24)


def _scenario_block(w: _Writer, ws: Worksheet, row: int, scenario: Row) -> int:
    row = w.heading_row(ws, row, f"Scenario: {scenario.get('name') or 'unnamed'}")
    row = w.pair(ws, row, "Budget cap", scenario.get("cap"), "money")
    totals = scenario.get("totals") or {}
    for label, key in (
        ("Budget", "budget"),
        ("Scenario budget", "scenario_budget"),
        ("Cap", "cap"),
        ("Gap to cap", "gap"),
    ):
        row = w.pair(ws, row, label, totals.get(key), "money")
    for label, key in (("Added", "added"), ("Dropped", "dropped")):
        names = scenario.get(key) or []
        w.text(ws, row, 0, label, w.label)
        w.text(ws, row, 1, ", ".join(str(n) for n in names) if names else "none", w.wrap)
        row += 1
    notes = scenario.get("notes")
    if notes:
        w.text(ws, row, 0, "Notes", w.label)
        text = "; ".join(str(n) for n in notes) if isinstance(notes, list) else notes
        w.text(ws, row, 1, text, w.wrap)
        row += 1
    row += 1
    rows = [
        [
            (r.get("product"), "text", None),
            (r.get("budget"), "money", None),
            (r.get("scenario_budget"), "money", None),
            (r.get("change"), "pct", None),
            (r.get("funded"), "flag", None),
        ]
        for r in scenario.get("rows") or []
    ]
    headers = ["Product", "Budget", "Scenario budget", "Change", "Funded"]
    _, row = w.table(ws, row, headers, rows)  # type: ignore[arg-type]
    return row


def _assumptions_sheet(w: _Writer, ws: Worksheet, pack: FundingPack) -> None:
    assumptions = pack.get("assumptions") or {}
    w.text(ws, 0, 0, "Assumptions behind the figures", w.title)
    w.text(ws, 1, 0, _BLANK_NOTE, w.note)
    ws.freeze_panes(1, 0)
    row = w.heading_row(ws, 3, "Settings")
    row = w.pair(ws, row, "Currency", assumptions.get("currency", pack["currency"]), "text")
    singles: tuple[tuple[str, str, Kind], ...] = (
        ("One-offs amortised over (years)", "amortisation_years", "number"),
        ("Loaded hourly rate (participant time)", "loaded_hourly_rate", "money2"),
        ("TDRp status amber beyond", "rag_amber", "pct"),
        ("TDRp status red beyond", "rag_red", "pct"),
        ("Evidence: weak below n", "evidence_min_n", "count"),
        ("Evidence: stale after (days)", "evidence_stale_after_days", "count"),
    )
    for label, key, kind in singles:
        if key in assumptions:
            row = w.pair(ws, row, label, assumptions[key], kind)
    for title, key in (
        ("Health thresholds", "health_thresholds"),
        ("Risk thresholds", "risk_thresholds"),
    ):
        block = assumptions.get(key)
        if not isinstance(block, Mapping):
            continue
        row = w.heading_row(ws, row + 1, title)
        for name, value in block.items():
            kind: Kind = (
                "count" if isinstance(value, int) and not isinstance(value, bool) else "pct"
            )
            if "multiple" in name:
                kind = "number"
            row = w.pair(ws, row, name.replace("_", " "), value, kind)
    row = w.heading_row(
        ws, row + 1, "Benefit assumptions (level-4 rows behind each product's benefits)"
    )
    headers = [
        "Product", "Period", "Measure", "Baseline", "Value", "Change", "Better when",
        "Unit value", "Attribution", "Confidence", "n", "Benefit", "Missing inputs",
    ]  # fmt: skip
    rows = []
    for product in pack["products"]:
        for a in product.get("assumptions") or []:
            rows.append(
                [
                    (product["product"], "text", None),
                    (a.get("period"), "text", None),
                    (a.get("measure"), "text", None),
                    (a.get("baseline"), "number", None),
                    (a.get("value"), "number", None),
                    (a.get("delta"), "number", None),
                    (a.get("direction"), "text", None),
                    (a.get("unit_value"), "money2", None),
                    (_fraction(a.get("attribution_pct")), "pct", None),
                    (_fraction(a.get("confidence_pct")), "pct", None),
                    (a.get("n"), "count", None),
                    (a.get("benefit"), "money2", None),
                    (", ".join(a.get("missing") or []) or None, "text", None),
                ]
            )
    w.table(ws, row, headers, rows, empty="no level-4 rows in the year")  # type: ignore[arg-type]
    for col, width in enumerate((40, 12, 40, 12, 12, 12, 12, 14, 12, 12, 10, 14, 24)):
        ws.set_column(col, col, width)


def _fraction(percent: object) -> float | None:
    """A 0-100 percent as the fraction Excel's % format expects."""
    return percent / 100 if isinstance(percent, int | float) else None


def _product_sheet(w: _Writer, ws: Worksheet, pack: FundingPack, product: Row) -> None:
    year = pack["year"]
    w.text(ws, 0, 0, product["product"], w.title)
    w.text(ws, 1, 0, product.get("summary") or "", w.note)
    health = product.get("health")
    reasons = "; ".join(product.get("health_reasons") or [])
    fill = _HEALTH_FILL.get(str(health))
    w.text(ws, 2, 0, f"Health: {health}", w.fills.get(fill) if fill else w.label)
    w.text(ws, 2, 1, reasons, w.note)
    ws.freeze_panes(3, 0)
    w.text(ws, 3, 0, _BLANK_NOTE, w.note)

    profile = product.get("profile") or {}
    row = w.heading_row(ws, 4, "The problem it solves, and for whom")
    for label, value, kind in (
        ("Business problem", profile.get("business_problem"), "text"),
        ("Business goal", profile.get("business_goal"), "text"),
        ("Customer (sponsor)", profile.get("sponsor"), "text"),
        ("Users (target audience)", profile.get("target_audience"), "text"),
        ("Target audience size", product.get("target_audience_size"), "count"),
        ("Owner", profile.get("owner"), "text"),
        ("Category", product.get("category"), "text"),
        ("Lifecycle stage", product.get("lifecycle_stage"), "text"),
        ("Vendor", product.get("vendor") or "in-house", "text"),
        ("Strategic fit (1-5)", profile.get("strategic_fit"), "count"),
    ):
        row = w.pair(ws, row, label, value, kind)  # type: ignore[arg-type]

    row = _pairs(w, ws, row + 1, f"Cost as an investment ({year})", product, (
        ("Budget plan", "budget_plan", "money"),
        ("Actual cost", "actual_cost", "money"),
        ("Forecast cost", "forecast_cost", "money"),
        ("Fully-loaded cost (not used for ROI)", "fully_loaded_cost", "money"),
        ("Cost per active learner", "cost_per_active_learner", "money2"),
        ("Cost per completion", "cost_per_completion", "money2"),
    ))  # fmt: skip
    categories = [
        [
            (c.get("category"), "text", None),
            (c.get("plan"), "money", None),
            (c.get("actual"), "money", None),
        ]
        for c in product.get("cost_by_category") or []
    ]
    _, row = w.table(ws, row, ["Cost category", "Plan", "Actual"], categories)  # type: ignore[arg-type]

    row = _pairs(w, ws, row, "Usage and reach", product, (
        ("Unique learners", "unique_learners", "count"),
        ("Active learners", "active_learners", "count"),
        ("Reach of the target audience", "reach", "pct"),
        ("Seats", "seats", "count"),
        ("Seat utilisation", "seat_utilisation", "pct"),
        ("Over-subscribed by", "over_subscribed_by", "count"),
        ("Idle seats", "idle_seats", "count"),
        ("Idle spend", "idle_spend", "money"),
        ("Completions", "completions", "count"),
    ))  # fmt: skip
    row = _sponsor_rows(w, ws, row - 1, pack, product) + 1
    row = _pairs(w, ws, row + 1, "Money back (level-4 evidence, on actual cost)", product, (
        ("Benefits", "benefits", "money"),
        ("BCR", "bcr", "ratio"),
        ("ROI", "roi", "pct"),
        ("Payback (months)", "payback_months", "number"),
    ))  # fmt: skip

    row = w.heading_row(ws, row + 1, f"Month by month ({year})")
    months = [
        [
            (m.get("month"), "text", None),
            (m.get("plan"), "money", None),
            (m.get("actual"), "money", None),
            (m.get("active_learners"), "count", None),
        ]
        for m in product.get("monthly") or []
    ]
    _, row = w.table(ws, row, ["Month", "Plan", "Actual", "Active learners"], months)  # type: ignore[arg-type]

    row = w.heading_row(ws, row, f"TDRp management report {year}")
    _, row = w.table(
        ws, row, [h for h, _ in _TDRP_TABLE], _tdrp_cells(w, product.get("tdrp") or [])
    )  # type: ignore[arg-type]

    row = w.heading_row(ws, row, "Chain of evidence")
    links = []
    for e in product.get("evidence") or []:
        unit = e.get("unit")
        kind: Kind = "pct" if unit == "%" else "money" if unit == pack["currency"] else "number"
        fill = _LEVEL_FILL.get(
            {"strong": "low", "moderate": "medium", "weak": "high"}.get(str(e.get("strength")), "")
        )
        links.append(
            [
                (e.get("label"), "text", None),
                (e.get("measure"), "text", None),
                (e.get("value"), kind, None),
                (unit, "text", None),
                (e.get("n"), "count", None),
                (e.get("as_of"), "text", None),
                (e.get("age_days"), "count", None),
                (e.get("strength"), "text", w.fills.get(fill) if fill else None),
                (e.get("source"), "text", None),
            ]
        )
    headers = [
        "Link", "Measure", "Latest", "Unit", "n", "Period", "Age (days)", "Strength", "Source"
    ]  # fmt: skip
    _, row = w.table(ws, row, headers, links)  # type: ignore[arg-type]

    ask = product.get("ask") or {}
    row = w.heading_row(ws, row, f"The ask for {ask.get('year', year + 1)}")
    row = w.pair(ws, row, "Budget plan", ask.get("plan"), "money", missing="not set")
    row = w.pair(ws, row, f"Change on {year}'s plan", ask.get("change"), "pct", missing="—")
    row = w.pair(ws, row, "Source", ask.get("source"), "text")

    row = w.heading_row(ws, row + 1, "Risks (value, usability, feasibility, viability)")
    risks = []
    for card in risk_cards(product.get("risks") or []):
        fill = _LEVEL_FILL.get(str(card.level))
        risks.append(
            [
                (card.title, "text", None),
                (card.level_text, "text", w.fills.get(fill) if fill else None),
                (card.reason, "text", None),
            ]
        )
    _, row = w.table(ws, row, ["Risk", "Level", "Why"], risks)  # type: ignore[arg-type]

    row = w.heading_row(ws, row, "Experiments (each treatment against its control)")
    tests = []
    for e in product.get("experiments") or []:
        kind = "pct" if e.get("metric_kind") == "rate" else "ratio"
        tests.append(
            [
                (e.get("experiment"), "text", None),
                (e.get("variant"), "text", None),
                (e.get("metric"), "text", None),
                (e.get("effect"), kind, None),
                (e.get("ci_low"), kind, None),
                (e.get("ci_high"), kind, None),
                (e.get("p_value"), "pvalue", None),
                (e.get("verdict"), "text", None),
            ]
        )
    headers = ["Experiment", "Variant", "Metric", "Effect", "95% CI low", "95% CI high", "p"]
    _, row = w.table(ws, row, [*headers, "Verdict"], tests)  # type: ignore[arg-type]

    row = w.heading_row(ws, row, "Releases (active learners in the 28 days before and from each)")
    released = [
        [
            (r.get("date"), "text", None),
            (r.get("title"), "text", None),
            (r.get("kind"), "text", None),
            (r.get("active_before"), "count", None),
            (r.get("active_after"), "count", None)
            if r.get("active_after") is not None
            else ("too early to tell", "text", None),
        ]
        for r in product.get("releases") or []
    ]
    headers = ["Date", "Title", "Kind", "Active before", "Active after"]
    _, row = w.table(ws, row, headers, released)  # type: ignore[arg-type]
    if product.get("customer_vs_user"):
        row = w.heading_row(ws, row, "Customer vs user")
        ws.write_string(row, 0, str(product["customer_vs_user"]), w.wrap)
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width)


def _min_group(pack: FundingPack) -> int:
    """`LP_MIN_GROUP_SIZE` as the pack's assumptions carry it (5 in a pack without it)."""
    value = (pack.get("assumptions") or {}).get("min_group_size")
    return value if isinstance(value, int) and not isinstance(value, bool) else _DEFAULT_MIN_GROUP


def _sponsor_rows(w: _Writer, ws: Worksheet, row: int, pack: FundingPack, product: Row) -> int:
    """Under "Usage and reach": the sponsor's units in words, the whole organisation's reach.

    Nothing for a pack without the keys (made before the roster existed).
    """
    if "sponsor_units" not in product:
        return row
    group = _min_group(pack)
    whole = product.get("organisation_reach")
    line = sponsor_units_line(
        product.get("sponsor_units") or [],
        product.get("reach_by_org_unit") or [],
        whole,
        min_group=group,
    )
    w.text(ws, row, 0, "Sponsor's units", w.label)
    w.text(ws, row, 1, line, w.wrap)
    row += 1
    reach_label, heads_label = "Reach of the whole organisation", "People in post (organisation)"
    if whole is None:
        row = w.pair(ws, row, reach_label, None, "pct", missing="not tracked (no roster)")
        return w.pair(ws, row, heads_label, None, "count", missing="not tracked (no roster)")
    row = w.pair(ws, row, reach_label, whole.get("reach"), "pct",
                 missing=unit_figure(whole, min_group=group))  # fmt: skip
    return w.pair(ws, row, heads_label, whole.get("headcount"), "count",
                  missing=f"none or fewer than {group}")  # fmt: skip


def _reach_sheet(w: _Writer, ws: Worksheet, pack: FundingPack) -> None:
    """Every product's reach by org unit, then the portfolio's, one row per unit."""
    group = _min_group(pack)
    w.text(ws, 0, 0, "Reach by org unit", w.title)
    note = (
        f"Reach = active learners ÷ people in post on {day(pack['as_of'])}. Blank cells: a "
        f"figure about fewer than {group} people (hidden: see the Hidden column), or no "
        "headcount (a unit the roster does not list, or fewer than "
        f"{group} in post). Sponsor's unit: an org unit the product's target audience (else "
        "its sponsor) names."
    )
    w.text(ws, 1, 0, note, w.note)
    headers = [
        "Product", "Org unit", "Headcount", "Active learners", "Reach", "Hidden",
        "Sponsor's unit",
    ]  # fmt: skip
    hidden = f"yes: fewer than {group}"
    rows: list[list[tuple[object, Kind, Format | None]]] = []
    scopes = [
        (p["product"], p.get("reach_by_org_unit") or [], set(p.get("sponsor_units") or []))
        for p in pack["products"]
    ]
    scopes.append((_ALL_PRODUCTS, pack["portfolio"].get("reach_by_org_unit") or [], None))
    for name, units, named in scopes:
        for r in units:
            rows.append(
                [
                    (name, "text", None),
                    (r.get("org_unit"), "text", None),
                    (r.get("headcount"), "count", None),
                    (r.get("active_learners"), "count", None),
                    (r.get("reach"), "pct", None),
                    (hidden if r.get("suppressed") else "no", "text", None),
                    (None if named is None else r.get("org_unit") in named, "flag", None),
                ]
            )
    header_row = 3
    w.table(ws, header_row, headers, rows,
            empty="no org unit: no roster imported and no usage row names one")  # fmt: skip
    ws.freeze_panes(header_row + 1, 2)
    ws.autofilter(header_row, 0, header_row + len(rows), len(headers) - 1)
    for col, width in enumerate((36, 28, 12, 14, 10, 18, 14)):
        ws.set_column(col, col, width)


def _pairs(
    w: _Writer,
    ws: Worksheet,
    row: int,
    heading: str,
    product: Row,
    items: Sequence[tuple[str, str, Kind]],
) -> int:
    row = w.heading_row(ws, row, heading)
    for label, key, kind in items:
        row = w.pair(ws, row, label, product.get(key), kind)
    return row + 1


def render_xlsx(pack: FundingPack) -> bytes:
    """The pack as the bytes of an .xlsx workbook (see the module docstring).

    Sheets: "Summary", "Assumptions", "Reach by org unit", "Suppliers",
    then one per product in pack order, named by `sheet_names`. Money cells
    carry the currency's format ('"£"#,##0', and for per-unit costs and
    unit values the currency's own decimals: '"£"#,##0.00', '"¥"#,##0',
    '"KWD "#,##0.000'; the symbol is `metrics.currency.symbol`, the ISO code
    where there is none), fractions '0.0%', counts '#,##0'. Values are the
    pack's own, unrounded: a cell equals the JSON export's figure to the
    minor unit.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties(
        {
            "title": f"Funding review pack {pack['year']}",
            "subject": "Learning portfolio funding review",
            "comments": f"As of {pack['as_of']}; generated {pack['generated_at']}",
        }
    )
    writer = _Writer(book, pack["currency"])
    products = pack["products"]
    names = sheet_names(str(p["product"]) for p in products)
    summary = book.add_worksheet("Summary")
    assumptions = book.add_worksheet("Assumptions")
    _summary_sheet(writer, summary, pack, names)
    _assumptions_sheet(writer, assumptions, pack)
    _reach_sheet(writer, book.add_worksheet(REACH_SHEET), pack)
    xlsx_suppliers.write(writer, book.add_worksheet(SUPPLIERS_SHEET), pack)
    for name, product in zip(names, products, strict=True):
        _product_sheet(writer, book.add_worksheet(name), pack, product)
    summary.activate()
    book.close()
    return buffer.getvalue()
