"""The PDF funding pack: pages as promised, every product's one-pager, inert text.

Page rule (`exports.pdf_writer.page_count`): 4 portfolio pages (cover and
spend; products; value and idle spend; TDRp and assumptions), the pages of
reach by org unit once a roster is imported (one per 28 units), the suppliers
and renewals page (issue 19: one for the fixture and for the sample), 1 more
for a scenario, then one page per product in pack order.

Rendering needs Chromium: without it these tests skip, unless
LP_REQUIRE_BROWSER=1 (CI), where they fail. Each module-scoped fixture
renders one PDF that its tests share.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from exports import pdf_writer
from exports.formats import writer_for
from exports.html_suppliers import supplier_pages
from exports.html_writer import reach_pages
from exports.pdf_writer import (
    PORTFOLIO_PAGES,
    PdfUnavailableError,
    chromium_path,
    page_count,
    print_seconds,
    render_pdf,
)
from settings import Settings
from tests.exports.conftest import run_export
from tests.exports.pack_fixture import INJECTION, RTL_ONLY, UNTRACKED, make_pack


def _need_chromium() -> None:
    if chromium_path(None) is None:
        if os.environ.get("LP_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required here but not installed")
        pytest.skip("chromium not installed")


def _pages(path: Path) -> list[str]:
    """Each page's text, NFKC-normalised (Arabic comes out in presentation forms)."""
    reader = PdfReader(path)
    return [unicodedata.normalize("NFKC", p.extract_text() or "") for p in reader.pages]


def _links(path: Path) -> list[str]:
    found = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                found.append(str(action["/URI"]))
    return found


@pytest.fixture(scope="module")
def fixture_pack() -> dict[str, Any]:
    return make_pack()


