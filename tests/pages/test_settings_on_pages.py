"""The pages honour the RAG and evidence settings exactly as the funding pack does.

With non-default settings (amber beyond 1 %, red beyond 4 %, 5 answers
enough, evidence stale after 400 days), the TDRp status of every row of Plan
vs actual and the evidence strength of every link on the Product page equal
the pack's, built by `python -m exports` with the same settings; and the
settings do change some of them, else the test would prove nothing. (The
sample's portfolio forecast is 1.2 % over plan and its products' between
−2.8 % and +30.6 %, so tolerances of 20 % and 30 % would change no status.)
"""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from metrics.rag import STATUS_LABELS
from settings import get_settings
from tests.exports.conftest import export_json
from tests.pages import open_page

CUSTOM = {
    "LP_RAG_AMBER": "0.01",
    "LP_RAG_RED": "0.04",
    "LP_EVIDENCE_MIN_N": "5",
    "LP_EVIDENCE_STALE_AFTER_DAYS": "400",
}


@pytest.fixture
def packs(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict]:
    """The pack with the default settings, then with CUSTOM (left set for the pages)."""
    default = export_json(seeded_url)
    for name, value in CUSTOM.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    assert get_settings().rag_amber == 0.01 and get_settings().evidence_min_n == 5
    return default, export_json(seeded_url)


def _statuses(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {r["measure"]: STATUS_LABELS.get(r["status"] or "", "—") for r in rows}


def _page_statuses(at: AppTest) -> dict[str, str]:
    shown: dict[str, str] = {}
    for table in at.dataframe:
        frame = table.value
        shown.update(zip(frame["Measure"], frame["Status"], strict=True))
    return shown


def test_tdrp_status_on_the_page_equals_the_packs(packs: tuple[dict, dict]) -> None:
    default, custom = packs
    assert _statuses(custom["portfolio"]["tdrp"]) != _statuses(default["portfolio"]["tdrp"])
    at = open_page("pages/plan_actual.py")
    assert _page_statuses(at) == _statuses(custom["portfolio"]["tdrp"])
    assert "amber beyond 1.0%, red beyond 4.0%" in at.caption[0].value
    # One product whose statuses the settings change: the same on its own report.
    product = next(
        p
        for p, q in zip(custom["products"], default["products"], strict=True)
        if _statuses(p["tdrp"]) != _statuses(q["tdrp"])
    )
    at.sidebar.selectbox(key="tdrp.scope").set_value(product["product"]).run()
    assert not at.exception
    assert _page_statuses(at) == _statuses(product["tdrp"])


def test_evidence_strength_on_the_page_equals_the_packs(packs: tuple[dict, dict]) -> None:
    default, custom = packs
    product = next(
        p
        for p, q in zip(custom["products"], default["products"], strict=True)
        if [e["strength"] for e in p["evidence"]] != [e["strength"] for e in q["evidence"]]
    )
    at = open_page("pages/product.py")
    at.sidebar.selectbox(key="product.name").set_value(product["product"]).run()
    assert not at.exception, [e.value for e in at.exception]
    evidence = next(d.value for d in at.dataframe if "Evidence" in d.value)  # not org units'
    assert list(evidence["Evidence"]) == [e["strength"] for e in product["evidence"]]
