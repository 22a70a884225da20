"""Best set under a cap: exact against brute force, the research toy example, the funding line."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning import knapsack
from planning.selection import (
    FUNDING_LEVELS,
    Selection,
    compare_selections,
    default_caps,
    efficient_frontier,
    explain,
    funding_line,
    funding_options,
    level_costs,
    optimise,
)
from planning.whatif import Assumptions
from tests.planning import WHATIF_SCHEMA

# --- the research toy example (portfolio_prioritisation.md §2.4): a 0-1 choice --------------
NAMES = {1: "A", 2: "B", 3: "C", 4: "D", 5: "E"}
TOY_COST = {1: 100.0, 2: 200.0, 3: 200.0, 4: 300.0, 5: 150.0}
TOY_VALUE = {1: 30.0, 2: 45.0, 3: 20.0, 4: 50.0, 5: 25.0}
TOY_OPTIMUM = [  # cap, best set, value
    (100, {"A"}, 30),
    (200, {"B"}, 45),
    (250, {"A", "E"}, 55),
    (300, {"A", "B"}, 75),
    (400, {"A", "D"}, 80),
    (450, {"A", "B", "E"}, 100),
    (600, {"A", "B", "D"}, 125),
    (750, {"A", "B", "D", "E"}, 150),
    (950, {"A", "B", "C", "D", "E"}, 170),
]
# Ranked by value (the funding line's order): D 50, B 45, A 30, E 25, C 20.
TOY_RANKING = [4, 2, 1, 5, 3]


OPTION_SCHEMA = {
    "product_id": pl.Int64,
    "level": pl.Float64,
    "cost": pl.Float64,
    "value": pl.Float64,
}


def options(rows: Sequence[tuple[int, float, float, float]]) -> pl.DataFrame:
    """(product_id, level, cost, value) rows; level-0 rows are added for every product."""
    ids = sorted({row[0] for row in rows})
    zero = [(pid, 0.0, 0.0, 0.0) for pid in ids]
    return pl.DataFrame(
        [*zero, *rows],
        schema={
            "product_id": pl.Int64,
            "level": pl.Float64,
            "cost": pl.Float64,
            "value": pl.Float64,
        },
        orient="row",
    )


@pytest.fixture
def toy() -> pl.DataFrame:
    return options([(pid, 1.0, TOY_COST[pid], TOY_VALUE[pid]) for pid in NAMES])


def named(chosen: Selection) -> set[str]:
    return {NAMES[pid] for pid in chosen.funded}


@pytest.mark.parametrize(("cap", "best", "value"), TOY_OPTIMUM)
def test_toy_example_optimum(toy: pl.DataFrame, cap: float, best: set[str], value: float) -> None:
    chosen = optimise(toy, cap=cap, currency="GBP")
    assert chosen.status == "optimal"
    assert named(chosen) == best
    assert chosen.value == pytest.approx(value)
    assert chosen.cost <= cap
    assert set(chosen.levels) == set(NAMES)  # every product gets a level, 0 when not funded


def test_best_sets_are_not_nested(toy: pl.DataFrame) -> None:
    # B is in the best set at 300 ({A, B}) but not at 400 ({A, D}): D alone then fits beside A.
    at_300, at_400 = optimise(toy, cap=300, currency="GBP"), optimise(toy, cap=400, currency="GBP")
    assert "B" in named(at_300)
    assert "B" not in named(at_400)
    frontier = efficient_frontier(
        toy, caps=[cap for cap, _, _ in TOY_OPTIMUM], ranking=TOY_RANKING, currency="GBP"
    )
    assert frontier["optimal_value"].to_list() == [value for _, _, value in TOY_OPTIMUM]
    funded = [{NAMES[p] for p in ids} for ids in frontier["funded"].to_list()]
    assert funded == [best for _, best, _ in TOY_OPTIMUM]
    # the first pair of caps where a product drops out: A at £100, gone at £200 for B
    note = explain(
        compare_selections(at_400, funding_line(toy, TOY_RANKING, cap=400, currency="GBP"), NAMES),
        frontier=frontier,
        names=NAMES,
        currency="GBP",
    )
    assert "A is in the best set at £100 but not at £200, because B then fits." in note


def test_funding_line_stops_at_the_first_that_does_not_fit(toy: pl.DataFrame) -> None:
    # cap 400: D (300) fits, £100 left; B (200) does not → the line stops: {D}, value 50.
    stop = funding_line(toy, TOY_RANKING, cap=400, currency="GBP")
    assert (named(stop), stop.cost, stop.value) == ({"D"}, 300.0, 50.0)
    # "skip" passes over B and goes on: A (100) fits → {D, A}, 400, value 80.
    skip = funding_line(toy, TOY_RANKING, cap=400, rule="skip", currency="GBP")
    assert (named(skip), skip.cost, skip.value) == ({"A", "D"}, 400.0, 80.0)
    with pytest.raises(ValueError, match="rule"):
        funding_line(toy, TOY_RANKING, cap=400, rule="greedy", currency="GBP")  # type: ignore[arg-type]


def test_explain_says_what_the_best_set_adds_and_drops(toy: pl.DataFrame) -> None:
    names = {1: "Coaching app", 2: "Leadership programme", 3: "C", 4: "D", 5: "Excel classroom"}
    # cap 250, ranking B first: the line funds B (200, value 45) and stops at D (300);
    # the best set is {A, E} (250, value 55): adds Coaching app and Excel classroom,
    # drops Leadership programme, 55 − 45 = 10 more points, spending 250 − 200 = £50 more.
    ranking = [2, 4, 1, 5, 3]
    best, line = (
        optimise(toy, cap=250, currency="GBP"),
        funding_line(toy, ranking, cap=250, currency="GBP"),
    )
    difference = compare_selections(best, line, names)
    assert difference.added == ("Coaching app", "Excel classroom")
    assert difference.dropped == ("Leadership programme",)
    assert difference.value_gain == pytest.approx(10.0)
    text = explain(difference, currency="GBP")
    assert text.startswith(
        "The best set adds Coaching app and Excel classroom and drops Leadership programme: "
        "for the same £250 it buys 10 more value points, spending £50 more of it."
    )
    assert "not nested" in text
    same = compare_selections(best, best, names)
    assert explain(same, currency="GBP").startswith(
        "The funding line is already the best set for £250"
    )


def test_explain_names_changed_levels() -> None:
    # One product, levels 0.5 (cost 50, value 30) and 1 (cost 100, value 40); cap 60:
    # the line (level 1) cannot fund it, the best set funds it at 50 %.
    two_levels = options([(1, 0.5, 50.0, 30.0), (1, 1.0, 100.0, 40.0), (2, 1.0, 10.0, 5.0)])
    best = optimise(two_levels, cap=60, currency="GBP")
    assert best.levels == {1: 0.5, 2: 1.0}
    line = funding_line(two_levels, [2, 1], cap=60, rule="skip", currency="GBP")  # funds 2 only
    half = funding_line(two_levels, [1, 2], cap=200, currency="GBP")
    assert half.levels == {1: 1.0, 2: 1.0}
    difference = compare_selections(best, half, {1: "Academy", 2: "App"})
    assert difference.changed == (("Academy", 1.0, 0.5),)
    assert "funds Academy at 50% instead of 100%" in explain(difference, currency="GBP")
    assert compare_selections(best, line, {1: "Academy"}).added == ("Academy",)


def test_cap_below_every_product_gives_the_empty_set(toy: pl.DataFrame) -> None:
    chosen = optimise(toy, cap=99.99, currency="GBP")
    assert chosen.status == "optimal"
    assert chosen.funded == frozenset()
    assert (chosen.cost, chosen.value) == (0.0, 0.0)
    assert (
        chosen.message
        == "No product fits under the £99.99 cap: the cheapest funded level costs £100."
    )


def test_forced_in_beyond_the_cap_is_infeasible_and_says_why() -> None:
    big = options([(1, 1.0, 700_000.0, 10.0), (2, 1.0, 500_000.0, 8.0), (3, 1.0, 1.0, 1.0)])
    chosen = optimise(big, cap=1_000_000, forced_in=frozenset({1, 2}), currency="GBP")
    assert chosen.status == "infeasible"
    # 700,000 + 500,000 = £1.2m > £1.0m
    assert chosen.message == "The forced-in products alone cost £1.20m, above the £1.00m cap."
    line = funding_line(big, [3, 1, 2], cap=1_000_000, forced_in=frozenset({1, 2}), currency="GBP")
    assert line.status == "infeasible"
    difference = compare_selections(chosen, line, {})
    assert explain(difference, currency="GBP").startswith(
        "No plan fits the £1.00m cap: The forced-in products"
    )


def test_forced_in_without_a_funded_level_is_infeasible() -> None:
    only_zero = options([(2, 1.0, 5.0, 1.0)]).vstack(
        pl.DataFrame(
            {"product_id": [1], "level": [0.0], "cost": [0.0], "value": [0.0]},
            schema={
                "product_id": pl.Int64,
                "level": pl.Float64,
                "cost": pl.Float64,
                "value": pl.Float64,
            },
        )
    )
    chosen = optimise(only_zero, cap=100, forced_in=frozenset({1}), currency="GBP")
    assert chosen.status == "infeasible"
    assert "Product 1 is forced in" in chosen.message


def test_forcing_mistakes_are_refused(toy: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="forced both in and out"):
        optimise(toy, cap=500, forced_in=frozenset({1}), forced_out=frozenset({1}), currency="GBP")
    with pytest.raises(ValueError, match="unknown product"):
        optimise(toy, cap=500, forced_out=frozenset({42}), currency="GBP")
    with pytest.raises(ValueError, match="cap"):
        optimise(toy, cap=-1, currency="GBP")
    with pytest.raises(ValueError, match="level-0"):
        optimise(toy.filter(pl.col("level") > 0), cap=500, currency="GBP")


def test_forcing_moves_the_best_set(toy: pl.DataFrame) -> None:
    # cap 400, C forced in (200): best of the rest within 200 is B (45) → {B, C}, value 65
    chosen = optimise(toy, cap=400, forced_in=frozenset({3}), currency="GBP")
    assert named(chosen) == {"B", "C"}
    # D forced out: best within 400 without D is {A, B} (75) beating {B, E} (70)
    assert named(optimise(toy, cap=400, forced_out=frozenset({4}), currency="GBP")) == {"A", "B"}


def test_equal_value_prefers_the_cheaper_plan() -> None:
    # A alone: cost 100, value 10; B + C: cost 60 + 30 = 90, value 4 + 6 = 10 → B + C
    tied = options([(1, 1.0, 100.0, 10.0), (2, 1.0, 60.0, 4.0), (3, 1.0, 30.0, 6.0)])
    chosen = optimise(tied, cap=100, currency="GBP")
    assert chosen.funded == frozenset({2, 3})
    assert chosen.cost == 90.0


def test_costs_are_compared_in_pence() -> None:
    # 0.1 + 0.2 = 0.30000000000000004 in floats; in pence 10 + 20 = 30 fits a £0.30 cap
    pennies = options([(1, 1.0, 0.1, 1.0), (2, 1.0, 0.2, 1.0)])
    assert optimise(pennies, cap=0.3, currency="GBP").funded == frozenset({1, 2})


def test_the_exact_core_search_and_its_highs_fallback_agree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 40 products × 4 levels with concave values: big enough to leave a core to search.
    rows = []
    for pid in range(1, 41):
        budget, score = 1_000.0 * (pid % 13 + 1), float((pid * 37) % 90 + 5)
        rows += [(pid, lvl, budget * lvl, score * lvl**0.6) for lvl in (0.5, 0.75, 1.0, 1.25)]
    many = options(rows)
    cap = 0.45 * sum(1_000.0 * (pid % 13 + 1) for pid in range(1, 41))
    exact = optimise(many, cap=cap, currency="GBP")
    monkeypatch.setattr(knapsack, "_MAX_STATES", 1)
    fallback = optimise(many, cap=cap, currency="GBP")
    assert fallback.value == pytest.approx(exact.value, abs=1e-5)
    assert fallback.cost == exact.cost
    assert exact.cost <= cap


def test_a_search_stopped_by_the_time_limit_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import scipy.optimize
    from scipy.optimize import OptimizeResult

    def stopped(*args: object, **kwargs: object) -> OptimizeResult:
        return OptimizeResult(x=None, status=1, mip_dual_bound=None, message="Time limit reached")

    rows = []
    for pid in range(1, 41):
        budget, score = 1_000.0 * (pid % 13 + 1), float((pid * 37) % 90 + 5)
        rows += [(pid, lvl, budget * lvl, score * lvl**0.6) for lvl in (0.5, 0.75, 1.0, 1.25)]
    many = options(rows)
    cap = 0.45 * sum(1_000.0 * (pid % 13 + 1) for pid in range(1, 41))
    exact = optimise(many, cap=cap, currency="GBP")
    monkeypatch.setattr(knapsack, "_MAX_STATES", 1)
    monkeypatch.setattr(scipy.optimize, "milp", stopped)
    chosen = optimise(many, cap=cap, time_limit=0.5, currency="GBP")
    # the greedy incumbent: within the cap, no better than the optimum, and the gap says by how much
    assert chosen.status == "time_limit"
    assert chosen.cost <= cap
    assert chosen.gap > 0
    assert chosen.value <= exact.value + 1e-9 <= chosen.value + chosen.gap + 1e-6
    assert chosen.message.startswith("Stopped after 0.5 s without proof")


# --- funding options from the what-if ------------------------------------------------------
INPUT_SCHEMA = WHATIF_SCHEMA


def inputs(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"product_id": i + 1, "product": f"P{i + 1}", **row} for i, row in enumerate(rows)],
        schema=INPUT_SCHEMA,
    )


def scores(*values: float | None) -> pl.DataFrame:
    return pl.DataFrame(
        {"product_id": list(range(1, len(values) + 1)), "score": list(values)},
        schema={"product_id": pl.Int64, "score": pl.Float64},
    )


def test_funding_options_cost_the_what_if_and_value_the_output() -> None:
    rows = inputs(
        {"budget": 100_000.0},  # usage not tracked: multiplier = level^0.6
        {"budget": 20_000.0, "active_learners": 90, "target_audience_size": 100},
        {"budget": 30_000.0},  # null score
        {"budget": None},  # cannot be costed
    )
    out = funding_options(rows, scores(80.0, 50.0, None, 70.0), currency="GBP")
    first = out.filter(pl.col("product_id") == 1)
    assert first["level"].to_list() == list(FUNDING_LEVELS)
    assert first["cost"].to_list() == [0.0, 50_000.0, 75_000.0, 100_000.0, 125_000.0]
    # 80 × 0.5^0.6 = 80 × 0.6597540 = 52.780; 80 × 1.25^0.6 = 80 × 1.1432626 = 91.461
    assert first["value"][1] == pytest.approx(52.780, abs=1e-3)
    assert first["value"][4] == pytest.approx(91.461, abs=1e-3)
    # tracked, audience-capped at 1.25: min(90 × 1.1432626, 100) = 100 → 50 × 100 ÷ 90 = 55.556
    second = out.filter(pl.col("product_id") == 2)
    assert second["value"][4] == pytest.approx(55.556, abs=1e-3)
    assert second["value"][3] == pytest.approx(50.0)
    assert out.filter(pl.col("product_id") == 3)["value"].to_list() == [0.0] * 5
    assert out.filter(pl.col("product_id") == 4)["level"].to_list() == [0.0]


def test_level_costs_add_level_zero_and_check_levels() -> None:
    costs = level_costs(
        inputs({"budget": 10.0}, {"budget": 0.0}), levels=(1.0, 1.5), currency="GBP"
    )
    assert costs.filter(pl.col("product_id") == 1)["level"].to_list() == [0.0, 1.0, 1.5]
    assert costs.filter(pl.col("product_id") == 2)["level"].to_list() == [0.0, 1.0]  # £0 budget
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        level_costs(inputs({"budget": 10.0}), levels=(2.5,), currency="GBP")
    elastic = level_costs(
        inputs({"budget": 10.0}), assumptions=Assumptions(elasticity=1.0), currency="GBP"
    )
    assert elastic["multiplier"].to_list() == pytest.approx([0.0, 0.5, 0.75, 1.0, 1.25])


def test_default_caps_span_nothing_to_everything(toy: pl.DataFrame) -> None:
    # everything at level 1: 100 + 200 + 200 + 300 + 150 = 950
    assert default_caps(toy, n=5, currency="GBP") == [0.0, 237.5, 475.0, 712.5, 950.0]
    with pytest.raises(ValueError, match="at least 2"):
        default_caps(toy, n=1, currency="GBP")


def test_frontier_reuse_matches_solving_each_cap(toy: pl.DataFrame) -> None:
    caps = default_caps(toy, n=12, currency="GBP")
    frontier = efficient_frontier(
        toy, caps=caps, ranking=TOY_RANKING, forced_in=frozenset({3}), currency="GBP"
    )
    for row in frontier.iter_rows(named=True):
        alone = optimise(toy, cap=row["cap"], forced_in=frozenset({3}), currency="GBP")
        if alone.status == "infeasible":
            assert row["status"] == "infeasible" and row["optimal_value"] is None
            continue
        assert row["optimal_value"] == pytest.approx(alone.value)
        assert row["optimal_cost"] == alone.cost
        assert row["optimal_value"] >= row["line_value"] - 1e-9
        assert row["optimal_value"] >= row["fill_value"] - 1e-9


# --- properties against brute force ---------------------------------------------------------
@st.composite
def instances(draw: st.DrawFn) -> tuple[pl.DataFrame, float, frozenset[int], frozenset[int]]:
    n = draw(st.integers(1, 7))
    levels = draw(st.integers(2, 3))  # options per product, level 0 included
    rows = []
    for pid in range(1, n + 1):
        for level in range(1, levels):
            cost = draw(st.integers(1, 400)) / 4  # quarter pounds: ties in cost are common
            value = draw(st.integers(0, 40)) / 2
            rows.append((pid, float(level), cost, value))
    cap = draw(st.integers(0, 600)) / 2
    ids = list(range(1, n + 1))
    forced_in = frozenset(draw(st.lists(st.sampled_from(ids), max_size=2)))
    forced_out = frozenset(draw(st.lists(st.sampled_from(ids), max_size=2))) - forced_in
    return options(rows), cap, forced_in, forced_out


def brute_force(
    opts: pl.DataFrame, cap: float, forced_in: frozenset[int], forced_out: frozenset[int]
) -> tuple[float, float] | None:
    """Best (value, cost) over every combination: most value, then least cost."""
    per_product = {
        pid: [(row["level"], row["cost"], row["value"]) for row in group.iter_rows(named=True)]
        for (pid,), group in opts.group_by("product_id")
    }
    best: tuple[int, int] | None = None
    for combo in itertools.product(*per_product.values()):
        chosen = dict(zip(per_product, combo, strict=True))
        if any(chosen[p][0] == 0 for p in forced_in) or any(chosen[p][0] > 0 for p in forced_out):
            continue
        cost = round(sum(c for _, c, _ in combo) * 100)
        value = round(sum(v for _, _, v in combo) * 2)
        if cost <= round(cap * 100) and (best is None or (value, -cost) > best):
            best = (value, -cost)
    return None if best is None else (best[0] / 2, -best[1] / 100)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_optimiser_equals_brute_force(
    instance: tuple[pl.DataFrame, float, frozenset[int], frozenset[int]],
) -> None:
    opts, cap, forced_in, forced_out = instance
    chosen = optimise(opts, cap=cap, forced_in=forced_in, forced_out=forced_out, currency="GBP")
    expected = brute_force(opts, cap, forced_in, forced_out)
    if expected is None:
        assert chosen.status == "infeasible"
        return
    assert chosen.status == "optimal"
    assert (chosen.value, chosen.cost) == pytest.approx(expected)
    assert chosen.cost <= cap
    assert forced_in <= chosen.funded
    assert not forced_out & chosen.funded


@settings(max_examples=100, deadline=None)
@given(instances(), st.integers(0, 300))
def test_more_budget_never_lowers_the_optimum_nor_beats_the_line(
    instance: tuple[pl.DataFrame, float, frozenset[int], frozenset[int]], extra: int
) -> None:
    opts, cap, forced_in, forced_out = instance
    smaller = optimise(opts, cap=cap, forced_in=forced_in, forced_out=forced_out, currency="GBP")
    larger = optimise(
        opts, cap=cap + extra, forced_in=forced_in, forced_out=forced_out, currency="GBP"
    )
    if smaller.status == "optimal":
        assert larger.status == "optimal"
        assert larger.value >= smaller.value - 1e-9
    ranking = sorted(set(opts["product_id"].to_list()), reverse=True)
    for rule in ("stop", "skip"):
        line = funding_line(
            opts,
            ranking,
            cap=cap,
            forced_in=forced_in,
            forced_out=forced_out,
            rule=rule,
            currency="GBP",
        )
        assert line.status == smaller.status
        if line.status == "optimal":
            assert line.cost <= cap
            assert smaller.value >= line.value - 1e-9
            assert forced_in <= line.funded and not forced_out & line.funded


def test_an_empty_portfolio_optimises_to_nothing() -> None:
    options = pl.DataFrame(
        schema={
            "product_id": pl.Int64,
            "level": pl.Float64,
            "cost": pl.Float64,
            "value": pl.Float64,
        }
    )
    best = optimise(options, cap=1_000.0, currency="GBP")
    assert (best.status, best.levels, best.cost, best.value) == ("optimal", {}, 0.0, 0.0)
    frontier = efficient_frontier(options, caps=[0.0, 100.0], ranking=[], currency="GBP")
    assert frontier["optimal_value"].to_list() == [0.0, 0.0]


def test_messages_write_the_reporting_currency() -> None:
    options = pl.DataFrame(
        {
            "product_id": [1, 1],
            "level": [0.0, 1.0],
            "cost": [0.0, 1_200_000.0],
            "value": [0.0, 10.0],
        }
    )
    # computed by hand: the forced-in product alone costs €1.20m > the €1.00m cap
    chosen = optimise(options, cap=1_000_000.0, forced_in=frozenset({1}), currency="EUR")
    assert chosen.message == "The forced-in product alone costs €1.20m, above the €1.00m cap."
    assert "CHF 1.50m" in optimise(options, cap=1_500_000.0, currency="CHF").message
