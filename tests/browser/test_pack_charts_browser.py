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
