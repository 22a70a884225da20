"""The exact multiple-choice knapsack on its own: brute force, ties, the HiGHS hand-over, units."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning import knapsack
from planning.knapsack import (
    VALUE_UNITS,
    cap_to_minor,
    solve_mckp,
    to_minor,
    to_points,
    to_value_units,
)


def arrays(groups: list[list[tuple[int, int]]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows as (cost, value) per group → the group, cost and value arrays solve_mckp takes."""
    group = np.array([g for g, rows in enumerate(groups) for _ in rows], dtype=np.int64)
    cost = np.array([c for rows in groups for c, _ in rows], dtype=np.int64)
    value = np.array([v for rows in groups for _, v in rows], dtype=np.int64)
    return group, cost, value


def brute_force(
    groups: list[list[tuple[int, int]]], cap: int, allowed: np.ndarray | None = None
) -> tuple[int, int] | None:
    """(best value, least cost at that value) over every plan, or None when none fits."""
    flat = [row for rows in groups for row in rows]
    index = [[i for i, _ in enumerate(rows)] for rows in groups]
    offsets = np.cumsum([0, *(len(rows) for rows in groups)])[:-1]
    best = None
    for pick in itertools.product(*index):
        rows = [int(offsets[g]) + k for g, k in enumerate(pick)]
        if allowed is not None and not all(allowed[r] for r in rows):
            continue
        cost = sum(flat[r][0] for r in rows)
        value = sum(flat[r][1] for r in rows)
        if cost <= cap and (best is None or (value, -cost) > (best[0], -best[1])):
            best = (value, cost)
    return best


# --- the research toy example (portfolio_prioritisation.md §2.4), in pence and units --------
# Each product: nothing (0, 0) or funded (cost, value): A 100/30, B 200/45, C 200/20, D 300/50,
# E 150/25. At a cap of 400 the best is {A, D}: 100 + 300 = 400, value 30 + 50 = 80.
TOY = [[(0, 0), (100, 30)], [(0, 0), (200, 45)], [(0, 0), (200, 20)], [(0, 0), (300, 50)]]
TOY += [[(0, 0), (150, 25)]]


def test_toy_example_at_a_cap_of_400() -> None:
    result = solve_mckp(*arrays(TOY), 400)
    assert result.status == "optimal"
    assert result.gap == 0
    # one row per group, in group order: A funded (row 1), B, C not (2, 4), D funded (7), E not (8)
    assert result.choice.tolist() == [1, 2, 4, 7, 8]


def test_equal_value_prefers_the_cheaper_plan_then_the_earlier_rows() -> None:
    # A alone: 100 for 10; B + C: 60 + 30 = 90 for 4 + 6 = 10 → B + C, the cheaper
    groups = [[(0, 0), (100, 10)], [(0, 0), (60, 4)], [(0, 0), (30, 6)]]
    assert solve_mckp(*arrays(groups), 100).choice.tolist() == [0, 3, 5]
    # two rows of one group alike in cost and value: the earlier one is chosen
    assert solve_mckp(*arrays([[(0, 0), (5, 7), (5, 7)]]), 10).choice.tolist() == [1]


def test_everything_fits_at_its_best() -> None:
    # cap 1,000 ≥ 100 + 200 + 200 + 300 + 150 = 950: every product at its most valuable row
    assert solve_mckp(*arrays(TOY), 1_000).choice.tolist() == [1, 3, 5, 7, 9]


def test_allowed_expresses_forcing() -> None:
    group, cost, value = arrays(TOY)
    allowed = np.ones(len(group), dtype=bool)
    allowed[4] = False  # C forced in: its "nothing" row is not allowed
    allowed[7] = False  # D forced out: its funded row is not allowed
    # cap 400, C in (200), D out: best of the rest within 200 is B (45) → {B, C}
    result = solve_mckp(group, cost, value, 400, allowed=allowed)
    assert result.choice.tolist() == [0, 3, 5, 6, 8]


def test_infeasible_when_a_group_has_no_row_or_the_cheapest_do_not_fit() -> None:
    group, cost, value = arrays(TOY)
    no_row = np.ones(len(group), dtype=bool)
    no_row[[0, 1]] = False  # A can take neither row
    for result in (
        solve_mckp(group, cost, value, 400, allowed=no_row),
        solve_mckp(group, cost + 1, value, 4),  # every row costs ≥ 1: five groups need ≥ 5
    ):
        assert result.status == "infeasible"
        assert result.choice.size == 0


def test_bad_arrays_are_refused() -> None:
    group, cost, value = arrays(TOY)
    with pytest.raises(ValueError, match="length"):
        solve_mckp(group, cost[:-1], value, 400)
    with pytest.raises(ValueError, match="whole numbers"):
        solve_mckp(group, cost.astype(float), value, 400)
    with pytest.raises(ValueError, match="≥ 0"):
        solve_mckp(group, cost - 1, value, 400)


