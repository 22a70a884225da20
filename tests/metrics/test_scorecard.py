from dataclasses import replace
from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.scorecard import (
    SCORECARD_COLUMNS,
    PortfolioSummary,
    portfolio_summary,
    product_scorecard,
)
from tests.metrics import factories as f
from tests.metrics.factories import HEALTH, YEAR

EXPORT_CONTRACT = [
    "product_id", "product", "category", "lifecycle_stage", "vendor", "budget_plan",
    "actual_cost", "forecast_cost", "unique_learners", "active_learners", "target_audience_size",
    "reach", "seats",
    "seat_utilisation", "over_subscribed_by", "idle_seats", "idle_spend", "completions",
    "cost_per_active_learner", "cost_per_completion", "benefits", "bcr", "roi",
    "payback_months", "usage_tracked", "health", "health_reasons",
]  # fmt: skip


@pytest.fixture
def portfolio() -> dict[str, pl.DataFrame]:
    """Three products, numbers chosen to be checked by hand.

    1 Library (mature): plan 12,000.00, actual 10,000.00 (Jan), 10 seats at 1,000.00,
      learners 1..4 active, learner 5 enrolled only, 2 completions, level-4 benefits 30,000.00.
    2 Coaching (retiring): contract of 5 seats, no usage imported, no budget, no outcomes.
    3 Pilot (pilot): nothing at all.
    """
    products = f.products(
        {
            "product_id": 1,
            "product": "Library",
            "category": "content_library",
            "lifecycle_stage": "mature",
            "vendor": "Acme",
            "strategic_fit": 4,
        },
        {
            "product_id": 2,
            "product": "Coaching",
            "category": "coaching",
            "lifecycle_stage": "retiring",
            "vendor": "CoachCo",
            "strategic_fit": 2,
        },
        {
            "product_id": 3,
            "product": "Pilot",
            "category": "academy",
            "lifecycle_stage": "pilot",
            "strategic_fit": 5,
        },
    )
    budgets = f.budgets(
        {"month": date(2026, 1, 1), "plan_minor": 1_000_000, "actual_minor": 1_000_000},
        {"month": date(2026, 2, 1), "plan_minor": 200_000},
    )
    contracts = f.contracts(
        {"seats": 10, "price_per_seat_minor": 1_000_00},
        {"product_id": 2, "vendor": "CoachCo", "seats": 5, "price_per_seat_minor": 500_00},
    )
    active = [
        {
            "learner_id": i,
            "content_id": 1,
            "date": date(2026, 3, i),
            "minutes": 20.0,
            "completed": i <= 2,
            "completed_date": date(2026, 3, i) if i <= 2 else None,
        }
        for i in range(1, 5)
    ]
    usage = f.usage(
        *active,
        {
            "learner_id": 5,
            "content_id": 1,
            "date": date(2026, 3, 9),
            "minutes": 0.0,
            "completed": False,
        },
    )
    # (110 - 100) x 10,000.00 x 50% x 60% = 30,000.00
    outcomes = f.outcomes(
        f.monetised(unit_value_minor=10_000_00, attribution_pct=50.0, confidence_pct=60.0)
    )
    return {"products": products, "budgets": budgets, "contracts": contracts, "usage": usage,
            "outcomes": outcomes}  # fmt: skip


def scorecard(frames: dict[str, pl.DataFrame], **kw: object) -> pl.DataFrame:
    return product_scorecard(**frames, **{"year": YEAR, "thresholds": HEALTH, **kw}, currency="GBP")


def by_product(card: pl.DataFrame) -> dict[int, dict]:
    return {row["product_id"]: row for row in card.to_dicts()}


def test_columns_follow_the_export_contract(portfolio: dict) -> None:
    card = scorecard(portfolio)
    assert card.columns == EXPORT_CONTRACT == list(SCORECARD_COLUMNS)
    assert card.schema["health_reasons"] == pl.List(pl.String())
    assert card.schema["usage_tracked"] == pl.Boolean()


def test_every_product_has_a_row_in_the_products_order(portfolio: dict) -> None:
    assert scorecard(portfolio).get_column("product").to_list() == ["Library", "Coaching", "Pilot"]


