"""Tornado: which weight or assumption moves the best set most.

A funding review asks "would the answer change if we weighted reach less, or
if money bought fewer learners than we assumed?". `tornado` swings each
criterion weight and each numeric what-if assumption (today: elasticity) one
at a time to a low and a high setting, re-solves the best set under the same
cap and forcing, and reports the optimal value at each setting and which
products enter or leave the best set. Rows are sorted widest first, as a
tornado chart draws them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import polars as pl

from planning.scoring import weighted_scores
from planning.selection import FUNDING_LEVELS, Selection, level_costs, optimise, score_options
from planning.whatif import Assumptions

__all__ = ["NUMERIC_ASSUMPTIONS", "Scorer", "tornado"]

Scorer = Callable[[pl.DataFrame, Mapping[str, float]], pl.DataFrame]
"""(criterion scores, weights) → product_id, score: `planning.scoring.weighted_scores`."""

NUMERIC_ASSUMPTIONS: tuple[str, ...] = ("elasticity",)
"""The `Assumptions` fields the tornado swings (the others are on/off flags)."""

_DEFAULT_ASSUMPTIONS = Assumptions()

_SCHEMA = {
    "parameter": pl.String,
    "kind": pl.String,
    "base_setting": pl.Float64,
    "low_setting": pl.Float64,
    "high_setting": pl.Float64,
    "value_low": pl.Float64,
    "value_base": pl.Float64,
    "value_high": pl.Float64,
    "spread": pl.Float64,
    "flips_low": pl.List(pl.String),
    "flips_high": pl.List(pl.String),
}


def tornado(
    inputs: pl.DataFrame,
    scores_by_criterion: pl.DataFrame,
    weights: Mapping[str, float],
    *,
    cap: float,
    currency: str,
    assumptions: Assumptions = _DEFAULT_ASSUMPTIONS,
    swing: float = 0.5,
    forced_in: frozenset[int] = frozenset(),
    forced_out: frozenset[int] = frozenset(),
    levels: Sequence[float] = FUNDING_LEVELS,
    scorer: Scorer | None = None,
    time_limit: float = 2.0,
) -> pl.DataFrame:
    """Swing each weight and numeric assumption by ±`swing` and re-solve the best set.

    Parameters
    ----------
    inputs : pl.DataFrame
        The planning inputs (`planning.criteria.planning_inputs`).
    scores_by_criterion : pl.DataFrame
        `planning.criteria.criterion_scores(inputs)`.
    weights : Mapping[str, float]
        The base criterion weights.
    cap : float
        The budget cap, major units of `currency`.
    currency : str
        The reporting currency (ISO 4217), as for `planning.selection.optimise`.
    assumptions : Assumptions
        The base what-if assumptions.
    swing : float
        Relative move to each side, in (0, 1]: 0.5 takes a weight of 2 to
        1 and 3, an elasticity of 0.6 to 0.3 and 0.9.
    forced_in, forced_out : frozenset[int]
        As for `planning.selection.optimise`; held fixed throughout.
    levels : Sequence[float]
        Funding levels offered (`planning.selection.FUNDING_LEVELS`).
    scorer : Scorer | None
        How weights become scores; `planning.scoring.weighted_scores` when None.
    time_limit : float
        Seconds per solve for the rare core the exact search hands to HiGHS
        (see `planning.selection.optimise`).

    Returns
    -------
    pl.DataFrame
        One row per weight key, then per `NUMERIC_ASSUMPTIONS`: parameter,
        kind ("weight" or "assumption"), base_setting, low_setting,
        high_setting, value_low, value_base, value_high (optimal value
        points), spread, flips_low, flips_high (e.g. ["Coaching app (in)",
        "Leadership programme (out)"]: products entering or leaving the best
        set against the base), sorted by spread, widest first, then by name.

    Notes
    -----
    low = base × (1 − swing), high = base × (1 + swing), one parameter at a
    time (the others at base): a tornado misses interactions, which saved
    scenarios cover. spread = max − min of the optimal value over the low,
    base and high settings, so a parameter that lowers the value both ways
    still shows. Values at each setting are in that setting's own points
    (the scores are re-weighted), as the page reports them. Costs do not
    depend on weights or elasticity, so when the forced-in products exceed
    the cap every value and spread is null and nothing flips. A weight of 0
    stays 0 (spread 0).

    Examples
    --------
    Weights {fit: 2, reach: 1}, swing 0.5: rows for fit (1 → 3) and reach
    (0.5 → 1.5), and for elasticity (0.3 → 0.9).
    """
    if not (isinstance(swing, int | float) and math.isfinite(swing) and 0 < swing <= 1):
        msg = f"swing must be a fraction in (0, 1], got {swing!r}"
        raise ValueError(msg)
    score = scorer or weighted_scores
    names = dict(zip(inputs["product_id"].to_list(), inputs["product"].to_list(), strict=True))
    costs = level_costs(inputs, currency=currency, levels=levels, assumptions=assumptions)

    def solve(costs: pl.DataFrame, weights: Mapping[str, float]) -> Selection:
        options = score_options(costs, score(scores_by_criterion, weights))
        return optimise(
            options,
            cap=cap,
            currency=currency,
            forced_in=forced_in,
            forced_out=forced_out,
            time_limit=time_limit,
        )

    base = solve(costs, weights)
    rows = []
    for key, weight in weights.items():
        low, high = weight * (1 - swing), weight * (1 + swing)
        at_low = solve(costs, {**weights, key: low})
        at_high = solve(costs, {**weights, key: high})
        rows.append(_row(key, "weight", (weight, low, high), (at_low, base, at_high), names))
    for field in NUMERIC_ASSUMPTIONS:
        setting = float(getattr(assumptions, field))
        low, high = setting * (1 - swing), setting * (1 + swing)
        swung = []
        for value in (low, high):
            moved = replace(assumptions, **{field: value})
            moved_costs = level_costs(inputs, currency=currency, levels=levels, assumptions=moved)
            swung.append(solve(moved_costs, weights))
        rows.append(
            _row(field, "assumption", (setting, low, high), (swung[0], base, swung[1]), names)
        )
    frame = pl.DataFrame(rows, schema=_SCHEMA, orient="row")
    return frame.sort(["spread", "parameter"], descending=[True, False], nulls_last=True)


def _row(
    parameter: str,
    kind: str,
    settings: tuple[float, float, float],
    selections: tuple[Selection, Selection, Selection],
    names: Mapping[int, str],
) -> tuple[object, ...]:
    base_setting, low_setting, high_setting = settings
    low, base, high = selections
    if base.status == "infeasible":
        values: list[float | None] = [None, None, None]
        spread = None
        flips_low: list[str] = []
        flips_high: list[str] = []
    else:
        values = [low.value, base.value, high.value]
        spread = max(values) - min(values)
        flips_low, flips_high = _flips(base, low, names), _flips(base, high, names)
    return (
        parameter,
        kind,
        base_setting,
        low_setting,
        high_setting,
        *values,
        spread,
        flips_low,
        flips_high,
    )


def _flips(base: Selection, other: Selection, names: Mapping[int, str]) -> list[str]:
    def name(pid: int) -> str:
        return str(names.get(pid, f"product {pid}"))

    entering = sorted(name(p) for p in other.funded - base.funded)
    leaving = sorted(name(p) for p in base.funded - other.funded)
    return [f"{n} (in)" for n in entering] + [f"{n} (out)" for n in leaving]
