"""One portfolio in GBP, USD, JPY and KWD: the same money figures in the JSON pack.

The portfolio goes in through the real import (the products, budgets,
contracts, outcomes and usage templates) with the reporting currency set by
`LP_CURRENCY`, and comes out through `python -m exports --format json` (in
process). Its amounts are whole numbers, valid in every currency whatever
its minor unit (ISO 4217: pence for GBP, cents for USD, none for JPY, fils
×1000 for KWD), so every currency must report the very same figures: a JPY
budget of 15,000 reading back as 150, or a KWD one as 150,000, is the bug
these tests keep out.

Hand-computed figures (year 2026, as of 2026-12-31):

Library (LinkedIn, contract 100 seats at 120 = 12,000):
  plan 12,000 + 3,000 + 1,000 = 16,000; actual 12,000 + 2,500 = 14,500
  (December has no actual yet); forecast 12,000 + 2,500 + 1,000 (December's
  plan) = 15,500; 50 active learners, 25 completions; seat utilisation
  50 / 100 = 0.5, idle seats 50, idle spend 50 × 120 = 6,000; cost per
  active learner 14,500 / 50 = 290, per completion 14,500 / 25 = 580;
  benefits (110 − 100) × 250 × 50 % × 50 % = 625; payback 14,500 ÷
  (625 ÷ 12) = 278.4 months.
Academy (no contract):
  plan 20,000 + 5,000 = 25,000; actual 18,000 + 6,000 = 24,000 = forecast;
  40 active learners, 20 completions: 600 and 1,200 per head; benefits
  (30 − 10) × 100 × 50 % × 50 % = 500; payback 24,000 ÷ (500 ÷ 12) = 576.
Portfolio: plan 41,000, actual 38,500, forecast 39,500, 90 distinct active
  learners, 100 seats, utilisation 0.5, 50 idle seats, idle spend 6,000,
  benefits 1,125, BCR 1,125 / 38,500, ROI (1,125 − 38,500) / 38,500.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from exports.cli import main
from loaders import import_file
from metrics.text import money
from models import make_engine
from models.frames import budgets_frame, contracts_frame
from settings import get_settings
from tests.actors import EDITOR
from tests.loaders.conftest import counts

CURRENCIES = ("GBP", "USD", "JPY", "KWD")

PRODUCTS = (
    "product,category,vendor,owner,lifecycle_stage,strategic_fit,target_audience_size\n"
    "Library,content_library,LinkedIn,Ana,mature,4,200\n"
    "Academy,academy,,Ben,pilot,3,80\n"
)
BUDGETS = (
    "product,month,cost_category,plan,actual\n"
    "Library,2026-01,licence,12000,12000\n"
    "Library,2026-06,delivery,3000,2500\n"
    "Library,2026-12,overhead,1000,\n"
    "Academy,2026-03,design_development,20000,18000\n"
    "Academy,2026-09,delivery,5000,6000\n"
)
OUTCOMES = (
    "product,period,level,measure,value,n,baseline,unit_value,attribution_pct,confidence_pct\n"
    "Library,2026-06,4,Sales per rep,110,40,100,250,50,50\n"
    "Academy,2026-09,4,Tickets closed,30,35,10,100,50,50\n"
)


def contracts(currency: str) -> str:
    return (
        "product,vendor,start,end,seats,price_per_seat,currency\n"
        f"Library,LinkedIn,2026-01-01,2026-12-31,100,120,{currency}\n"
    )


def usage() -> str:
    """50 active Library learners (25 complete), 40 Academy ones (20 complete)."""
    rows = ["product,learner,content_id,content_title,date,minutes,completed,completed_date"]
    for product, learners, done in (("Library", 50, 25), ("Academy", 40, 20)):
        for i in range(learners):
            finished = i < done
            rows.append(
                f"{product},{product.lower()}{i}@example.com,{product}-1,Course,2026-03-10,30,"
                f"{'yes' if finished else 'no'},{'2026-03-10' if finished else ''}"
            )
    return "\n".join(rows) + "\n"


@pytest.fixture
def in_currency(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """A function setting the reporting currency and returning a fresh database's engine."""
    engines: list[Engine] = []

    def open_in(currency: str) -> Engine:
        url = f"sqlite:///{tmp_path / f'{currency}.sqlite'}"
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("LP_CURRENCY", currency)
        monkeypatch.setenv("LP_AS_OF", "2026-12-31")
        get_settings.cache_clear()
        engines.append(make_engine(url))
        return engines[-1]

    yield open_in
    for engine in engines:
        engine.dispose()
    get_settings.cache_clear()


