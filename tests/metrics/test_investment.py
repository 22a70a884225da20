from datetime import date
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.costs import actual_cost
from metrics.investment import COST_COMPONENTS, fully_loaded_cost
from tests.metrics import factories as f
from tests.metrics.factories import YEAR

RATE = 45.0


def hours(**by_product: float | None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "product_id": [int(k[1:]) for k in by_product],
            "learning_hours": list(by_product.values()),
        },
        schema={"product_id": pl.Int64, "learning_hours": pl.Float64},
    )


def build_up(result, product: int = 1) -> dict[str, tuple]:
    rows = result.components.filter(pl.col("product_id") == product)
    return {r["component"]: (r["amount"], r["basis"]) for r in rows.iter_rows(named=True)}


@pytest.fixture
def academy() -> pl.DataFrame:
    """Design 20,000.00 in 2025 and 4,000.00 in 2026, licence 12,000.00 in 2026,
    delivery 3,000.50 in 2026, an old 2024 design line, and a 2026 plan-only overhead line."""
    return f.budgets(
        {
            "month": date(2025, 3, 1),
            "cost_category": "design_development",
            "actual_minor": 20_000_00,
        },
        {
            "month": date(2026, 2, 1),
            "cost_category": "design_development",
            "actual_minor": 4_000_00,
        },
        {
            "month": date(2024, 6, 1),
            "cost_category": "design_development",
            "actual_minor": 99_000_00,
        },
        {"month": date(2026, 1, 1), "cost_category": "licence", "actual_minor": 12_000_00},
        {"month": date(2026, 5, 1), "cost_category": "delivery", "actual_minor": 3_000_50},
        {"month": date(2026, 6, 1), "cost_category": "overhead", "plan_minor": 500_00},
    )


def test_the_build_up_of_the_docstring_example(academy: pl.DataFrame) -> None:
    got = fully_loaded_cost(
        academy,
        year=YEAR,
        amortisation_years=2,
        loaded_hourly_rate=RATE,
        learning_hours=hours(p1=100.0),
        currency="GBP",
    )
    # computed by hand: design (20,000 + 4,000) / 2 = 12,000.00 (the 2024 line is outside
    # 2025-2026); licence 12,000.00; delivery 3,000.50; participant time 100 h x 45.00 = 4,500.00;
    # overhead has a plan only -> not recorded. Total 12,000 + 12,000 + 3,000.50 + 4,500 = 31,500.50
    assert build_up(got) == {
        "licence": (12_000.0, "actual"),
        "design_development": (12_000.0, "amortised"),
        "delivery": (3_000.5, "actual"),
        "participant_time": (4_500.0, "hours_x_rate"),
        "evaluation": (None, "not_recorded"),
        "overhead": (None, "not_recorded"),
        "other": (None, "not_recorded"),
    }
    assert got.total.to_dicts() == [{"product_id": 1, "fully_loaded_cost": 31_500.5}]
    notes = dict(got.components.select("component", "note").iter_rows())
    assert notes["design_development"] == "one-off actuals 2025–2026 of 24,000.00 ÷ 2 years"
    assert notes["participant_time"].startswith("100.00 learning hours × 45.00 an hour")


def test_components_come_in_a_fixed_order_for_every_product(academy: pl.DataFrame) -> None:
    got = fully_loaded_cost(
        academy, year=YEAR, amortisation_years=2, loaded_hourly_rate=RATE, currency="GBP"
    )
    assert got.components.get_column("component").to_list() == list(COST_COMPONENTS)
    assert got.components.columns == ["product_id", "component", "amount", "basis", "note"]


def test_one_year_life_charges_the_years_one_offs_only(academy: pl.DataFrame) -> None:
    got = fully_loaded_cost(
        academy, year=YEAR, amortisation_years=1.0, loaded_hourly_rate=RATE, currency="GBP"
    )
    # computed by hand: 4,000.00 / 1; no hours passed -> participant time not recorded
    assert build_up(got)["design_development"] == (4_000.0, "amortised")
    assert build_up(got)["participant_time"] == (None, "not_recorded")
    assert f.as_dict(got.total, "fully_loaded_cost") == {1: 12_000 + 4_000 + 3_000.5}


