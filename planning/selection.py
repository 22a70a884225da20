"""The best set of products under a budget cap, exactly, beside the simple funding line.

Each product can be funded at one of a few levels (fractions of its budget,
`FUNDING_LEVELS`); each level has a cost (the what-if spend) and a value
(weighted value points: the product's score × the output that level buys).
Choosing one level per product to maximise Σ value with Σ cost ≤ cap is a
multiple-choice knapsack. `optimise` solves it exactly; `funding_line` is what
a funding review does by hand (fund down the ranking until the money runs
out); `efficient_frontier` shows both over a range of caps, and `explain`
says in plain words why they differ.

Exact means: on costs in whole minor units of the reporting currency (pence,
yen, fils) and values in millionths of a point,
no other choice of levels has more value within the cap, and among choices
of equal value the cheapest is returned (then the first in product order).
The one exception is flagged, never hidden: a search stopped by its time
limit says "time_limit" and how many points it may be short (see `optimise`).

How the knapsack is solved lives in `planning.knapsack`; this module turns
funding options into its whole-number arrays and its answer back into a
`Selection`, and draws the funding line, the frontier and the explanation.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import polars as pl

from metrics.currency import decimals, minor_per_major
from metrics.text import money_short, pct, score
from planning.knapsack import (
    MAX_POINTS,
    TIME_LIMIT_S,
    cap_to_minor,
    solve_mckp,
    to_minor,
    to_points,
    to_value_units,
)
from planning.whatif import INPUT_COLUMNS, Assumptions, project_rows

__all__ = [
    "FUNDING_LEVELS",
    "TIME_LIMIT_S",
    "LineRule",
    "Selection",
    "SetDifference",
    "Status",
    "compare_selections",
    "default_caps",
    "efficient_frontier",
    "explain",
    "funding_line",
    "funding_options",
    "level_costs",
    "optimise",
    "score_options",
]

FUNDING_LEVELS: tuple[float, ...] = (0.0, 0.5, 0.75, 1.0, 1.25)
"""Funding levels as fractions of each product's budget; 0 = not funded."""

Status = Literal["optimal", "time_limit", "infeasible"]
LineRule = Literal["stop", "skip"]

_DEFAULT_ASSUMPTIONS = Assumptions()


@dataclass(frozen=True)
class Selection:
    """A chosen funding level for every product, and what it costs and buys.

    Attributes
    ----------
    status : {"optimal", "time_limit", "infeasible"}
        "optimal": proven best. "time_limit": the search stopped at its time
        limit; the plan fits the cap and is at most `gap` points short of the
        best. "infeasible": the forced-in products alone do not fit the cap
        (then `levels` holds no choice and cost and value are 0).
    levels : dict[int, float]
        product_id → chosen level (0 = not funded), for every product.
    cost : float
        Σ cost of the chosen levels, major units (whole minor units).
    value : float
        Σ value of the chosen levels, weighted value points.
    cap : float
        The budget cap, major units.
    message : str
        What happened, in plain words, for the page to show.
    gap : float
        Value points by which the best possible plan could beat this one:
        0 when proven optimal.
    """

    status: Status
    levels: dict[int, float]
    cost: float
    value: float
    cap: float
    message: str
    gap: float = 0.0

    @property
    def funded(self) -> frozenset[int]:
        """The products funded at a level above 0."""
        return frozenset(pid for pid, level in self.levels.items() if level > 0)


@dataclass(frozen=True)
class SetDifference:
    """How the best set differs from the funding line at the same cap.

    Attributes
    ----------
    cap : float
        The cap both were held to, major units.
    feasible : bool
        False when the forced-in products alone exceed the cap.
    added, dropped : tuple[str, ...]
        Products the best set funds and the line does not, and the reverse.
    changed : tuple[tuple[str, float, float], ...]
        (product, line level, best level) for products both fund, at
        different levels.
    optimal_cost, optimal_value, line_cost, line_value : float
        Money (major units) and value points of each.
    reason : str
        The infeasible selection's message ("" when feasible).
    """

    cap: float
    feasible: bool
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    changed: tuple[tuple[str, float, float], ...]
    optimal_cost: float
    optimal_value: float
    line_cost: float
    line_value: float
    reason: str = ""

    @property
    def value_gain(self) -> float:
        """Value points the best set buys beyond the funding line (never negative)."""
        return self.optimal_value - self.line_value


