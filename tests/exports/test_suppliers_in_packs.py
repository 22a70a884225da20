"""Suppliers, renewals and seats to reclaim in every pack format (issue 19).

On the seeded sample portfolio as of 23 Nov 2026. The reference is what the Suppliers page
computes: the same `metrics` functions on the frames its readers read
(`pages.supplier_reads`: `models.frames.year_frames`, `year_scorecard`,
`contract_positions`, `vendor_comparison`, `renewals_to_decide`;
`pages.reclaim_reads`: `metrics.reclaim.year_reclaim`), called here directly, not through
the page. The JSON pack must equal them (money to the cent); the workbook's "Suppliers"
sheet and the HTML pack must equal the JSON to the row; and no pack may name a person.
"""

from __future__ import annotations

import dataclasses
import json
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
from openpyxl.worksheet.worksheet import Worksheet

from exports.build import pack_for
from exports.cli import read_frames
from exports.html_suppliers import supplier_pages
from exports.html_writer import render_html
from exports.pdf_writer import chromium_path, page_count
from exports.supplier_payload import page_usage, supplier_figures
from exports.xlsx_suppliers import RECLAIM_HEADERS, RENEWAL_HEADERS, VENDOR_HEADERS
from exports.xlsx_writer import SUPPLIERS_SHEET
from metrics import text
from metrics.reclaim import reconciliation_sentence, year_reclaim, year_reclaim_rows
from metrics.scorecard import year_scorecard
from metrics.suppliers import contract_positions, renewals_to_decide, vendor_comparison
from models import make_engine
from models.frames import YearFrames, year_frames
from settings import Settings
from tests.exports.conftest import by_name, export_file
from tests.exports.pack_fixture import INJECTION, UNTRACKED, make_pack
from tests.metrics import factories as f

