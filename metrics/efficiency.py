"""Cost-efficiency ratios (TDRp efficiency measures), as polars expressions.

Each function takes two columns, by name or as expressions, and returns an
expression named after the measure, so a scorecard gets them with one call:
`scorecard.with_columns(cost_per_completion())`. The defaults are the
scorecard's column names. Every ratio uses actual cost (DESIGN, Settled
questions, "Which cost") and is null when the cost is null, or the
denominator is null or 0: a missing input gives a missing answer, never 0 or
infinity.
"""

from __future__ import annotations

import polars as pl

from metrics import common

__all__ = [
    "cost_per_active_learner",
    "cost_per_completion",
    "cost_per_hour",
    "cost_per_learner",
]


def _per(cost: pl.Expr | str, count: pl.Expr | str, name: str) -> pl.Expr:
    return common.safe_ratio(common.as_expr(cost), common.as_expr(count)).alias(name)


def cost_per_learner(
    cost: pl.Expr | str = "actual_cost", learners: pl.Expr | str = "unique_learners"
) -> pl.Expr:
    """Actual cost per unique learner (major units of the reporting currency).

    Notes
    -----
    cost_per_learner = actual cost ÷ unique learners; null when either is
    null or there are no learners.

    Examples
    --------
    41,250.00 over 330 learners: 125.00.
    """
    return _per(cost, learners, "cost_per_learner")


def cost_per_active_learner(
    cost: pl.Expr | str = "actual_cost", active: pl.Expr | str = "active_learners"
) -> pl.Expr:
    """Actual cost per active learner (major units of the reporting currency).

    Notes
    -----
    cost_per_active_learner = actual cost ÷ active learners; null when either
    is null or nobody was active.

    Examples
    --------
    41,250.00 over 250 active learners: 165.00.
    """
    return _per(cost, active, "cost_per_active_learner")


def cost_per_completion(
    cost: pl.Expr | str = "actual_cost", completed: pl.Expr | str = "completions"
) -> pl.Expr:
    """Actual cost per completion (major units of the reporting currency).

    Notes
    -----
    cost_per_completion = actual cost ÷ completions; null when either is null
    (a format without completions) or there were none.

    Examples
    --------
    41,250.00 over 125 completions: 330.00.
    """
    return _per(cost, completed, "cost_per_completion")


def cost_per_hour(
    cost: pl.Expr | str = "actual_cost", hours: pl.Expr | str = "learning_hours"
) -> pl.Expr:
    """Actual cost per learning hour (major units of the reporting currency).

    Notes
    -----
    cost_per_hour = actual cost ÷ learning hours; null when either is null or
    no time was recorded.

    Examples
    --------
    41,250.00 over 1,650 hours: 25.00.
    """
    return _per(cost, hours, "cost_per_hour")