def level_costs(
    inputs: pl.DataFrame,
    *,
    currency: str,
    levels: Sequence[float] = FUNDING_LEVELS,
    assumptions: Assumptions = _DEFAULT_ASSUMPTIONS,
) -> pl.DataFrame:
    """Cost and output multiplier of every product at every funding level.

    Returns
    -------
    pl.DataFrame
        product_id, level, cost (major units of `currency`, to its minor
        unit: the what-if spend at change = level − 1), multiplier (the
        what-if output multiplier: projected ÷ today's active learners, or
        level^elasticity when usage is not tracked). Sorted by product_id, level.

    Notes
    -----
    Level 0 is always offered (cost 0, multiplier 0) even when `levels`
    omits it. A product whose budget is not known is offered level 0 only
    (it cannot be costed); a product with a zero budget only levels 0 and 1
    (more or less of nothing is still nothing). Levels must lie in [0, 2]
    (a change of −100 % to +100 %).
    """
    grid = _levels(levels)
    missing = [name for name in INPUT_COLUMNS if name not in inputs.columns]
    if missing:
        msg = f"planning inputs are missing column(s): {', '.join(missing)}"
        raise ValueError(msg)
    base = inputs.select(INPUT_COLUMNS)
    if base["product_id"].is_duplicated().any():
        msg = "planning inputs repeat a product id"
        raise ValueError(msg)
    frame = base.join(pl.DataFrame({"level": grid}), how="cross").with_columns(
        (pl.col("level") - 1.0).alias("change")
    )
    projected = project_rows(frame, currency=currency, assumptions=assumptions).with_columns(
        level=frame["level"]
    )
    budget = pl.col("budget")
    offered = (pl.col("level") == 0) | (
        budget.is_not_null() & ((budget > 0) | (pl.col("level") == 1))
    )
    return (
        projected.filter(offered)
        .select(
            pl.col("product_id").cast(pl.Int64),
            pl.col("level"),
            pl.when(pl.col("level") == 0).then(0.0).otherwise(pl.col("spend")).alias("cost"),
            pl.when(pl.col("level") == 0)
            .then(0.0)
            .otherwise(pl.col("output_multiplier"))
            .alias("multiplier"),
        )
        .sort("product_id", "level")
    )


def score_options(costs: pl.DataFrame, scores: pl.DataFrame) -> pl.DataFrame:
    """Put a value on each funding level: score × output multiplier.

    Returns
    -------
    pl.DataFrame
        product_id, level, cost, value (weighted value points).

    Notes
    -----
    value = score × multiplier, so a product funded as today (level 1, no
    caps binding) is worth its score, and level 0 is worth 0. A product with
    a null score (all weights zero) or no row in `scores` is worth 0 at every
    level: the optimiser will not pay for it.
    """
    if not {"product_id", "score"} <= set(scores.columns):
        msg = "scores need the columns product_id and score"
        raise ValueError(msg)
    return (
        costs.join(
            scores.select(pl.col("product_id").cast(pl.Int64), pl.col("score").cast(pl.Float64)),
            on="product_id",
            how="left",
            maintain_order="left",
        )
        .with_columns((pl.col("score").fill_null(0.0) * pl.col("multiplier")).alias("value"))
        .select("product_id", "level", "cost", "value")
    )


def funding_options(
    inputs: pl.DataFrame,
    scores: pl.DataFrame,
    *,
    currency: str,
    levels: Sequence[float] = FUNDING_LEVELS,
    assumptions: Assumptions = _DEFAULT_ASSUMPTIONS,
) -> pl.DataFrame:
    """Every product's funding levels with their cost and value, for `optimise`.

    Parameters
    ----------
    inputs : pl.DataFrame
        The planning inputs (see `planning.whatif.INPUT_COLUMNS`).
    scores : pl.DataFrame
        product_id, score (0–100, `planning.scoring.weighted_scores`).
    currency : str
        The reporting currency (ISO 4217) of the budgets.
    levels : Sequence[float]
        Fractions of each product's budget to offer (0 is always added).
    assumptions : Assumptions
        The what-if assumptions that turn money into output.

    Returns
    -------
    pl.DataFrame
        product_id, level, cost (major units), value (weighted value points),
        sorted by product_id, level.

    Notes
    -----
    cost = the what-if spend at change = level − 1 (whole seats for a
    licence product); value = score × output multiplier at that level. See
    `level_costs` and `score_options` for the null rules.

    Examples
    --------
    Score 80, budget £100k, usage not tracked, elasticity 0.6: level 1.25
    costs £125k and is worth 80 × 1.25^0.6 = 91.4 points.
    """
    return score_options(
        level_costs(inputs, currency=currency, levels=levels, assumptions=assumptions), scores
    )


