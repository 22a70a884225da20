"""The Product page: summary line, figures, licence panel, chain of evidence."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from pages import display
from pages.safe_text import literal
from sample_data import FILES_DIR

ROOT = Path(__file__).resolve().parents[2]


def _page(product: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/product.py").run()
    at.sidebar.selectbox(key="product.name").set_value(product).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _actual(product: str, year: str = "2026") -> float:
    budgets = pl.read_csv(FILES_DIR / "budgets.csv", infer_schema=False)
    rows = budgets.filter(pl.col("month").str.starts_with(year), pl.col("product") == product)
    return float(rows.select(pl.col("actual").cast(pl.Decimal(18, 2)).sum()).item())


def test_licence_product_shows_idle_seats_and_renewal(seeded_url: str) -> None:
    at = _page("LinkedIn Learning")
    assert at.title[0].value == "LinkedIn Learning"
    summary = next(m.value for m in at.markdown if m.value.startswith("#### "))
    # Computed from budgets.csv: the sum of LinkedIn Learning's 2026 actuals.
    assert display.money_short(_actual("LinkedIn Learning"), currency="GBP") in summary
    assert "of seats idle" in summary and "no level-3 evidence yet" in summary
    labels = {m.label: m.value for m in at.metric}
    assert labels["Seats"] == "1,500"
    # 23 Nov 2026 -> contract end 31 Dec 2026: 38 days, within the 90-day warning.
    assert [w.value for w in at.warning] == [
        "Renews on 31 Dec 2026, in 38 days. Decide on the seats before then."
    ]
    # (found by its columns: the sample's roster puts reach by org unit above it, under Use)
    evidence = next(d.value for d in at.dataframe if "Link" in d.value)
    assert list(evidence["Link"]) == [
        "Reach",
        "Reaction (L1)",
        "Learning (L2)",
        "Behaviour (L3)",
        "Results (L4)",
        "ROI (L5)",
    ]


def test_a_past_year_says_the_term_was_renewed_not_negative_days(seeded_url: str) -> None:
    at = _page("LinkedIn Learning")
    at.sidebar.selectbox(key="product.year").set_value(2025).run()
    assert not at.exception, [e.value for e in at.exception]
    # contracts.csv: the 2025 term ended 31 Dec 2025 and a 2026 term follows it.
    assert "This term was renewed on 31 Dec 2025." in [c.value for c in at.caption]
    assert not at.warning
    assert all(not m.label.startswith("Days to") for m in at.metric)


def test_flagship_shows_its_roi_and_assumptions(seeded_url: str) -> None:
    at = _page("Leading at Northwind")
    summary = next(m.value for m in at.markdown if m.value.startswith("#### "))
    assert "ROI" in summary and "level-4" in summary
    assumptions = next(d.value for d in at.dataframe if "Better when" in d.value)
    assert (assumptions["Better when"] == "lower").all()
    assert set(assumptions["Attribution"]) == {55.0}  # a number; column_config writes "55%"


def test_untracked_licence_says_so(seeded_url: str) -> None:
    at = _page("Language Learning App")
    assert any("Usage not tracked" in w.value for w in at.warning)


def test_the_product_page_and_the_pack_show_the_same_one_pager(seeded_url: str) -> None:
    # One assembler (metrics.one_pagers) feeds both: summary, profile, ask and the four risks.
    from metrics.risks import risk_cards
    from metrics.text import pct, signed
    from tests.exports.conftest import export_json

    pack = export_json(seeded_url)
    for name in ("LinkedIn Learning", "Leading at Northwind"):
        product = next(p for p in pack["products"] if p["product"] == name)
        at = _page(name)
        assert not any("**Value** " in m.value for m in at.markdown)  # risks wait to be opened
        at.session_state["product.risks"] = True  # open "Risks: …" (read on demand)
        at.run()
        text = " ".join(m.value for m in at.markdown)
        assert f"#### {product['summary']}" in text
        # Profile texts are user text: escaped by `literal` (pages.safe_text).
        sponsor, audience = (literal(product["profile"][k]) for k in ("sponsor", "target_audience"))
        assert f"**Customer (sponsor, who funds it):** {sponsor}" in text
        users = display.count(product["target_audience_size"], "people")
        assert f"{audience} — {users}" in text
        ask = product["ask"]
        if ask["plan"] is None:
            assert f"**Ask for {ask['year']}:** not set" in text
        else:
            assert f"**Ask for {ask['year']}:** {display.money(ask['plan'], 'GBP')}" in text
            assert f"({signed(ask['change'], pct)} vs 2026's plan)" in text
        for card in risk_cards(product["risks"]):
            assert f"**{card.title}** " in text and f"-badge[{card.level_text}]" in text
            assert any(w.value == card.reason for w in at.markdown), card
