"""Budget what-if: hand-computed projections, the null rules and the base reproduced at change 0."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.whatif import Assumptions, WhatIfTotals, apply_amounts, project, totals
from tests.planning import WHATIF_SCHEMA

# The columns of planning.criteria.planning_inputs the what-if reads, built here directly
# so these tests do not depend on the criteria module.
SCHEMA = {**WHATIF_SCHEMA, "usage_tracked": pl.Boolean()}
E06 = 0.6  # the default elasticity


def inputs(*rows: dict[str, Any]) -> pl.DataFrame:
    filled = [
        {"product_id": i + 1, "product": f"P{i + 1}", "usage_tracked": True, **row}
        for i, row in enumerate(rows)
    ]
    return pl.DataFrame(filled, schema=SCHEMA)


# A content library: 300 seats at £120 = £36,000, its whole budget; 200 active of 1,000.
LIBRARY = {
    "product": "Library",
    "budget": 36_000.0,
    "active_learners": 200,
    "target_audience_size": 1_000,
    "seats": 300,
    "price_per_seat": 120.0,
    "benefits": 90_000.0,
}
# A coaching programme, no licence, usage not tracked, no benefits measured.
COACHING = {"product": "Coaching", "budget": 50_000.0, "usage_tracked": False}


def one(frame: pl.DataFrame, product_id: int = 1) -> dict[str, Any]:
    return frame.filter(pl.col("product_id") == product_id).row(0, named=True)


def test_change_zero_reproduces_the_base() -> None:
    base = inputs(
        LIBRARY,
        COACHING,
        # over-subscribed (350 active on 300 seats) and above its audience (350 > 320)
        {**LIBRARY, "product": "Busy", "active_learners": 350, "target_audience_size": 320},
        # licence money above the budget: 300 × £120 = £36,000 > £30,000
        {**LIBRARY, "product": "Short", "budget": 30_000.0},
        {"product": "Unknown budget", "active_learners": 40, "benefits": 5_000.0},
    )
    out = project(base, {}, currency="GBP")
    assert out["change"].to_list() == [0.0] * 5
    assert out["new_budget"].to_list() == base["budget"].to_list()
    assert out["spend"].to_list() == base["budget"].to_list()
    assert out["projected_seats"].to_list() == base["seats"].to_list()
    assert out["projected_active"].to_list() == [200.0, None, 350.0, 200.0, 40.0]
    assert out["projected_benefits"].to_list() == base["benefits"].to_list()
    assert out["funded"].to_list() == [True, True, True, True, None]


def test_library_cut_by_a_tenth_buys_270_seats() -> None:
    out = one(project(inputs(LIBRARY), {1: -0.1}, currency="GBP"))
    # r = 0.9: 300 × 0.9 = 270 seats, spend 270 × £120 = £32,400 (the budget was all licence)
    assert out["new_budget"] == 32_400.0
    assert out["projected_seats"] == 270
    assert out["spend"] == 32_400.0
    assert out["unspent"] == 0.0
    # 0.9^0.6 = exp(0.6 × ln 0.9) = exp(−0.0632163) = 0.9387404; 200 × 0.9387404 = 187.748
    assert out["projected_active"] == pytest.approx(187.748, abs=1e-3)
    assert out["projected_reach"] == pytest.approx(0.187748, abs=1e-6)
    # benefits per active learner held: 90,000 × 0.9387404 = 84,486.64
    assert out["projected_benefits"] == pytest.approx(84_486.64, abs=0.01)
    # ROI = (84,486.64 − 32,400) ÷ 32,400 = 1.60761
    assert out["projected_roi"] == pytest.approx(1.60761, abs=1e-5)


def test_a_licence_product_buys_whole_seats_and_leaves_the_rest_unspent() -> None:
    # All licence: £36,000 = 300 × £120. +10.5 % → £39,780 → ⌊39,780 ÷ 120⌋ = ⌊331.5⌋ = 331 seats,
    # spend 331 × 120 = £39,720, £60 unspent.
    out = one(project(inputs(LIBRARY), {1: 0.105}, currency="GBP"))
    assert (out["new_budget"], out["projected_seats"]) == (39_780.0, 331)
    assert (out["spend"], out["unspent"]) == (39_720.0, 60.0)
    # Budget £50,000 of which licences 300 × £120 = £36,000 and £14,000 delivery. +12.3 %:
    # 300 × 1.123 = 336.9 → 336 seats; the 0.9 seat (0.9 × £120 = £108) is unspent;
    # new budget 50,000 × 1.123 = £56,150, spend 56,150 − 108 = £56,042.
    mixed = one(project(inputs({**LIBRARY, "budget": 50_000.0}), {1: 0.123}, currency="GBP"))
    assert (mixed["projected_seats"], mixed["unspent"]) == (336, 108.0)
    assert (mixed["new_budget"], mixed["spend"]) == (56_150.0, 56_042.0)


def test_without_licence_steps_spend_is_the_new_budget_and_seats_do_not_cap() -> None:
    no_steps = Assumptions(licence_steps=False)
    out = one(project(inputs(LIBRARY), {1: 0.105}, assumptions=no_steps, currency="GBP"))
    assert (out["spend"], out["unspent"]) == (39_780.0, 0.0)
    busy = {**LIBRARY, "active_learners": 280}
    # 280 × 0.5^0.6 = 280 × 0.6597540 = 184.73, not capped at the 150 seats bought
    cut = one(project(inputs(busy), {1: -0.5}, assumptions=no_steps, currency="GBP"))
    assert cut["projected_active"] == pytest.approx(184.731, abs=1e-3)


def test_seats_cap_active_learners_on_a_cut() -> None:
    # 280 active of 300 seats, cut 50 %: 150 seats; 280 × 0.5^0.6 = 184.73 > 150 → 150
    out = one(project(inputs({**LIBRARY, "active_learners": 280}), {1: -0.5}, currency="GBP"))
    assert out["projected_seats"] == 150
    assert out["projected_active"] == 150.0
    # benefits follow the capped learners: 90,000 × 150 ÷ 280 = 48,214.29
    assert out["projected_benefits"] == pytest.approx(48_214.29, abs=0.01)
    # over-subscribed 350 on 300 keeps its ratio: cap 150 × 350 ÷ 300 = 175 (< 230.91)
    busy = one(project(inputs({**LIBRARY, "active_learners": 350}), {1: -0.5}, currency="GBP"))
    assert busy["projected_active"] == pytest.approx(175.0)


def test_active_learners_never_exceed_the_target_audience() -> None:
    row = {"budget": 20_000.0, "active_learners": 90, "target_audience_size": 100}
    # doubled: 90 × 2^0.6 = 90 × 1.5157166 = 136.41 → capped at the audience of 100
    out = one(project(inputs(row), {1: 1.0}, currency="GBP"))
    assert out["projected_active"] == 100.0
    assert out["projected_reach"] == 1.0
    free = one(
        project(
            inputs(row), {1: 1.0}, assumptions=Assumptions(cap_at_audience=False), currency="GBP"
        )
    )
    assert free["projected_active"] == pytest.approx(136.414, abs=1e-3)


def test_a_cut_to_nothing_spends_nothing_and_keeps_nulls_null() -> None:
    out = project(inputs(LIBRARY, COACHING), {1: -1.0, 2: -1.0}, currency="GBP")
    assert out["new_budget"].to_list() == [0.0, 0.0]
    assert out["spend"].to_list() == [0.0, 0.0]
    assert out["projected_seats"].to_list() == [0, None]
    assert out["projected_active"].to_list() == [0.0, None]  # not tracked stays not tracked
    assert out["projected_benefits"].to_list() == [0.0, None]  # known → 0; unknown never invented
    assert out["projected_roi"].to_list() == [None, None]  # spend 0: no ratio
    assert out["funded"].to_list() == [False, False]


def test_untracked_usage_scales_by_the_elasticity_and_null_benefits_stay_null() -> None:
    rows = inputs(COACHING, {"budget": 10_000.0, "benefits": 30_000.0, "usage_tracked": False})
    out = project(rows, {1: 0.25, 2: 0.25}, currency="GBP")
    # 1.25^0.6 = exp(0.6 × 0.2231436) = 1.1432626
    assert out["output_multiplier"].to_list() == pytest.approx([1.1432626] * 2, abs=1e-7)
    assert out["projected_active"].to_list() == [None, None]
    assert out["projected_benefits"][0] is None
    # 30,000 × 1.1432626 = 34,297.88; ROI (34,297.88 − 12,500) ÷ 12,500 = 1.74383
    assert out["projected_benefits"][1] == pytest.approx(34_297.88, abs=0.01)
    assert out["projected_roi"][1] == pytest.approx(1.74383, abs=1e-5)


def test_benefits_can_follow_money_instead_of_learners() -> None:
    # capped learners (150 of 184.73) but benefits × 0.5^0.6 = 90,000 × 0.6597540 = 59,377.86
    follow_money = Assumptions(benefits_follow_learners=False)
    busy = inputs({**LIBRARY, "active_learners": 280})
    out = one(project(busy, {1: -0.5}, assumptions=follow_money, currency="GBP"))
    assert out["projected_benefits"] == pytest.approx(59_377.86, abs=0.01)


def test_elasticity_one_is_proportional() -> None:
    row = {"budget": 10_000.0, "active_learners": 100, "benefits": 20_000.0}
    out = one(
        project(inputs(row), {1: 0.3}, assumptions=Assumptions(elasticity=1.0), currency="GBP")
    )
    assert out["projected_active"] == pytest.approx(130.0)
    assert out["projected_benefits"] == pytest.approx(26_000.0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({1: 1.5}, r"\[−1, \+1\]"),
        ({1: -1.01}, r"\[−1, \+1\]"),
        ({1: math.nan}, r"\[−1, \+1\]"),
        ({9: 0.1}, "unknown product id"),
    ],
)
def test_bad_changes_are_refused(changes: dict[int, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        project(inputs(LIBRARY), changes, currency="GBP")


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="missing column"):
        project(inputs(LIBRARY).drop("seats"), {}, currency="GBP")
    with pytest.raises(ValueError, match="repeat product id"):
        project(pl.concat([inputs(LIBRARY), inputs(LIBRARY)]), {}, currency="GBP")


def test_assumptions_round_trip_and_refuse_nonsense() -> None:
    chosen = Assumptions(elasticity=0.8, cap_at_audience=False)
    assert Assumptions.from_dict(chosen.to_dict()) == chosen
    assert chosen.to_dict() == {
        "elasticity": 0.8,
        "benefits_follow_learners": True,
        "cap_at_audience": False,
        "licence_steps": True,
    }
    assert Assumptions.from_dict({}) == Assumptions()
    assert Assumptions.from_dict({"elasticity": 1}).elasticity == 1.0
    with pytest.raises(ValueError, match="unknown assumption"):
        Assumptions.from_dict({"elastisity": 0.5})
    with pytest.raises(ValueError, match="elasticity"):
        Assumptions(elasticity=-0.1)
    with pytest.raises(ValueError, match="licence_steps"):
        Assumptions(licence_steps="yes")  # type: ignore[arg-type]


def test_totals_add_up_and_say_what_they_cover() -> None:
    rows = inputs(LIBRARY, COACHING, {"product": "No budget", "active_learners": 10})
    result = totals(project(rows, {1: -0.1, 2: 0.2}, currency="GBP"), cap=90_000.0, currency="GBP")
    assert isinstance(result, WhatIfTotals)
    # budget 36,000 + 50,000 = 86,000; new 32,400 + 60,000 = 92,400 (the third has no budget)
    assert (result.budget, result.new_budget, result.spend) == (86_000.0, 92_400.0, 92_400.0)
    # gap = 90,000 − 92,400 = −2,400: over the cap
    assert (result.gap, result.over_cap) == (-2_400.0, True)
    # learners of the two tracked products: 200 + 10 today; 187.748 + 10 projected
    assert result.tracked_products == 2
    assert result.active == 210.0
    assert result.projected_active == pytest.approx(197.748, abs=1e-3)
    # ROI covers only the library: (90,000 − 36,000) ÷ 36,000 = 1.5; projected 1.60761
    assert result.roi_products == 1
    assert result.roi == pytest.approx(1.5)
    assert result.projected_roi == pytest.approx(1.60761, abs=1e-5)


def test_totals_without_cap_or_benefits_say_none() -> None:
    result = totals(project(inputs(COACHING), {}, currency="GBP"), cap=None, currency="GBP")
    assert (result.cap, result.gap, result.over_cap) == (None, None, False)
    assert (result.active, result.projected_active, result.tracked_products) == (None, None, 0)
    assert (result.benefits, result.roi, result.projected_roi, result.roi_products) == (
        None,
        None,
        None,
        0,
    )
    with pytest.raises(ValueError, match="cap"):
        totals(project(inputs(COACHING), {}, currency="GBP"), cap=-1.0, currency="GBP")


def test_apply_amounts_turns_pounds_into_fractions() -> None:
    rows = inputs({"budget": 40_000.0}, {"budget": 0.0}, {"budget": None})
    # 30,000 ÷ 40,000 − 1 = −0.25; 80,000 is exactly +100 %; 0 is −100 %
    assert apply_amounts(rows, {1: 30_000.0}, currency="GBP") == {1: -0.25}
    assert apply_amounts(rows, {1: 80_000.0}, currency="GBP") == {1: 1.0}
    assert apply_amounts(rows, {1: 0.0, 2: 0.0, 3: 0.0}, currency="GBP") == {
        1: -1.0,
        2: 0.0,
        3: 0.0,
    }
    with pytest.raises(ValueError, match=r"more than \+100%"):
        apply_amounts(rows, {1: 80_001.0}, currency="GBP")
    with pytest.raises(ValueError, match="no budget to change"):
        apply_amounts(rows, {2: 100.0}, currency="GBP")
    with pytest.raises(ValueError, match="no budget to change"):
        apply_amounts(rows, {3: 100.0}, currency="GBP")
    with pytest.raises(ValueError, match="≥ 0"):
        apply_amounts(rows, {1: -5.0}, currency="GBP")
    with pytest.raises(ValueError, match="unknown product id"):
        apply_amounts(rows, {7: 5.0}, currency="GBP")


product_rows = st.fixed_dictionaries(
    {
        "budget": st.one_of(st.none(), st.integers(0, 500_000).map(float)),
        "active_learners": st.one_of(st.none(), st.integers(0, 5_000)),
        "target_audience_size": st.one_of(st.none(), st.integers(0, 5_000)),
        "seats": st.one_of(st.none(), st.integers(0, 3_000)),
        "price_per_seat": st.one_of(st.none(), st.integers(1, 100_000).map(lambda p: p / 100)),
        "benefits": st.one_of(st.none(), st.integers(-10_000, 900_000).map(float)),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(product_rows, min_size=1, max_size=6))
def test_change_zero_always_reproduces_the_base(rows: list[dict[str, Any]]) -> None:
    frame = inputs(*rows)
    out = project(frame, {}, currency="GBP")
    assert out["spend"].to_list() == frame["budget"].to_list()
    assert out["projected_benefits"].to_list() == frame["benefits"].to_list()
    assert out["projected_seats"].to_list() == frame["seats"].to_list()
    active = [None if a is None else float(a) for a in frame["active_learners"]]
    assert out["projected_active"].to_list() == active


@settings(max_examples=150, deadline=None)
@given(product_rows, st.lists(st.integers(-100, 100), min_size=2, max_size=2, unique=True))
def test_more_money_never_buys_less(row: dict[str, Any], pcts: list[int]) -> None:
    low, high = sorted(p / 100 for p in pcts)
    frame = inputs(row, row)
    out = project(frame, {1: low, 2: high}, currency="GBP")
    first, second = out.row(0, named=True), out.row(1, named=True)
    if first["spend"] is not None:
        assert 0.0 <= first["spend"] <= first["new_budget"]
        assert first["spend"] <= second["spend"] + 0.01
    if first["projected_active"] is not None:
        assert first["projected_active"] <= second["projected_active"] + 1e-9
        audience, active = row["target_audience_size"], row["active_learners"]
        if audience is not None:
            assert second["projected_active"] <= max(audience, active) + 1e-9
    if first["projected_benefits"] is not None and row["benefits"] >= 0:
        assert first["projected_benefits"] <= second["projected_benefits"] + 1e-6


def test_output_kept_at_half_budget() -> None:
    # computed by hand: 0.5 ** 0.6 = 0.6598
    assert Assumptions().output_kept(0.5) == pytest.approx(0.6598, abs=1e-4)
    assert Assumptions(elasticity=1.0).output_kept(0.5) == 0.5
    assert Assumptions().output_kept(0.0) == 0.0