def optimise(
    options: pl.DataFrame,
    *,
    cap: float,
    forced_in: frozenset[int] = frozenset(),
    currency: str,
    forced_out: frozenset[int] = frozenset(),
    time_limit: float = TIME_LIMIT_S,
) -> Selection:
    """The best funding level for every product under a budget cap, exactly.

    Parameters
    ----------
    options : pl.DataFrame
        product_id, level, cost, value (`funding_options`); every product
        needs a level-0 row costing 0.
    cap : float
        The most the chosen levels may cost, major units of `currency`.
    forced_in, forced_out : frozenset[int]
        Products that must be funded (level > 0) or must not (level 0).
    time_limit : float
        Seconds allowed for the rare core the search below cannot finish
        (see Notes); the answer is then "time_limit" with its `gap`.
    currency : str
        The reporting currency (ISO 4217): costs are searched in its whole
        minor units and the messages write amounts in it.

    Returns
    -------
    Selection
        status "infeasible" (with the reason) when the cheapest funded levels
        of the forced-in products alone exceed the cap; otherwise "optimal"
        (or "time_limit").

    Notes
    -----
    Maximise Σ value subject to Σ cost ≤ cap and exactly one level per
    product (a multiple-choice knapsack); among plans of equal value the
    cheapest. Costs are compared in whole minor units (the cap rounded down) and
    values in millionths of a point. Forcing only narrows the levels on
    offer; the search itself is `planning.knapsack.solve_mckp`: dominated
    levels dropped, a Lagrangian bound (the price of money), a greedy
    incumbent, reduced-cost fixing, then an exact enumeration of the small
    core left. Every step only discards plans provably worse, so the result
    is exact. A cap below every product's cheapest funded level gives the
    empty set (all level 0).

    Typical portfolios leave a core of tens of products and solve in tens of
    milliseconds for 500 products. A portfolio whose value is almost exactly
    proportional to cost (every plan worth the same per unit of money, so the
    best is whichever fills the cap exactly: a subset-sum problem) leaves no
    room for the bound to prune; the core then goes to HiGHS
    (scipy.optimize.milp, zero gap) under `time_limit`, and a plan stopped
    there is within a few minor units of the cap and reports its gap.
    """
    return _Problem(options, currency=currency).solve(
        cap, forced_in, forced_out, time_limit=time_limit
    )


def funding_line(
    options: pl.DataFrame,
    ranking: Sequence[int],
    *,
    cap: float,
    forced_in: frozenset[int] = frozenset(),
    forced_out: frozenset[int] = frozenset(),
    currency: str,
    level: float = 1.0,
    rule: LineRule = "stop",
) -> Selection:
    """The funding line: fund down the ranking until the money runs out.

    Parameters
    ----------
    options : pl.DataFrame
        As for `optimise`.
    ranking : Sequence[int]
        Product ids, best first (e.g. by weighted score).
    cap : float
        The budget cap, major units of `currency`.
    forced_in, forced_out : frozenset[int]
        Forced-in products are funded first, at `level` (at their cheapest
        funded level when they have no option at `level`, or when together
        they would not fit the cap at it); forced-out products are skipped.
    level : float
        The level every product on the line is funded at (1 = as budgeted).
    rule : {"stop", "skip"}
        "stop" (default, the usual funding line): the first product that
        does not fit ends the line, even if cheaper ones below it would fit.
        "skip": a product that does not fit is passed over and the line
        goes on filling the gap with cheaper ones further down.
    currency : str
        The reporting currency (ISO 4217), as for `optimise`.

    Returns
    -------
    Selection
        "infeasible" when the forced-in products alone exceed the cap;
        otherwise status "optimal" (here meaning only "a plan within the
        cap": the line is not optimised) and gap 0.

    Notes
    -----
    Products missing from `ranking`, and products without an option at
    `level` (budget not known), are not funded and never stop the line.
    The line is a feasible plan, so `optimise` at the same cap and forcing
    is never worth less.
    """
    if rule not in ("stop", "skip"):
        msg = f"rule must be 'stop' or 'skip', got {rule!r}"
        raise ValueError(msg)
    return _Problem(options, currency=currency).line(
        ranking, cap, forced_in, forced_out, level=level, rule=rule
    )


