from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.monetisation import benefit_assumptions, forecast_benefits, forecast_roi
from metrics.outcomes import benefits
from tests.metrics import factories as f
from tests.metrics.factories import YEAR


def test_benefit_assumptions_show_every_input_of_each_row() -> None:
    rows = f.outcomes(
        f.monetised(
            measure="errors per month",
            value=30.0,
            baseline=40.0,
            unit_value_minor=250_00,
            attribution_pct=60.0,
            confidence_pct=80.0,
            direction="lower",
            n=55,
            period=date(2026, 3, 1),
        ),
        f.monetised(measure="sales", confidence_pct=None, period=date(2026, 6, 1)),
    )
    got = benefit_assumptions(rows, year=YEAR, currency="GBP").to_dicts()
    # computed by hand: delta 30 - 40 = -10, direction lower -> -(-10) x 250 x 0.6 x 0.8 = 1,200.00
    assert got[0] == {
        "product_id": 1,
        "period": date(2026, 3, 1),
        "measure": "errors per month",
        "value": 30.0,
        "baseline": 40.0,
        "delta": -10.0,
        "direction": "lower",
        "unit_value": 250.0,
        "attribution_pct": 60.0,
        "confidence_pct": 80.0,
        "n": 55,
        "benefit": pytest.approx(1200.0),
        "missing": [],
    }
    # The sales row lacks its confidence: listed, adds nothing, says why.
    assert (got[1]["measure"], got[1]["benefit"], got[1]["missing"]) == (
        "sales",
        None,
        ["confidence_pct"],
    )
    assert got[1]["direction"] == "higher"


def test_benefit_assumptions_of_forecast_rows_are_kept_apart() -> None:
    rows = f.outcomes(f.monetised(), f.monetised(kind="forecast", value=120.0))
    actual = benefit_assumptions(rows, year=YEAR, currency="GBP")
    forecast = benefit_assumptions(rows, year=YEAR, kind="forecast", currency="GBP")
    # computed by hand: actual (110 - 100) x 100 x 0.5 x 0.8 = 400; forecast 20 x ... = 800
    assert actual.get_column("benefit").to_list() == [400.0]
    assert forecast.get_column("benefit").to_list() == [800.0]
    with pytest.raises(ValueError, match="kind"):
        benefit_assumptions(rows, year=YEAR, kind="plan", currency="GBP")  # type: ignore[arg-type]


def test_forecast_benefits() -> None:
    rows = f.outcomes(
        f.monetised(kind="forecast", value=120.0),
        f.monetised(kind="forecast", value=105.0, measure="x"),
        f.monetised(),  # actual, not a forecast
        f.monetised(kind="forecast", level=3),
        {"product_id": 2, "kind": "forecast", "value": 1.0},  # unmonetisable
    )
    # computed by hand: (20 + 5) x 100 x 0.5 x 0.8 = 1,000.00; product 2 cannot be monetised
    assert f.as_dict(forecast_benefits(rows, year=YEAR, currency="GBP"), "forecast_benefits") == {
        1: pytest.approx(1000.0),
        2: None,
    }


@pytest.fixture
def plan_and_result() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Product 1: forecast benefits 30,000.00 on a plan of 20,000.00; realised benefits
    18,000.00 on an actual cost of 24,000.00. Product 2: a budget and nothing else."""
    outcomes = f.outcomes(
        # (130 - 100) x 2,000.00 x 50% x 100% = 30,000.00
        f.monetised(kind="forecast", value=130.0, unit_value_minor=2_000_00, confidence_pct=100.0),
        # (118 - 100) x 2,000.00 x 50% x 100% = 18,000.00
        f.monetised(value=118.0, unit_value_minor=2_000_00, confidence_pct=100.0),
    )
    budgets = f.budgets(
        {"month": date(2026, 1, 1), "plan_minor": 20_000_00, "actual_minor": 24_000_00},
        {"product_id": 2, "month": date(2026, 1, 1), "plan_minor": 5_000_00},
    )
    return outcomes, budgets


def test_forecast_roi_beside_realised_roi(plan_and_result: tuple) -> None:
    outcomes, budgets = plan_and_result
    got = forecast_roi(outcomes, budgets, year=YEAR, currency="GBP").to_dicts()
    # computed by hand: forecast BCR 30,000 / 20,000 = 1.5, ROI 0.5;
    # realised BCR 18,000 / 24,000 = 0.75, ROI (18,000 - 24,000) / 24,000 = -0.25
    assert got[0] == {
        "product_id": 1,
        "forecast_benefits": 30_000.0,
        "budget_plan": 20_000.0,
        "forecast_bcr": 1.5,
        "forecast_roi": 0.5,
        "benefits": 18_000.0,
        "actual_cost": 24_000.0,
        "bcr": 0.75,
        "roi": -0.25,
    }
    assert got[1] == {
        "product_id": 2,
        "forecast_benefits": None,
        "budget_plan": 5_000.0,
        "forecast_bcr": None,
        "forecast_roi": None,
        "benefits": None,
        "actual_cost": None,
        "bcr": None,
        "roi": None,
    }


def test_forecast_roi_is_null_without_a_plan(plan_and_result: tuple) -> None:
    outcomes, _ = plan_and_result
    got = forecast_roi(
        outcomes, f.budgets({"month": date(2026, 1, 1), "plan_minor": 0}), year=YEAR, currency="GBP"
    )
    assert got.row(0, named=True)["forecast_roi"] is None
    assert forecast_roi(outcomes, f.budgets(), year=2025, currency="GBP").is_empty()


level_4_rows = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 3),
            "period": st.sampled_from([date(2025, 12, 1), date(2026, 3, 1), date(2026, 9, 1)]),
            "level": st.sampled_from([3, 4, 4]),
            "measure": st.sampled_from(["a", "b"]),
            "value": st.floats(0, 1000),
            "baseline": st.none() | st.floats(0, 1000),
            "unit_value_minor": st.none() | st.integers(0, 1_000_000),
            "attribution_pct": st.none() | st.floats(0, 100),
            "confidence_pct": st.none() | st.floats(0, 100),
            "direction": st.sampled_from([None, "higher", "lower", "Lower"]),
            "kind": st.sampled_from([None, "actual", "forecast"]),
        }
    ),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(rows=level_4_rows, seed=st.integers(0, 1000))
def test_assumptions_add_up_to_the_benefits(rows: list[dict], seed: int) -> None:
    df = f.outcomes(*rows)
    listed = benefit_assumptions(df, year=YEAR, currency="GBP")
    assert listed.equals(benefit_assumptions(f.shuffled(df, seed), year=YEAR, currency="GBP"))
    totals = listed.group_by("product_id").agg(
        pl.when(pl.col("benefit").is_not_null().any()).then(pl.col("benefit").sum())
    )
    expected = f.as_dict(benefits(df, year=YEAR, currency="GBP"), "benefits")
    got = dict(totals.iter_rows())
    assert got.keys() == expected.keys()
    for product, total in got.items():
        if total is None:
            assert expected[product] is None
        else:
            assert total == pytest.approx(expected[product], rel=1e-9, abs=1e-6)
    for row in listed.iter_rows(named=True):
        assert (row["benefit"] is None) == bool(row["missing"])
