"""The plain-language line that sums a product up: money, seats, evidence.

Why in `metrics`: the Product page shows it at the top of a product and the
funding pack carries it on every one-pager, so both must word it the same
way from the same figures. It is a pure function of a scorecard row and the
highest level of the chain of evidence that has any evidence.

Example: "£41k of £96k spent; 62% of seats idle; no level-3 evidence yet".
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from metrics.text import count, money_short, pct
from metrics.text import is_missing as _missing

__all__ = ["highest_chain_level", "highest_chain_levels", "product_summary"]


def _pct(value: float) -> str:
    return pct(value)


def highest_chain_level(evidence: pl.DataFrame) -> int | None:
    """The highest Kirkpatrick level (1-4) of a chain of evidence that holds any evidence.

    Parameters
    ----------
    evidence
        Rows of `metrics.chain_of_evidence` for one product (columns
        `level`, `strength`).

    Returns
    -------
    int or None
        The largest `level` in 1..4 whose strength is not "none"; None when
        no such link has evidence (reach, level 0, and ROI, level 5, do not
        count).

    Examples
    --------
    A chain with reach, a level-1 NPS and a level-2 score gain: 2.
    """
    top = _counted_links(evidence).get_column("level").max()
    return None if top is None else int(top)  # type: ignore[arg-type]


def highest_chain_levels(evidence: pl.DataFrame) -> dict[int, int]:
    """`highest_chain_level` of every product at once: one `group_by`, not a query a product.

    `evidence` holds the chains of many products (with `product_id`); a
    product whose chain holds no evidence on levels 1-4 is absent.

    Examples
    --------
    >>> chains = pl.DataFrame({"product_id": [1, 1, 2], "level": [1, 2, 3],
    ...                        "strength": ["weak", "strong", "none"]})
    >>> highest_chain_levels(chains)
    {1: 2}
    """
    top = _counted_links(evidence).group_by("product_id").agg(pl.col("level").max())
    return {int(pid): int(level) for pid, level in top.iter_rows()}


def _counted_links(evidence: pl.DataFrame) -> pl.DataFrame:
    """The links that count for the highest level: Kirkpatrick 1-4 with some evidence."""
    return evidence.filter(pl.col("strength") != "none", pl.col("level").is_between(1, 4))


def product_summary(card: Mapping[str, object], evidence_level: int | None, currency: str) -> str:
    """The plain-language line at the top of a product: money, seats, evidence.

    Parameters
    ----------
    card
        One row of `metrics.product_scorecard` as a dict (reads
        `actual_cost`, `budget_plan`, `seats`, `seat_utilisation`,
        `active_learners`, `roi`).
    evidence_level
        `highest_chain_level` of the product's chain of evidence.
    currency
        The reporting currency code, for the money's symbol.

    Returns
    -------
    str
        Up to three clauses joined by "; ": money (actual of plan spent),
        seats (share idle) or learners, and the evidence.

    Notes
    -----
    * money: "£41k of £96k spent" when both are known and the plan is not 0;
      "£41k spent (no plan)" with an actual and no plan; nothing when no
      actual is recorded.
    * seats: "62% of seats idle" (1 − utilisation) when seats and
      utilisation are known; "150 seats, usage not tracked" with seats and no
      utilisation; else "330 active learners" when known; else nothing.
    * evidence: "ROI 36% on level-4 evidence" when ROI is known; else "no
      level-3 evidence yet" when the chain's highest level is below 3;
      else "level-3 evidence, no monetised level-4 yet".

    Examples
    --------
    Actual 41,250.00 of a plan of 96,000.00, 500 seats at utilisation
    0.38, no level-3 evidence: "£41k of £96k spent; 62% of seats idle; no
    level-3 evidence yet".
    """
    parts: list[str] = []
    actual, plan = card.get("actual_cost"), card.get("budget_plan")
    if isinstance(actual, int | float) and not _missing(actual):
        if isinstance(plan, int | float) and not _missing(plan) and plan:
            parts.append(f"{money_short(actual, currency)} of {money_short(plan, currency)} spent")
        else:
            parts.append(f"{money_short(actual, currency)} spent (no plan)")
    seats, util = card.get("seats"), card.get("seat_utilisation")
    learners = card.get("active_learners")
    if isinstance(seats, int | float) and not _missing(seats):
        if isinstance(util, int | float) and not _missing(util):
            parts.append(f"{_pct(1 - util)} of seats idle")
        else:
            parts.append(f"{count(seats, 'seats')}, usage not tracked")
    elif isinstance(learners, int | float) and not _missing(learners):
        parts.append(count(learners, "active learners"))
    roi = card.get("roi")
    if isinstance(roi, int | float) and not _missing(roi):
        parts.append(f"ROI {_pct(roi)} on level-4 evidence")
    elif evidence_level is None or evidence_level < 3:
        parts.append("no level-3 evidence yet")
    else:
        parts.append("level-3 evidence, no monetised level-4 yet")
    return "; ".join(parts)