def default_caps(options: pl.DataFrame, n: int = 20, *, currency: str) -> list[float]:
    """`n` caps from 0 to the cost of funding every product at level 1, evenly spaced.

    Notes
    -----
    Products without a level-1 option (budget not known) add nothing; caps
    are rounded to whole minor units of `currency`.
    """
    if n < 2:
        msg = f"n must be at least 2, got {n}"
        raise ValueError(msg)
    at_one = options.filter(pl.col("level") == 1.0)["cost"].sum()
    places = decimals(currency)
    return [round(float(cap), places) for cap in np.linspace(0.0, float(at_one), n)]


def efficient_frontier(
    options: pl.DataFrame,
    *,
    caps: Sequence[float],
    ranking: Sequence[int],
    forced_in: frozenset[int] = frozenset(),
    currency: str,
    forced_out: frozenset[int] = frozenset(),
    time_limit: float = 2.0,
) -> pl.DataFrame:
    """The best set and the funding line at each cap: the efficient frontier and the ranking curve.

    Returns
    -------
    pl.DataFrame
        One row per cap, ascending: cap, status, optimal_cost,
        optimal_value, gap (0 unless a solve hit `time_limit`, seconds per
        cap), products_funded, funded (list of product ids in the
        best set), line_cost, line_value, line_products (the "stop" funding
        line at level 1), fill_cost, fill_value (the "skip" line). Costs and
        values are null where the forced-in products exceed the cap.

    Notes
    -----
    Caps are solved from the largest down: when the best plan at a larger
    cap costs no more than a smaller cap, it is also the best plan there
    (a smaller cap only removes plans), so it is reused without a solve.
    Best sets are not nested: a product in the best set at one cap can be
    out of it at a larger one.
    """
    problem = _Problem(options, currency=currency)
    ordered = sorted({float(cap) for cap in caps})
    best: dict[float, Selection] = {}
    previous: Selection | None = None
    for cap in reversed(ordered):
        if previous is not None and previous.status == "optimal" and previous.cost <= cap:
            best[cap] = _with_cap(previous, cap, currency)
        else:
            best[cap] = problem.solve(cap, forced_in, forced_out, time_limit=time_limit)
        previous = best[cap]
    rows = []
    for cap in ordered:
        optimal = best[cap]
        line = problem.line(ranking, cap, forced_in, forced_out, level=1.0, rule="stop")
        fill = problem.line(ranking, cap, forced_in, forced_out, level=1.0, rule="skip")
        ok = optimal.status != "infeasible"
        rows.append(
            {
                "cap": cap,
                "status": optimal.status,
                "optimal_cost": optimal.cost if ok else None,
                "optimal_value": optimal.value if ok else None,
                "gap": optimal.gap if ok else None,
                "products_funded": len(optimal.funded) if ok else None,
                "funded": sorted(optimal.funded) if ok else None,
                "line_cost": line.cost if ok else None,
                "line_value": line.value if ok else None,
                "line_products": len(line.funded) if ok else None,
                "fill_cost": fill.cost if ok else None,
                "fill_value": fill.value if ok else None,
            }
        )
    return pl.DataFrame(rows, schema=_FRONTIER_SCHEMA)


def compare_selections(
    optimal: Selection, line: Selection, names: Mapping[int, str]
) -> SetDifference:
    """What the best set adds, drops and funds differently from the funding line.

    Parameters
    ----------
    optimal, line : Selection
        `optimise` and `funding_line` at the same cap.
    names : Mapping[int, str]
        product_id → product name (an id without a name shows as "product 7").

    Returns
    -------
    SetDifference
        Names sorted alphabetically within added, dropped and changed.
    """

    def name(pid: int) -> str:
        return names.get(pid, f"product {pid}")

    feasible = optimal.status != "infeasible" and line.status != "infeasible"
    best, fund = optimal.levels, line.levels
    added = sorted(name(p) for p in optimal.funded - line.funded)
    dropped = sorted(name(p) for p in line.funded - optimal.funded)
    changed = sorted(
        (name(p), fund[p], best[p]) for p in optimal.funded & line.funded if fund[p] != best[p]
    )
    return SetDifference(
        cap=optimal.cap,
        feasible=feasible,
        added=tuple(added),
        dropped=tuple(dropped),
        changed=tuple(changed),
        optimal_cost=optimal.cost,
        optimal_value=optimal.value,
        line_cost=line.cost,
        line_value=line.value,
        reason="" if feasible else (optimal.message or line.message),
    )


