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
    run_rate_forecast,
)
from tests.metrics import factories as f
from tests.metrics.factories import AS_OF, YEAR

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
    assert f.as_dict(budget_plan(two_months, year=YEAR, currency="GBP"), "budget_plan") == {
        1: 2500.0,
        2: 0.1,
    }


def test_actual_cost_skips_blank_actuals(two_months: pl.DataFrame) -> None:
    # computed by hand: only January's licence actual is known, 1,100.00; product 2 a known 0
    assert f.as_dict(actual_cost(two_months, year=YEAR, currency="GBP"), "actual_cost") == {
        1: 1100.0,
        2: 0.0,
    }


def test_blank_actual_is_null_and_zero_actual_is_zero() -> None:
    rows = f.budgets(
        {"product_id": 1, "month": JAN, "plan_minor": 500_00},
        {"product_id": 2, "month": JAN, "plan_minor": 500_00, "actual_minor": 0},
    )
    assert f.as_dict(actual_cost(rows, year=YEAR, currency="GBP"), "actual_cost") == {
        1: None,
        2: 0.0,
    }


def test_no_plan_rows_means_null_plan() -> None:
    rows = f.budgets({"month": JAN, "actual_minor": 250_00})
    assert f.as_dict(budget_plan(rows, year=YEAR, currency="GBP"), "budget_plan") == {1: None}


def test_a_product_without_budget_lines_in_the_year_is_absent(two_months: pl.DataFrame) -> None:
    assert budget_plan(two_months, year=2025, currency="GBP").is_empty()
    assert actual_cost(two_months, year=2027, currency="GBP").is_empty()
    assert forecast_cost(two_months, year=2025, currency="GBP").is_empty()


def test_money_is_exact_to_the_penny() -> None:
    # computed by hand: 10 lines of 0.10 = 1.00 exactly (float sums of 0.1 would give 0.9999…)
    rows = f.budgets(
        *({"month": JAN, "cost_category": str(i), "plan_minor": 10} for i in range(10))
    )
    assert f.as_dict(budget_plan(rows, year=YEAR, currency="GBP"), "budget_plan") == {1: 1.0}


def test_forecast_takes_actuals_of_a_month_with_any_actual(two_months: pl.DataFrame) -> None:
    # computed by hand: January has an actual (licence) so it adds its actuals only, 1,100.00,
    # not delivery's plan of 500.00; February has none so it adds its plan, 1,000.00 -> 2,100.00.
    # Product 2: February has a known 0 actual, so the forecast is 0.00, not the 0.10 plan.
    assert f.as_dict(forecast_cost(two_months, year=YEAR, currency="GBP"), "forecast_cost") == {
        1: 2100.0,
        2: 0.0,
    }


def test_forecast_is_null_without_plan_or_actual() -> None:
    rows = f.budgets({"month": JAN})
    assert f.as_dict(forecast_cost(rows, year=YEAR, currency="GBP"), "forecast_cost") == {1: None}


def test_forecast_of_a_month_without_plan_or_actual_adds_nothing() -> None:
    # computed by hand: March 300.00 plan; February has a line with neither -> 300.00
    rows = f.budgets({"month": FEB}, {"month": MAR, "plan_minor": 300_00})
    assert f.as_dict(forecast_cost(rows, year=YEAR, currency="GBP"), "forecast_cost") == {1: 300.0}


def test_forecast_of_a_zero_budget_is_zero(zero_budget: pl.DataFrame) -> None:
    assert f.as_dict(forecast_cost(zero_budget, year=YEAR, currency="GBP"), "forecast_cost") == {
        1: 0.0
    }


def test_monthly_plan_actual_sums_categories_per_month(two_months: pl.DataFrame) -> None:
    got = monthly_plan_actual(two_months, year=YEAR, currency="GBP").filter(
        pl.col("product_id") == 1
    )
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
    actual = f.as_dict(actual_cost(rows, year=YEAR, currency="GBP"), "actual_cost")
    forecast = f.as_dict(forecast_cost(rows, year=YEAR, currency="GBP"), "forecast_cost")
    for product, spent in actual.items():
        if spent is not None:
            assert forecast[product] >= spent


