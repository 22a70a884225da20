"""The Suppliers page on the seeded sample portfolio: vendors, contracts, renewals, history."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import polars as pl
from streamlit.testing.v1 import AppTest

from metrics.scorecard import year_scorecard
from metrics.suppliers import contract_positions, renewals_to_decide
from models import make_engine
from models.frames import year_frames
from pages.views.supplier_tables import renewals_csv
from sample_data import FILES_DIR
from settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)  # tests.seeded.AS_OF


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/suppliers.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _contract(product: str, start: str) -> dict[str, object]:
    contracts = pl.read_csv(FILES_DIR / "contracts.csv", infer_schema=False)
    return contracts.filter(pl.col("product") == product, pl.col("start") == start).row(
        0, named=True
    )


def _card(url: str, product: str) -> dict[str, object]:
    """The product's scorecard row: the numbers of its Product page and the JSON pack."""
    engine = make_engine(url)
    with engine.connect() as conn:
        frames = year_frames(conn, year=2026, currency="GBP")
    engine.dispose()
    card = year_scorecard(frames, year=2026, thresholds=get_settings().health)
    return card.filter(pl.col("product") == product).row(0, named=True)


def test_vendors_and_contracts_show_the_products_figures(seeded_url: str) -> None:
    at = _page()
    assert at.title[0].value == "Suppliers"
    assert [t.label for t in at.tabs] == [
        "Contracts by vendor", "Renewals", "Contract history", "Seats to reclaim",
    ]  # fmt: skip
    vendors = at.dataframe[0].value.set_index("Vendor")
    linkedin = vendors.loc["LinkedIn Learning"]
    card = _card(seeded_url, "LinkedIn Learning")
    # contracts.csv: 1,500 seats at £115.00 for 2026 -> value £172,500.
    row = _contract("LinkedIn Learning", "2026-01-01")
    assert (int(row["seats"]), float(row["price_per_seat"])) == (1500, 115.0)
    assert linkedin["Contract value"] == 1500 * 115.0 == 172_500
    # The same numbers as the Product page: utilisation 399 / 1,500 = 26.6 %, idle
    # (1,500 - 399) x 115 = £126,615, cost per active learner = actual ÷ 399.
    assert card["active_learners"] == 399
    assert linkedin["Utilisation"] == 26.6
    assert linkedin["Idle spend"] == card["idle_spend"] == 1101 * 115.0
    assert linkedin["Cost / learner"] == card["cost_per_active_learner"]
    assert linkedin["Cost / completion"] == card["cost_per_completion"]
    # Babbel: 150 seats paid for, usage never sent: not tracked, never 0.
    babbel = vendors.loc["Babbel for Business"]
    assert babbel["Seats"] == 150 and pd.isna(babbel["Idle spend"])
    # Suppliers without a licence contract are compared too (the Excel classroom).
    acumen = vendors.loc["Acumen Training Ltd"]
    assert pd.isna(acumen["Contracts"]) and acumen["Active learners"] > 0
    contracts = at.dataframe[1].value
    assert contracts["Utilisation"].dtype.kind == "f"  # numbers, not text
    assert sorted(contracts["Product"]) == [
        "Code of Conduct & Data Protection",
        "Language Learning App",
        "LinkedIn Learning",
        "Pocketwise Coaching App",
        "Udemy Tech Skills",
    ]
    # 23 Nov 2026 -> 31 Dec 2026: 38 days for every sample contract.
    assert set(contracts["Days left"]) == {38}


def test_renewals_to_decide_with_the_rule_and_the_stake(seeded_url: str) -> None:
    at = _page()
    rule = next(c.value for c in at.caption if c.value.startswith("Flagged:"))
    # The health rule's threshold (LP_HEALTH_UTILISATION_FIX_BELOW, 0.5), not a second one.
    assert "renewing within 90 days and under 50% of seats in use" in rule
    # LinkedIn at 26.6 % (idle (1,500 - 399) x 115 = £126,615) and Babbel, not tracked;
    # Udemy (84 %), Pocketwise (88 %) and Cornerstone (93 %) are not flagged.
    assert [w.value for w in at.warning if "to decide" in w.value] == [
        "2 contracts to decide: £126,615 of idle spend at stake (1 with usage not tracked)."
    ]
    renewals = at.dataframe[2].value
    assert list(renewals["Product"]) == ["LinkedIn Learning", "Language Learning App"]
    assert list(renewals["Why"]) == ["low utilisation", "usage not tracked"]
    assert renewals["Idle spend"].iloc[0] == 126_615
    # The renewals' download, then the seats to reclaim's (the tabs are all drawn).
    assert next(b.proto.label for b in at.get("download_button")) == "Download the list (CSV)"


def test_the_renewals_csv_keeps_numbers_numeric(seeded_url: str) -> None:
    engine = make_engine(seeded_url)
    with engine.connect() as conn:
        frames = year_frames(conn, year=2026, currency="GBP")
    engine.dispose()
    card = year_scorecard(frames, year=2026, thresholds=get_settings().health)
    positions = contract_positions(
        frames.contracts, card, frames.budgets, year=2026, as_of=AS_OF, currency="GBP"
    )
    data = renewals_csv(renewals_to_decide(positions, below=0.5), currency="GBP")
    table = pl.read_csv(io.BytesIO(data))
    assert table.columns == [
        "Vendor", "Product", "Renewal date", "Days to renewal", "Seats", "Price per seat (GBP)",
        "Contract value (GBP)", "Seat utilisation (%)", "Idle seats", "Idle spend (GBP)", "Why",
    ]  # fmt: skip
    first = table.row(0, named=True)
    assert first["Idle spend (GBP)"] == 126_615.0 and first["Seat utilisation (%)"] == 26.6
    assert table["Renewal date"].to_list() == ["2026-12-31", "2026-12-31"]
    assert table.row(1, named=True)["Idle spend (GBP)"] is None  # not tracked: an empty cell


def test_contract_history_of_a_product(seeded_url: str) -> None:
    at = _page()
    at.selectbox(key="suppliers.history.product").set_value("Udemy Tech Skills").run()
    assert not at.exception, [e.value for e in at.exception]
    history = next(d.value for d in at.dataframe if "What changed" in d.value)
    # contracts.csv: 300 seats at £300.00 in 2025, renewed at 360 seats at £290.00 in 2026.
    assert list(history["What changed"]) == [
        "First term: 300 seats at £300.00 a seat",
        "300 → 360 seats, price £300.00 → £290.00",
    ]
    assert list(history["Contract value"]) == [90_000, 104_400]


def test_a_past_year_lists_its_contracts_and_keeps_todays_renewals(seeded_url: str) -> None:
    at = _page()
    at.sidebar.selectbox(key="suppliers.year").set_value(2025).run()
    assert not at.exception, [e.value for e in at.exception]
    contracts = at.dataframe[1].value
    # 2025 terms ended on 31 Dec 2025: 327 days before 23 Nov 2026.
    assert set(contracts["Days left"]) == {-327}
    linkedin = contracts[contracts["Product"] == "LinkedIn Learning"].iloc[0]
    price = float(_contract("LinkedIn Learning", "2025-01-01")["price_per_seat"])
    assert linkedin["Price / seat"] == price == 110.0
    # Renewals are decided today: still 2026's contracts.
    assert list(at.dataframe[2].value["Product"]) == ["LinkedIn Learning", "Language Learning App"]