def test_a_product_with_data_gets_every_figure(portfolio: dict) -> None:
    lib = by_product(scorecard(portfolio))[1]
    # computed by hand: plan 10,000 + 2,000 = 12,000.00; actual 10,000.00; forecast = Jan actual
    # 10,000 + Feb plan 2,000 = 12,000.00
    assert (lib["budget_plan"], lib["actual_cost"], lib["forecast_cost"]) == (12e3, 10e3, 12e3)
    # learners 1..5 seen, 1..4 active; completions (1, 1), (2, 1)
    assert (lib["unique_learners"], lib["active_learners"], lib["completions"]) == (5, 4, 2)
    # 4 / 10 = 0.4 of seats used, 6 idle x 1,000.00 = 6,000.00
    assert (lib["seats"], lib["seat_utilisation"], lib["idle_seats"]) == (10, 0.4, 6)
    assert (lib["idle_spend"], lib["over_subscribed_by"]) == (6_000.0, 0)
    # 10,000 / 4 = 2,500.00 per active learner; 10,000 / 2 = 5,000.00 per completion
    assert (lib["cost_per_active_learner"], lib["cost_per_completion"]) == (2_500.0, 5_000.0)
    # benefits 30,000.00: bcr 30,000 / 10,000 = 3.0; roi (30,000 - 10,000) / 10,000 = 2.0;
    # payback 10,000 / (30,000 / 12) = 4.0 months
    assert lib["benefits"] == pytest.approx(30_000.0)
    assert lib["bcr"] == pytest.approx(3.0)
    assert lib["roi"] == pytest.approx(2.0)
    assert lib["payback_months"] == pytest.approx(4.0)
    assert lib["usage_tracked"] is True
    # 60% of seats idle is above the 50% fix line
    assert (lib["health"], lib["health_reasons"]) == ("Fix", ["60% of seats idle"])


def test_contract_without_usage_reports_seats_and_nothing_else(portfolio: dict) -> None:
    coaching = by_product(scorecard(portfolio))[2]
    assert coaching["seats"] == 5
    assert coaching["usage_tracked"] is False
    for name in ("unique_learners", "active_learners", "completions", "seat_utilisation",
                 "idle_seats", "idle_spend", "over_subscribed_by", "cost_per_active_learner",
                 "cost_per_completion", "benefits", "bcr", "roi", "payback_months",
                 "budget_plan", "actual_cost", "forecast_cost"):  # fmt: skip
        assert coaching[name] is None, name
    # Sunset reasons first, then the Fix flag for the unmonitored licence
    assert (coaching["health"], coaching["health_reasons"]) == (
        "Sunset",
        ["retiring", "usage not tracked for 5 licensed seats"],
    )


def test_a_product_with_no_data_is_all_null_and_a_pilot_is_invest(portfolio: dict) -> None:
    pilot = by_product(scorecard(portfolio))[3]
    labels = {"usage_tracked", "health", "health_reasons"}
    figures = [name for name in SCORECARD_COLUMNS[5:] if name not in labels]
    assert all(pilot[name] is None for name in figures)
    assert (pilot["health"], pilot["health_reasons"]) == ("Invest", ["pilot: gathering evidence"])


def test_usage_outside_the_year_is_not_tracked_even_under_a_contract(portfolio: dict) -> None:
    # Usage only in 2025, a contract running Jul 2025 .. Jun 2026: seats known, usage not.
    frames = {
        **portfolio,
        "usage": portfolio["usage"].with_columns(
            pl.col("date").dt.offset_by("-1y"), pl.col("completed_date").dt.offset_by("-1y")
        ),
    }
    frames["contracts"] = f.contracts({"start": date(2025, 7, 1), "end": date(2026, 6, 30),
                                       "seats": 10, "price_per_seat_minor": 1})  # fmt: skip
    lib = by_product(scorecard(frames))[1]
    assert (lib["seats"], lib["usage_tracked"], lib["seat_utilisation"]) == (10, False, None)


def test_thresholds_change_the_label(portfolio: dict) -> None:
    lenient = replace(HEALTH, utilisation_fix_below=0.3, utilisation_sunset_below=0.1)
    lib = by_product(scorecard(portfolio, thresholds=lenient))[1]
    assert lib["health"] == "Invest"


def test_empty_inputs_give_one_null_row_per_product(
    one_product: pl.DataFrame,
    empty_budgets: pl.DataFrame,
    empty_contracts: pl.DataFrame,
    empty_usage: pl.DataFrame,
    empty_outcomes: pl.DataFrame,
) -> None:
    card = product_scorecard(one_product, empty_budgets, empty_contracts, empty_usage,
                             empty_outcomes, year=YEAR, thresholds=HEALTH,
                             currency="GBP")  # fmt: skip
    row = card.row(0, named=True)
    assert card.height == 1
    assert row["actual_cost"] is None and row["unique_learners"] is None
    assert (row["health"], row["health_reasons"]) == (
        "Fix",
        ["no level-3/4 evidence for a mature product"],
    )