def load(engine: Engine, files: dict[str, str]) -> None:
    for name, body in files.items():
        result = import_file(body.encode(), file_name=name, engine=engine, actor=EDITOR)
        assert result.status == "imported", (name, result.errors)


def json_pack(tmp_path: Path, currency: str) -> dict[str, Any]:
    out = tmp_path / f"pack_{currency}.json"
    assert main(["--format", "json", "--year", "2026", "--out", str(out)]) == 0
    return json.loads(out.read_text())


MONEY_AND_PAYBACK = (
    "budget_plan",
    "actual_cost",
    "forecast_cost",
    "idle_spend",
    "cost_per_active_learner",
    "cost_per_completion",
    "benefits",
    "payback_months",
)
EXPECTED_PRODUCTS = {
    "Library": {
        "budget_plan": 16_000.0,
        "actual_cost": 14_500.0,
        "forecast_cost": 15_500.0,
        "idle_spend": 6_000.0,
        "cost_per_active_learner": 290.0,
        "cost_per_completion": 580.0,
        "benefits": 625.0,
        "payback_months": pytest.approx(278.4, rel=1e-12),
    },
    "Academy": {
        "budget_plan": 25_000.0,
        "actual_cost": 24_000.0,
        "forecast_cost": 24_000.0,
        "idle_spend": None,
        "cost_per_active_learner": 600.0,
        "cost_per_completion": 1_200.0,
        "benefits": 500.0,
        "payback_months": pytest.approx(576.0, rel=1e-12),
    },
}
EXPECTED_PORTFOLIO = {
    "budget_plan": 41_000.0,
    "actual_cost": 38_500.0,
    "forecast_cost": 39_500.0,
    "active_learners": 90,
    "seats": 100,
    "seat_utilisation": 0.5,
    "idle_seats": 50,
    "idle_spend": 6_000.0,
    "benefits": 1_125.0,
    "bcr": pytest.approx(1_125 / 38_500, rel=1e-12),
    "roi": pytest.approx((1_125 - 38_500) / 38_500, rel=1e-12),
    "products": 2,
}


@pytest.mark.parametrize("currency", CURRENCIES)
def test_the_same_portfolio_gives_the_same_money_in_every_currency(
    in_currency: Any, tmp_path: Path, currency: str
) -> None:
    engine = in_currency(currency)
    load(
        engine,
        {
            "products.csv": PRODUCTS,
            "budgets.csv": BUDGETS,
            "contracts.csv": contracts(currency),
            "outcomes.csv": OUTCOMES,
            "usage.csv": usage(),
        },
    )
    pack = json_pack(tmp_path, currency)
    assert pack["currency"] == currency
    products = {p["product"]: p for p in pack["products"]}
    for name, expected in EXPECTED_PRODUCTS.items():
        got = {key: products[name][key] for key in MONEY_AND_PAYBACK}
        assert got == expected, (currency, name)
    portfolio = {key: pack["portfolio"][key] for key in EXPECTED_PORTFOLIO}
    assert portfolio == EXPECTED_PORTFOLIO, currency
    # the contract and the unit value read back as whole units of the currency:
    # 120 a seat is 12,000 pence, 12,000 cents, 120 yen, 120,000 fils
    minor = {"GBP": 100, "USD": 100, "JPY": 1, "KWD": 1_000}[currency]
    with engine.connect() as conn:
        assert contracts_frame(conn)["price_per_seat_minor"].to_list() == [120 * minor]
        assert budgets_frame(conn)["plan_minor"].sum() == 41_000 * minor
    # the TDRp money rows and the one-pager's money are labelled with the currency
    spend = next(r for r in pack["portfolio"]["tdrp"] if r["key"] == "spend")
    assert (spend["unit"], spend["plan"], spend["ytd"]) == (currency, 41_000.0, 38_500.0)
    library = products["Library"]
    assert [c["plan"] for c in library["cost_by_category"]] == [12_000.0, 3_000.0, 1_000.0]
    assert library["assumptions"][0]["unit_value"] == 250.0


