"""Prioritise in yen and dinars: the cap's input shows and takes the currency's decimals.

The sample portfolio is seeded as a first run would seed it with
`LP_CURRENCY=JPY` or `KWD` (generated in that currency, same figures).
Its 2026 plans are whole pounds in the committed files, so the default cap
(the year's whole plan) is the same figure in yen and dinars.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from models import make_engine
from sample_data import FILES_DIR
from sample_data.seed import seed
from settings import get_settings
from tests.actors import EDITOR

ROOT = Path(__file__).resolve().parents[2]


def _plan_2026() -> float:
    """The 2026 plan, summed by hand from the committed budgets.csv (whole pounds per line)."""
    budgets = pl.read_csv(FILES_DIR / "budgets.csv", infer_schema=False)
    lines = budgets.filter(pl.col("month").str.starts_with("2026"))["plan"]
    return float(sum((Decimal(v) for v in lines), Decimal(0)))


@pytest.fixture(params=["JPY", "KWD"])
def currency(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'sample.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LP_CURRENCY", request.param)
    monkeypatch.setenv("LP_AS_OF", "2026-11-23")
    get_settings.cache_clear()
    engine = make_engine(url)
    assert {r.status for r in seed(engine=engine, actor=EDITOR)} == {"imported"}
    engine.dispose()
    yield request.param
    get_settings.cache_clear()


def _best_set() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/prioritise.py").run()
    at.segmented_control(key="prio.view").set_value("Best set under a cap").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_cap_takes_fils_in_kwd_and_whole_yen_in_jpy(currency: str) -> None:
    at = _best_set()
    cap = at.number_input(key="prio.cap")
    assert cap.label == f"Budget cap ({currency})"
    # ISO 4217: the yen has no minor unit, the dinar 1,000 fils.
    assert cap.proto.format == {"JPY": "%.0f", "KWD": "%.3f"}[currency]
    assert cap.value == pytest.approx(_plan_2026())
    cap.set_value(250_000.456).run()
    assert not at.exception, [e.value for e in at.exception]
    # Typed 250,000.456: KWD keeps the fils; JPY rounds to ¥250,000 (what its input shows).
    kept = {"JPY": 250_000.0, "KWD": 250_000.456}[currency]
    assert at.number_input(key="prio.cap").value == kept
    sign = {"JPY": "¥", "KWD": "KWD "}[currency]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Best set costs"].startswith(sign)
    assert "£" not in " ".join(m.value for m in at.metric)


def test_a_cap_with_finer_digits_than_the_currency_is_rounded_when_shown(currency: str) -> None:
    at = _best_set()
    # A cap set from a link or a saved scenario, with more decimals than the currency has.
    at.session_state["prio.cap"] = 123_456.7891
    at.segmented_control(key="prio.view").set_value("Budget what-if").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {"JPY": 123_457.0, "KWD": 123_456.789}[currency]
    assert at.number_input(key="prio.cap").value == shown
    left = next(m for m in at.metric if m.label in ("Left under the cap", "Over the cap"))
    assert left.value.startswith({"JPY": "¥", "KWD": "KWD "}[currency])
