"""Red / amber / green against plan, for any measure, aware of which way is good.

The status compares a value (an actual or a forecast) with its plan as a
relative deviation, and reads that deviation in the measure's direction: for
spend or cost per learner (lower is better) being *over* plan is bad; for
learners, completions or ROI (higher is better) being *under* plan is bad.

    deviation = (value − plan) ÷ |plan|
    shortfall = −deviation when higher is better, +deviation when lower is better
    green  when shortfall ≤ amber          (on plan, better, or within tolerance)
    amber  when amber < shortfall ≤ red
    red    when shortfall > red

The tolerances are the deployment's LP_RAG_AMBER and LP_RAG_RED settings
(defaults in `settings.Settings`); every caller passes them, so a page and
the funding pack never colour the same row differently.
The deviation is rounded to 12 decimal places before it is compared, so a
value exactly 5 % off plan is green whatever the binary fraction of 1.05.
Dividing by |plan| keeps the direction right for a negative plan (an ROI
target of −20 %): beating it is still green.

Null rule: a null (or NaN) value or plan, a deviation that is not a number
(an infinite plan), or a plan of 0 (no percentage of it can be taken, as
`metrics.costs.pct_of_plan`), gives None / null.
"""

from __future__ import annotations

import math
from typing import Final, Literal

import polars as pl

from metrics import common

__all__ = ["RAG_STATUSES", "STATUS_LABELS", "RagStatus", "rag_status", "rag_status_expr"]

RagStatus = Literal["green", "amber", "red"]
RAG_STATUSES: Final[tuple[RagStatus, ...]] = ("green", "amber", "red")
STATUS_LABELS: Final[dict[str, str]] = {
    "green": "● on track",
    "amber": "▲ watch",
    "red": "✖ off track",
}
"""What a status reads as on the pages and in the pack: a shape as well as a colour."""

_DECIMALS = 12


def _check_tolerances(amber: float, red: float) -> None:
    if not 0 <= amber <= red:
        msg = f"RAG tolerances must satisfy 0 <= amber <= red, got amber={amber}, red={red}"
        raise ValueError(msg)


def rag_status(
    value: float | None,
    plan: float | None,
    *,
    higher_is_better: bool,
    amber: float,
    red: float,
) -> RagStatus | None:
    """Red, amber or green for one value against its plan.

    Parameters
    ----------
    value
        The actual or forecast figure.
    plan
        The planned figure, in the same unit.
    higher_is_better
        True for learners, completions, ROI…; False for spend and cost per
        learner, where being over plan is bad.
    amber, red
        Tolerances as fractions of |plan|: an adverse deviation above
        `amber` is amber, above `red` is red. Need 0 ≤ amber ≤ red.

    Returns
    -------
    {"green", "amber", "red"} or None
        None when the value or the plan is missing or the plan is 0.

    Notes
    -----
    shortfall = ∓(value − plan) ÷ |plan| (minus when higher is better);
    green when shortfall ≤ amber, amber when amber < shortfall ≤ red, red
    when shortfall > red. See the module docstring.

    Examples
    --------
    Spend forecast 10,800.00 against a plan of 10,000.00 is 8 % over plan:
    ``rag_status(10_800, 10_000, higher_is_better=False, amber=0.05,
    red=0.10)`` is "amber"; the same figures for completions (higher is
    better) are "green".
    """
    _check_tolerances(amber, red)
    if value is None or plan is None or plan == 0:
        return None
    deviation = (value - plan) / abs(plan)
    if math.isnan(deviation):
        return None
    shortfall = round(-deviation if higher_is_better else deviation, _DECIMALS)
    if shortfall > red:
        return "red"
    if shortfall > amber:
        return "amber"
    return "green"


def rag_status_expr(
    value: pl.Expr | str,
    plan: pl.Expr | str,
    *,
    higher_is_better: bool,
    amber: float,
    red: float,
) -> pl.Expr:
    """`rag_status` as a polars expression, for a column of values against a column of plans.

    Returns
    -------
    pl.Expr
        A String expression named `rag`: "green", "amber", "red" or null.

    Notes
    -----
    The same rule and null rule as `rag_status`, row by row.

    Examples
    --------
    ``card.with_columns(rag_status_expr("forecast_cost", "budget_plan",
    higher_is_better=False, amber=s.rag_amber, red=s.rag_red))`` colours
    each product's forecast spend by the settings `s`.
    """
    _check_tolerances(amber, red)
    v, p = common.as_expr(value).cast(pl.Float64), common.as_expr(plan).cast(pl.Float64)
    deviation = common.safe_ratio(v - p, p.abs())
    shortfall = (-deviation if higher_is_better else deviation).round(_DECIMALS)
    usable = shortfall.is_not_null() & shortfall.is_not_nan()
    return (
        pl.when(~usable)
        .then(pl.lit(None, dtype=pl.String()))
        .when(shortfall > red)
        .then(pl.lit("red"))
        .when(shortfall > amber)
        .then(pl.lit("amber"))
        .otherwise(pl.lit("green"))
        .alias("rag")
    )