def explain(
    difference: SetDifference,
    *,
    frontier: pl.DataFrame | None = None,
    names: Mapping[int, str] | None = None,
    currency: str,
) -> str:
    """The difference between the best set and the funding line, in plain English.

    Parameters
    ----------
    difference : SetDifference
        From `compare_selections`.
    frontier : pl.DataFrame | None
        An `efficient_frontier` result; when given (with `names`), the note
        on non-nesting names a real product that drops out as the cap grows.
    names : Mapping[int, str] | None
        product_id → name, for that note.
    currency : str
        The reporting currency the sentence writes amounts in.

    Returns
    -------
    str
        E.g. "The best set adds Coaching app and Excel classroom and drops
        Leadership programme: for the same £1.0m it buys 12 more value points."
        followed by a sentence on why best sets at different caps are not
        nested.
    """
    if not difference.feasible:
        return f"No plan fits the {money_short(difference.cap, currency)} cap: {difference.reason}"
    parts = []
    if difference.added:
        parts.append(f"adds {_join(difference.added)}")
    if difference.dropped:
        parts.append(f"drops {_join(difference.dropped)}")
    for product, was, now in difference.changed:
        parts.append(f"funds {product} at {pct(now)} instead of {pct(was)}")
    if not parts:
        head = (
            "The funding line is already the best set for "
            f"{money_short(difference.cap, currency)}: "
            f"{score(difference.optimal_value)} value points for "
            f"{money_short(difference.optimal_cost, currency)}."
        )
    else:
        gain = difference.value_gain
        spend = difference.optimal_cost - difference.line_cost
        if abs(spend) < 0.5 / minor_per_major(currency):  # under half a minor unit
            money_note = ""
        elif spend > 0:
            money_note = f", spending {money_short(spend, currency)} more of it"
        else:
            money_note = f", and spends {money_short(-spend, currency)} less"
        head = (
            f"The best set {_join(parts)}: for the same "
            f"{money_short(difference.cap, currency)} it buys "
            f"{score(gain)} more value points{money_note}."
        )
    return f"{head} {_nesting_note(frontier, names, currency)}"


_FRONTIER_SCHEMA = {
    "cap": pl.Float64,
    "status": pl.String,
    "optimal_cost": pl.Float64,
    "optimal_value": pl.Float64,
    "gap": pl.Float64,
    "products_funded": pl.Int64,
    "funded": pl.List(pl.Int64),
    "line_cost": pl.Float64,
    "line_value": pl.Float64,
    "line_products": pl.Int64,
    "fill_cost": pl.Float64,
    "fill_value": pl.Float64,
}


