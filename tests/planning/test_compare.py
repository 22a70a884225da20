"""Scenarios compared side by side (planning.compare), on numbers worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from planning.compare import (
    changes_between,
    compare_scenarios,
    scenario_outcome,
    scenario_summary,
)
from planning.criteria import CRITERION_KEYS
from planning.scenarios import Scenario


def _inputs() -> pl.DataFrame:
    # A: £10,000, 100 active of 1,000, benefits £30,000. B: £20,000, usage and benefits not tracked.
    return pl.DataFrame(
        {
            "product_id": [1, 2],
            "product": ["A", "B"],
            "budget": [10_000.0, 20_000.0],
            "active_learners": [100, None],
            "target_audience_size": [1_000, None],
            "seats": [None, None],
            "price_per_seat": [None, None],
            "benefits": [30_000.0, None],
        },
        schema_overrides={
            "active_learners": pl.Int64,
            "target_audience_size": pl.Int64,
            "seats": pl.Int64,
            "price_per_seat": pl.Float64,
            "benefits": pl.Float64,
        },
    )


def _scores() -> pl.DataFrame:
    # Only strategic fit is weighted below: A scores 0.5, B 1.0 -> 50 and 100 points.
    data = {key: [0.0, 0.0] for key in CRITERION_KEYS}
    data["strategic_fit"] = [0.5, 1.0]
    return pl.DataFrame({"product_id": [1, 2], **data})


BASE = Scenario(name="Base", year=2026, weights={"strategic_fit": 1.0}, cap=40_000.0)
CUT_A = Scenario(
    name="Stop A", year=2026, weights={"strategic_fit": 1.0}, budget_changes={1: -1.0}, cap=25_000.0
)


def test_outcome_of_the_plan() -> None:
    out = scenario_outcome(_inputs(), _scores(), BASE, currency="GBP")
    # computed by hand: spend 10,000 + 20,000 = 30,000; value 50 × 1 + 100 × 1 = 150;
    # ROI over A only (B has no benefits): (30,000 − 10,000) ÷ 10,000 = 2.0
    assert out.totals.spend == 30_000.0
    assert out.value == pytest.approx(150.0)
    assert out.totals.projected_roi == pytest.approx(2.0)
    assert out.funded == frozenset({1, 2})


def test_side_by_side_table() -> None:
    table = compare_scenarios(_inputs(), _scores(), [BASE, CUT_A], currency="GBP")
    rows = {m: (b, c) for m, b, c in table.iter_rows()}
    assert rows["Spend"] == (30_000.0, 20_000.0)
    assert rows["Change vs plan"] == (0.0, -10_000.0)
    # gap = cap − spend: 40,000 − 30,000 and 25,000 − 20,000
    assert rows["Gap to cap (− = over)"] == (10_000.0, 5_000.0)
    assert rows["Products funded"] == (2.0, 1.0)
    assert rows["Weighted value (points)"] == (pytest.approx(150.0), pytest.approx(100.0))
    # A stopped: its projected benefits are 0 on 0 spend, so ROI is not defined
    assert rows["ROI of measured products (projected)"][1] is None


def test_who_gains_and_loses() -> None:
    assert changes_between(_inputs(), BASE, CUT_A) == ([], ["A"], [])
    grow_b = Scenario(name="Grow B", year=2026, budget_changes={2: 0.5})
    assert changes_between(_inputs(), BASE, grow_b) == ([], [], ["B"])
    assert changes_between(_inputs(), CUT_A, BASE) == (["A"], [], [])


def test_names_must_differ_and_a_removed_product_is_ignored() -> None:
    with pytest.raises(ValueError, match="differ"):
        compare_scenarios(_inputs(), _scores(), [BASE, BASE], currency="GBP")
    with pytest.raises(ValueError, match="at least one"):
        compare_scenarios(_inputs(), _scores(), [], currency="GBP")
    old = Scenario(name="Old", year=2026, budget_changes={99: -0.5})
    assert scenario_outcome(_inputs(), _scores(), old, currency="GBP").totals.spend == 30_000.0


def test_summary_for_the_funding_pack() -> None:
    summary = scenario_summary(_inputs(), _scores(), CUT_A, currency="GBP")
    assert summary["name"] == "Stop A" and summary["cap"] == 25_000.0
    assert summary["rows"][0] == {
        "product": "A",
        "budget": 10_000.0,
        "scenario_budget": 0.0,
        "change": -1.0,
        "funded": False,
    }
    # computed by hand: plan 30,000; scenario 20,000; gap 25,000 − 20,000 = 5,000
    assert summary["totals"] == {
        "budget": 30_000.0,
        "scenario_budget": 20_000.0,
        "change": -10_000.0,
        "cap": 25_000.0,
        "gap": 5_000.0,
    }
    assert (summary["added"], summary["dropped"]) == ([], ["A"])
