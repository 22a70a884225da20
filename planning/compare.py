"""Scenarios side by side: what each one spends, reaches and returns, and who gains or loses.

Why a module of its own: a funding review compares two or three named
scenarios ("Base", "Cut 20 %", "Grow coaching") and asks what moved. Each
scenario is projected with the same `planning.whatif.project` the sliders
use, so the comparison shows exactly the figures each scenario showed when
it was saved, recomputed on today's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from planning.scenarios import Scenario
from planning.scoring import weighted_scores
from planning.whatif import Assumptions, WhatIfTotals, project, totals

__all__ = [
    "ScenarioOutcome",
    "changes_between",
    "compare_scenarios",
    "scenario_assumptions",
    "scenario_outcome",
    "scenario_summary",
]


def scenario_assumptions(scenario: Scenario) -> Assumptions:
    """The what-if assumptions a scenario stores (only the elasticity is a number today)."""
    elasticity = scenario.assumptions.get("elasticity")
    return Assumptions() if elasticity is None else Assumptions(elasticity=elasticity)


@dataclass(frozen=True)
class ScenarioOutcome:
    """One scenario projected: its totals, who it funds and its weighted value.

    `value` is Σ score × output multiplier over funded products (the same
    "weighted value points" as the efficient frontier), so a scenario can be
    placed on the frontier chart.
    """

    scenario: Scenario
    totals: WhatIfTotals
    funded: frozenset[int]
    value: float | None
    projection: pl.DataFrame


def scenario_outcome(
    inputs: pl.DataFrame, scores: pl.DataFrame, scenario: Scenario, *, currency: str
) -> ScenarioOutcome:
    """Project one scenario on the planning inputs and criterion scores.

    Budget changes of products no longer in `inputs` (removed since the
    scenario was saved) are ignored rather than refused, so an old scenario
    still opens. Money is rounded to the minor unit of `currency`, the
    reporting currency of the inputs.
    """
    known = set(inputs.get_column("product_id").to_list())
    changes = {pid: v for pid, v in scenario.budget_changes.items() if pid in known}
    projection = project(
        inputs, changes, currency=currency, assumptions=scenario_assumptions(scenario)
    )
    scored = weighted_scores(scores, scenario.weights)
    valued = projection.join(scored.select("product_id", "score"), on="product_id", how="left")
    value = None
    if valued.get_column("score").is_not_null().any():
        value = float(
            valued.select(
                (pl.col("score").fill_null(0.0) * pl.col("output_multiplier").fill_null(0.0))
                .filter(pl.col("funded").fill_null(False))
                .sum()
            ).item()
        )
    funded = frozenset(
        projection.filter(pl.col("funded").fill_null(False)).get_column("product_id").to_list()
    )
    return ScenarioOutcome(
        scenario=scenario,
        totals=totals(projection, cap=scenario.cap, currency=currency),
        funded=funded,
        value=value,
        projection=projection,
    )


def compare_scenarios(
    inputs: pl.DataFrame, scores: pl.DataFrame, scenarios: Sequence[Scenario], *, currency: str
) -> pl.DataFrame:
    """A measures × scenarios table for the funding review (money in `currency`).

    Returns
    -------
    pl.DataFrame
        Column `measure`, then one Float64 column per scenario name (names
        must be distinct): spend, change vs plan, cap, gap to cap, products
        funded, active learners (projected), benefits (projected), ROI
        (projected, fraction), weighted value. Null where a figure is not
        tracked or not set (e.g. no cap).

    Raises
    ------
    ValueError
        On fewer than one scenario or repeated names.
    """
    if not scenarios:
        msg = "compare at least one scenario"
        raise ValueError(msg)
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        msg = f"scenario names must differ to compare them, got {names}"
        raise ValueError(msg)
    measures = (
        "Spend",
        "Change vs plan",
        "Budget cap",
        "Gap to cap (− = over)",
        "Products funded",
        "Learners, summed by product (projected)",
        "Benefits (projected)",
        "ROI of measured products (projected)",
        "Weighted value (points)",
    )
    columns: dict[str, list[float | None]] = {"measure": list(measures)}  # type: ignore[dict-item]
    for scenario in scenarios:
        out = scenario_outcome(inputs, scores, scenario, currency=currency)
        t = out.totals
        change = None if t.spend is None or t.budget is None else t.spend - t.budget
        columns[scenario.name] = [
            t.spend,
            change,
            t.cap,
            t.gap,
            float(len(out.funded)),
            t.projected_active,
            t.projected_benefits,
            t.projected_roi,
            out.value,
        ]
    schema = {"measure": pl.String(), **{n: pl.Float64() for n in names}}
    return pl.DataFrame(columns, schema=schema)


def changes_between(
    inputs: pl.DataFrame, base: Scenario, other: Scenario
) -> tuple[list[str], list[str], list[str]]:
    """Products `other` funds that `base` does not, those it drops, and those it resizes.

    Returns product names, alphabetical: (gained, lost, resized), where
    resized means funded in both with a different budget change.
    """
    names = dict(zip(inputs["product_id"], inputs["product"], strict=True))

    def funded(s: Scenario) -> set[int]:
        return {pid for pid in names if s.budget_changes.get(pid, 0.0) > -1.0}

    a, b = funded(base), funded(other)
    resized = {
        pid
        for pid in a & b
        if abs(base.budget_changes.get(pid, 0.0) - other.budget_changes.get(pid, 0.0)) > 1e-9
    }
    return (
        sorted(names[p] for p in b - a),
        sorted(names[p] for p in a - b),
        sorted(names[p] for p in resized),
    )


def scenario_summary(
    inputs: pl.DataFrame, scores: pl.DataFrame, scenario: Scenario, *, currency: str
) -> dict[str, object]:
    """The scenario as the funding pack carries it: per product plan vs scenario, and totals.

    Money is in major units of `currency`, the reporting currency of the inputs.

    Returns
    -------
    dict
        ``name``, ``cap``, ``notes``; ``rows``: one per product with
        ``product``, ``budget``, ``scenario_budget`` (the projected spend),
        ``change`` (fraction), ``funded``; ``totals``: ``budget``,
        ``scenario_budget``, ``change`` (scenario − plan), ``cap``, ``gap``
        (cap − scenario spend, None
        without a cap); ``added`` and ``dropped``: products the scenario
        starts or stops funding compared with the plan (a product with a
        plan of 0 cannot be started by a percentage change, so ``added`` is
        usually empty); ``value``: the weighted value points.
    """
    out = scenario_outcome(inputs, scores, scenario, currency=currency)
    projection = out.projection
    planned = projection.filter(pl.col("budget").fill_null(0.0) > 0)
    planned_ids = set(planned.get_column("product_id").to_list())
    names = dict(zip(projection["product_id"], projection["product"], strict=True))
    rows = [
        {
            "product": row["product"],
            "budget": row["budget"],
            "scenario_budget": row["spend"],
            "change": row["change"],
            "funded": row["funded"],
        }
        for row in projection.sort("product").iter_rows(named=True)
    ]
    t = out.totals
    return {
        "name": scenario.name,
        "cap": scenario.cap,
        "notes": scenario.notes,
        "rows": rows,
        "totals": {
            "budget": t.budget,
            "scenario_budget": t.spend,
            "change": None if t.spend is None or t.budget is None else t.spend - t.budget,
            "cap": t.cap,
            "gap": t.gap,
        },
        "added": sorted(names[p] for p in out.funded - planned_ids),
        "dropped": sorted(names[p] for p in planned_ids - out.funded),
        "value": out.value,
    }
