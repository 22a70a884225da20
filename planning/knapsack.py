"""An exact multiple-choice knapsack: one option per group, most value within a cap.

Why a module of its own: `planning.selection` says what a funding selection
is (products, funding levels, forcing, the funding line, the messages a page
shows); this module only says how the underlying problem is solved. It knows
nothing of products or money: it takes whole-number arrays and returns the
rows chosen, so the search can be read, tested and timed on its own.

The problem: rows belong to groups 0..n−1; pick exactly one row per group so
that Σ cost ≤ cap and Σ value is as large as possible; among plans of equal
value the cheapest, then the one with the earliest rows. It is NP-hard in
general, but funding portfolios are kind to it: values are concave in money
(each extra unit of money buys less), so a price-of-money bound settles
almost every product and leaves a small core to enumerate.

Why whole numbers: the answer must be exact to the minor unit. In floats
0.1 + 0.2 > 0.3, so a plan that fits a 0.30 cap exactly would be refused,
and two plans of "equal" value could differ in the last bit and break the
tie the wrong way. Costs are therefore searched in whole minor units of the
reporting currency (pence for GBP, yen for JPY, fils for KWD: ISO 4217 via
`metrics.currency`) and values in millionths of a point (`VALUE_UNITS`), as
int64, where sums are exact; `to_minor`, `cap_to_minor`, `to_value_units`
and `to_points` convert.

When the search hands over to HiGHS: the enumeration keeps only
non-dominated partial plans (no other is cheaper and worth at least as much),
pruned by the bound. When value is almost exactly proportional to cost,
every plan is worth the same per unit of money, the best is whichever
fills the cap exactly (a subset-sum problem), and the bound prunes nothing.
Once more than `_MAX_STATES` partial plans are alive the core goes to HiGHS
(`scipy.optimize.milp` at zero relative gap, also exact) under a time limit.
A solve stopped by that limit says so: status "time_limit" and the gap, the
most value the true optimum could add; it is never passed off as optimal.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

from metrics.currency import minor_per_major

__all__ = [
    "MAX_POINTS",
    "TIME_LIMIT_S",
    "VALUE_UNITS",
    "KnapsackResult",
    "SolveStatus",
    "cap_to_minor",
    "solve_mckp",
    "to_minor",
    "to_points",
    "to_value_units",
]

SolveStatus = Literal["optimal", "time_limit", "infeasible"]

VALUE_UNITS = 1_000_000
"""Value points are searched in millionths, as whole numbers, so sums are exact."""
MAX_POINTS = 1e9
"""The largest value (points) an option may have: 1e9 points is 1e15 units, exact in a float."""
TIME_LIMIT_S = 10.0
"""Seconds HiGHS may spend on a core the exact search could not finish."""
_MAX_STATES = 200_000
"""Above this many partial plans the exact search hands the core to HiGHS (also exact)."""


@dataclass(frozen=True)
class KnapsackResult:
    """The rows chosen by `solve_mckp`, and how sure the answer is.

    Attributes
    ----------
    choice : np.ndarray
        Indices into the arrays given to `solve_mckp`: one row per group, in
        group order (group 0 first). Empty when infeasible.
    status : {"optimal", "time_limit", "infeasible"}
        "optimal": proven best. "time_limit": HiGHS stopped at its time limit;
        the plan fits the cap and is at most `gap` short of the best.
        "infeasible": some group has no allowed row, or the cheapest allowed
        rows together exceed the cap.
    gap : float
        Value units (not points) by which the best plan could beat `choice`:
        0 unless the status is "time_limit".
    """

    choice: np.ndarray
    status: SolveStatus
    gap: float = 0.0


def solve_mckp(
    group: np.ndarray,
    cost: np.ndarray,
    value: np.ndarray,
    cap: int,
    *,
    allowed: np.ndarray | None = None,
    time_limit: float = TIME_LIMIT_S,
) -> KnapsackResult:
    """Choose one row per group: the most value within the cap, exactly.

    Parameters
    ----------
    group : np.ndarray
        Integer group of each row, numbered 0..n−1.
    cost : np.ndarray
        Whole-number cost of each row, ≥ 0 (minor units: `to_minor`).
    value : np.ndarray
        Whole-number value of each row (value units: `to_value_units`).
    cap : int
        The most the chosen rows may cost together (minor units: `cap_to_minor`).
    allowed : np.ndarray | None
        Boolean mask of the rows that may be chosen (all when None). Forcing
        is expressed here: a group forced in loses its "not funded" row, a
        group forced out keeps only that row.
    time_limit : float
        Seconds HiGHS may spend on a core the exact search hands over (see
        Notes); the wall time of the search itself is not limited.

    Returns
    -------
    KnapsackResult
        The chosen rows (one per group, in group order), the status and the
        gap in value units.

    Notes
    -----
    Maximise Σ value subject to Σ cost ≤ cap and exactly one row per group;
    among plans of equal value, the least Σ cost, then the earliest rows.
    Rows costing more than the cap are dropped first. The search, in order:

    1. Drop rows that cost at least as much as another row of the group and
       are worth no more (dominated rows are never needed).
    2. If every group's most valuable row fits together, that is the answer.
    3. Bound: for any price of money λ ≥ 0, Σ value ≤ λ·cap +
       Σ_groups max_row (value − λ·cost). Bisection finds the λ at which the
       rows maximising value − λ·cost just fit the cap: the tightest bound.
    4. Incumbent: that plan, topped up greedily with the money left.
    5. Reduced-cost fixing: a row whose value − λ·cost falls short of its
       group's best by more than (bound − incumbent) is in no plan worth the
       incumbent, so it is dropped; a group left with one row is fixed.
    6. The core (groups with a choice left) is enumerated group by group,
       keeping only non-dominated (cost, value) partial plans that can still
       reach the incumbent under the bound.

    Every step discards only plans provably no better, so the result is
    exact. Typical portfolios leave a core of tens of groups: 500 groups
    solve in tens of milliseconds. A core past `_MAX_STATES` partial plans
    goes to HiGHS (see the module notes); stopped by `time_limit`, it
    returns its best plan with status "time_limit" and the gap.

    Examples
    --------
    Two groups, each "nothing" (cost 0) or one option; a cap of 5 fits only
    one option, and the second is worth more:

    >>> import numpy as np
    >>> result = solve_mckp(
    ...     np.array([0, 0, 1, 1]), np.array([0, 4, 0, 5]), np.array([0, 3, 0, 4]), 5
    ... )
    >>> result.choice.tolist(), result.status
    ([0, 3], 'optimal')
    """
    group = np.asarray(group)
    cost = np.asarray(cost)
    value = np.asarray(value)
    if not len(group) == len(cost) == len(value):
        msg = f"group, cost and value differ in length: {len(group)}, {len(cost)}, {len(value)}"
        raise ValueError(msg)
    for name, array in (("group", group), ("cost", cost), ("value", value)):
        if len(array) and not np.issubdtype(array.dtype, np.integer):
            msg = f"{name} must hold whole numbers, got dtype {array.dtype}"
            raise ValueError(msg)
    if len(cost) and int(cost.min()) < 0:
        msg = f"costs must be ≥ 0, got {int(cost.min())}"
        raise ValueError(msg)
    if not len(group):  # no product at all: the empty plan is the best one
        return KnapsackResult(np.zeros(0, dtype=np.int64), "optimal")
    keep = np.ones(len(group), dtype=bool) if allowed is None else np.asarray(allowed, dtype=bool)
    rows = np.flatnonzero(keep & (cost <= cap))
    groups = int(group.max()) + 1 if len(group) else 0
    if groups:
        cheapest = np.full(groups, np.iinfo(np.int64).max)
        np.minimum.at(cheapest, group[rows], cost[rows])
        if np.bincount(group[rows], minlength=groups).min() == 0 or int(cheapest.sum()) > cap:
            return KnapsackResult(np.zeros(0, dtype=np.int64), "infeasible")
    chosen, gap = _mckp(group[rows], cost[rows], value[rows], cap, time_limit=time_limit)
    picked = rows[chosen]
    picked = picked[np.argsort(group[picked], kind="stable")]
    return KnapsackResult(picked, "time_limit" if gap > 0 else "optimal", gap)


def to_minor(amounts: np.ndarray, *, currency: str) -> np.ndarray:
    """Amounts in major units as whole minor units of `currency` (int64), to the nearest.

    Examples
    --------
    >>> to_minor(np.array([12.34, 0.5]), currency="GBP").tolist()
    [1234, 50]
    >>> to_minor(np.array([3600.0]), currency="JPY").tolist()
    [3600]
    """
    return np.round(amounts * minor_per_major(currency)).astype(np.int64)


def cap_to_minor(cap: float, *, currency: str) -> int:
    """A budget cap in whole minor units of `currency`, rounded down: never above the cap.

    Notes
    -----
    The cap is first rounded to 6 decimals of a minor unit, so a cap of
    0.29 GBP that reads 28.999999999999996 pence in floats is 29 pence,
    not 28.

    Examples
    --------
    >>> cap_to_minor(0.29, currency="GBP"), cap_to_minor(1500.9, currency="JPY")
    (29, 1500)
    """
    if not isinstance(cap, int | float) or not math.isfinite(cap) or cap < 0:
        msg = f"cap must be a finite amount ≥ 0, got {cap!r}"
        raise ValueError(msg)
    return math.floor(round(cap * minor_per_major(currency), 6))


def to_value_units(points: np.ndarray) -> np.ndarray:
    """Value points as whole millionths (int64), rounded; |points| ≤ `MAX_POINTS` stays exact."""
    return np.round(points * VALUE_UNITS).astype(np.int64)


def to_points(units: float) -> float:
    """Value units (millionths) back to value points, e.g. a `KnapsackResult.gap`."""
    return units / VALUE_UNITS


def _mckp(
    group: np.ndarray, cost: np.ndarray, value: np.ndarray, cap: int, *, time_limit: float
) -> tuple[np.ndarray, float]:
    """Exact multiple-choice knapsack: indices (into the arrays) of one row per group.

    `group` numbers 0..n−1 with at least one row each and every cost ≤ cap;
    costs and values are whole numbers. Maximises Σ value, then minimises
    Σ cost, then prefers earlier rows. Returns the rows (not in group order)
    and the gap (value units the optimum could exceed them by: 0 unless
    HiGHS hit its limit). The steps are those of `solve_mckp`'s Notes.
    """
    # 1. Keep each group's non-dominated rows: sorted by cost, each worth strictly more.
    order = np.lexsort((np.arange(len(group)), -value, cost, group))
    g, c, v = group[order], cost[order], value[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    prev_best = _group_running_max(v, starts)
    keep = v > prev_best
    order, g, c, v = order[keep], g[keep], c[keep], v[keep]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, len(g)])
    ends = starts + sizes
    # 2. Everything at its most valuable level fits: done.
    if int(c[ends - 1].sum()) <= cap:
        return order[ends - 1], 0.0
    # 3. Lagrangian bound: for any λ ≥ 0, Σ value ≤ λ·cap + Σ_i max_j (v_ij − λ c_ij).
    cf, vf = c.astype(np.float64), v.astype(np.float64)
    lam, choice = _price_of_money(cf, vf, c, starts, sizes, cap)
    mu = np.maximum.reduceat(vf - lam * cf, starts)
    upper = lam * cap + float(mu.sum())
    # 4. Incumbent: the cheap-side plan, topped up greedily.
    choice = _top_up(choice, c, v, starts, sizes, cap)
    lower = int(v[choice].sum())
    # 5. Reduced-cost fixing: a row whose reduced cost exceeds upper − lower is in no plan
    #    worth the incumbent. The margin absorbs float rounding in the bound.
    margin = 1.0 + 1e-9 * abs(upper)
    reduced = np.repeat(mu, sizes) - (vf - lam * cf)
    alive = reduced <= (upper - lower) + margin
    bounds = _Bounds(lam=lam, lower=lower, margin=margin, incumbent=choice)
    picked, gap = _core_search(g, c, v, alive, sizes, cap, bounds, time_limit=time_limit)
    return order[picked], gap


def _group_running_max(v: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """For each row, the largest value among the rows before it in its group (−∞ for the first)."""
    position = np.arange(len(v)) - np.repeat(starts, np.diff(np.r_[starts, len(v)]))
    before = np.full(len(v), np.iinfo(np.int64).min, dtype=np.int64)
    running = v.copy()
    for k in range(1, int(position.max()) + 1 if len(v) else 1):
        at = np.flatnonzero(position == k)
        before[at] = running[at - 1]
        running[at] = np.maximum(running[at - 1], v[at])
    return before


def _argmax_cheapest(score: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Per group, the first (cheapest) row with the group's highest score."""
    best = np.maximum.reduceat(score, starts)
    rows = np.arange(len(score))
    hit = np.where(score >= np.repeat(best, sizes), rows, len(score))
    return np.minimum.reduceat(hit, starts)


