"""Freshness beside the usage figures (DESIGN.md, "Freshness"): the overview, the Product page,
the Funding review and the Import page's data-freshness table, on the seeded sample (as of
23 Nov 2026, LP_STALE_AFTER_DAYS 45: only Code of Conduct's annual report, to 3 Apr, is stale)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from pages.safe_text import shown_text

ROOT = Path(__file__).resolve().parents[2]
STALE = "Code of Conduct & Data Protection (to 3 Apr 2026)"


def _page(path: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page(path)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> list[str]:
    return [shown_text(x.value) for x in [*at.warning, *at.caption]]


def test_the_overview_and_the_review_say_how_far_usage_runs(seeded_url: str) -> None:
    for page in ("pages/overview.py", "pages/funding_review.py"):
        at = _page(page)
        stale = [shown_text(w.value) for w in at.warning if "Usage to" in shown_text(w.value)]
        assert len(stale) == 1, page
        assert stale[0].startswith("Usage to 22 Nov 2026 at the latest; 1 product's usage is ")
        assert STALE in stale[0]


def test_a_product_page_names_its_feed_and_import_day(seeded_url: str) -> None:
    at = _page("pages/product.py", product="LinkedIn Learning", year="2026")
    line = next(t for t in _texts(at) if t.startswith("Usage to "))
    assert "(LinkedIn Learning, imported " in line and "days old" not in line
    stale = _page("pages/product.py", product="Code of Conduct & Data Protection", year="2026")
    warning = next(shown_text(w.value) for w in stale.warning if "Usage to" in shown_text(w.value))
    assert warning.startswith("Usage to 3 Apr 2026 (") and "234 days old" in warning


def test_the_import_page_lists_every_feed_stale_first(seeded_url: str) -> None:
    at = _page("pages/import_data.py")
    table = next(d.value for d in at.dataframe if "Usage to" in d.value)
    assert table["Product"].tolist()[0] == "Code of Conduct & Data Protection"
    assert table["Status"].tolist().count("stale") == 1
    assert table["Age (days)"].tolist()[0] == 234  # 3 Apr to 23 Nov 2026