class _Problem:
    """Options checked and laid out as arrays once, then solved at any cap."""

    def __init__(self, options: pl.DataFrame, *, currency: str) -> None:
        self.currency = currency
        needed = ("product_id", "level", "cost", "value")
        missing = [name for name in needed if name not in options.columns]
        if missing:
            msg = f"options are missing column(s): {', '.join(missing)}"
            raise ValueError(msg)
        frame = options.select(
            pl.col("product_id").cast(pl.Int64),
            pl.col("level").cast(pl.Float64),
            pl.col("cost").cast(pl.Float64),
            pl.col("value").cast(pl.Float64),
        ).sort("product_id", "level")
        if frame.null_count().sum_horizontal().item():
            msg = "options hold a null product_id, level, cost or value"
            raise ValueError(msg)
        if frame.select(pl.struct("product_id", "level").is_duplicated().any()).item():
            msg = "options repeat a (product_id, level) pair"
            raise ValueError(msg)
        cost = frame["cost"].to_numpy()
        value = frame["value"].to_numpy()
        if not np.isfinite(cost).all() or (cost < 0).any():
            msg = "option costs must be finite amounts ≥ 0"
            raise ValueError(msg)
        if not np.isfinite(value).all() or (np.abs(value) > MAX_POINTS).any():
            msg = f"option values must be finite and at most {MAX_POINTS:g} points"
            raise ValueError(msg)
        self.level = frame["level"].to_numpy()
        pid = frame["product_id"].to_numpy()
        self.ids, self.group = np.unique(pid, return_inverse=True)
        zero = self.level == 0
        has_zero = np.bincount(self.group[zero & (cost == 0)], minlength=len(self.ids)) > 0
        if not has_zero.all():
            first = int(self.ids[np.flatnonzero(~has_zero)[0]])
            msg = f"product {first} has no level-0 (not funded) option costing 0"
            raise ValueError(msg)
        self.cost_p = to_minor(cost, currency=currency)
        self.per = minor_per_major(currency)
        self.value = value
        self.value_u = to_value_units(value)
        self.index = {int(pid): i for i, pid in enumerate(self.ids)}

    def _groups(self, products: frozenset[int], what: str) -> np.ndarray:
        unknown = sorted(p for p in products if p not in self.index)
        if unknown:
            msg = f"{what} names unknown product id(s): {', '.join(map(str, unknown))}"
            raise ValueError(msg)
        return np.array(sorted(self.index[p] for p in products), dtype=np.int64)

    def _forced(
        self, forced_in: frozenset[int], forced_out: frozenset[int]
    ) -> tuple[np.ndarray, np.ndarray]:
        both = forced_in & forced_out
        if both:
            msg = f"product(s) {', '.join(map(str, sorted(both)))} are forced both in and out"
            raise ValueError(msg)
        return self._groups(forced_in, "forced_in"), self._groups(forced_out, "forced_out")

    def _infeasible(self, cap: float, reason: str) -> Selection:
        return Selection("infeasible", {}, 0.0, 0.0, cap, reason)

    def _check_forced_in(
        self, allowed: np.ndarray, ins: np.ndarray, cap: float, cap_p: int
    ) -> Selection | None:
        """The infeasible selection when the forced-in products cannot fit, else None."""
        if not len(ins):
            return None
        counts = np.bincount(self.group[allowed], minlength=len(self.ids))
        empty = ins[counts[ins] == 0]
        if len(empty):
            pid = int(self.ids[empty[0]])
            return self._infeasible(
                cap,
                f"Product {pid} is forced in but has no funded level to choose "
                "(its budget is not known).",
            )
        cheapest = np.full(len(self.ids), np.iinfo(np.int64).max)
        np.minimum.at(cheapest, self.group[allowed], self.cost_p[allowed])
        need = int(cheapest[ins].sum())
        if need > cap_p:
            several = "products alone cost" if len(ins) > 1 else "product alone costs"
            return self._infeasible(
                cap,
                f"The forced-in {several} {self._money(need / self.per)}, "
                f"above the {self._money(cap)} cap.",
            )
        return None

    def _money(self, amount: float) -> str:
        return money_short(amount, self.currency)

    def solve(
        self,
        cap: float,
        forced_in: frozenset[int],
        forced_out: frozenset[int],
        *,
        time_limit: float = TIME_LIMIT_S,
    ) -> Selection:
        cap_p = cap_to_minor(cap, currency=self.currency)
        ins, outs = self._forced(forced_in, forced_out)
        allowed = np.ones(len(self.level), dtype=bool)
        allowed[np.isin(self.group, outs) & (self.level != 0)] = False
        allowed[np.isin(self.group, ins) & (self.level == 0)] = False
        problem = self._check_forced_in(allowed, ins, cap, cap_p)
        if problem is not None:
            return problem
        result = solve_mckp(
            self.group, self.cost_p, self.value_u, cap_p, allowed=allowed, time_limit=time_limit
        )
        picked = result.choice
        if (
            result.status == "infeasible"
            or len(picked) != len(self.ids)
            or int(self.cost_p[picked].sum()) > cap_p
        ):
            msg = "the selection search returned a plan that breaks its constraints"
            raise RuntimeError(msg)
        selection = self._selection("optimal", picked, cap, cap_p)
        if result.status == "optimal":
            return selection
        points = to_points(result.gap)
        note = (
            f"Stopped after {time_limit:g} s without proof: the best possible plan is at most "
            f"{points:.6g} value points better. "
        )
        return replace(selection, status="time_limit", gap=points, message=note + selection.message)

    def line(
        self,
        ranking: Sequence[int],
        cap: float,
        forced_in: frozenset[int],
        forced_out: frozenset[int],
        *,
        level: float,
        rule: LineRule,
    ) -> Selection:
        cap_p = cap_to_minor(cap, currency=self.currency)
        ins, outs = self._forced(forced_in, forced_out)
        if len(self.level) and not np.any(self.level == level):
            msg = f"no option is at level {level}"
            raise ValueError(msg)
        funded = self.level > 0
        problem = self._check_forced_in(np.flatnonzero(funded), ins, cap, cap_p)
        if problem is not None:
            return problem
        at_level = {int(self.group[r]): int(r) for r in np.flatnonzero(self.level == level)}
        cheapest = {}
        for g in map(int, ins):
            own = np.flatnonzero((self.group == g) & funded)
            cheapest[g] = int(own[np.argmin(self.cost_p[own])])
        picks = {g: at_level.get(g, row) for g, row in cheapest.items()}
        if sum(int(self.cost_p[r]) for r in picks.values()) > cap_p:
            picks = cheapest
        left = cap_p - sum(int(self.cost_p[r]) for r in picks.values())
        skip = set(map(int, outs)) | set(picks)
        for pid in ranking:
            g = self.index.get(int(pid))
            if g is None or g in skip or g not in at_level:
                continue
            skip.add(g)
            row = at_level[g]
            if self.cost_p[row] <= left:
                picks[g] = row
                left -= int(self.cost_p[row])
            elif rule == "stop":
                break
        zero = {int(self.group[r]): int(r) for r in np.flatnonzero(self.level == 0)}
        rows = np.array([picks.get(g, zero[g]) for g in range(len(self.ids))], dtype=np.int64)
        return self._selection("optimal", rows, cap, cap_p)

    def _selection(self, status: Status, rows: np.ndarray, cap: float, cap_p: int) -> Selection:
        rows = rows[np.argsort(self.group[rows], kind="stable")]
        levels = {int(self.ids[self.group[r]]): float(self.level[r]) for r in rows}
        cost_p = int(self.cost_p[rows].sum())
        value = float(self.value[rows].sum())
        funded = sum(1 for level in levels.values() if level > 0)
        if funded:
            message = (
                f"Funds {funded} of {len(levels)} products for {self._money(cost_p / self.per)} "
                f"of the {self._money(cap)} cap: {score(value)} value points."
            )
        else:
            paid = self.cost_p[self.level > 0]
            cheapest = int(paid.min()) if len(paid) else 0
            message = (
                f"No product fits under the {self._money(cap)} cap: the cheapest funded level "
                f"costs {self._money(cheapest / self.per)}."
                if cheapest > cap_p
                else "Nothing is funded: no product that fits adds any value."
            )
        return Selection(status, levels, cost_p / self.per, value, cap, message)


