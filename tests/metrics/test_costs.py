from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.costs import (
    actual_cost,
    budget_plan,
    budget_variance,
    forecast_cost,
    monthly_plan_actual,
    pct_of_plan,
)
from tests.metrics import factories as f
from tests.metrics.factories import YEAR

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@pytest.fixture
def two_months() -> pl.DataFrame:
    """Jan: licence plan 1,000.00 actual 1,100.00, delivery plan 500.00 and no actual yet.
    Feb: licence plan 1,000.00 and no actual yet. Product 2: Feb delivery plan 0.10, actual 0.
    """
    return f.budgets(
        {
            "month": JAN,
            "cost_category": "licence",
            "plan_minor": 1_000_00,
            "actual_minor": 1_100_00,
        },
        {"month": JAN, "cost_category": "delivery", "plan_minor": 500_00},
        {"month": FEB, "cost_category": "licence", "plan_minor": 1_000_00},
        {
            "product_id": 2,
            "month": FEB,
            "cost_category": "delivery",
            "plan_minor": 10,
            "actual_minor": 0,
        },
    )


def test_budget_plan_sums_every_category_and_month(two_months: pl.DataFrame) -> None:
    # computed by hand: 1,000.00 + 500.00 + 1,000.00 = 2,500.00; product 2: 10p = 0.10
    assert f.as_dict(budget_plan(two_months, year=YEAR), "budget_plan") == {1: 2500.0, 2: 0.1}


def test_actual_cost_skips_blank_actuals(two_months: pl.DataFrame) -> None:
    # computed by hand: only January's licence actual is known, 1,100.00; product 2 a known 0
    assert f.as_dict(actual_cost(two_months, year=YEAR), "actual_cost") == {1: 1100.0, 2: 0.0}


def test_blank_actual_is_null_and_zero_actual_is_zero() -> None:
    rows = f.budgets(
        {"product_id": 1, "month": JAN, "plan_minor": 500_00},
        {"product_id": 2, "month": JAN, "plan_minor": 500_00, "actual_minor": 0},
    )
    assert f.as_dict(actual_cost(rows, year=YEAR), "actual_cost") == {1: None, 2: 0.0}


def test_no_plan_rows_means_null_plan() -> None:
    rows = f.budgets({"month": JAN, "actual_minor": 250_00})
    assert f.as_dict(budget_plan(rows, year=YEAR), "budget_plan") == {1: None}


def test_a_product_without_budget_lines_in_the_year_is_absent(two_months: pl.DataFrame) -> None:
    assert budget_plan(two_months, year=2025).is_empty()
    assert actual_cost(two_months, year=2027).is_empty()
    assert forecast_cost(two_months, year=2025).is_empty()


def test_money_is_exact_to_the_penny() -> None:
    # computed by hand: 10 lines of 0.10 = 1.00 exactly (float sums of 0.1 would give 0.9999…)
    rows = f.budgets(
        *({"month": JAN, "cost_category": str(i), "plan_minor": 10} for i in range(10))
    )
    assert f.as_dict(budget_plan(rows, year=YEAR), "budget_plan") == {1: 1.0}


def test_forecast_takes_actuals_of_a_month_with_any_actual(two_months: pl.DataFrame) -> None:
    # computed by hand: January has an actual (licence) so it adds its actuals only, 1,100.00,
    # not delivery's plan of 500.00; February has none so it adds its plan, 1,000.00 -> 2,100.00.
    # Product 2: February has a known 0 actual, so the forecast is 0.00, not the 0.10 plan.
    assert f.as_dict(forecast_cost(two_months, year=YEAR), "forecast_cost") == {1: 2100.0, 2: 0.0}


def test_forecast_is_null_without_plan_or_actual() -> None:
    rows = f.budgets({"month": JAN})
    assert f.as_dict(forecast_cost(rows, year=YEAR), "forecast_cost") == {1: None}


def test_forecast_of_a_month_without_plan_or_actual_adds_nothing() -> None:
    # computed by hand: March 300.00 plan; February has a line with neither -> 300.00
    rows = f.budgets({"month": FEB}, {"month": MAR, "plan_minor": 300_00})
    assert f.as_dict(forecast_cost(rows, year=YEAR), "forecast_cost") == {1: 300.0}


def test_forecast_of_a_zero_budget_is_zero(zero_budget: pl.DataFrame) -> None:
    assert f.as_dict(forecast_cost(zero_budget, year=YEAR), "forecast_cost") == {1: 0.0}


def test_monthly_plan_actual_sums_categories_per_month(two_months: pl.DataFrame) -> None:
    got = monthly_plan_actual(two_months, year=YEAR).filter(pl.col("product_id") == 1)
    # computed by hand: Jan plan 1,000 + 500 = 1,500.00, actual 1,100.00; Feb plan 1,000.00
    assert got.to_dicts() == [
        {"product_id": 1, "month": JAN, "plan": 1500.0, "actual": 1100.0},
        {"product_id": 1, "month": FEB, "plan": 1000.0, "actual": None},
    ]


def test_variance_and_pct_of_plan() -> None:
    df = pl.DataFrame(
        {"forecast_cost": [11_800.0, 500.0, None], "budget_plan": [10_000.0, 0.0, 100.0]}
    )
    got = df.select(budget_variance(), pct_of_plan())
    # computed by hand: 11,800 - 10,000 = 1,800; 11,800 / 10,000 = 1.18; plan 0 -> null
    assert got.get_column("budget_variance").to_list() == [1800.0, 500.0, None]
    assert got.get_column("pct_of_plan").to_list() == [pytest.approx(1.18), None, None]


budget_lines = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 3),
            "month": st.integers(1, 12).map(lambda m: date(YEAR, m, 1)),
            "cost_category": st.sampled_from(["licence", "delivery", "overhead"]),
            "plan_minor": st.none() | st.integers(0, 10_000_000),
            "actual_minor": st.none() | st.integers(0, 10_000_000),
        }
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(lines=budget_lines)
def test_forecast_is_at_least_actual_when_plans_are_not_negative(lines: list[dict]) -> None:
    rows = f.budgets(*lines)
    actual = f.as_dict(actual_cost(rows, year=YEAR), "actual_cost")
    forecast = f.as_dict(forecast_cost(rows, year=YEAR), "forecast_cost")
    for product, spent in actual.items():
        if spent is not None:
            assert forecast[product] >= spent


@settings(max_examples=40, deadline=None)
@given(lines=budget_lines, seed=st.integers(0, 1000))
def test_row_order_changes_no_cost(lines: list[dict], seed: int) -> None:
    rows = f.budgets(*lines)
    for measure in (budget_plan, actual_cost, forecast_cost):
        assert measure(f.shuffled(rows, seed), year=YEAR).equals(measure(rows, year=YEAR))