AS_OF = date(2026, 11, 23)
SETTINGS = Settings()
PSEUDONYM = re.compile(r"L-[0-9a-f]{6,}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
MONEY_KEYS = {"contract_value", "actual_cost", "cost_per_active_learner", "cost_per_completion",
              "idle_spend", "reclaim_value"}  # fmt: skip


# --- the page's figures, computed as its readers compute them ------------------------------


@pytest.fixture(scope="module")
def page(shared_url: str) -> dict[str, Any]:
    """What `pages.supplier_reads` and `pages.reclaim_reads` compute for 2026 as of 23 Nov."""
    engine = make_engine(shared_url)
    with engine.connect() as conn:
        frames = year_frames(conn, year=2026, currency="GBP")
    engine.dispose()
    card = year_scorecard(frames, year=2026, thresholds=SETTINGS.health)
    positions = contract_positions(
        frames.contracts, card, frames.budgets, year=2026, as_of=AS_OF, currency="GBP"
    )
    reclaim = year_reclaim(
        frames,
        year=2026,
        as_of=AS_OF,
        after_days=SETTINGS.reclaim_after_days,
        stale_after_days=SETTINGS.stale_after_days,
    )
    names = dict(frames.products.select("product_id", "product").iter_rows())
    return {
        "vendors": vendor_comparison(positions, card, frames.usage, year=2026, currency="GBP"),
        # renewals_view: the as-of year's contracts, the health rule's threshold
        "renewals": renewals_to_decide(positions, below=SETTINGS.health.utilisation_fix_below),
        "reclaim": reclaim,
        "by_name": {names[r["product_id"]]: r for r in reclaim.products.to_dicts()},
        "people": year_reclaim_rows(frames, reclaim),  # pseudonyms: identities not stored
    }


def _json_ready(row: dict[str, Any]) -> dict[str, Any]:
    """A metrics row as the pack writes it: money to the cent, dates ISO."""
    out = {}
    for key, value in row.items():
        if isinstance(value, float) and key in MONEY_KEYS:
            value = round(value, 2) + 0.0
        elif isinstance(value, date):
            value = value.isoformat()
        out[key] = value
    return out


def test_the_vendors_are_the_suppliers_pages(pack: dict[str, Any], page: dict[str, Any]) -> None:
    keys = list(pack["portfolio"]["vendors"][0])
    want = [_json_ready(r) for r in page["vendors"].select(keys).to_dicts()]
    assert pack["portfolio"]["vendors"] == want
    # seven vendors; LinkedIn's by hand: 177,531.79 / 399 active learners = 444.94
    assert [v["vendor"] for v in want][:2] == ["LinkedIn Learning", "Pocketwise"]
    assert len(want) == 7
    linkedin = want[0]
    assert (linkedin["seats"], linkedin["contract_value"], linkedin["idle_spend"]) == (
        1500, 172_500.0, 126_615.0,
    )  # fmt: skip
    assert linkedin["cost_per_active_learner"] == round(177_531.79 / 399, 2) == 444.94


def test_the_renewals_are_the_renewals_tabs(pack: dict[str, Any], page: dict[str, Any]) -> None:
    renewals = page["renewals"].rename({"end": "renewal_date"})
    keys = list(pack["portfolio"]["renewals_to_decide"][0])
    want = [_json_ready(r) for r in renewals.select(keys).to_dicts()]
    assert pack["portfolio"]["renewals_to_decide"] == want
    assert [(r["product"], r["reason"], r["days_to_renewal"]) for r in want] == [
        ("LinkedIn Learning", "low utilisation", 38),  # 31 Dec 2026 is 38 days on
        ("Language Learning App", "usage not tracked", 38),
    ]
    flagged = {name for name, p in by_name(pack).items() if p["renewal_to_decide"]}
    assert flagged == {"LinkedIn Learning", "Language Learning App"}


def test_seats_to_reclaim_per_product_are_year_reclaims(
    pack: dict[str, Any], page: dict[str, Any]
) -> None:
    listed = page["by_name"]
    after = SETTINGS.reclaim_after_days
    for name, product in by_name(pack).items():
        row = listed.get(name)
        if row is None:  # no usage, or no contract on its report's end: not on the list
            assert (product["seats_to_reclaim"], product["reclaim_value"]) == (None, None), name
            assert product["reclaim_reconciliation"] is None
            continue
        assert product["seats_to_reclaim"] == row["to_reclaim"], name
        assert product["reclaim_value"] == round(row["reclaim_value"], 2), name
        assert product["reclaim_reconciliation"] == reconciliation_sentence(row, after_days=after)
    reclaim = page["reclaim"]
    portfolio = pack["portfolio"]
    assert portfolio["seats_to_reclaim"] == reclaim.to_reclaim == 5180
    assert portfolio["reclaim_value"] == round(reclaim.value, 2) == 260_604.5
    # LinkedIn Learning: 482 seats at 115.00 = 55,430.00
    linkedin = by_name(pack)["LinkedIn Learning"]
    assert (linkedin["seats_to_reclaim"], linkedin["reclaim_value"]) == (482, 482 * 115.0)


def test_a_selection_narrows_the_vendors_renewals_and_totals(shared_url: str) -> None:
    frames = read_frames(shared_url, year=2026, currency="GBP")
    whole = pack_for(frames, settings=SETTINGS, year=2026, as_of=AS_OF, generated_at=None)
    two = pack_for(frames, settings=SETTINGS, year=2026, as_of=AS_OF, generated_at=None,
                   products=["LinkedIn Learning", "Udemy Tech Skills"])  # fmt: skip
    vendors = {v["vendor"]: v for v in whole["portfolio"]["vendors"]}
    assert two["portfolio"]["vendors"] == [vendors["LinkedIn Learning"], vendors["Udemy Business"]]
    assert [r["product"] for r in two["portfolio"]["renewals_to_decide"]] == ["LinkedIn Learning"]
    assert two["portfolio"]["seats_to_reclaim"] == 482 + 151
    assert two["portfolio"]["reclaim_value"] == 55_430.0 + 43_790.0
    inhouse = pack_for(frames, settings=SETTINGS, year=2026, as_of=AS_OF, generated_at=None,
                       products=["Sales Academy"])  # fmt: skip
    port = inhouse["portfolio"]
    assert (port["seats_to_reclaim"], port["reclaim_value"], port["vendors"]) == (None, None, [])
    assert supplier_pages(inhouse) == 0  # nothing to show: no page in the PDF


# --- the usage the page reads, out of the pack's wider frames ------------------------------


def _two_terms() -> YearFrames:
    """One product, a 2025 term and a 2026 term of 10 seats at 20.00.

    Learner 1 used it in March 2025, then was assigned again on 1 Nov 2026 without
    activity; learner 2 is active on 10 Nov 2026 (the report's end). Read as the page reads
    2026 (`year_frames`: 2026 and the terms in force in it), learner 1 is first seen on
    1 Nov, a new starter of the last 60 days, left out; with the 2025 rows, they would be
    listed. So the pack must look in the page's rows only.
    """
    return YearFrames(
        products=f.products({"product_id": 1, "product": "Library", "vendor": "Acme"}),
        budgets=f.budgets(),
        contracts=f.contracts(
            {
                "start": date(2025, 1, 1),
                "end": date(2025, 12, 31),
                "seats": 10,
                "price_per_seat_minor": 20_00,
            },
            {"seats": 10, "price_per_seat_minor": 20_00},
        ),
        usage=f.usage(
            {"learner_id": 1, "date": date(2025, 3, 2), "minutes": 30.0},
            {"learner_id": 1, "date": date(2026, 11, 1), "minutes": 0.0},
            {"learner_id": 2, "date": date(2026, 11, 10), "minutes": 15.0},
        ),
        outcomes=f.outcomes(),
        currency="GBP",
    )


def test_the_pack_counts_seats_to_reclaim_in_the_pages_usage() -> None:
    frames = _two_terms()
    kept = page_usage(frames, year=2026)
    assert kept.get_column("date").to_list() == [date(2026, 11, 1), date(2026, 11, 10)]
    options = {"year": 2026, "as_of": AS_OF, "after_days": 60, "stale_after_days": 45}
    as_page = year_reclaim(dataclasses.replace(frames, usage=kept), **options)
    wider = year_reclaim(frames, **options)
    assert as_page.to_reclaim == 0  # learner 1 is a new starter in the page's rows
    assert wider.to_reclaim == 1  # first seen in 2025 once the 2025 rows are looked at
    card = year_scorecard(frames, year=2026, thresholds=SETTINGS.health)
    figures = supplier_figures(frames, card, [1], year=2026, as_of=AS_OF, below=0.5,
                               after_days=60, stale_after_days=45)  # fmt: skip
    assert figures.products[1]["seats_to_reclaim"] == as_page.to_reclaim == 0
    assert figures.portfolio["seats_to_reclaim"] == 0
    # 2 active of 10 seats (20%) renewing in 38 days: a renewal to decide
    assert figures.products[1]["renewal_to_decide"] is True
    [renewal] = figures.portfolio["renewals_to_decide"]
    assert (renewal["renewal_date"], renewal["days_to_renewal"]) == (date(2026, 12, 31), 38)


# --- the workbook ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(shared_url: str, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    out = tmp_path_factory.mktemp("suppliers_xlsx") / "pack.xlsx"
    return openpyxl.load_workbook(export_file(shared_url, "xlsx", out))


def _table(ws: Worksheet, heading: str, headers: tuple[tuple[str, str, str], ...]) -> list[Any]:
    """The rows under `heading` (column A) and its header row, as lists of cells."""
    top = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == heading)
    head = next(r for r in range(top, ws.max_row + 1) if ws.cell(r, 1).value == headers[0][0])
    assert [ws.cell(head, c + 1).value for c in range(len(headers))] == [h for h, _, _ in headers]
    rows = []
    row = head + 1
    while ws.cell(row, 1).value not in (None, "All products"):
        rows.append([ws.cell(row, c + 1) for c in range(len(headers))])
        row += 1
    return rows


