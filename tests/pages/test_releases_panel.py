"""The Product page's releases: a release recorded in the form is an undoable import, said in
words with its reception; a viewer gets no form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from pages.safe_text import shown_text

ROOT = Path(__file__).resolve().parents[2]


def _product_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["product"] = "LinkedIn Learning"
    at.run()
    at.switch_page("pages/product.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_editor_records_a_release_and_reads_its_reception(seeded_url: str) -> None:
    at = _product_page()
    next(d for d in at.date_input if d.label == "Date").set_value(date(2026, 9, 1))
    next(t for t in at.text_input if t.label == "Title").input("AI skills collection")
    next(s for s in at.selectbox if s.label == "Kind").set_value("content")
    next(b for b in at.button if b.label == "Record").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    lines = [shown_text(m.value) for m in at.markdown]
    sentence = next(line for line in lines if "AI skills collection (content)" in line)
    assert sentence.startswith("- 1 Sep 2026 · AI skills collection (content): ")
    assert "active learners in the 28 days from it, against" in sentence
    eng = create_engine(seeded_url)
    with eng.connect() as conn:
        made = conn.execute(
            text("SELECT file_name, created_by, kind FROM data_import ORDER BY id DESC LIMIT 1")
        ).one()
    eng.dispose()
    assert tuple(made) == ("releases.csv (added in the app)", "local user", "releases")


def test_a_viewer_reads_releases_without_the_form(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from settings import get_settings

    monkeypatch.setenv("LP_READ_ONLY", "1")
    get_settings.cache_clear()
    at = _product_page()
    assert not [b for b in at.button if b.label == "Record"]
    assert any("Releases in 2026" in m.value for m in at.markdown)
