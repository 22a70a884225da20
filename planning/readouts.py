"""Figures the Prioritise page reads off the planning inputs and a solved selection.

Why a module: the page shows the current plan's cost and value beside the
best set, the funding level each product gets, and turns the best set into
what-if changes; each of these is a small formula that belongs with the
planning functions, tested, not in a view. Money is in the reporting
currency as the inputs carry it (already converted): nothing here rounds it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import polars as pl

from planning.selection import Selection

__all__ = [
    "cap_distance",
    "levels_as_changes",
    "plan_total",
    "selection_table",
    "value_at_plan",
]

_OPTION_COLUMNS = ("product_id", "level", "cost", "value")


def plan_total(inputs: pl.DataFrame) -> float:
    """The year's plan over every product: the cost of funding everything at plan.

    Parameters
    ----------
    inputs
        The planning inputs (`planning.criteria.planning_inputs`), with
        `budget` in the reporting currency.

    Returns
    -------
    float
        Σ budget over the products with a budget; 0.0 when none has one (the
        default budget cap of the year, and the "current plan" point).

    Notes
    -----
    The sum is exact for the floats given (`math.fsum`), so 0.1 + 0.2 of a
    currency stays 0.3 and a cap built from it reads as typed.

    Examples
    --------
    >>> plan_total(pl.DataFrame({"budget": [40_000.10, None, 9_999.90]}))
    50000.0
    """
    if "budget" not in inputs.columns:
        msg = f"planning inputs lack a budget column (columns: {', '.join(inputs.columns)})"
        raise ValueError(msg)
    return math.fsum(inputs.get_column("budget").drop_nulls().to_list())


def value_at_plan(options: pl.DataFrame) -> float:
    """The weighted value of funding every product at its plan (level 1).

    Parameters
    ----------
    options
        `planning.selection.funding_options`: product_id, level, cost, value.

    Returns
    -------
    float
        Σ value of the level-1 rows, in value points (0.0 without any).

    Examples
    --------
    Two products worth 80 and 55 points at plan (and 90 at level 1.25):

    >>> options = pl.DataFrame(
    ...     {
    ...         "product_id": [1, 1, 2],
    ...         "level": [1.0, 1.25, 1.0],
    ...         "cost": [100.0, 125.0, 50.0],
    ...         "value": [80.0, 90.0, 55.0],
    ...     }
    ... )
    >>> value_at_plan(options)
    135.0
    """
    _require(options)
    return math.fsum(options.filter(pl.col("level") == 1.0).get_column("value").to_list())


def levels_as_changes(levels: Mapping[int, float]) -> dict[int, float]:
    """Funding levels (fractions of budget) as what-if budget changes.

    Returns
    -------
    dict[int, float]
        product_id → level − 1: funded at 0.75 of its budget is a change of
        −0.25; not funded (0) is −1, a stop.

    Examples
    --------
    >>> levels_as_changes({1: 0.75, 2: 0.0, 3: 1.25})
    {1: -0.25, 2: -1.0, 3: 0.25}
    """
    return {int(pid): float(level) - 1.0 for pid, level in levels.items()}


def cap_distance(gap: float | None) -> float | None:
    """How far the spend is from the cap, on either side of it.

    Parameters
    ----------
    gap
        cap − spend, as `planning.whatif.totals` and the pack's scenario give
        it (negative = over the cap); None = no cap.

    Returns
    -------
    float or None
        |gap|: the money left under the cap, or the overspend; None without
        a cap. Whether it is over is the sign of `gap` (``gap < 0``).

    Examples
    --------
    >>> cap_distance(-25_000.0), cap_distance(50_000.0), cap_distance(None)
    (25000.0, 50000.0, None)
    """
    return None if gap is None else abs(gap)


def selection_table(
    options: pl.DataFrame, best: Selection, line: Selection, names: Mapping[int, str]
) -> pl.DataFrame:
    """The best set beside the funding line, one row per product.

    Parameters
    ----------
    options
        The funding options both selections were chosen from.
    best, line
        The exact best set and the funding line at the same cap.
    names
        product_id → product name, for every product to list.

    Returns
    -------
    pl.DataFrame
        Columns `product`, `best_level`, `cost` and `value` (of the best set's
        level for that product; 0 when it is not funded), `line_level`;
        funded products first, then by name.

    Examples
    --------
    A product the best set funds at 0.75 (cost 75.00, 60 points) and the
    line at 1.0: one row (product, 0.75, 75.0, 60.0, 1.0).
    """
    _require(options)
    chosen = pl.DataFrame(
        {
            "product_id": list(names),
            "product": list(names.values()),
            "best_level": [float(best.levels.get(pid, 0.0)) for pid in names],
            "line_level": [float(line.levels.get(pid, 0.0)) for pid in names],
        },
        schema={
            "product_id": pl.Int64,
            "product": pl.String,
            "best_level": pl.Float64,
            "line_level": pl.Float64,
        },
    )
    priced = options.select(
        pl.col("product_id").cast(pl.Int64),
        pl.col("level").cast(pl.Float64).alias("best_level"),
        pl.col("cost").cast(pl.Float64),
        pl.col("value").cast(pl.Float64),
    )
    return (
        chosen.join(priced, on=["product_id", "best_level"], how="left")
        .with_columns(pl.col("cost", "value").fill_null(0.0))
        .sort([pl.col("best_level") == 0, "product"])
        .select("product", "best_level", "cost", "value", "line_level")
    )


def _require(options: pl.DataFrame) -> None:
    missing = [c for c in _OPTION_COLUMNS if c not in options.columns]
    if missing:
        msg = f"funding options lack the column(s) {', '.join(missing)}"
        raise ValueError(msg)
