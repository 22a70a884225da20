"""`python -m exports --format xlsx`: the workbook, opened with openpyxl, against the JSON export.

LibreOffice is not installed here, so "opens cleanly" means openpyxl loads
it; the checks are the sheets, the frozen headers, the number formats and
every figure against the JSON pack of the same database and day.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from exports.build import pack_for
from exports.cli import main, read_frames
from exports.payload import FundingPack
from exports.safety import FORMULA_TRIGGERS, neutralise
from exports.xlsx_writer import REACH_SHEET, SUPPLIERS_SHEET, render_xlsx, sheet_names
from metrics.risks import risk_cards
from settings import Settings
from tests.exports.conftest import (
    ARABIC_NAME,
    EMOJI_NAME,
    FORMULA_NAME,
    HEBREW_NAME,
    QUOTES_NAME,
    TRICKY_PRODUCTS,
    by_name,
    export_file,
    export_json,
)

MONEY = '"£"#,##0'
MONEY2 = '"£"#,##0.00'
PCT = "0.0%"
COUNT = "#,##0"
# Summary product table: header -> (pack key, number format)
SUMMARY_COLUMNS: dict[str, tuple[str, str]] = {
    "Budget plan": ("budget_plan", MONEY),
    "Actual cost": ("actual_cost", MONEY),
    "Forecast cost": ("forecast_cost", MONEY),
    "Fully-loaded cost": ("fully_loaded_cost", MONEY),
    "Unique learners": ("unique_learners", COUNT),
    "Active learners": ("active_learners", COUNT),
    "Target audience": ("target_audience_size", COUNT),
    "Reach": ("reach", PCT),
    "Seats": ("seats", COUNT),
    "Seat utilisation": ("seat_utilisation", PCT),
    "Idle seats": ("idle_seats", COUNT),
    "Idle spend": ("idle_spend", MONEY),
    "Completions": ("completions", COUNT),
    "Cost per active learner": ("cost_per_active_learner", MONEY2),
    "Cost per completion": ("cost_per_completion", MONEY2),
    "Benefits": ("benefits", MONEY),
    "BCR": ("bcr", "0.00"),
    "ROI": ("roi", PCT),
    "Payback (months)": ("payback_months", "#,##0.0"),
}
TDRP_COLUMNS = {
    "Last year": "last_year", "Plan": "plan", "YTD": "ytd", "YTD % of plan": "ytd_pct_of_plan",
    "Forecast": "forecast", "Forecast % of plan": "forecast_pct_of_plan", "n": "n",
}  # fmt: skip
TDRP_MONEY = {"last_year", "plan", "ytd", "forecast"}  # money when the measure's unit is GBP


# --- helpers ------------------------------------------------------------------------------------


def same(cell_value: object, expected: object, *, money: bool = False) -> bool:
    """A cell equals a JSON value: money to the cent, other numbers to 15 digits, null blank."""
    if expected is None:
        return cell_value is None
    if isinstance(expected, bool | str):
        return cell_value == expected
    assert isinstance(cell_value, int | float), (cell_value, expected)
    if money:
        return round(cell_value, 2) == expected
    return cell_value == pytest.approx(expected, rel=1e-14, abs=1e-12)


def find_row(ws: Worksheet, text: str, *, col: int = 1, start: int = 1) -> int:
    """The first row at or after `start` whose cell in `col` holds `text`."""
    for row in range(start, ws.max_row + 1):
        if ws.cell(row, col).value == text:
            return row
    msg = f"{text!r} not found in column {col} of {ws.title!r}"
    raise AssertionError(msg)


def table(ws: Worksheet, first_header: str, *, start: int = 1) -> list[dict[str, Cell]]:
    """The rows under the header row that starts with `first_header`, as {header: cell}."""
    head = find_row(ws, first_header, start=start)
    headers = []
    for col in range(1, ws.max_column + 1):
        value = ws.cell(head, col).value
        if value is None:
            break
        headers.append(value)
    rows = []
    row = head + 1
    while ws.cell(row, 1).value is not None:
        rows.append({h: ws.cell(row, i) for i, h in enumerate(headers, start=1)})
        row += 1
    return rows


def value_after(ws: Worksheet, label: str, *, start: int = 1) -> Cell:
    """The value cell (column B) of a headline label."""
    return ws.cell(find_row(ws, label, start=start), 2)


def cells(book: Workbook) -> Iterator[Cell]:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from (c for c in row if c.value is not None)


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx_path(shared_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "funding_pack_2026.xlsx"
    return export_file(shared_url, "xlsx", out)


@pytest.fixture(scope="module")
def book(xlsx_path: Path) -> Workbook:
    return openpyxl.load_workbook(xlsx_path)


@pytest.fixture(scope="module")
def tricky_pack(tricky_url: str) -> dict[str, Any]:
    return export_json(tricky_url)


@pytest.fixture(scope="module")
def tricky_book(tricky_url: str, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    out = tmp_path_factory.mktemp("tricky_xlsx") / "tricky.xlsx"
    return openpyxl.load_workbook(export_file(tricky_url, "xlsx", out))


@pytest.fixture(scope="module")
def small_pack(shared_url: str) -> FundingPack:
    """Two products' pack built in process (no subprocess), for render_xlsx variations."""
    frames = read_frames(shared_url, year=2026, currency="GBP")
    return pack_for(
        frames, settings=Settings(), year=2026, as_of=date(2026, 11, 23),
        generated_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        products=["LinkedIn Learning", "Sales Academy"],
    )  # fmt: skip


