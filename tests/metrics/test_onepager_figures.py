"""The one-pager's figures moved out of the pack: ask, cost by category, share of plan, months.

Each expectation is computed by hand from the rows written in the test.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from metrics.costs import budget_ask, cost_by_category, share_of_plan
from metrics.investment import COST_COMPONENTS
from metrics.monthly import PORTFOLIO_ID, monthly_figures
from metrics.onepager import one_pagers
from metrics.risks import risk_cards
from tests.metrics import factories as f
from tests.metrics.factories import YEAR


def m(month: int, year: int = YEAR) -> date:
    return date(year, month, 1)


def test_budget_ask_is_next_years_plan_and_its_change() -> None:
    budgets = f.budgets(
        {"month": m(1), "plan_minor": 60_000_00},
        {"month": m(2), "plan_minor": 40_000_00},
        {"month": m(1, YEAR + 1), "plan_minor": 110_000_00},
        {"product_id": 2, "month": m(3), "plan_minor": 5_000_00},  # no line next year
        {"product_id": 3, "month": m(3, YEAR + 1), "plan_minor": 1_000_00},  # none this year
    )
    got = {r["product_id"]: r for r in budget_ask(budgets, year=YEAR, currency="GBP").to_dicts()}
    # computed by hand: 110,000 ÷ (60,000 + 40,000) − 1 = 0.10
    assert got[1]["year"] == YEAR + 1 and got[1]["plan"] == 110_000.0
    assert got[1]["change"] == pytest.approx(0.10) and got[1]["source"] == "budgets"
    assert (got[2]["plan"], got[2]["change"], got[2]["source"]) == (None, None, "not set")
    assert (got[3]["plan"], got[3]["change"], got[3]["source"]) == (1_000.0, None, "budgets")


def test_budget_ask_in_yen_and_dinars_uses_their_minor_units() -> None:
    budgets = f.budgets({"month": m(1, YEAR + 1), "plan_minor": 15_000})
    # ISO 4217: 15,000 minor units are ¥15,000 but KWD 15.000
    assert budget_ask(budgets, year=YEAR, currency="JPY")["plan"].item() == 15_000.0
    assert budget_ask(budgets, year=YEAR, currency="KWD")["plan"].item() == 15.0


def test_cost_by_category_in_template_order_with_blank_actuals_kept_null() -> None:
    budgets = f.budgets(
        {"month": m(1), "plan_minor": 1_000_00, "actual_minor": 900_00},
        {"month": m(2), "plan_minor": 500_00, "actual_minor": None},
        {"month": m(1), "cost_category": "delivery", "plan_minor": 200_00},
        {"month": m(1), "cost_category": "catering", "plan_minor": 50_00},
        {"month": m(1, YEAR - 1), "cost_category": "overhead", "plan_minor": 999_00},
    )
    got = cost_by_category(budgets, year=YEAR, currency="GBP", order=COST_COMPONENTS)
    # computed by hand: licence 1,000 + 500 plan, 900 actual; delivery 200 plan, no actual;
    # an unknown category after the template's; last year's overhead left out
    assert got.select("category", "plan", "actual").rows() == [
        ("licence", 1_500.0, 900.0),
        ("delivery", 200.0, None),
        ("catering", 50.0, None),
    ]


def test_share_of_plan() -> None:
    # computed by hand: 118,000 ÷ 100,000 = 1.18; a zero or unknown plan gives None
    assert share_of_plan(118_000.0, 100_000.0) == pytest.approx(1.18)
    assert share_of_plan(1.0, 0.0) is None and share_of_plan(None, 5.0) is None


def test_twelve_months_per_product_and_the_portfolio_counts_a_learner_once() -> None:
    budgets = f.budgets(
        {"month": m(1), "plan_minor": 1_000_00, "actual_minor": 1_100_00},
        {"product_id": 2, "month": m(1), "plan_minor": 500_00},
    )
    usage = f.usage(
        {"learner_id": 7, "date": date(YEAR, 3, 3), "minutes": 10.0},
        {"product_id": 2, "learner_id": 7, "date": date(YEAR, 3, 9), "minutes": 5.0},
    )
    each = monthly_figures(budgets, usage, year=YEAR, currency="GBP", product_ids=[2, 1])
    assert each.height == 24 and each["product_id"].to_list()[:1] == [2]
    one = each.filter(pl.col("product_id") == 1).to_dicts()
    assert [r["month"] for r in one] == [f"{YEAR}-{n:02d}" for n in range(1, 13)]
    assert (one[0]["plan"], one[0]["actual"], one[0]["active_learners"]) == (1_000.0, 1_100.0, None)
    assert one[2]["active_learners"] == 1 and one[1]["plan"] is None
    both = monthly_figures(
        budgets, usage, year=YEAR, currency="GBP", product_ids=[1, 2], together=True
    ).to_dicts()
    # computed by hand: January plan 1,000 + 500 = 1,500; learner 7 in March counts once
    assert {r["product_id"] for r in both} == {PORTFOLIO_ID} and len(both) == 12
    assert (both[0]["plan"], both[0]["actual"]) == (1_500.0, 1_100.0)
    assert both[2]["active_learners"] == 1


def test_risk_cards_are_four_and_a_missing_one_reads_not_tracked() -> None:
    cards = risk_cards([{"kind": "viability", "level": "medium", "reason": "idle spend 12%"}])
    assert [c.kind for c in cards] == ["value", "usability", "feasibility", "viability"]
    assert (cards[3].title, cards[3].level_text, cards[3].reason) == (
        "Viability",
        "medium",
        "idle spend 12%",
    )
    assert {(c.level, c.level_text, c.reason) for c in cards[:3]} == {
        (None, "not tracked", "not tracked")
    }


def test_one_pagers_gather_without_computing() -> None:
    card = pl.DataFrame(
        {"product_id": [1], "actual_cost": [41_250.0], "budget_plan": [96_000.0], "roi": [None]},
        schema_overrides={"roi": pl.Float64()},
    )
    products = f.products({"product_id": 1, "sponsor": "CFO", "target_audience_size": None})
    evidence = pl.DataFrame(
        {
            "product_id": [1],
            "link": ["reaction"],
            "level": [1],
            "measure": ["NPS"],
            "value": [12.0],
            "unit": ["NPS"],
            "n": [40],
            "period": [date(YEAR, 5, 1)],
            "age_days": [206],
            "strength": ["moderate"],
        }
    )
    risks = pl.DataFrame({"product_id": [1], "kind": ["value"], "level": ["high"], "reason": ["x"]})
    asks = pl.DataFrame(schema={"product_id": pl.Int64(), "year": pl.Int64()})
    loaded = pl.DataFrame({"product_id": [1], "fully_loaded_cost": [50_000.0]})
    page = one_pagers(
        card, products, evidence, risks, asks, loaded, year=YEAR, currency="GBP", product_ids=[1]
    )[1]
    # computed by hand: £41,250 → £41k, £96,000 → £96k; level-1 evidence only
    assert page.summary == "£41k of £96k spent; no level-3 evidence yet"
    assert page.profile["sponsor"] == "CFO" and page.target_audience_size is None
    assert page.fully_loaded_cost == 50_000.0
    assert page.evidence[0]["label"] == "Reaction (L1)" and page.evidence[0]["as_of"] == "2026-05"
    assert page.ask == {"year": YEAR + 1, "plan": None, "change": None, "source": "not set"}
    assert page.risks == [{"kind": "value", "level": "high", "reason": "x"}]
