"""Reach by org unit and the sponsor's units in every pack format, and on the Funding review.

The sample portfolio with the roster of `tests.exports.roster` (every sample learner in the
org unit their own usage rows give, 150 people per unit who learn nothing, "Analysts" with
three Data Literacy learners, "R&D (UK)" with three people). The JSON pack is the reference:
the workbook's "Reach by org unit" sheet and the HTML pack's table must equal its
`reach_by_org_unit` rows to the row, and no format may show a figure about 1 to 4 people.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from openpyxl.workbook.workbook import Workbook
from streamlit.testing.v1 import AppTest

from exports.build import pack_for
from exports.cli import read_frames
from exports.pdf_writer import PORTFOLIO_PAGES, chromium_path, page_count
from exports.xlsx_writer import REACH_SHEET
from metrics import text
from metrics.sponsor_units import sponsor_units_line, unit_figure
from pages.safe_text import shown_text
from settings import Settings
from tests.exports.conftest import SAMPLE_FILES, by_name, export_file, export_json
from tests.exports.roster import ANALYSTS, SMALL_UNIT, import_roster, sample_roster
from tests.seeded import copy_of

ROOT = Path(__file__).resolve().parents[2]
SMALL = range(1, 5)  # 1 to LP_MIN_GROUP_SIZE - 1 people: never shown
NAMED = {
    "Sales Academy": ["Sales"],  # "Sales team"
    "Customer Service Academy": ["Customer Service"],  # "Customer Service agents"
    "Udemy Tech Skills": ["Engineering"],  # "Engineering"
    "Data Literacy Bootcamp": [ANALYSTS],  # "Analysts and team leads"
}


@pytest.fixture(scope="module")
def roster_url(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample portfolio with `tests.exports.roster`'s roster; tests only read it."""
    url = copy_of(seeded_template, tmp_path_factory.mktemp("reach") / "reach.sqlite")
    import_roster(url)
    return url


@pytest.fixture(scope="module")
def pack(roster_url: str) -> dict[str, Any]:
    return export_json(roster_url)


