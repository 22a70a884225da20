"""The funding pack of the hostile portfolio (`tests.hostile`) in every format: text stays text.

Exported with the command line, only the hostile products and the hostile
scenario: the HTML holds no tag or link a user typed (only escaped text that
reads as typed), the workbook holds those texts as strings, never formulas,
the PDF reads them as typed with no link, and the JSON keeps them exactly as
stored.
"""

from __future__ import annotations

import os
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from exports.pdf_writer import chromium_path
from exports.safety import neutralise
from tests.exports.conftest import export_file, export_json
from tests.hostile import (
    ATTACKER,
    FORMULA,
    NOTE,
    PRODUCTS,
    SCENARIO,
    TAG,
    add_hostile_portfolio,
)
from tests.seeded import copy_of

SELECTION = ("--scenario", SCENARIO, "--product", *PRODUCTS)


@pytest.fixture(scope="module")
def hostile_url(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hostile_exports")
    url = copy_of(seeded_template, folder / "hostile.sqlite")
    add_hostile_portfolio(url, folder)
    return url


class _Page(HTMLParser):
    """The tags, their attributes and the text of an HTML page (script and style apart)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _to_attacker(value: str | None) -> bool:
    return ATTACKER in (urlparse(value or "").hostname or "")


def test_json_keeps_every_name_exactly_as_stored(hostile_url: str) -> None:
    pack = export_json(hostile_url, *SELECTION)
    assert {p["product"] for p in pack["products"]} == set(PRODUCTS)
    for p in pack["products"]:
        texts = PRODUCTS[p["product"]]
        profile = p["profile"]
        for key in ("owner", "sponsor", "business_goal", "business_problem", "target_audience"):
            assert profile[key] == texts[key]
    assert pack["scenario"]["name"] == SCENARIO
    assert pack["scenario"]["notes"] == NOTE
    assert FORMULA in pack["scenario"]["dropped"]


def test_html_has_no_tag_or_link_from_a_user(hostile_url: str, tmp_path: Path) -> None:
    path = export_file(hostile_url, "html", tmp_path / "pack.html", *SELECTION)
    source = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(source)
    # No element a user wrote: no <img>, no onerror, no link or source to the attacker.
    assert [t for t, _ in page.tags if t == "img"] == []
    assert [a for _, a in page.tags if "onerror" in a] == []
    assert [
        a for _, a in page.tags if _to_attacker(a.get("href")) or _to_attacker(a.get("src"))
    ] == []
    assert "<img src=x" not in source  # not even inside the charts' data
    text = " ".join(" ".join(page.text).split())
    # Each text reads as typed; a formula-like one behind a quote, as in every export.
    for name, texts in PRODUCTS.items():
        assert neutralise(name) in text, name
        assert neutralise(texts["sponsor"]) in text
        assert neutralise(texts["business_problem"]) in text
    assert SCENARIO in text and NOTE in text


def test_xlsx_holds_every_text_as_a_string_never_a_formula(
    hostile_url: str, tmp_path: Path
) -> None:
    path = export_file(hostile_url, "xlsx", tmp_path / "pack.xlsx", *SELECTION)
    book = load_workbook(path)
    strings: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert ATTACKER not in str(cell.value), (sheet.title, cell.coordinate)
                    assert "HYPERLINK" not in str(cell.value).upper()
                if isinstance(cell.value, str):
                    strings.append(cell.value)
                # The workbook's own links go to its sheets; none goes to the attacker.
                target = cell.hyperlink.target if cell.hyperlink else None
                assert ATTACKER not in (target or ""), (sheet.title, cell.coordinate)
    assert neutralise(FORMULA) in strings  # '=HYPERLINK(…), shown as typed behind a quote
    assert f"{TAG} Lab" in strings
    assert any(NOTE in s for s in strings)


@pytest.mark.browser
def test_pdf_reads_every_name_as_typed_with_no_link(hostile_url: str, tmp_path: Path) -> None:
    if chromium_path(None) is None:
        if os.environ.get("LP_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required here but not installed")
        pytest.skip("chromium not installed")
    path = export_file(hostile_url, "pdf", tmp_path / "pack.pdf", *SELECTION)
    reader = PdfReader(path)
    text = " ".join(unicodedata.normalize("NFKC", p.extract_text() or "") for p in reader.pages)
    flat = re.sub(r"\s+", "", text)  # a long name may wrap in a table cell
    for name in PRODUCTS:
        assert re.sub(r"\s+", "", neutralise(name)) in flat, name
    assert re.sub(r"\s+", "", NOTE) in flat
    links = [
        str(annot.get_object().get("/A", {}).get("/URI"))
        for page in reader.pages
        for annot in page.get("/Annots") or []
    ]
    assert [u for u in links if ATTACKER in u] == []