def test_recorded_participant_time_wins_over_the_hours_estimate() -> None:
    rows = f.budgets(
        {"month": date(2026, 4, 1), "cost_category": "participant_time", "actual_minor": 7_250_00}
    )
    got = fully_loaded_cost(
        rows,
        year=YEAR,
        amortisation_years=2,
        loaded_hourly_rate=RATE,
        learning_hours=hours(p1=1000.0),
        currency="GBP",
    )
    assert build_up(got)["participant_time"] == (7_250.0, "actual")


def test_a_blank_participant_time_actual_falls_back_to_hours() -> None:
    rows = f.budgets(
        {"month": date(2026, 4, 1), "cost_category": "participant_time", "plan_minor": 1}
    )
    got = fully_loaded_cost(
        rows,
        year=YEAR,
        amortisation_years=2,
        loaded_hourly_rate=30.0,
        learning_hours=hours(p1=2.5),
        currency="GBP",
    )
    # computed by hand: 2.5 h x 30.00 = 75.00
    assert build_up(got)["participant_time"] == (75.0, "hours_x_rate")


def test_unknown_hours_are_not_an_estimate_of_zero() -> None:
    rows = f.budgets({"month": date(2026, 4, 1), "actual_minor": 100_00})
    got = fully_loaded_cost(
        rows,
        year=YEAR,
        amortisation_years=2,
        loaded_hourly_rate=RATE,
        learning_hours=hours(p1=None),
        currency="GBP",
    )
    assert build_up(got)["participant_time"] == (None, "not_recorded")
    assert f.as_dict(got.total, "fully_loaded_cost") == {1: 100.0}


def test_needs_analysis_is_a_one_off_and_unknown_categories_are_other() -> None:
    rows = f.budgets(
        {"month": date(2026, 1, 1), "cost_category": "Needs Analysis", "actual_minor": 1_000_00},
        {
            "month": date(2026, 2, 1),
            "cost_category": "design_development",
            "actual_minor": 3_000_00,
        },
        {"month": date(2026, 3, 1), "cost_category": "travel", "actual_minor": 250_00},
        {"month": date(2026, 3, 1), "cost_category": "other", "actual_minor": 50_00},
    )
    got = build_up(
        fully_loaded_cost(
            rows, year=YEAR, amortisation_years=2, loaded_hourly_rate=RATE, currency="GBP"
        )
    )
    # computed by hand: (1,000 + 3,000) / 2 = 2,000.00; other 250 + 50 = 300.00
    assert got["design_development"] == (2_000.0, "amortised")
    assert got["other"] == (300.0, "actual")


def test_a_product_with_nothing_recorded_has_a_null_total() -> None:
    rows = f.budgets({"product_id": 2, "month": date(2026, 1, 1), "plan_minor": 100_00})
    got = fully_loaded_cost(
        rows,
        year=YEAR,
        amortisation_years=2,
        loaded_hourly_rate=RATE,
        learning_hours=hours(p3=None),
        currency="GBP",
    )
    assert f.as_dict(got.total, "fully_loaded_cost") == {2: None, 3: None}
    assert set(got.components.get_column("basis")) == {"not_recorded"}


def test_an_earlier_one_off_reaches_a_year_without_budget_lines() -> None:
    rows = f.budgets(
        {"month": date(2025, 9, 1), "cost_category": "design_development", "actual_minor": 9_000_00}
    )
    got = fully_loaded_cost(
        rows, year=YEAR, amortisation_years=3, loaded_hourly_rate=RATE, currency="GBP"
    )
    # computed by hand: 9,000.00 / 3 = 3,000.00 a year for 2025, 2026 and 2027
    assert f.as_dict(got.total, "fully_loaded_cost") == {1: 3_000.0}


def test_recorded_components_are_exact_to_the_penny() -> None:
    rows = f.budgets(
        *(
            {"month": date(2026, 1, 1), "cost_category": "evaluation", "actual_minor": 10}
            for _ in range(10)
        )
    )
    got = fully_loaded_cost(
        rows, year=YEAR, amortisation_years=2, loaded_hourly_rate=RATE, currency="GBP"
    )
    # computed by hand: ten lines of 0.10 = 1.00 exactly
    assert build_up(got)["evaluation"] == (1.0, "actual")
    assert f.as_dict(got.total, "fully_loaded_cost") == {1: 1.0}


