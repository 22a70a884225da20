"""Every page with hostile user text (`tests.hostile`): shown as text, never as markup.

For each page, every string Streamlit reads as Markdown (bodies of markdown,
captions, titles, alerts; metric labels, values, deltas and tooltips; widget
labels and tooltips; progress text) is collected from the page's element
tree, and:

* no hostile fragment appears in it unescaped (each fragment holds a
  punctuation mark, which `literal` always escapes);
* the page does show the hostile texts it should, escaped by `literal`
  (so a check that finds nothing cannot pass by accident);
* every string that went into a plotly chart's categories, labels and hover
  data carries no tag (``<`` is escaped), and the hostile names are there,
  escaped by `plot_text`.

The browser test (tests/browser/test_hostile_browser.py) renders the same
pages in Chromium.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from exports.safety import FORMULA_TRIGGERS
from pages.safe_text import literal, plot_text, shown_text
from settings import get_settings
from tests.hostile import (
    CONTENT_TITLE,
    FORMULA,
    HOSTILE,
    LICENSED,
    NOTE,
    PRODUCTS,
    SCENARIO,
    TAG,
    add_hostile_portfolio,
)
from tests.pages import open_page
from tests.seeded import AS_OF, copy_of

# Proto fields Streamlit renders as Markdown (selectbox options, text inputs, code and
# tables are plain text; plotly specs are checked on their own).
MARKDOWN_FIELDS = frozenset({"body", "label", "help", "delta", "text", "title"})
# Plotly trace fields holding data shown as text (hover templates are our own).
PLOT_FIELDS = ("x", "y", "text", "customdata", "labels")
# Tags our own chart code writes around a name (a line break, the ROI in italics).
OUR_TAGS = re.compile(r"</?(?:br|i|b)>")


@pytest.fixture
def hostile_url(
    seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh copy of the sample portfolio plus the hostile one, selected for the app."""
    url = copy_of(seeded_template, tmp_path / "hostile.sqlite")
    add_hostile_portfolio(url, tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LP_AS_OF", AS_OF)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def _strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def _protos(at: AppTest) -> Iterator[dict[str, Any]]:
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            yield MessageToDict(proto)


def markdown_sources(at: AppTest) -> list[str]:
    """Every string on the page that Streamlit renders as Markdown."""
    return [
        text
        for proto in _protos(at)
        if "plotlyChart" not in proto and "arrowDataFrame" not in proto
        for key, text in _strings(proto)
        if key in MARKDOWN_FIELDS
    ]


def plot_strings(at: AppTest) -> list[str]:
    """Every text a plotly chart on the page shows from its data (categories, labels, hover)."""
    out: list[str] = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or type(proto).__name__ != "PlotlyChart":
            continue
        for trace in json.loads(proto.spec).get("data", []):
            for field in PLOT_FIELDS:
                out.extend(text for _, text in _strings(trace.get(field)))
    return out


def assert_shown_as_text(at: AppTest, *, expected: list[str], plotted: list[str] = ()) -> None:
    """No hostile fragment as Markdown or a plotly tag; each expected text shown escaped."""
    assert not at.exception, [e.value for e in at.exception]
    sources = markdown_sources(at)
    for source in sources:
        for fragment in HOSTILE:
            assert fragment not in source, (fragment, source)
    everything = "\n".join(sources)
    for text in expected:
        assert literal(text) in everything, (text, sources)
        assert text in shown_text(everything)
    shown = plot_strings(at)
    for text in shown:
        assert "<" not in OUR_TAGS.sub("", text), text
    for text in plotted:
        assert any(plot_text(text) in s for s in shown), (text, shown)
    assert_tables_inert(at)


def assert_tables_inert(at: AppTest) -> None:
    """No table cell a "Download as CSV" would hand a spreadsheet as a formula."""
    for table in at.dataframe:
        for column in table.value.columns:
            for cell in table.value[column]:
                if isinstance(cell, str):
                    assert not cell.startswith(FORMULA_TRIGGERS), (column, cell)


def test_overview(hostile_url: str) -> None:
    at = open_page("pages/overview.py")
    # The overview's Markdown holds no user text; its charts name every product.
    assert_shown_as_text(at, expected=[], plotted=list(PRODUCTS))


def test_product_page_for_every_hostile_product(hostile_url: str) -> None:
    at = open_page("pages/product.py")
    for name, texts in PRODUCTS.items():
        at.sidebar.selectbox(key="product.name").set_value(name).run()
        assert at.title[0].value == literal(name)
        profile = [texts[k] for k in ("owner", "sponsor", "business_goal", "business_problem")]
        vendor = [texts["vendor"]] if texts["vendor"] else []
        assert_shown_as_text(at, expected=[name, texts["target_audience"], *profile, *vendor])


def test_plan_vs_actual_for_a_hostile_product(hostile_url: str) -> None:
    at = open_page("pages/plan_actual.py")
    at.sidebar.selectbox(key="tdrp.scope").set_value(TAG + " Lab").run()
    assert_shown_as_text(at, expected=[TAG + " Lab"])


def test_prioritise_views_and_the_hostile_scenario(hostile_url: str) -> None:
    at = open_page("pages/prioritise.py")
    assert_shown_as_text(at, expected=[], plotted=list(PRODUCTS))  # ranking chart
    at.segmented_control(key="prio.view").set_value("Budget what-if").run()
    assert_shown_as_text(at, expected=list(PRODUCTS), plotted=list(PRODUCTS))  # slider labels
    at.segmented_control(key="prio.view").set_value("Best set under a cap").run()
    assert_shown_as_text(at, expected=[])
    at.segmented_control(key="prio.view").set_value("Sensitivity").run()
    assert_shown_as_text(at, expected=[])
    at.segmented_control(key="prio.view").set_value("Compare scenarios").run()
    assert_shown_as_text(at, expected=[SCENARIO])  # "**<scenario>** vs **(this page…)**"
    at.sidebar.text_input(key="prio.scenario_name").set_value(SCENARIO)
    at.sidebar.checkbox(key="prio.replace").check()
    at.sidebar.button(key="prio.save").click().run()
    assert_shown_as_text(at, expected=[SCENARIO])  # "Saved “<scenario>”."
    assert at.sidebar.success[0].value == f"Saved “{literal(SCENARIO)}”."


def test_funding_review_with_the_hostile_scenario_and_one_pager(hostile_url: str) -> None:
    at = open_page("pages/funding_review.py")
    at.sidebar.selectbox(key="review.scenario").set_value(SCENARIO).run()
    at.selectbox(key="review.product").set_value(LICENSED).run()
    texts = PRODUCTS[LICENSED]
    assert_shown_as_text(
        at,
        expected=[SCENARIO, NOTE, FORMULA, LICENSED, texts["sponsor"], texts["business_problem"]],
        plotted=[f"{TAG} Lab"],  # the pack's charts cut a name at 34 characters
    )


def test_import_page_previews_history_and_undo(hostile_url: str) -> None:
    at = open_page("pages/import_data.py")
    good = f"{TAG} {CONTENT_TITLE}.csv"
    bad = f"{FORMULA} budgets.csv"
    unknown = f"{SCENARIO} lms.csv"
    at.file_uploader(key="import.files").set_value(
        [
            (good, f"product,category\n{TAG} Two,academy\n".encode(), "text/csv"),
            (bad, f"product,month,cost_category,plan,actual\n{TAG} Lab,{FORMULA},x,1,\n".encode(),
             "text/csv"),
            (unknown, b"Who;What\na@b.example;x\n", "text/csv"),
        ]
    ).run()  # fmt: skip
    assert_shown_as_text(at, expected=[good, bad, unknown])
    at.button(key="import.run").click().run()
    assert_shown_as_text(at, expected=[good])
    choice = next(o for o in at.selectbox(key="import.undo").options if good in o)
    at.selectbox(key="import.undo").set_value(choice).run()
    assert_shown_as_text(at, expected=[choice])  # "Undoing #n · <file> removes: …"
    at.button(key="import.undo.ask").click().run()
    assert_shown_as_text(at, expected=[choice])  # "Undo #n · <file>? This removes …"
    at.button(key="import.undo.confirm").click().run()
    assert_shown_as_text(at, expected=[good])  # "Import #n (<file>) undone: …"