def _cell_equals(cell: Any, key: str, want: object) -> None:
    if key == "renewal_date":
        assert cell.value.date().isoformat() == want and cell.number_format == "yyyy-mm-dd"
    elif want is None:
        assert cell.value is None, (cell.coordinate, key)
    elif isinstance(want, str):
        assert cell.value == want, (cell.coordinate, key)
    else:
        assert cell.value == pytest.approx(want, rel=1e-12), (cell.coordinate, key)


def test_the_suppliers_sheet_equals_the_json_to_the_row(
    book: Workbook, pack: dict[str, Any]
) -> None:
    assert book.sheetnames[3] == SUPPLIERS_SHEET
    ws = book[SUPPLIERS_SHEET]
    assert ws.freeze_panes == "B3"
    port = pack["portfolio"]
    formats = {"money": '"£"#,##0', "money2": '"£"#,##0.00', "count": "#,##0", "pct": "0.0%"}
    tables = (
        ("Vendors compared", VENDOR_HEADERS, port["vendors"]),
        ("Renewals to decide", RENEWAL_HEADERS, port["renewals_to_decide"]),
        ("Seats to reclaim", RECLAIM_HEADERS,
         [p for p in pack["products"] if p["seats_to_reclaim"] is not None]),
    )  # fmt: skip
    for heading, headers, want in tables:
        got = _table(ws, heading, headers)
        assert len(got) == len(want), heading
        for cells, row in zip(got, want, strict=True):
            for cell, (_, key, kind) in zip(cells, headers, strict=True):
                _cell_equals(cell, key, row[key])
                if kind in formats and cell.value is not None:
                    assert cell.number_format == formats[kind], (cell.coordinate, key)
                    assert isinstance(cell.value, int | float), (cell.coordinate, key)
    total = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "All products")
    assert ws.cell(total, 4).value == port["seats_to_reclaim"] == 5180
    assert ws.cell(total, 5).value == pytest.approx(port["reclaim_value"])
    assert ws.cell(total, 5).number_format == '"£"#,##0.00'
    rule = "Flagged: renewing within 90 days and under 50% of seats in use"
    assert any(rule in str(c.value or "") for c in ws["A"])