def test_empty_budgets_give_empty_frames(empty_budgets: pl.DataFrame) -> None:
    got = fully_loaded_cost(
        empty_budgets, year=YEAR, amortisation_years=2, loaded_hourly_rate=RATE, currency="GBP"
    )
    assert got.components.is_empty() and got.total.is_empty()


@pytest.mark.parametrize("years", [0, 0.5, 2.5, -1])
def test_the_useful_life_is_a_whole_number_of_years(academy: pl.DataFrame, years: float) -> None:
    with pytest.raises(ValueError, match="amortisation_years"):
        fully_loaded_cost(
            academy, year=YEAR, amortisation_years=years, loaded_hourly_rate=RATE, currency="GBP"
        )


def test_a_negative_hourly_rate_is_refused(academy: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="loaded_hourly_rate"):
        fully_loaded_cost(
            academy, year=YEAR, amortisation_years=2, loaded_hourly_rate=-1.0, currency="GBP"
        )


one_offs = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 2),
            "month": st.builds(date, st.integers(2020, 2024), st.integers(1, 12), st.just(1)),
            "cost_category": st.sampled_from(["design_development", "needs_analysis"]),
            "actual_minor": st.integers(0, 10_000_000),
        }
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=50, deadline=None)
@given(lines=one_offs, life=st.integers(1, 4))
def test_amortisation_spreads_exactly_the_one_off_total(lines: list[dict], life: int) -> None:
    rows = f.budgets(*lines)
    charged: dict[int, Fraction] = {}
    for year in range(2020, 2024 + life):
        got = fully_loaded_cost(
            rows, year=year, amortisation_years=life, loaded_hourly_rate=RATE, currency="GBP"
        )
        for pid, amount in build_up_many(got).items():
            charged[pid] = charged.get(pid, Fraction(0)) + Fraction(amount)
    spent = {}
    for line in lines:
        spent[line["product_id"]] = spent.get(line["product_id"], 0) + line["actual_minor"]
    # Over 2020 .. 2024 + life - 1 every one-off is charged 1/life in each of `life` years.
    assert charged.keys() == spent.keys()
    for pid, minor in spent.items():
        assert float(charged[pid]) == pytest.approx(minor / 100, rel=1e-12, abs=1e-9)


def build_up_many(result) -> dict[int, float]:
    rows = result.components.filter(
        (pl.col("component") == "design_development") & pl.col("amount").is_not_null()
    )
    return dict(rows.select("product_id", "amount").iter_rows())


lines_any = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 3),
            "month": st.builds(date, st.integers(2025, 2026), st.integers(1, 12), st.just(1)),
            "cost_category": st.sampled_from([*COST_COMPONENTS, "travel"]),
            "actual_minor": st.none() | st.integers(0, 1_000_000),
        }
    ),
    max_size=25,
)


@settings(max_examples=50, deadline=None)
@given(lines=lines_any, seed=st.integers(0, 1000), known_hours=st.none() | st.floats(0, 1e4))
def test_total_is_the_sum_of_known_components_and_order_free(
    lines: list[dict], seed: int, known_hours: float | None
) -> None:
    rows = f.budgets(*lines)
    kw = {
        "year": YEAR,
        "amortisation_years": 2,
        "loaded_hourly_rate": RATE,
        "learning_hours": hours(p1=known_hours),
    }
    got = fully_loaded_cost(rows, **kw, currency="GBP")
    again = fully_loaded_cost(f.shuffled(rows, seed), **kw, currency="GBP")
    assert got.components.equals(again.components) and got.total.equals(again.total)
    sums = got.components.group_by("product_id").agg(
        pl.when(pl.col("amount").is_not_null().any()).then(pl.col("amount").sum())
    )
    expected = dict(sums.iter_rows())
    for pid, total in f.as_dict(got.total, "fully_loaded_cost").items():
        assert (total is None) == (expected[pid] is None)
        if total is not None:
            assert total == pytest.approx(expected[pid])
    # With a one-year life and no hours, the fully-loaded cost is the actual cost.
    plain = fully_loaded_cost(
        rows, year=YEAR, amortisation_years=1, loaded_hourly_rate=RATE, currency="GBP"
    )
    assert f.as_dict(plain.total, "fully_loaded_cost") == f.as_dict(
        actual_cost(rows, year=YEAR, currency="GBP"), "actual_cost"
    )