def load(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


# --- the file and its sheets --------------------------------------------------------------------


def test_the_cli_writes_a_zip_workbook(xlsx_path: Path) -> None:
    assert xlsx_path.read_bytes()[:2] == b"PK"
    assert [p.name for p in xlsx_path.parent.iterdir()] == [xlsx_path.name]


def test_summary_assumptions_and_one_sheet_per_product(
    book: Workbook, pack: dict[str, Any]
) -> None:
    names = [p["product"] for p in pack["products"]]
    assert book.sheetnames == [
        "Summary", "Assumptions", REACH_SHEET, SUPPLIERS_SHEET, *sheet_names(names),
    ]  # fmt: skip
    assert len(book.sheetnames) == 4 + len(names) == 20  # 16 sample products
    # "Code of Conduct & Data Protection" is 33 characters: cut to 31
    assert "Code of Conduct & Data Protecti" in book.sheetnames
    for name, product in zip(book.sheetnames[4:], names, strict=True):
        assert len(name) <= 31
        assert book[name]["A1"].value == product  # the full name in the title cell


def test_frozen_headers_and_filter(book: Workbook, pack: dict[str, Any]) -> None:
    summary = book["Summary"]
    assert summary["A4"].value == "Product"
    assert summary.freeze_panes == "B5"  # the header row and the product column
    last = 4 + len(pack["products"])
    assert summary.auto_filter.ref == f"A4:AC{last}"
    assert book["Assumptions"].freeze_panes == "A2"
    assert book[REACH_SHEET].freeze_panes == "C5"  # its header row, product and org unit
    assert book[SUPPLIERS_SHEET].freeze_panes == "B3"  # its title, and the first column
    for name in book.sheetnames[4:]:
        assert book[name].freeze_panes == "A4", name


def test_no_formula_and_no_none_text_anywhere(book: Workbook) -> None:
    for cell in cells(book):
        assert cell.data_type in ("s", "n", "d"), (cell.parent.title, cell.coordinate)
        if isinstance(cell.value, str):
            assert cell.value not in ("None", "nan", "NaN"), (cell.parent.title, cell.coordinate)
            assert not cell.value.startswith(FORMULA_TRIGGERS)


# --- the Summary sheet against the JSON ---------------------------------------------------------


def test_summary_rows_equal_the_json_with_number_formats(
    book: Workbook, pack: dict[str, Any]
) -> None:
    rows = table(book["Summary"], "Product")
    products = pack["products"]
    assert [r["Product"].value for r in rows] == [p["product"] for p in products]
    checked = 0
    for row, product in zip(rows, products, strict=True):
        assert row["Health"].value == product["health"]
        for header, (key, number_format) in SUMMARY_COLUMNS.items():
            cell, expected = row[header], product[key]
            money = number_format.startswith('"£"')
            assert same(cell.value, expected, money=money), (product["product"], header)
            assert cell.number_format == number_format, header
            checked += expected is not None
        assert same(row["Ask next year"].value, product["ask"]["plan"], money=True)
        assert row["Summary"].value == product["summary"]
        assert row["Health reasons"].value == "; ".join(product["health_reasons"])
        assert row["Sheet"].hyperlink is not None
    assert checked > 150  # 16 products x 19 columns, less the "not tracked" ones


def test_the_portfolio_row_and_headline(book: Workbook, pack: dict[str, Any]) -> None:
    ws = book["Summary"]
    portfolio = pack["portfolio"]
    total = find_row(ws, "Portfolio")
    headers = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1)}
    for header in ("Budget plan", "Actual cost", "Forecast cost", "Idle spend", "Benefits"):
        key = SUMMARY_COLUMNS[header][0]
        cell = ws.cell(total, headers[header])
        assert same(cell.value, portfolio[key], money=True), header
        assert cell.number_format == MONEY
    assert ws.cell(total, headers["Active learners"]).value == portfolio["active_learners"]
    assert ws.cell(total, headers["Fully-loaded cost"]).value is None
    start = find_row(ws, "Portfolio headline")
    assert same(value_after(ws, "Actual cost", start=start).value, portfolio["actual_cost"])
    roi = value_after(ws, "ROI", start=start)
    assert same(roi.value, portfolio["roi"]) and roi.number_format == PCT
    for label, count in portfolio["products_by_health"].items():
        assert value_after(ws, f"Products to {label.lower()}", start=start).value == count