def test_portfolio_summary(portfolio: dict) -> None:
    card = scorecard(portfolio)
    got = portfolio_summary(card, portfolio["usage"], year=YEAR, currency="GBP")
    # computed by hand: only the Library has costs, usage and benefits; seats 10 + 5 = 15, but
    # utilisation only over products with seats and usage known: (10 - 6) / 10 = 0.4.
    # bcr 30,000 / 10,000 = 3.0; roi 2.0
    assert got == PortfolioSummary(
        budget_plan=12_000.0,
        actual_cost=10_000.0,
        forecast_cost=12_000.0,
        active_learners=4,
        seats=15,
        seat_utilisation=0.4,
        idle_seats=6,
        idle_spend=6_000.0,
        benefits=pytest.approx(30_000.0),
        bcr=pytest.approx(3.0),
        roi=pytest.approx(2.0),
        products=3,
        products_by_health={"Invest": 1, "Fix": 1, "Sunset": 1},
    )
    # computed by hand: 10,000 / 12,000 = 0.8333 of plan spent; forecast 12,000 / 12,000 = 1.0
    assert got.actual_pct_of_plan == pytest.approx(10_000 / 12_000)
    assert got.forecast_pct_of_plan == pytest.approx(1.0)


def test_share_of_plan_is_none_without_a_plan() -> None:
    empty = PortfolioSummary(
        budget_plan=0.0,
        actual_cost=5.0,
        forecast_cost=None,
        active_learners=None,
        seats=None,
        seat_utilisation=None,
        idle_seats=None,
        idle_spend=None,
        benefits=None,
        bcr=None,
        roi=None,
        products=1,
    )
    assert (empty.actual_pct_of_plan, empty.forecast_pct_of_plan) == (None, None)


def test_portfolio_counts_a_learner_of_two_products_once_and_sums_in_pence() -> None:
    products = f.products(
        {"product_id": 1, "product": "A", "lifecycle_stage": "pilot"},
        {"product_id": 2, "product": "B", "lifecycle_stage": "pilot"},
    )
    # 0.10 + 0.20 per product, summed in pence: 0.30 exactly (0.1 + 0.2 in floats is 0.3000…04)
    budgets = f.budgets(
        {"product_id": 1, "month": date(2026, 1, 1), "plan_minor": 10, "actual_minor": 10},
        {"product_id": 2, "month": date(2026, 1, 1), "plan_minor": 20, "actual_minor": 20},
    )
    usage = f.usage(
        {"product_id": 1, "learner_id": 7, "date": date(2026, 4, 1), "minutes": 5.0},
        {"product_id": 2, "learner_id": 7, "date": date(2026, 4, 2), "minutes": 5.0},
        {"product_id": 2, "learner_id": 8, "date": date(2026, 4, 2), "minutes": 5.0},
    )
    card = product_scorecard(products, budgets, f.contracts(), usage, f.outcomes(),
                             year=YEAR, thresholds=HEALTH, currency="GBP")  # fmt: skip
    got = portfolio_summary(card, usage, year=YEAR, currency="GBP")
    # computed by hand: learners {7} and {7, 8} -> {7, 8} = 2, not 1 + 2 = 3
    assert got.active_learners == 2
    assert got.actual_cost == 0.3
    # nothing tracked: no seats, no benefits -> None, never 0
    assert (got.seats, got.seat_utilisation, got.idle_spend) == (None, None, None)
    assert (got.benefits, got.bcr, got.roi) == (None, None, None)


def test_portfolio_roi_charges_every_products_cost(portfolio: dict) -> None:
    # A second product costing 20,000.00 with no level-4 evidence claims no benefit:
    # computed by hand: bcr 30,000 / (10,000 + 20,000) = 1.0, roi 0.0 (Phillips principle 6)
    budgets = pl.concat(
        [
            portfolio["budgets"],
            f.budgets({"product_id": 3, "month": date(2026, 1, 1), "actual_minor": 2_000_000}),
        ]
    )
    card = scorecard({**portfolio, "budgets": budgets})
    got = portfolio_summary(card, portfolio["usage"], year=YEAR, currency="GBP")
    assert (got.bcr, got.roi) == (pytest.approx(1.0), pytest.approx(0.0))


# Frames are immutable, so sharing the function-scoped fixture across examples is safe.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000))
def test_shuffling_input_rows_changes_nothing(portfolio: dict, seed: int) -> None:
    expected = scorecard(portfolio).sort("product_id")
    shuffled = {name: f.shuffled(df, seed + i) for i, (name, df) in enumerate(portfolio.items())}
    assert scorecard(shuffled).sort("product_id").equals(expected)


def test_year_scorecard_sees_the_year_budget_lines_only(portfolio: dict) -> None:
    from dataclasses import dataclass

    from metrics.scorecard import year_scorecard

    @dataclass
    class Frames:
        products: pl.DataFrame
        budgets: pl.DataFrame
        contracts: pl.DataFrame
        usage: pl.DataFrame
        outcomes: pl.DataFrame
        currency: str

    next_year = portfolio["budgets"].with_columns(pl.col("month").dt.offset_by("1y"))
    frames = Frames(
        portfolio["products"],
        pl.concat([portfolio["budgets"], next_year]),
        portfolio["contracts"],
        portfolio["usage"],
        portfolio["outcomes"],
        "GBP",
    )
    got = year_scorecard(frames, year=YEAR, thresholds=HEALTH)
    assert got.equals(scorecard(portfolio))