@pytest.fixture(scope="module")
def fixture_pdf(fixture_pack: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    _need_chromium()
    path = tmp_path_factory.mktemp("pdf") / "fixture.pdf"
    path.write_bytes(render_pdf(fixture_pack, chromium=None))
    return path


@pytest.fixture(scope="module")
def sample_pdf(shared_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m exports --format pdf --out ...` on the seeded sample portfolio."""
    _need_chromium()
    path = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    done = run_export(shared_url, "--format", "pdf", "--out", str(path))
    assert done.returncode == 0, done.stderr
    return path


def test_pdf_is_registered_with_the_browser_of_the_settings(
    fixture_pack: dict[str, Any], tmp_path: Path
) -> None:
    missing = str(tmp_path / "no-such-chromium")
    write = writer_for("pdf", settings=Settings(chromium_path=missing))
    assert write is not None
    with pytest.raises(PdfUnavailableError, match=f"LP_CHROMIUM='{missing}' is not an executable"):
        write(fixture_pack)


def test_the_page_rule() -> None:
    # 4 portfolio pages + 1 suppliers page + 1 scenario page + 5 products
    assert page_count(make_pack(scenario=True)) == 4 + 1 + 1 + 5
    assert page_count(make_pack(scenario=False)) == 4 + 1 + 5
    bare = make_pack(scenario=False)  # no vendor, renewal or seats to reclaim: no such page
    bare["portfolio"].update(vendors=[], renewals_to_decide=[])
    for product in bare["products"]:
        product["seats_to_reclaim"] = None
    assert page_count(bare) == 4 + 5


@pytest.mark.browser
def test_pages_as_the_rule_says(fixture_pack: dict[str, Any], fixture_pdf: Path) -> None:
    assert fixture_pdf.read_bytes().startswith(b"%PDF-")
    assert len(PdfReader(fixture_pdf).pages) == page_count(fixture_pack) == 11


@pytest.mark.browser
def test_each_product_has_its_own_page(fixture_pack: dict[str, Any], fixture_pdf: Path) -> None:
    pages = _pages(fixture_pdf)
    first = PORTFOLIO_PAGES + 2  # the suppliers page, the scenario page
    for i, product in enumerate(fixture_pack["products"]):
        text = pages[first + i]
        name = product["product"]
        if name == INJECTION:
            assert "'" + INJECTION in text
        elif name.startswith("Ops"):
            # quotes and markup kept; the rocket as the emoji, or as "[rocket]" when no
            # installed font has it; the Hebrew word in reading order
            assert 'Ops "Quick" Wins' in text
            assert "🚀" in text or "[rocket]" in text
            assert "& <Co>" in text
            assert "אקדמיה" in text
        else:
            assert name in text
        assert "The problem, and for whom" in text
        assert "The four risks" in text


@pytest.mark.browser
def test_portfolio_pages_and_scenario(fixture_pdf: Path) -> None:
    pages = _pages(fixture_pdf)
    assert "Funding review 2026" in pages[0]
    assert "Spend by product, 2026" in pages[0]  # the chart's title: the chart was drawn
    assert "Products at a glance" in pages[1]
    assert "Value delivered" in pages[2]
    assert "Idle licence spend you could recover" in pages[2]
    assert "TDRp" in pages[3]
    assert "Assumptions behind the figures" in pages[3]
    assert "Suppliers and renewals, 2026" in pages[4]
    assert "'@vendor" in pages[4] and "Seats to reclaim: 140, worth £35,000" in pages[4]
    assert "What-if scenario" in pages[5]
    assert RTL_ONLY in pages[1]


@pytest.mark.browser
def test_nulls_read_not_tracked(fixture_pack: dict[str, Any], fixture_pdf: Path) -> None:
    pages = _pages(fixture_pdf)
    untracked = pages[-1]
    assert UNTRACKED in untracked
    assert untracked.count("not tracked") >= 8
    for label in ("Active learners", "Completions", "Cost per active learner"):
        assert f"{label} not tracked" in untracked


@pytest.mark.browser
def test_the_formula_name_is_inert(fixture_pdf: Path) -> None:
    text = "\n".join(_pages(fixture_pdf))
    assert "'" + INJECTION in text
    assert _links(fixture_pdf) == []


@pytest.mark.browser
def test_the_sample_portfolio_pdf(pack: dict[str, Any], sample_pdf: Path) -> None:
    pages = _pages(sample_pdf)
    assert pack["scenario"] is None
    # one page of reach by org unit once the sample has a roster, one of suppliers and
    # renewals (issue 19: the pack grew by this one page), then one page per product
    reach, suppliers = reach_pages(pack), supplier_pages(pack)
    assert suppliers == 1
    assert len(pages) == page_count(pack) == PORTFOLIO_PAGES + reach + suppliers + 16
    assert "Suppliers and renewals, 2026" in pages[PORTFOLIO_PAGES + reach]
    first = PORTFOLIO_PAGES + reach + suppliers
    for i, product in enumerate(pack["products"]):
        assert product["product"] in pages[first + i], product["product"]
    assert "not tracked" in pages[1]  # the products table: several products lack ROI


def test_without_chromium_it_says_what_to_install(
    fixture_pack: dict[str, Any], tmp_path: Path
) -> None:
    with pytest.raises(PdfUnavailableError, match="install Debian's chromium package"):
        render_pdf(fixture_pack, chromium=str(tmp_path / "no-such-chromium"))


def test_the_browser_comes_from_the_caller_not_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _need_chromium()
    # The writer reads no environment variable: LP_CHROMIUM reaches it only through Settings.
    monkeypatch.setenv("LP_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert chromium_path(None) is not None
    assert chromium_path(str(tmp_path / "no-such-chromium")) is None


def test_the_cli_exits_1_without_chromium(
    shared_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LP_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "pack.pdf"
    done = run_export(shared_url, "--format", "pdf", "--out", str(out))
    assert done.returncode == 1
    assert "PDF export needs Chromium: install Debian's chromium package" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_symbol_no_font_can_draw_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # fontconfig says only ASCII and Hebrew are covered: the rocket (and its variation
    # selector) becomes "[rocket]", the Hebrew and the quotes stay as typed
    monkeypatch.setattr(pdf_writer, "_font_coverage", lambda: ((0x20, 0x590), (0x7E, 0x5FF)))
    assert pdf_writer._printable_text('Ops "Q" 🚀\ufe0f אב') == 'Ops "Q" [rocket] אב'
    monkeypatch.setattr(pdf_writer, "_font_coverage", lambda: None)  # no fc-list: as typed
    assert pdf_writer._printable_text("🚀") == "🚀"


def test_chromium_is_given_time_for_every_page(
    fixture_pack: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The print's time limit grows with the pages: 2,000 products needed over 200 s.

    A fixed 180 s refused every pack of more than about 1,000 products.
    """
    import subprocess
    import sys

    from exports.pdf_writer import PdfError

    asked: list[float] = []
    run = subprocess.run

    def too_slow(command: list[str], **options: Any) -> Any:
        if not any(part.startswith("--print-to-pdf") for part in command):
            return run(command, **options)  # fontconfig's fc-list, asked what fonts cover
        asked.append(options["timeout"])
        raise subprocess.TimeoutExpired(command, options["timeout"])

    monkeypatch.setattr(pdf_writer.subprocess, "run", too_slow)
    many = {**fixture_pack, "products": fixture_pack["products"] * 100}
    for pack in (fixture_pack, many):
        pages = page_count(pack)
        with pytest.raises(PdfError, match=f"the PDF's {pages:,} pages within"):
            render_pdf(pack, chromium=sys.executable)
    small, large = asked
    assert small == pytest.approx(180 + 2 * print_seconds(page_count(fixture_pack)))
    assert large == pytest.approx(180 + 2 * print_seconds(page_count(many)))
    assert 180 + 2 * print_seconds(2_062) > 2 * 399  # 2,000 products printed in 399 s here