def _price_of_money(
    cf: np.ndarray, vf: np.ndarray, c: np.ndarray, starts: np.ndarray, sizes: np.ndarray, cap: int
) -> tuple[float, np.ndarray]:
    """λ where the Lagrangian plan's cost crosses the cap (bisection), and the plan that fits.

    The plan maximising value − λ·cost costs less as λ rises, so bisection
    on λ finds the smallest price at which it fits: the tightest bound, and
    a feasible plan to start the incumbent from.
    """
    low, high = 0.0, float(vf.max() - vf.min() + 1.0)  # at `high` every group picks its cheapest
    plan = _argmax_cheapest(vf - high * cf, starts, sizes)
    for _ in range(200):
        mid = 0.5 * (low + high)
        trial = _argmax_cheapest(vf - mid * cf, starts, sizes)
        if int(c[trial].sum()) > cap:
            low = mid
        else:
            high, plan = mid, trial
        if high - low <= 1e-13 * high:
            break
    return high, plan


def _top_up(
    choice: np.ndarray,
    c: np.ndarray,
    v: np.ndarray,
    starts: np.ndarray,
    sizes: np.ndarray,
    cap: int,
) -> np.ndarray:
    """Raise groups to better rows with the money left, best value per unit of money first."""
    choice = choice.copy()
    group = np.repeat(np.arange(len(starts)), sizes)
    left = cap - int(c[choice].sum())
    for _ in range(4 * len(starts) + 10):
        extra_c = c - c[choice][group]
        extra_v = v - v[choice][group]
        fits = (extra_v > 0) & (extra_c <= left)
        if not fits.any():
            break
        rate = np.where(fits, extra_v / np.maximum(extra_c, 0.5), -np.inf)
        row = int(np.argmax(rate))
        left -= int(extra_c[row])
        choice[group[row]] = row
    return choice