def test_the_portfolio_tdrp_table(book: Workbook, pack: dict[str, Any]) -> None:
    rows = table(book["Summary"], "Type")
    expected = pack["portfolio"]["tdrp"]
    assert [r["Measure"].value for r in rows] == [e["measure"] for e in expected]
    for row, want in zip(rows, expected, strict=True):
        for header, key in TDRP_COLUMNS.items():
            money = want["unit"] == "GBP" and key in TDRP_MONEY
            assert same(row[header].value, want[key], money=money), (want["measure"], header)
        assert row["Status"].value == want["status"]
        if want["measure"] == "Spend":
            assert row["Plan"].number_format == MONEY
        if want["unit"] == "%":
            assert row["YTD"].number_format == PCT
    assert rows[0]["Measure"].value == "Spend"


# --- a product's sheet ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["LinkedIn Learning", "Sales Academy", "Language Learning App"])
def test_a_product_sheet_equals_its_json_one_pager(
    book: Workbook, pack: dict[str, Any], name: str
) -> None:
    product = by_name(pack)[name]
    ws = book[name]
    assert ws["A1"].value == name
    assert ws["A2"].value == product["summary"]
    assert ws["A3"].value == f"Health: {product['health']}"
    profile = product["profile"]
    assert value_after(ws, "Business problem").value == profile["business_problem"]
    assert value_after(ws, "Customer (sponsor)").value == profile["sponsor"]
    assert value_after(ws, "Users (target audience)").value == profile["target_audience"]
    for label, key, number_format in (
        ("Actual cost", "actual_cost", MONEY),
        ("Fully-loaded cost (not used for ROI)", "fully_loaded_cost", MONEY),
        ("Cost per active learner", "cost_per_active_learner", MONEY2),
        ("Seat utilisation", "seat_utilisation", PCT),
        ("Active learners", "active_learners", COUNT),
        ("ROI", "roi", PCT),
    ):
        cell = value_after(ws, label)
        if product[key] is None:
            assert cell.value == "not tracked", label
        else:
            assert same(cell.value, product[key], money=number_format.startswith('"£"')), label
            assert cell.number_format == number_format, label

    categories = table(ws, "Cost category")
    assert [(c["Cost category"].value, c["Plan"].value, c["Actual"].value) for c in categories] == [
        (c["category"], c["plan"], c["actual"]) for c in product["cost_by_category"]
    ]
    months = table(ws, "Month")
    assert len(months) == 12
    for row, want in zip(months, product["monthly"], strict=True):
        assert row["Month"].value == want["month"]
        assert same(row["Plan"].value, want["plan"], money=True)
        assert same(row["Actual"].value, want["actual"], money=True)
        assert row["Actual"].number_format == MONEY
        assert row["Active learners"].value == want["active_learners"]

    tdrp = table(ws, "Type")
    assert len(tdrp) == len(product["tdrp"]) == 14
    for row, want in zip(tdrp, product["tdrp"], strict=True):
        for header, key in TDRP_COLUMNS.items():
            money = want["unit"] == "GBP" and key in TDRP_MONEY
            assert same(row[header].value, want[key], money=money), header

    chain = table(ws, "Link")
    assert [r["Link"].value for r in chain] == [e["label"] for e in product["evidence"]]
    for row, want in zip(chain, product["evidence"], strict=True):
        assert same(row["Latest"].value, want["value"])
        assert row["Strength"].value == want["strength"]
        assert row["n"].value == want["n"]
        if want["unit"] == "%" and want["value"] is not None:
            assert row["Latest"].number_format == PCT

    ask = product["ask"]
    start = find_row(ws, f"The ask for {ask['year']}")
    plan = value_after(ws, "Budget plan", start=start)
    assert plan.value == (ask["plan"] if ask["plan"] is not None else "not set")
    assert value_after(ws, "Source", start=start).value == ask["source"]

    risks = table(ws, "Risk")
    assert [(r["Risk"].value, r["Level"].value, r["Why"].value) for r in risks] == [
        (c.title, c.level_text, c.reason) for c in risk_cards(product["risks"])
    ]