@pytest.fixture(scope="module")
def book(roster_url: str, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    out = tmp_path_factory.mktemp("reach_xlsx") / "pack.xlsx"
    return openpyxl.load_workbook(export_file(roster_url, "xlsx", out))


@pytest.fixture(scope="module")
def html_page(roster_url: str, tmp_path_factory: pytest.TempPathFactory) -> _Tables:
    out = tmp_path_factory.mktemp("reach_html") / "pack.html"
    parser = _Tables()
    parser.feed(export_file(roster_url, "html", out).read_text(encoding="utf-8"))
    return parser


def _rows(pack: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every reach row of the pack: each product's, then the portfolio's ("All products")."""
    rows = [(p["product"], r) for p in pack["products"] for r in p["reach_by_org_unit"]]
    return rows + [("All products", r) for r in pack["portfolio"]["reach_by_org_unit"]]


# --- the JSON pack ------------------------------------------------------------------------


def test_each_product_names_its_sponsors_units(pack: dict[str, Any]) -> None:
    for product in pack["products"]:
        assert product["sponsor_units"] == NAMED.get(product["product"], []), product["product"]
        assert list(product["organisation_reach"]) == [
            "headcount", "active_learners", "reach", "suppressed",
        ]  # fmt: skip
    keys = list(pack["portfolio"])
    assert keys[keys.index("reach_by_org_unit") + 1] == "organisation_reach"


def test_the_sales_academy_figures_by_hand_from_the_files(pack: dict[str, Any]) -> None:
    # Counted from the sample files, not through the app: the roster's Sales people, and the
    # distinct Sales Academy learners of 2026 with minutes, progress or a completion in Sales.
    roster = pl.read_csv(io.BytesIO(sample_roster()), infer_schema=False)
    sales = set(roster.filter(pl.col("org_unit") == "Sales")["learner"].to_list())
    usage = pl.read_csv(SAMPLE_FILES / "usage.csv", infer_schema=False).filter(
        (pl.col("product") == "Sales Academy")
        & (
            pl.col("date").str.starts_with("2026")
            | pl.col("completed_date").str.starts_with("2026")
        )
        & (
            (pl.col("minutes").cast(pl.Float64) > 0)
            | (pl.col("progress_pct").cast(pl.Float64) > 0)
            | (pl.col("completed") == "yes")
        )
    )
    active = set(usage["learner"].str.to_lowercase().to_list()) & sales
    row = next(r for r in by_name(pack)["Sales Academy"]["reach_by_org_unit"]
               if r["org_unit"] == "Sales")  # fmt: skip
    assert (row["headcount"], row["active_learners"]) == (len(sales), len(active))
    assert row["reach"] == pytest.approx(len(active) / len(sales))
    # the whole organisation: every roster row is in post (no dates)
    whole = by_name(pack)["Sales Academy"]["organisation_reach"]
    assert whole["headcount"] == roster.height
    assert whole["active_learners"] == by_name(pack)["Sales Academy"]["active_learners"]


def test_no_figure_about_one_to_four_people_in_the_json(pack: dict[str, Any]) -> None:
    rows = [r for _, r in _rows(pack)]
    rows += [p["organisation_reach"] for p in pack["products"]]
    assert any(r["suppressed"] for r in rows)  # the roster makes some hidden figures
    for r in rows:
        assert r["headcount"] not in SMALL and r["active_learners"] not in SMALL, r
        if r["suppressed"]:
            assert (r["active_learners"], r["reach"]) == (None, None), r
    small_unit = next(r for r in pack["portfolio"]["reach_by_org_unit"]
                      if r["org_unit"] == SMALL_UNIT)  # fmt: skip
    assert small_unit == {"org_unit": SMALL_UNIT, "headcount": None, "active_learners": 0,
                          "reach": 0.0, "suppressed": False}  # fmt: skip


def test_without_a_roster_no_units_and_no_organisation_reach(roster_url: str) -> None:
    frames = read_frames(roster_url, year=2026, currency="GBP")
    bare = dataclasses.replace(frames, roster=frames.roster.clear())
    pack = pack_for(bare, settings=Settings(), year=2026, as_of=date(2026, 11, 23),
                    generated_at=None, products=["Sales Academy"])  # fmt: skip
    [product] = pack["products"]
    assert (product["sponsor_units"], product["organisation_reach"]) == ([], None)
    assert pack["portfolio"]["organisation_reach"] is None
    # no reach page without a roster; Sales Academy is in-house (no vendor, no contract): no
    # suppliers page either
    assert page_count(pack) == PORTFOLIO_PAGES + 1


# --- the workbook ------------------------------------------------------------------------


def test_the_reach_sheet_equals_the_json_to_the_row(book: Workbook, pack: dict[str, Any]) -> None:
    assert book.sheetnames[:3] == ["Summary", "Assumptions", REACH_SHEET]
    ws = book[REACH_SHEET]
    assert ws.freeze_panes == "C5"
    header = [c.value for c in ws[4]]
    assert header == ["Product", "Org unit", "Headcount", "Active learners", "Reach", "Hidden",
                      "Sponsor's unit"]  # fmt: skip
    expected = _rows(pack)
    got = list(ws.iter_rows(min_row=5, max_row=4 + len(expected)))
    assert ws.cell(5 + len(expected), 1).value is None  # no row more
    named = {p["product"]: set(p["sponsor_units"]) for p in pack["products"]}
    for cells, (product, want) in zip(got, expected, strict=True):
        name, unit, heads, active, reach, hidden, sponsor = cells
        assert (name.value, unit.value) == (product, want["org_unit"])
        assert (heads.value, active.value) == (want["headcount"], want["active_learners"])
        assert (
            reach.value == pytest.approx(want["reach"])
            if want["reach"] is not None
            else (reach.value is None)
        )
        assert (heads.number_format, active.number_format, reach.number_format) == (
            "#,##0", "#,##0", "0.0%",
        )  # fmt: skip
        assert hidden.value == ("yes: fewer than 5" if want["suppressed"] else "no")
        if product == "All products":
            assert sponsor.value is None
        else:
            assert sponsor.value == ("yes" if want["org_unit"] in named[product] else "no")
    sales = [c for c in got if c[0].value == "Sales Academy" and c[6].value == "yes"]
    assert [c[1].value for c in sales] == ["Sales"]


def test_no_small_figure_in_the_workbook(book: Workbook) -> None:
    ws = book[REACH_SHEET]
    for row in ws.iter_rows(min_row=5):
        for cell in row[2:4]:  # headcount, active learners
            assert cell.value not in SMALL, cell.coordinate
        if row[5].value == "yes: fewer than 5":
            assert (row[3].value, row[4].value) == (None, None)


def test_a_product_sheet_says_its_sponsors_units(book: Workbook, pack: dict[str, Any]) -> None:
    for name in ("Sales Academy", "Data Literacy Bootcamp", "LinkedIn Learning"):
        product = by_name(pack)[name]
        ws = book[name]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Sponsor's units")
        line = sponsor_units_line(product["sponsor_units"], product["reach_by_org_unit"],
                                  product["organisation_reach"], min_group=5)  # fmt: skip
        assert ws.cell(row, 2).value == line
        whole = ws.cell(row + 1, 2)
        assert ws.cell(row + 1, 1).value == "Reach of the whole organisation"
        assert whole.value == pytest.approx(product["organisation_reach"]["reach"])
        assert whole.number_format == "0.0%"
    assert "Analysts — fewer than 5 active learners" in [
        c.value for c in book["Data Literacy Bootcamp"]["B"]
    ]


# --- the HTML pack -----------------------------------------------------------------------


class _Tables(HTMLParser):
    """Each section's text, and the cells of the table in section "reach"."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self.reach: list[list[str]] = []
        self._section: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self._section = found.get("id") or ""
            self.sections[self._section] = ""
        elif tag == "tr" and self._section == "reach":
            self.reach.append([])
        elif tag == "td" and self._section == "reach":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.reach[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._section is not None:
            self.sections[self._section] += data


def test_the_html_reach_table_equals_the_json(html_page: _Tables, pack: dict[str, Any]) -> None:
    cells = [row for row in html_page.reach if row]  # the header row has no td
    want = pack["portfolio"]["reach_by_org_unit"]
    sponsors = {u: p["product"] for p in pack["products"] for u in p["sponsor_units"]}
    assert len(cells) == len(want)
    for row, r in zip(cells, want, strict=True):
        assert row == [
            r["org_unit"],
            "—" if r["headcount"] is None else text.count(r["headcount"]),
            "fewer than 5" if r["suppressed"] else text.count(r["active_learners"]),
            "—" if r["reach"] is None else text.pct(r["reach"]),
            sponsors.get(r["org_unit"], ""),
        ]
        assert not any(re.fullmatch(r"[1-4]", c) for c in row[1:3]), row
    whole = unit_figure(pack["portfolio"]["organisation_reach"], min_group=5)
    assert f"the whole organisation: {whole}" in html_page.sections["reach"]


def test_each_html_product_says_its_sponsors_units(
    html_page: _Tables, pack: dict[str, Any]
) -> None:
    for i, product in enumerate(pack["products"], start=1):
        line = sponsor_units_line(product["sponsor_units"], product["reach_by_org_unit"],
                                  product["organisation_reach"], min_group=5)  # fmt: skip
        assert f"Sponsor's units: {line}" in html_page.sections[f"product-{i}"], product["product"]
    assert "Analysts — fewer than 5 active learners" in html_page.sections["product-4"]


def test_the_pdf_takes_one_reach_page(pack: dict[str, Any]) -> None:
    # 8 org units of the sample + Analysts + R&D (UK): one page of reach, then the suppliers
    # page (issue 19), before the products
    assert len(pack["portfolio"]["reach_by_org_unit"]) == 10
    assert page_count(pack) == PORTFOLIO_PAGES + 1 + 1 + 16


@pytest.mark.browser
def test_the_pdf_prints_the_reach_page_and_every_line(
    roster_url: str, pack: dict[str, Any], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    if chromium_path(None) is None:
        if os.environ.get("LP_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required here but not installed")
        pytest.skip("chromium not installed")
    pages = [p.extract_text() or "" for p in PdfReader(
        export_file(roster_url, "pdf", tmp_path / "pack.pdf")).pages]  # fmt: skip
    assert len(pages) == page_count(pack) == 22  # every product still fits its one page
    assert "Reach by org unit" in pages[PORTFOLIO_PAGES]
    assert "Suppliers and renewals" in pages[PORTFOLIO_PAGES + 1]
    for i, product in enumerate(pack["products"]):
        page = " ".join(pages[PORTFOLIO_PAGES + 2 + i].split())
        assert product["product"] in page and "Sponsor's units:" in page, product["product"]


# --- the Funding review page -------------------------------------------------------------


def test_the_funding_review_shows_the_sponsors_units(seeded_url: str) -> None:
    import_roster(seeded_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/funding_review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Reach in the sponsor's units" in [h.value for h in at.header]
    shown = "\n".join(shown_text(m.value) for m in at.markdown)
    reference = by_name(export_json(seeded_url))
    for name in NAMED:
        p = reference[name]
        line = sponsor_units_line(p["sponsor_units"], p["reach_by_org_unit"],
                                  p["organisation_reach"], min_group=5)  # fmt: skip
        audience = p["profile"]["target_audience"]
        assert f"- **{name}** ({audience}): {line}" in shown, name
    assert "Sales — reach" in shown and "Analysts — fewer than 5 active learners" in shown
    linkedin = reference["LinkedIn Learning"]["organisation_reach"]
    whole = unit_figure(linkedin, min_group=5)
    assert f"- **LinkedIn Learning** (Office-based staff): {whole}" in shown
    assert not re.search(r"\b[1-4] of \d", shown)  # never "3 of 23 in post"
