"""The HTML and PDF packs' charts, drawn by Chromium: every one, each with its own ids.

Why here: `exports.chart_drawing` changes when plotly.js draws the packs' charts (queued
while the document is read, drawn by the body's last script) and answers plotly's one
document-wide "defs" query itself. A chart left undrawn, or two charts sharing an id (a
clip path of one cutting another), would only show in a browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from exports.html_writer import build_document
from tests.exports.pack_fixture import make_pack

_DRAWN = """() => [...document.querySelectorAll('figure.chart')].map(f => ({
  svgs: f.querySelectorAll('svg.main-svg').length,
  texts: [...f.querySelectorAll('svg text')].map(t => t.textContent).filter(t => t.trim()).length,
  defs: [...f.querySelectorAll('defs')].map(d => d.id),
}))"""

# plotly picks each chart's id at random (24 bits) and avoids the ids of the "defs" its
# query returns; random numbers with three values only (729 ids) make ids collide among
# 80 charts unless that query really lists the charts drawn so far.
_FEW_RANDOM_NUMBERS = """(() => { let s = 12345;
  Math.random = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return [0.05, 0.45, 0.85][(s >> 16) % 3];
  };
})()"""


_FIRST_DRAWN = "() => document.querySelector('figure.chart svg.main-svg') !== null"
_LAST_DRAWN = """() => [...document.querySelectorAll('figure.chart')].pop()
  .querySelector('svg.main-svg') !== null"""


def _many_products(copies: int) -> dict[str, Any]:
    """The fixture pack with its products repeated: enough charts for plotly to pick ids."""
    pack = make_pack()
    products = [dict(p) for _ in range(copies) for p in pack["products"]]
    return {**pack, "products": products}


@pytest.mark.parametrize("layout", ["screen", "print"])
def test_every_chart_is_drawn_with_ids_of_its_own(
    browser: Any, tmp_path: Path, layout: str
) -> None:
    document = build_document(_many_products(8), layout=layout)
    expected = document.count('document.getElementById("chart-')
    source = tmp_path / "pack.html"
    source.write_text(document, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.add_init_script(_FEW_RANDOM_NUMBERS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(source.as_uri(), wait_until="load")
        if layout == "screen":  # drawn as they near the window; all of them before printing
            page.wait_for_function(_FIRST_DRAWN)
            on_opening = sum(c["svgs"] > 0 for c in page.evaluate(_DRAWN))
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_function(_LAST_DRAWN)
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
            assert 0 < on_opening < expected / 4
        charts = page.evaluate(_DRAWN)
        # Every other query still reaches the document.
        sections = page.evaluate("() => document.querySelectorAll('section.page').length")
        base = page.evaluate("() => document.baseURI")
    finally:
        page.close()
    assert errors == []
    assert len(charts) == expected > 60
    assert all(c["svgs"] >= 2 and c["texts"] > 0 for c in charts)  # drawn, with its labels
    ids = [d for c in charts for d in c["defs"]]
    assert len(ids) == len(set(ids)) == 2 * expected  # defs- and topdefs-, none shared
    assert sections == document.count('<section class="page')
    assert base == source.as_uri()  # the empty <base> changes no address


_CUT = """() => [...document.querySelectorAll('.tile .value')]
  .filter(v => v.scrollWidth > v.clientWidth || v.getBoundingClientRect().right > innerWidth)
  .map(v => v.textContent)"""


@pytest.mark.parametrize("size", [(1440, 900), (1280, 720)])
def test_the_headline_figures_of_a_large_portfolio_are_never_cut(
    browser: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Six tiles across cut "£158.77m" at 1440 px, and the products table lost its ROI column
    past the right edge at 1280 px: two rows of three tiles, and a narrower table there."""
    pack = make_pack()
    large = {"budget_plan": 721_522_733.89, "actual_cost": 632_790_000.0, "benefits": 8.83e6}
    pack["portfolio"] = {**pack["portfolio"], **large, "idle_spend": 158_770_000.0}
    source = tmp_path / "pack.html"
    source.write_text(build_document(pack, layout="screen"), encoding="utf-8")
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    try:
        page.goto(source.as_uri(), wait_until="load")
        cut = page.evaluate(_CUT)
        shown = page.evaluate("() => [...document.querySelectorAll('.tile .value')].length")
        wider = page.evaluate("() => document.documentElement.scrollWidth > innerWidth")
        scrolled = page.evaluate(
            "() => [...document.querySelectorAll('.wide')]"
            ".filter(w => w.scrollWidth > w.clientWidth).length"
        )
    finally:
        page.close()
    assert shown > 6
    assert cut == []
    assert not wider
    assert scrolled == 0  # the products table fits: no column behind a scroll bar


def test_a_chart_that_fails_leaves_the_others_drawn(browser: Any, tmp_path: Path) -> None:
    """One inline script per chart kept a failure to its chart; the queue must do the same."""
    document = build_document(make_pack(), layout="print")
    broken = '"chart-1", {get data() { throw new Error("a broken chart"); }},'
    assert document.count('"chart-1",') == 1
    source = tmp_path / "pack.html"
    source.write_text(document.replace('"chart-1",', broken), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    logged: list[str] = []
    page.on("console", lambda message: logged.append(message.text))
    try:
        page.goto(source.as_uri(), wait_until="load")
        charts = page.evaluate(_DRAWN)
    finally:
        page.close()
    assert charts[0]["svgs"] == 0
    assert len(charts) > 10
    assert all(c["svgs"] >= 2 for c in charts[1:])
    assert any("a broken chart" in text for text in logged)