@settings(max_examples=40, deadline=None)
@given(lines=budget_lines, seed=st.integers(0, 1000))
def test_row_order_changes_no_cost(lines: list[dict], seed: int) -> None:
    rows = f.budgets(*lines)
    for measure in (budget_plan, actual_cost, forecast_cost):
        gbp = {"year": YEAR, "currency": "GBP"}
        assert measure(f.shuffled(rows, seed), **gbp).equals(measure(rows, **gbp))


def monthly_actuals(months: range, minor: int, **row: object) -> list[dict]:
    return [{"month": date(YEAR, m, 1), "actual_minor": minor, **row} for m in months]


def test_run_rate_uses_complete_months_with_an_actual() -> None:
    # Jan-Sep 1,000.00 each; October not posted yet (plan only); November 300.00 (not complete
    # on 23 Nov). computed by hand: 9,000.00 / 9 months x 12 = 12,000.00
    rows = f.budgets(
        *monthly_actuals(range(1, 10), 1_000_00),
        {"month": date(YEAR, 10, 1), "plan_minor": 1_000_00},
        {"month": date(YEAR, 11, 1), "actual_minor": 300_00},
    )
    got = run_rate_forecast(rows, year=YEAR, as_of=AS_OF, currency="GBP").to_dicts()
    assert got == [
        {
            "product_id": 1,
            "actual_to_date": 9000.0,
            "months_elapsed": 9,
            "run_rate_forecast": 12000.0,
        }
    ]


def test_a_known_zero_month_counts_as_elapsed() -> None:
    # October is a recorded 0, not "not yet known". computed by hand: 9,000 / 10 x 12 = 10,800.00
    rows = f.budgets(*monthly_actuals(range(1, 10), 1_000_00), *monthly_actuals(range(10, 11), 0))
    got = run_rate_forecast(rows, year=YEAR, as_of=AS_OF, currency="GBP")
    assert f.as_dict(got, "months_elapsed") == {1: 10}
    assert f.as_dict(got, "run_rate_forecast") == {1: 10800.0}


def test_run_rate_counts_a_month_on_its_last_day() -> None:
    # as of 31 March, March is complete. computed by hand: (100 + 200 + 300) / 3 x 12 = 2,400.00
    rows = f.budgets(
        {"month": JAN, "actual_minor": 100_00},
        {"month": FEB, "actual_minor": 200_00},
        {"month": MAR, "actual_minor": 300_00},
    )
    assert f.as_dict(
        run_rate_forecast(rows, year=YEAR, as_of=date(2026, 3, 31), currency="GBP"),
        "run_rate_forecast",
    ) == {1: 2400.0}
    # A day earlier March is not complete: 300.00 / 2 x 12 = 1,800.00
    assert f.as_dict(
        run_rate_forecast(rows, year=YEAR, as_of=date(2026, 3, 30), currency="GBP"),
        "run_rate_forecast",
    ) == {1: 1800.0}


def test_run_rate_of_a_past_year_uses_all_its_months() -> None:
    # computed by hand: Dec 2026 counts when viewed from 2027: (1,000 x 11 + 2,200) / 12 x 12
    rows = f.budgets(
        *monthly_actuals(range(1, 12), 1_000_00), *monthly_actuals(range(12, 13), 2_200_00)
    )
    got = run_rate_forecast(rows, year=YEAR, as_of=date(2027, 2, 1), currency="GBP")
    assert f.as_dict(got, "run_rate_forecast") == {1: 13200.0}