@settings(max_examples=150, deadline=None)
@given(
    groups=st.lists(
        st.lists(st.tuples(st.integers(0, 60), st.integers(-5, 40)), min_size=1, max_size=4),
        min_size=1,
        max_size=6,
    ),
    cap=st.integers(0, 200),
    data=st.data(),
)
def test_matches_brute_force(
    groups: list[list[tuple[int, int]]], cap: int, data: st.DataObject
) -> None:
    group, cost, value = arrays(groups)
    allowed = np.array(data.draw(st.lists(st.booleans(), min_size=len(group), max_size=len(group))))
    expected = brute_force(groups, cap, allowed)
    result = solve_mckp(group, cost, value, cap, allowed=allowed)
    if expected is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal"
    assert sorted(group[result.choice].tolist()) == list(range(len(groups)))
    assert allowed[result.choice].all()
    assert (int(value[result.choice].sum()), int(cost[result.choice].sum())) == expected


def concave_portfolio() -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """40 groups × (nothing + 4 levels), values concave in cost: leaves a core to search."""
    groups = []
    for pid in range(1, 41):
        budget, score = 1_000 * (pid % 13 + 1), (pid * 37) % 90 + 5
        levels = [(round(budget * lvl), round(score * lvl**0.6 * 1000)) for lvl in (0.5, 0.75, 1.0)]
        groups.append([(0, 0), *levels])
    cap = round(0.45 * sum(1_000 * (pid % 13 + 1) for pid in range(1, 41)))
    return (*arrays(groups), cap)


def test_the_exact_search_and_its_highs_hand_over_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    group, cost, value, cap = concave_portfolio()
    exact = solve_mckp(group, cost, value, cap)
    monkeypatch.setattr(knapsack, "_MAX_STATES", 1)
    highs = solve_mckp(group, cost, value, cap)
    assert (highs.status, highs.gap) == ("optimal", 0)
    assert int(value[highs.choice].sum()) == int(value[exact.choice].sum())
    assert int(cost[highs.choice].sum()) == int(cost[exact.choice].sum()) <= cap


def test_a_highs_run_stopped_by_its_limit_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import scipy.optimize
    from scipy.optimize import OptimizeResult

    def stopped(*args: object, **kwargs: object) -> OptimizeResult:
        return OptimizeResult(x=None, status=1, mip_dual_bound=None, message="Time limit reached")

    group, cost, value, cap = concave_portfolio()
    best = int(value[solve_mckp(group, cost, value, cap).choice].sum())
    monkeypatch.setattr(knapsack, "_MAX_STATES", 1)
    monkeypatch.setattr(scipy.optimize, "milp", stopped)
    result = solve_mckp(group, cost, value, cap, time_limit=0.5)
    # the greedy incumbent: one row per group, within the cap, and the gap covers the shortfall
    found = int(value[result.choice].sum())
    assert result.status == "time_limit"
    assert sorted(group[result.choice].tolist()) == list(range(40))
    assert int(cost[result.choice].sum()) <= cap
    assert result.gap >= 1
    assert found <= best <= found + result.gap + 1e-6


def test_units_are_exact() -> None:
    # 0.1 + 0.2 = 0.30000000000000004 in floats; in pence 10 + 20 = 30 fits a £0.30 cap
    assert (
        to_minor(np.array([0.1, 0.2]), currency="GBP").sum()
        == cap_to_minor(0.3, currency="GBP")
        == 30
    )
    # a cap is rounded down to the penny (never overspent), after float noise is removed
    assert cap_to_minor(12.349, currency="GBP") == 1234
    assert cap_to_minor(0.29, currency="GBP") == 29  # 0.29 × 100 = 28.999999999999996
    assert to_value_units(np.array([91.4, -0.0000004])).tolist() == [91_400_000, 0]
    assert to_points(1_500_000) == 1.5 == 1_500_000 / VALUE_UNITS
    for bad in (-1, float("nan"), float("inf"), "10"):
        with pytest.raises(ValueError, match="cap must be"):
            cap_to_minor(bad, currency="GBP")  # type: ignore[arg-type]


def test_units_follow_the_currency_minor_unit() -> None:
    # ISO 4217: the yen has no minor unit, the Kuwaiti dinar 1,000 fils.
    # computed by hand: ¥15,000 is 15,000 whole units (not 1,500,000 "pence")
    assert to_minor(np.array([15_000.0, 0.4]), currency="JPY").tolist() == [15_000, 0]
    assert cap_to_minor(15_000.9, currency="JPY") == 15_000  # rounded down to the yen
    # KWD 1.234 = 1,234 fils; 0.1 + 0.2 dinar = 100 + 200 fils = a 0.3 dinar cap exactly
    assert to_minor(np.array([1.234, 0.1, 0.2]), currency="KWD").tolist() == [1_234, 100, 200]
    assert cap_to_minor(0.3, currency="KWD") == 300
    assert cap_to_minor(1.2349, currency="KWD") == 1_234
    with pytest.raises(ValueError, match="'XYZ' is not an ISO 4217"):
        to_minor(np.array([1.0]), currency="XYZ")


def test_no_options_is_the_empty_plan() -> None:
    empty = np.zeros(0, dtype=np.int64)
    result = solve_mckp(empty, empty, empty, 1_000)
    assert result.status == "optimal" and len(result.choice) == 0