def test_the_assumptions_sheet(book: Workbook, pack: dict[str, Any]) -> None:
    ws = book["Assumptions"]
    assumptions = pack["assumptions"]
    assert value_after(ws, "Currency").value == "GBP"
    years = value_after(ws, "One-offs amortised over (years)")
    assert years.value == assumptions["amortisation_years"]
    rate = value_after(ws, "Loaded hourly rate (participant time)")
    assert (rate.value, rate.number_format) == (assumptions["loaded_hourly_rate"], MONEY2)
    fix = value_after(ws, "utilisation fix below")
    assert (fix.value, fix.number_format) == (0.5, PCT)
    rows = table(ws, "Product", start=find_row(ws, "Risk thresholds"))
    expected = [(p["product"], a) for p in pack["products"] for a in p["assumptions"]]
    assert len(rows) == len(expected) > 0
    for row, (product, want) in zip(rows, expected, strict=True):
        assert row["Product"].value == product
        assert (row["Period"].value, row["Measure"].value) == (want["period"], want["measure"])
        assert same(row["Unit value"].value, want["unit_value"], money=True)
        assert row["Unit value"].number_format == MONEY2
        assert same(row["Benefit"].value, want["benefit"], money=True)
        # the template's 0-100 percents become fractions shown as %
        assert same(row["Attribution"].value, want["attribution_pct"] / 100)
        assert row["Attribution"].number_format == PCT
        assert same(row["Change"].value, want["delta"])


# --- safety and names that try to break it ---------------------------------------------------


