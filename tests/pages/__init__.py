"""Page tests through app.py (AppTest), with one helper to open a page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def open_page(path: str, *, timeout: float = 180) -> AppTest:
    """Run app.py, switch to `path` (e.g. "pages/overview.py") and check it raised nothing."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
