"""planning.readouts: the plan's cost and value, funding levels as changes, the selection table."""

from __future__ import annotations

import polars as pl
import pytest

from planning.readouts import (
    cap_distance,
    levels_as_changes,
    plan_total,
    selection_table,
    value_at_plan,
)
from planning.selection import Selection

# Two products: A (id 1) and B (id 2), each offered at 0, 0.5 and 1.0 of its budget.
OPTIONS = pl.DataFrame(
    {
        "product_id": [1, 1, 1, 2, 2, 2],
        "level": [0.0, 0.5, 1.0, 0.0, 0.5, 1.0],
        "cost": [0.0, 50_000.0, 100_000.0, 0.0, 20_000.0, 40_000.0],
        "value": [0.0, 52.8, 80.0, 0.0, 36.3, 55.0],
    }
)
NAMES = {1: "A", 2: "B"}


def _selection(levels: dict[int, float]) -> Selection:
    return Selection(status="optimal", levels=levels, cost=0.0, value=0.0, cap=0.0, message="")


def test_plan_total_sums_the_known_budgets() -> None:
    inputs = pl.DataFrame({"budget": [40_000.10, None, 9_999.90]})
    # Computed by hand: 40,000.10 + 9,999.90 = 50,000.00 (the product without a plan adds 0).
    assert plan_total(inputs) == 50_000.0


def test_plan_total_without_any_budget_is_zero() -> None:
    assert plan_total(pl.DataFrame({"budget": [None]}, schema={"budget": pl.Float64})) == 0.0


def test_plan_total_names_the_missing_column() -> None:
    with pytest.raises(ValueError, match="budget"):
        plan_total(pl.DataFrame({"plan": [1.0]}))


def test_value_at_plan_is_the_level_one_rows() -> None:
    # Computed by hand: A 80.0 + B 55.0 at level 1.
    assert value_at_plan(OPTIONS) == 135.0


def test_levels_become_changes() -> None:
    # Computed by hand: level 0.75 -> −25 %, 0 (not funded) -> −100 %, 1.25 -> +25 %.
    assert levels_as_changes({1: 0.75, 2: 0.0, 3: 1.25, 4: 1.0}) == {
        1: -0.25,
        2: -1.0,
        3: 0.25,
        4: 0.0,
    }


def test_cap_distance_is_the_size_of_the_gap() -> None:
    assert cap_distance(-25_000.0) == 25_000.0  # over the cap by 25,000.00
    assert cap_distance(50_000.0) == 50_000.0  # 50,000.00 left under it
    assert cap_distance(None) is None


def test_selection_table_prices_the_best_sets_level() -> None:
    best = _selection({1: 0.5, 2: 0.0})
    line = _selection({1: 1.0, 2: 0.0})
    table = selection_table(OPTIONS, best, line, NAMES)
    # Funded first: A at 0.5 costs 50,000.00 and is worth 52.8; B not funded costs 0.
    assert table.rows() == [
        ("A", 0.5, 50_000.0, 52.8, 1.0),
        ("B", 0.0, 0.0, 0.0, 0.0),
    ]


def test_selection_table_lists_a_product_missing_from_a_selection_as_not_funded() -> None:
    table = selection_table(OPTIONS, _selection({2: 1.0}), _selection({}), NAMES)
    assert table.rows() == [
        ("B", 1.0, 40_000.0, 55.0, 0.0),
        ("A", 0.0, 0.0, 0.0, 0.0),
    ]
