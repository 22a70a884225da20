from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.licences import (
    contracts_in_force,
    idle_seats,
    idle_spend,
    licence_position,
    over_subscribed_by,
    seat_utilisation,
    seats_in_force,
)
from tests.metrics import factories as f
from tests.metrics.factories import END, START


def active_learners_on(product_id: int, count: int, day: date) -> list[dict]:
    return [
        {"product_id": product_id, "learner_id": i, "date": day, "minutes": 10.0}
        for i in range(1, count + 1)
    ]


@pytest.fixture
def ten_seats() -> pl.DataFrame:
    """Product 1: 10 seats at 150.00 for 2026."""
    return f.contracts({"seats": 10, "price_per_seat_minor": 150_00})


def position(contracts: pl.DataFrame, usage: pl.DataFrame) -> dict:
    rows = licence_position(contracts, usage, start=START, end=END, currency="GBP").to_dicts()
    return {row["product_id"]: row for row in rows}


def test_utilisation_idle_seats_and_idle_spend(ten_seats: pl.DataFrame) -> None:
    usage = f.usage(*active_learners_on(1, 4, date(2026, 5, 1)))
    got = position(ten_seats, usage)[1]
    # computed by hand: 4 / 10 = 0.40 used, 10 - 4 = 6 idle, 6 x 150.00 = 900.00
    assert got["seat_utilisation"] == 0.4
    assert got["idle_seats"] == 6
    assert got["idle_spend"] == 900.0
    assert got["over_subscribed_by"] == 0


def test_the_single_measures_agree_with_the_position(ten_seats: pl.DataFrame) -> None:
    usage = f.usage(*active_learners_on(1, 4, date(2026, 5, 1)))
    kw = {"start": START, "end": END}
    assert f.as_dict(seats_in_force(ten_seats, **kw), "seats") == {1: 10}
    assert f.as_dict(seat_utilisation(ten_seats, usage, **kw), "seat_utilisation") == {1: 0.4}
    assert f.as_dict(idle_seats(ten_seats, usage, **kw), "idle_seats") == {1: 6}
    assert f.as_dict(idle_spend(ten_seats, usage, **kw, currency="GBP"), "idle_spend") == {1: 900.0}
    assert f.as_dict(over_subscribed_by(ten_seats, usage, **kw), "over_subscribed_by") == {1: 0}


def test_over_subscription_caps_utilisation_at_one(ten_seats: pl.DataFrame) -> None:
    usage = f.usage(*active_learners_on(1, 13, date(2026, 5, 1)))
    got = position(ten_seats, usage)[1]
    # computed by hand: 13 active on 10 seats -> utilisation 1.0, 3 over, 0 idle, 0.00 idle
    assert (got["seat_utilisation"], got["over_subscribed_by"]) == (1.0, 3)
    assert (got["idle_seats"], got["idle_spend"]) == (0, 0.0)


def test_inactive_learners_do_not_use_seats(ten_seats: pl.DataFrame) -> None:
    usage = f.usage(
        {"learner_id": 1, "date": date(2026, 5, 1), "minutes": 10.0},
        {"learner_id": 2, "date": date(2026, 5, 1), "minutes": 0.0, "progress_pct": 0.0},
    )
    assert position(ten_seats, usage)[1]["idle_seats"] == 9


def test_no_contract_in_force_means_absent(empty_contracts: pl.DataFrame) -> None:
    usage = f.usage(*active_learners_on(1, 4, date(2026, 5, 1)))
    assert licence_position(empty_contracts, usage, start=START, end=END, currency="GBP").is_empty()
    expired = f.contracts(
        {
            "start": date(2024, 1, 1),
            "end": date(2025, 12, 31),
            "seats": 10,
            "price_per_seat_minor": 1,
        }
    )
    assert seats_in_force(expired, start=START, end=END).is_empty()


def test_contract_without_usage_knows_seats_only(
    ten_seats: pl.DataFrame, empty_usage: pl.DataFrame
) -> None:
    got = position(ten_seats, empty_usage)[1]
    assert got["seats"] == 10
    assert got["contract_value"] == 1500.0
    for name in ("seat_utilisation", "idle_seats", "idle_spend", "over_subscribed_by"):
        assert got[name] is None, name


