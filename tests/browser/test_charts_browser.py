"""Charts at laptop sizes in Chromium: no two labels collide and no axis title is cut.

Issue 15: bubble names piled on each other, tick labels turned 45° and cut,
half the chain-of-evidence labels missing, an axis title running off its chart.
Boxes are the browser's own (getBoundingClientRect), so this checks what a
sponsor sees, not the layout's estimate.
"""

from __future__ import annotations

import pytest

from tests.browser.server import streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

# Per chart: its labels' boxes (point labels, bar texts, ticks) and its axis titles' boxes,
# with the chart's own box.
_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(p => {
  const box = e => { const r = e.getBoundingClientRect();
                     return [e.textContent, r.left, r.top, r.right, r.bottom]; };
  const labels = [...p.querySelectorAll('.textpoint text, .bartext, .ytick text, .xtick text')]
      .filter(t => t.textContent.trim()).map(box);
  const titles = [...p.querySelectorAll('.g-xtitle text, .g-ytitle text')].map(box);
  return {chart: box(p), labels, titles}; })"""


def _collisions(labels: list[list]) -> list[tuple[str, str]]:
    hits = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                hits.append((a[0], b[0]))
    return hits


@pytest.mark.parametrize("width, height", [(1280, 720), (1440, 900)])
def test_no_label_collides_and_no_axis_title_is_cut(
    browser: object, seeded_url: str, width: int, height: int
) -> None:
    with streamlit_server({"DATABASE_URL": seeded_url, "LP_AS_OF": "2026-11-23"}) as url:
        page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        problems: list[object] = []
        for path in ("", "funding_review", "product"):
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            page.wait_for_selector(".js-plotly-plot text", timeout=60_000)
            wait_for_app(page)
            charts = page.evaluate(_BOXES)
            assert charts, path
            for chart in charts:
                problems += [(path, hit) for hit in _collisions(chart["labels"])]
                left, top, right, bottom = chart["chart"][1:]
                for title in chart["titles"]:
                    inside = (
                        title[1] >= left - 1
                        and title[3] <= right + 1
                        and title[2] >= top - 1
                        and title[4] <= bottom + 1
                    )
                    if not inside:
                        problems.append((path, "cut", title[0]))
        assert problems == []
        page.close()