# --- the HTML pack -------------------------------------------------------------------------


class _Text(HTMLParser):
    """The visible text of each section (scripts and styles apart)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, str] = {}
        self.all: list[str] = []
        self._section: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self._section = dict(attrs).get("id") or ""
            self.sections[self._section] = ""
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.all.append(data)
        if self._section is not None:
            self.sections[self._section] += data + " "


def _read(document: bytes | str) -> _Text:
    page = _Text()
    page.feed(document.decode("utf-8") if isinstance(document, bytes) else document)
    return page


@pytest.fixture(scope="module")
def html_text(shared_url: str, tmp_path_factory: pytest.TempPathFactory) -> _Text:
    out = tmp_path_factory.mktemp("suppliers_html") / "pack.html"
    return _read(export_file(shared_url, "html", out).read_bytes())


def test_the_html_shows_the_vendors_renewals_and_seats_to_reclaim(
    html_text: _Text, pack: dict[str, Any]
) -> None:
    section = " ".join(html_text.sections["suppliers"].split())
    assert "Suppliers and renewals, 2026" in section
    for vendor in pack["portfolio"]["vendors"]:
        assert vendor["vendor"] in section
    port = pack["portfolio"]
    total = f"Seats to reclaim: {text.count(port['seats_to_reclaim'])}, worth " + text.money(
        port["reclaim_value"], "GBP"
    )
    assert total == "Seats to reclaim: 5,180, worth £260,604"
    assert total in section
    for product in pack["products"]:
        if product["seats_to_reclaim"] is None:
            continue
        assert product["product"] in section
        assert text.count(product["seats_to_reclaim"]) in section
        assert text.money(product["reclaim_value"], "GBP") in section
        assert " ".join(product["reclaim_reconciliation"].split()) in section
    assert "2 contracts to decide: £126,615 of idle spend at stake" in section
    assert "Language Learning App" in section and "usage not tracked" in section


def test_the_hand_made_pack_is_inert_and_says_not_tracked() -> None:
    pack = make_pack()
    section = _read(render_html(pack)).sections["suppliers"]
    assert "'@vendor" in section and "'" + INJECTION in section  # formula-like text inert
    assert UNTRACKED in section and "not tracked" in section  # its renewal's utilisation
    assert "Seats to reclaim: 140, worth £35,000" in " ".join(section.split())
    assert page_count(pack) == 4 + 1 + 1 + 5  # portfolio, suppliers, scenario, products


# --- never a person ------------------------------------------------------------------------


def test_no_pack_names_a_person(
    pack: dict[str, Any], page: dict[str, Any], book: Workbook, html_text: _Text
) -> None:
    people = page["people"].get_column("learner").to_list()
    assert people and all(PSEUDONYM.fullmatch(p) for p in people)  # the list exists: not here
    packed = json.dumps(pack, ensure_ascii=False)
    cells = " ".join(
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
        if isinstance(c.value, str)
    )  # fmt: skip
    shown = " ".join(html_text.all)
    for where, content in (("json", packed), ("xlsx", cells), ("html", shown)):
        assert not PSEUDONYM.search(content), where
        assert not EMAIL.search(content), (where, EMAIL.search(content))
        assert not any(p in content for p in people[:200]), where


@pytest.mark.browser
def test_the_pdf_prints_the_suppliers_page(
    shared_url: str, pack: dict[str, Any], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    if chromium_path(None) is None:
        if os.environ.get("LP_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required here but not installed")
        pytest.skip("chromium not installed")
    pages = [p.extract_text() or "" for p in PdfReader(
        export_file(shared_url, "pdf", tmp_path / "pack.pdf")).pages]  # fmt: skip
    assert len(pages) == page_count(pack)  # the suppliers page fits one page; so do products
    found = [i for i, p in enumerate(pages) if "Suppliers and renewals, 2026" in p]
    assert len(found) == 1
    printed = " ".join(pages[found[0]].split())
    for vendor in pack["portfolio"]["vendors"]:
        assert vendor["vendor"] in printed
    assert "Seats to reclaim: 5,180, worth £260,604" in printed
    assert "Udemy Tech Skills" in printed  # the last product to reclaim from: nothing cut
    everything = " ".join(pages)
    assert not PSEUDONYM.search(everything) and not EMAIL.search(everything)
    assert pl.Series(pages).str.contains("Suppliers and renewals").sum() == 1