def test_the_portfolios_agree_across_currencies(in_currency: Any, tmp_path: Path) -> None:
    """Every money figure of the JSON pack, product by product, is the same in all four."""
    figures = {}
    for currency in CURRENCIES:
        engine = in_currency(currency)
        load(
            engine,
            {
                "products.csv": PRODUCTS,
                "budgets.csv": BUDGETS,
                "contracts.csv": contracts(currency),
                "outcomes.csv": OUTCOMES,
                "usage.csv": usage(),
            },
        )
        pack = json_pack(tmp_path, currency)
        figures[currency] = (
            [{key: p[key] for key in MONEY_AND_PAYBACK} for p in pack["products"]],
            {key: pack["portfolio"][key] for key in EXPECTED_PORTFOLIO},
            [(m["plan"], m["actual"]) for m in pack["portfolio"]["monthly"]],
        )
    assert figures["USD"] == figures["GBP"]
    assert figures["JPY"] == figures["GBP"]
    assert figures["KWD"] == figures["GBP"]


def test_fils_read_back_exactly(in_currency: Any, tmp_path: Path) -> None:
    # KWD has 3 decimals (ISO 4217): 1.234 dinars = 1,234 fils, 0.001 = 1 fils
    engine = in_currency("KWD")
    load(
        engine,
        {
            "products.csv": PRODUCTS,
            "budgets.csv": "product,month,cost_category,plan,actual\n"
            "Library,2026-01,licence,1.234,0.001\n",
        },
    )
    with engine.connect() as conn:
        stored = budgets_frame(conn).select("plan_minor", "actual_minor").row(0)
    assert stored == (1_234, 1)
    library = next(p for p in json_pack(tmp_path, "KWD")["products"] if p["product"] == "Library")
    assert (library["budget_plan"], library["actual_cost"]) == (1.234, 0.001)


@pytest.mark.parametrize(
    ("name", "body", "row", "column"),
    [
        pytest.param(
            "budgets.csv",
            "product,month,cost_category,plan,actual\n"
            "Library,2026-01,licence,3600,3600\n"
            "Library,2026-02,licence,3600.5,3600\n",
            3,
            "plan",
            id="budgets",
        ),
        pytest.param(
            "contracts.csv",
            "product,vendor,start,end,seats,price_per_seat,currency\n"
            "Library,LinkedIn,2026-01-01,2026-12-31,10,3600.5,JPY\n",
            2,
            "price_per_seat",
            id="contracts",
        ),
    ],
)
def test_a_yen_amount_with_decimals_is_refused_naming_row_and_column(
    in_currency: Any, name: str, body: str, row: int, column: str
) -> None:
    engine = in_currency("JPY")
    load(engine, {"products.csv": PRODUCTS})
    before = counts(engine)
    result = import_file(body.encode(), file_name=name, engine=engine, actor=EDITOR)
    assert result.status == "rejected"
    assert result.errors == [
        {"row": row, "column": column, "message": "'3600.5' has more decimals than JPY allows (0)"}
    ]
    assert counts(engine) == before  # the file changes no table


def test_3600_point_00_yen_is_3600_yen(in_currency: Any, tmp_path: Path) -> None:
    engine = in_currency("JPY")
    load(
        engine,
        {
            "products.csv": PRODUCTS,
            "budgets.csv": "product,month,cost_category,plan,actual\n"
            "Library,2026-01,licence,3600.00,\n",
        },
    )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT plan_minor FROM budget_line")).scalar_one() == 3_600
    library = next(p for p in json_pack(tmp_path, "JPY")["products"] if p["product"] == "Library")
    assert library["budget_plan"] == 3_600.0
    assert money(library["budget_plan"], "JPY") == "¥3,600"
