"""The HTML funding pack: one self-contained file, safe text, every product, "not tracked".

Checked on the hand-made pack of `tests.exports.pack_fixture` (tricky names,
a product with nothing tracked, a scenario) and on the real sample portfolio
through `python -m exports --format html`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import plotly.offline
import pytest

from exports import chart_drawing
from exports.formats import FORMATS, writer_for
from exports.html_writer import build_document, render_html
from exports.safety import FORMULA_TRIGGERS
from settings import Settings
from tests.exports.conftest import run_export
from tests.exports.pack_fixture import INJECTION, RTL_ONLY, TRICKY, UNTRACKED, make_pack

PLOTLY_BANNER = plotly.offline.get_plotlyjs()[:40]  # "/**\n* plotly.js vX.Y.Z\n* Copyright ..."
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


@dataclass
class Page:
    """What the tests read from a document: tags with attributes, scripts and visible text."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(self.texts)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []
        self._in_style = False
        self._section: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.page.tags.append((tag, found))
        if tag == "script":
            self._script, self._script_text = found, []
        elif tag == "style":
            self._in_style = True
        elif tag == "section":
            self._section = found.get("id")
            self.page.sections[self._section or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.page.scripts.append((self._script, "".join(self._script_text)))
            self._script = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        elif not self._in_style and data.strip():
            self.page.texts.append(data)
            if self._section is not None:
                self.page.sections[self._section] += " " + data


def parse(document: bytes | str) -> Page:
    reader = _Reader()
    reader.feed(document.decode("utf-8") if isinstance(document, bytes) else document)
    reader.close()
    return reader.page


def assert_self_contained(document: bytes) -> Page:
    """No remote script, stylesheet, image or frame; plotly.js inline exactly once."""
    page = parse(document)
    for tag, attrs in page.tags:
        for name in ("src", "href", "data", "poster", "srcset", "action"):
            value = attrs.get(name)
            if value is None:
                continue
            assert not REMOTE.match(value), f"<{tag} {name}={value!r}> loads from the network"
            if tag in ("script", "img", "iframe", "embed", "object", "source"):
                assert value.startswith("data:"), f"<{tag} {name}={value!r}> is not embedded"
            if tag == "link":
                assert value.startswith(("data:", "#")), f"<link href={value!r}>"
            if tag == "a":
                assert value.startswith("#"), f"<a href={value!r}> leaves the document"
    plotly_scripts = [text for _, text in page.scripts if PLOTLY_BANNER in text]
    assert len(plotly_scripts) == 1
    assert document.decode("utf-8").count(PLOTLY_BANNER) == 1
    assert all(not attrs.get("src") for attrs, _ in page.scripts)
    return page


@pytest.fixture(scope="module")
def fixture_pack() -> dict[str, Any]:
    return make_pack()


@pytest.fixture(scope="module")
def document(fixture_pack: dict[str, Any]) -> bytes:
    return render_html(fixture_pack)


@pytest.fixture(scope="module")
def page(document: bytes) -> Page:
    return parse(document)


def test_html_is_registered() -> None:
    assert "html" in FORMATS
    assert writer_for("html", settings=Settings()) is render_html


def test_the_file_is_self_contained(document: bytes) -> None:
    assert_self_contained(document)


def test_it_declares_utf8_and_forbids_the_network(page: Page) -> None:
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    assert {"charset": "utf-8"} in metas
    policy = next(m["content"] for m in metas if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy


def test_every_chart_is_drawn_by_the_one_inline_plotly(page: Page) -> None:
    drawing = [text for _, text in page.scripts if 'document.getElementById("chart-' in text]
    # portfolio: spend, value delivered, idle spend; per product: monthly plan/actual, and
    # the chain of evidence for the four products that have one (the fifth has all links
    # but no values: its chart still shows the links as "not tracked")
    assert len(drawing) == 3 + 2 * 5
    assert all(PLOTLY_BANNER not in text for text in drawing)


def test_charts_are_queued_then_drawn_by_the_last_script(page: Page) -> None:
    """`exports.chart_drawing`: the hook right after plotly.js, the drawing last of all."""
    texts = [text for _, text in page.scripts]
    library = next(i for i, text in enumerate(texts) if PLOTLY_BANNER in text)
    assert texts[library + 1] == chart_drawing.BEFORE_CHARTS
    assert texts[-1] == chart_drawing.DRAW_NEAR  # the HTML pack: as each nears the window
    assert ("base", {}) in page.tags  # an empty <base>: plotly's lookup stops in the head
    printed = parse(build_document(make_pack(), layout="print"))
    assert [text for _, text in printed.scripts][-1] == chart_drawing.DRAW_ALL  # the PDF: all


def test_every_product_has_its_section_in_pack_order(
    fixture_pack: dict[str, Any], page: Page
) -> None:
    for i, product in enumerate(fixture_pack["products"], 1):
        section = page.sections[f"product-{i}"]
        shown = product["product"] if product["product"] != INJECTION else "'" + INJECTION
        assert shown in section


def test_each_name_is_escaped_in_the_source(fixture_pack: dict[str, Any], document: bytes) -> None:
    source = document.decode("utf-8")
    assert html.escape(TRICKY, quote=True) in source
    assert TRICKY not in source  # the raw "<Co>" never reaches the markup
    for product in fixture_pack["products"]:
        name = product["product"]
        if name == INJECTION:
            name = "'" + name
        assert html.escape(name, quote=True) in source


def test_the_formula_name_exports_as_inert_text(page: Page) -> None:
    links = [attrs.get("href", "") for tag, attrs in page.tags if tag == "a"]
    assert all("http" not in href for href in links)
    assert "'" + INJECTION in page.text
    assert not any(t.strip().startswith(INJECTION) for t in page.texts)


def test_no_text_begins_like_a_formula(page: Page) -> None:
    # owner "-owner", sponsor "+sponsor", vendor "@vendor" and notes "=1+1 ..." in the fixture
    offending = [t for t in page.texts if t.lstrip(" \n").startswith(FORMULA_TRIGGERS)]
    assert offending == []
    for neutralised in ("'-owner", "'+sponsor", "'@vendor", "'=1+1 drop the sunset product"):
        assert neutralised in page.text


def test_names_take_their_direction_from_their_text(page: Page) -> None:
    names = [attrs for tag, attrs in page.tags if "name" in attrs.get("class", "").split()]
    assert names
    assert all(attrs.get("dir") == "auto" for attrs in names)
    assert RTL_ONLY in page.text
    assert any("🚀" in t and "אקדמיה" in t for t in page.texts)


def test_nulls_read_not_tracked_never_zero(page: Page) -> None:
    untracked = page.sections["product-5"]
    assert UNTRACKED in untracked
    # active learners, reach, completions, cost per learner and benefits are all null
    assert untracked.count("not tracked") >= 8
    assert "£0" not in untracked
    products_table = page.sections["products"]
    assert "not tracked" in products_table


def test_headline_figures_and_labels(page: Page) -> None:
    cover = page.sections["portfolio"]
    # plan = 150k + 40k + 60k + 80k + 20k = £350k; ROI label says which cost it is on
    assert "£350k" in cover
    assert "on actual cost" in cover
    assert "Idle spend recoverable" in cover
    for label in ("● Invest", "▲ Fix", "✖ Sunset"):  # badges carry words, not colour only
        assert label in cover


def test_the_scenario_section_only_when_there_is_one() -> None:
    with_scenario = parse(render_html(make_pack(scenario=True)))
    without = parse(render_html(make_pack(scenario=False)))
    assert "scenario" in with_scenario.sections
    assert "Cap at £300k" in with_scenario.sections["scenario"]
    assert "scenario" not in without.sections


def test_the_print_layout_is_the_same_content(fixture_pack: dict[str, Any], page: Page) -> None:
    printed = parse(build_document(fixture_pack, layout="print"))
    assert set(printed.sections) == set(page.sections)
    assert "'" + INJECTION in printed.text


def test_the_cli_writes_the_sample_portfolio(
    shared_url: str, pack: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "pack.html"
    done = run_export(shared_url, "--format", "html", "--out", str(out))
    assert done.returncode == 0, done.stderr
    document = out.read_bytes()
    page = assert_self_contained(document)
    assert len(pack["products"]) == 16  # the sample products, Skills Marketplace included
    for i, product in enumerate(pack["products"], 1):
        assert product["product"] in page.sections[f"product-{i}"]
    assert len(document) < 8_000_000  # plotly.js (about 4.8 MB) once, the charts as data