def test_a_formula_name_exports_as_inert_text(tricky_book: Workbook) -> None:
    summary = tricky_book["Summary"]
    row = find_row(summary, neutralise(FORMULA_NAME))
    cell = summary.cell(row, 1)
    assert cell.data_type == "s"
    assert cell.value == "'" + FORMULA_NAME
    assert cell.hyperlink is None
    sheet = tricky_book['=HYPERLINK("httpx","y")']  # ':' and '/' removed from the name
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("'" + FORMULA_NAME, "s")
    text = TRICKY_PRODUCTS[FORMULA_NAME]
    assert value_after(sheet, "Owner").value == "'" + text["owner"]
    assert value_after(sheet, "Customer (sponsor)").value == "'" + text["sponsor"]
    assert value_after(sheet, "Business goal").value == "'" + text["goal"]
    # its numbers are still numbers: plan 1,000.00, actual 900.55 (the first tricky product)
    assert value_after(sheet, "Actual cost").value == 900.55


def test_quotes_emoji_and_right_to_left_names_survive(
    tricky_book: Workbook, tricky_pack: dict[str, Any]
) -> None:
    listed = [r["Product"].value for r in table(tricky_book["Summary"], "Product")]
    assert listed == [neutralise(p["product"]) for p in tricky_pack["products"]]
    for name in (QUOTES_NAME, EMOJI_NAME, ARABIC_NAME, HEBREW_NAME):
        assert name in listed
        assert name in tricky_book.sheetnames
        assert tricky_book[name]["A1"].value == name
    assert value_after(tricky_book[ARABIC_NAME], "Owner").value == "ليلى"
    assert value_after(tricky_book[EMOJI_NAME], "Owner").value == "Zoë 🎓"
    assert value_after(tricky_book[QUOTES_NAME], "Customer (sponsor)").value == "'+44 20 7946 0000"


def test_sheet_name_collisions_are_numbered(tricky_book: Workbook) -> None:
    names = tricky_book.sheetnames
    assert "Sales Q1Q2" in names and "Sales Q1Q2 (2)" in names
    assert tricky_book["Sales Q1Q2 (2)"]["A1"].value == "Sales: Q1/Q2"
    assert "Leadership Development Programm" in names
    assert tricky_book["Leadership Development Prog (2)"]["A1"].value == (
        "Leadership Development Programme South"
    )
    assert len({n.casefold() for n in names}) == len(names)


@pytest.mark.parametrize(
    ("products", "expected"),
    [
        (["Sales: Q1/Q2", "sales q1q2"], ["Sales Q1Q2", "sales q1q2 (2)"]),
        (["'Quoted'", "[x]*?"], ["Quoted", "x"]),
        (["summary", "ASSUMPTIONS", "history"], ["summary (2)", "ASSUMPTIONS (2)", "history (2)"]),
        (["???", "", "'''"], ["Product", "Product (2)", "Product (3)"]),
        (["a\tb\nc"], ["abc"]),
        (["x" * 40, "x" * 35], ["x" * 31, "x" * 27 + " (2)"]),
        # an emoji is two UTF-16 units: 30 letters + 🚀 would be 32, so the emoji goes
        (["y" * 30 + "🚀"], ["y" * 30]),
        (["It's " + "z" * 26], ["It's " + "z" * 26]),
    ],
)
def test_sheet_names(products: list[str], expected: list[str]) -> None:
    assert sheet_names(products) == expected


# --- render_xlsx in process ---------------------------------------------------------------------


def test_render_xlsx_in_process_matches_the_pack(small_pack: FundingPack) -> None:
    loaded = load(render_xlsx(small_pack))
    assert loaded.sheetnames == [
        "Summary", "Assumptions", REACH_SHEET, SUPPLIERS_SHEET, "LinkedIn Learning",
        "Sales Academy",
    ]  # fmt: skip
    rows = table(loaded["Summary"], "Product")
    for row, product in zip(rows, small_pack["products"], strict=True):
        assert same(row["Actual cost"].value, product["actual_cost"], money=True)
        assert same(row["ROI"].value, product["roi"])