@dataclass(frozen=True)
class _Bounds:
    """What the relaxation taught: the price of money, the incumbent plan and its value."""

    lam: float
    lower: int
    margin: float
    incumbent: np.ndarray


def _core_search(
    g: np.ndarray,
    c: np.ndarray,
    v: np.ndarray,
    alive: np.ndarray,
    sizes: np.ndarray,
    cap: int,
    bounds: _Bounds,
    *,
    time_limit: float,
) -> tuple[np.ndarray, float]:
    """Exact search over the rows still alive; groups with one alive row are fixed.

    Dynamic programming over the core groups: each step extends every
    partial plan by each alive row of the next group, drops plans over the
    budget or unable to reach the incumbent (value so far + λ·money left +
    the best the remaining groups could add under λ), and keeps only the
    non-dominated (cost, value) plans. Past `_MAX_STATES` plans the core
    goes to `_core_milp` instead.
    """
    live = np.flatnonzero(alive)
    per_group = np.bincount(g[live], minlength=len(sizes))
    fixed = live[per_group[g[live]] == 1]
    core_groups = np.flatnonzero(per_group > 1)
    budget = cap - int(c[fixed].sum())
    target = bounds.lower - int(v[fixed].sum())
    if not len(core_groups):
        return fixed, 0.0
    lam, margin = bounds.lam, bounds.margin
    live_core = live[per_group[g[live]] > 1]
    options = np.split(live_core, np.cumsum(per_group[core_groups])[:-1])
    best_score = np.array([float(np.max(v[o] - lam * c[o])) for o in options])
    rest = np.r_[np.cumsum(best_score[::-1])[::-1][1:], 0.0]
    states_c = np.zeros(1, dtype=np.int64)
    states_v = np.zeros(1, dtype=np.int64)
    trail: list[tuple[np.ndarray, np.ndarray]] = []
    for k, rows in enumerate(options):
        new_c = (states_c[:, None] + c[rows][None, :]).ravel()
        new_v = (states_v[:, None] + v[rows][None, :]).ravel()
        parent = np.repeat(np.arange(len(states_c)), len(rows))
        row = np.tile(rows, len(states_c))
        bound = new_v + lam * (budget - new_c) + rest[k]
        ok = (new_c <= budget) & (bound >= target - margin)
        new_c, new_v, parent, row = new_c[ok], new_v[ok], parent[ok], row[ok]
        order = np.lexsort((-new_v, new_c))
        new_c, new_v, parent, row = new_c[order], new_v[order], parent[order], row[order]
        better = np.r_[True, new_v[1:] > np.maximum.accumulate(new_v)[:-1]]
        states_c, states_v = new_c[better], new_v[better]
        trail.append((parent[better], row[better]))
        if len(states_c) > _MAX_STATES:
            upper = lam * budget + float(best_score.sum())
            incumbent = bounds.incumbent[np.isin(g[bounds.incumbent], core_groups)]
            core, gap = _core_milp(options, c, v, budget, incumbent, upper, time_limit)
            return np.r_[fixed, core], gap
    state = int(np.argmax(states_v))
    picked = [fixed]
    for parent, row in reversed(trail):
        picked.append(row[state : state + 1])
        state = int(parent[state])
    return np.concatenate(picked), 0.0