def test_run_rate_is_null_before_any_complete_month_with_an_actual() -> None:
    rows = f.budgets(
        {"month": JAN, "actual_minor": 500_00},
        {"product_id": 2, "month": JAN, "plan_minor": 500_00},
    )
    # 15 January: no month is complete yet; product 2 has plans only all year
    early = run_rate_forecast(rows, year=YEAR, as_of=date(2026, 1, 15), currency="GBP")
    assert early.to_dicts() == [
        {"product_id": 1, "actual_to_date": None, "months_elapsed": 0, "run_rate_forecast": None},
        {"product_id": 2, "actual_to_date": None, "months_elapsed": 0, "run_rate_forecast": None},
    ]
    later = run_rate_forecast(rows, year=YEAR, as_of=AS_OF, currency="GBP")
    assert f.as_dict(later, "run_rate_forecast") == {1: 6000.0, 2: None}


def test_run_rate_of_a_product_without_lines_in_the_year_is_absent(
    empty_budgets: pl.DataFrame,
) -> None:
    assert run_rate_forecast(empty_budgets, year=YEAR, as_of=AS_OF, currency="GBP").is_empty()
    rows = f.budgets({"month": date(2025, 5, 1), "actual_minor": 1})
    assert run_rate_forecast(rows, year=YEAR, as_of=AS_OF, currency="GBP").is_empty()


def test_run_rate_is_exact_in_pence() -> None:
    # computed by hand: 1p + 2p + 0p over 3 months = 3p; 3p / 3 x 12 = 12p = 0.12
    rows = f.budgets(
        {"month": JAN, "cost_category": "licence", "actual_minor": 1},
        {"month": FEB, "cost_category": "delivery", "actual_minor": 2},
        {"month": MAR, "actual_minor": 0},
    )
    got = run_rate_forecast(rows, year=YEAR, as_of=AS_OF, currency="GBP")
    assert f.as_dict(got, "actual_to_date") == {1: 0.03}
    assert f.as_dict(got, "run_rate_forecast") == {1: 0.12}


@settings(max_examples=60, deadline=None)
@given(lines=budget_lines, seed=st.integers(0, 1000))
def test_run_rate_of_a_closed_year_with_every_month_posted_is_the_actual(
    lines: list[dict], seed: int
) -> None:
    # Every month of the year has an actual for product 9, so the pace x 12 is the total.
    posted = [
        {"product_id": 9, "month": date(YEAR, m, 1), "actual_minor": 1_00 * m} for m in range(1, 13)
    ]
    rows = f.budgets(*lines, *posted)
    after = date(2027, 1, 1)
    run_rate = run_rate_forecast(f.shuffled(rows, seed), year=YEAR, as_of=after, currency="GBP")
    assert run_rate.equals(run_rate_forecast(rows, year=YEAR, as_of=after, currency="GBP"))
    assert f.as_dict(run_rate, "run_rate_forecast")[9] == pytest.approx(
        f.as_dict(actual_cost(rows, year=YEAR, currency="GBP"), "actual_cost")[9]
    )
    assert all(0 <= months <= 12 for months in run_rate.get_column("months_elapsed"))


def test_pounds_are_not_off_by_a_float_ulp() -> None:
    # polars multiplies by 0.01 when dividing by 100: 631 pence would read 6.3100000000000005
    rows = f.budgets({"month": JAN, "plan_minor": 631, "actual_minor": 631})
    assert f.as_dict(actual_cost(rows, year=YEAR, currency="GBP"), "actual_cost") == {1: 6.31}
    assert f.as_dict(budget_plan(rows, year=YEAR, currency="GBP"), "budget_plan") == {1: 6.31}


@settings(max_examples=200, deadline=None)
@given(pence=st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=5))
def test_money_reads_as_the_exact_pence_divided_by_100(pence: list[int]) -> None:
    rows = f.budgets(
        *({"month": JAN, "cost_category": str(i), "actual_minor": p} for i, p in enumerate(pence))
    )
    assert f.as_dict(actual_cost(rows, year=YEAR, currency="GBP"), "actual_cost") == {
        1: sum(pence) / 100
    }