def test_no_scenario_block_without_a_scenario(small_pack: FundingPack) -> None:
    summary = load(render_xlsx(small_pack))["Summary"]
    assert not any(
        isinstance(c.value, str) and c.value.startswith("Scenario") for c in summary["A"]
    )


def test_a_scenario_block_when_the_pack_has_one(small_pack: FundingPack) -> None:
    scenario = {
        "name": "=Cap at 400k", "cap": 400_000.0,
        "rows": [
            {"product": "LinkedIn Learning", "budget": 178_500.0, "scenario_budget": 150_000.0,
             "change": -0.16, "funded": True},
            {"product": "Sales Academy", "budget": 154_500.0, "scenario_budget": None,
             "change": None, "funded": False},
        ],
        "totals": {"budget": 333_000.0, "scenario_budget": 150_000.0, "cap": 400_000.0,
                   "gap": 250_000.0},
        "added": [], "dropped": ["Sales Academy"], "notes": "-trimmed",
    }  # fmt: skip
    ws = load(render_xlsx({**small_pack, "scenario": scenario}))["Summary"]
    assert ws.cell(find_row(ws, "Scenario: =Cap at 400k"), 1).data_type == "s"
    start = find_row(ws, "Scenario: =Cap at 400k")
    cap = value_after(ws, "Budget cap", start=start)
    assert (cap.value, cap.number_format) == (400_000.0, MONEY)
    assert value_after(ws, "Gap to cap", start=start).value == 250_000.0
    assert value_after(ws, "Dropped", start=start).value == "Sales Academy"
    assert value_after(ws, "Notes", start=start).value == "'-trimmed"
    rows = table(ws, "Product", start=start)
    assert [(r["Product"].value, r["Scenario budget"].value, r["Funded"].value) for r in rows] == [
        ("LinkedIn Learning", 150_000.0, "yes"),
        ("Sales Academy", None, "no"),
    ]
    # a fraction shown as a percent, a number and not neutralised text
    assert (rows[0]["Change"].value, rows[0]["Change"].number_format) == (-0.16, PCT)


@pytest.mark.parametrize(
    ("currency", "money", "per_unit"),
    [
        ("EUR", '"€"#,##0', '"€"#,##0.00'),
        ("USD", '"$"#,##0', '"$"#,##0.00'),
        ("CHF", '"CHF "#,##0', '"CHF "#,##0.00'),
        # ISO 4217: the yen has no minor unit, the Kuwaiti dinar three decimals (fils)
        ("JPY", '"¥"#,##0', '"¥"#,##0'),
        ("KWD", '"KWD "#,##0', '"KWD "#,##0.000'),
    ],
)
def test_money_formats_follow_the_currency(
    small_pack: FundingPack, currency: str, money: str, per_unit: str
) -> None:
    ws = load(render_xlsx({**small_pack, "currency": currency}))["Summary"]
    row = table(ws, "Product")[0]
    assert row["Actual cost"].number_format == money
    assert row["Cost per active learner"].number_format == per_unit


# --- the command line ---------------------------------------------------------------------------


def test_a_binary_format_is_refused_on_a_terminal(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["--format", "xlsx"]) == 2
    err = capsys.readouterr().err
    assert "--out funding_pack_2026.xlsx" in err
    assert "Traceback" not in err


def test_product_and_year_options(shared_url: str, tmp_path: Path) -> None:
    out = export_file(
        shared_url, "xlsx", tmp_path / "two.xlsx", "--product", "sales academy", "--year", "2025"
    )
    loaded = openpyxl.load_workbook(out)
    assert loaded.sheetnames == [
        "Summary", "Assumptions", REACH_SHEET, SUPPLIERS_SHEET, "Sales Academy",
    ]  # fmt: skip
    assert loaded["Summary"]["A1"].value == "Funding review pack 2025"