def _core_milp(
    options: list[np.ndarray],
    c: np.ndarray,
    v: np.ndarray,
    budget: int,
    incumbent: np.ndarray,
    upper: float,
    time_limit: float,
) -> tuple[np.ndarray, float]:
    """The core by HiGHS: most value (zero gap on whole-number values), then least cost.

    Two solves, because HiGHS takes one objective: the first finds the most
    value; the second, with value held at that optimum, the least cost (the
    exact search's tie rule). Returns the rows and the gap: 0 when HiGHS
    proved the value optimal, otherwise how far its best bound (or `upper`)
    lies above the plan, at least 1 unit so a stopped solve never reads as
    proven. With no plan from HiGHS the incumbent is returned.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    started = time.perf_counter()
    rows = np.concatenate(options)
    which = np.repeat(np.arange(len(options)), [len(o) for o in options])
    one_each = csr_matrix(
        (np.ones(len(rows)), (which, np.arange(len(rows)))), shape=(len(options), len(rows))
    )
    cost, value = c[rows].astype(np.float64), v[rows].astype(np.float64)
    base = [LinearConstraint(one_each, 1, 1), LinearConstraint(cost[None, :], 0, budget)]
    integral, box = np.ones(len(rows)), Bounds(0, 1)
    settings = {"mip_rel_gap": 0.0, "time_limit": max(time_limit, 0.1)}
    first = milp(-value, integrality=integral, bounds=box, constraints=base, options=settings)
    if first.x is None:
        found = float(v[incumbent].sum())
        bound = upper if first.mip_dual_bound is None else min(upper, -first.mip_dual_bound)
        return incumbent, max(bound - found, 1.0)
    x = np.round(first.x)
    if first.status != 0:
        found = float(x @ value)
        bound = upper if first.mip_dual_bound is None else min(upper, -first.mip_dual_bound)
        return rows[x > 0.5], max(bound - found, 1.0)
    floor = LinearConstraint(value[None, :], float(x @ value) - 0.5, np.inf)
    settings["time_limit"] = max(time_limit - (time.perf_counter() - started), 0.1)
    second = milp(
        cost, integrality=integral, bounds=box, constraints=[*base, floor], options=settings
    )
    if second.x is not None:
        x = np.round(second.x)
    return rows[x > 0.5], 0.0