def _levels(levels: Sequence[float]) -> list[float]:
    grid = sorted({0.0, *(float(level) for level in levels)})
    bad = [level for level in grid if not 0.0 <= level <= 2.0]
    if bad:
        msg = f"funding levels must lie in [0, 2] (−100 % to +100 %), got {bad[0]!r}"
        raise ValueError(msg)
    return grid


def _with_cap(selection: Selection, cap: float, currency: str) -> Selection:
    funded = len(selection.funded)
    cost, limit = money_short(selection.cost, currency), money_short(cap, currency)
    message = (
        f"Funds {funded} of {len(selection.levels)} products for {cost} "
        f"of the {limit} cap: {score(selection.value)} value points."
        if funded
        else selection.message
    )
    return replace(selection, cap=cap, message=message)


def _nesting_note(
    frontier: pl.DataFrame | None, names: Mapping[int, str] | None, currency: str
) -> str:
    generic = (
        "Best sets at different caps are not nested: a product in the best set at one cap "
        "can drop out at a larger one, because a pair of others then fits."
    )
    if frontier is None or names is None or frontier.is_empty():
        return generic
    rows = frontier.filter(pl.col("status") != "infeasible").sort("cap").to_dicts()
    for before, after in itertools.pairwise(rows):
        gone = sorted(set(before["funded"]) - set(after["funded"]))
        come = sorted(set(after["funded"]) - set(before["funded"]))
        if gone and come:
            dropped = names.get(gone[0], f"product {gone[0]}")
            arrivals = _join([names.get(p, f"product {p}") for p in come])
            verb = "fit" if len(come) > 1 else "fits"
            return (
                "Best sets at different caps are not nested: "
                f"{dropped} is in the best set at {money_short(before['cap'], currency)} "
                "but not at "
                f"{money_short(after['cap'], currency)}, because {arrivals} then {verb}."
            )
    return generic


def _join(items: Sequence[str]) -> str:
    """Names joined as "A", "A and B", "A, B and C"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