def test_active_learners_are_counted_over_the_contract_term() -> None:
    # Contract Jul 2025 .. Jun 2026, in force in 2026. Learner 1 active in Aug 2025 (in the
    # term, outside the year), learner 2 in Mar 2026, learner 3 in Sep 2026 (after the term).
    contract = f.contracts(
        {
            "start": date(2025, 7, 1),
            "end": date(2026, 6, 30),
            "seats": 5,
            "price_per_seat_minor": 20_00,
        }
    )
    usage = f.usage(
        {"learner_id": 1, "date": date(2025, 8, 1), "minutes": 5.0},
        {"learner_id": 2, "date": date(2026, 3, 1), "minutes": 5.0},
        {"learner_id": 3, "date": date(2026, 9, 1), "minutes": 5.0},
    )
    got = position(contract, usage)[1]
    # computed by hand: learners 1 and 2 -> 2 / 5 = 0.4, 3 idle, 3 x 20.00 = 60.00
    assert (got["active_in_term"], got["seat_utilisation"], got["idle_spend"]) == (2, 0.4, 60.0)


def test_several_contracts_sum_seats_and_weight_the_price() -> None:
    # 300 seats at 120.00 all year, plus a 100-seat top-up at 80.00 from July.
    contracts = f.contracts(
        {"seats": 300, "price_per_seat_minor": 120_00},
        {"start": date(2026, 7, 1), "seats": 100, "price_per_seat_minor": 80_00},
    )
    terms = contracts_in_force(contracts, start=START, end=END, currency="GBP").to_dicts()[0]
    # computed by hand: 300 + 100 = 400 seats; 300 x 120 + 100 x 80 = 44,000.00; 44,000 / 400 = 110
    assert (terms["seats"], terms["contract_value"], terms["price_per_seat"]) == (
        400,
        44_000.0,
        110.0,
    )
    usage = f.usage(*active_learners_on(1, 150, date(2026, 8, 1)))
    got = position(contracts, usage)[1]
    # computed by hand: 400 - 150 = 250 idle; 250 x 110.00 = 27,500.00
    assert (got["idle_seats"], got["idle_spend"]) == (250, 27_500.0)


def test_zero_seats_give_null_utilisation_and_nothing_idle() -> None:
    contract = f.contracts({"seats": 0, "price_per_seat_minor": 10_00})
    got = position(contract, f.usage(*active_learners_on(1, 2, date(2026, 5, 1))))[1]
    assert got["seat_utilisation"] is None
    assert (got["idle_seats"], got["idle_spend"], got["over_subscribed_by"]) == (0, 0.0, 2)


contract_rows = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 2),
            "start": st.dates(date(2025, 1, 1), date(2026, 12, 31)),
            "seats": st.integers(0, 40),
            "price_per_seat_minor": st.integers(0, 500_00),
        }
    ).map(lambda c: {**c, "end": date(c["start"].year + 1, c["start"].month, 1)}),
    min_size=1,
    max_size=4,
)
usage_rows = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 2),
            "learner_id": st.integers(1, 60),
            "date": st.dates(date(2024, 6, 1), date(2027, 12, 31)),
            "minutes": st.sampled_from([0.0, 5.0, 30.0]),
        }
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(contract_list=contract_rows, usage_list=usage_rows)
def test_utilisation_and_idle_stay_in_bounds(contract_list: list, usage_list: list) -> None:
    got = licence_position(
        f.contracts(*contract_list), f.usage(*usage_list), start=START, end=END, currency="GBP"
    )
    for row in got.to_dicts():
        if row["seat_utilisation"] is not None:
            assert 0.0 <= row["seat_utilisation"] <= 1.0
        if row["idle_seats"] is not None:
            assert 0 <= row["idle_seats"] <= row["seats"]
            assert row["over_subscribed_by"] >= 0
        if row["idle_spend"] is not None:
            assert 0.0 <= row["idle_spend"] <= row["contract_value"] + 1e-9


@settings(max_examples=40, deadline=None)
@given(contract_list=contract_rows, usage_list=usage_rows, seed=st.integers(0, 1000))
def test_row_order_changes_no_licence_figure(
    contract_list: list, usage_list: list, seed: int
) -> None:
    contracts, usage = f.contracts(*contract_list), f.usage(*usage_list)
    expected = licence_position(contracts, usage, start=START, end=END, currency="GBP").sort(
        "product_id"
    )
    got = licence_position(
        f.shuffled(contracts, seed),
        f.shuffled(usage, seed + 1),
        start=START,
        end=END,
        currency="GBP",
    ).sort("product_id")
    assert got.equals(expected)
