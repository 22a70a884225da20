"""The line under each overview chart saying which products it leaves out, and why.

Why: the overview's charts keep only what they can draw (a bubble needs a
reach and a cost per learner; a seat bar needs a licence), and a product
missing without a word reads as if it did not exist. The same filters as
`pages.charts`, in words (`metrics.left_out.not_shown`).
"""

from __future__ import annotations

import polars as pl

from exports.charts import MOST_BARS
from metrics.left_out import not_shown
from pages.charts import seat_rows, spend_rows

__all__ = ["reach_note", "seat_note", "spend_note"]


def _names(card: pl.DataFrame, condition: pl.Expr) -> list[str]:
    return card.filter(condition)["product"].to_list()


def _smaller(drawable: pl.DataFrame) -> list[str]:
    """The drawable products beyond the chart's `MOST_BARS` largest, largest first."""
    return drawable.head(max(drawable.height - MOST_BARS, 0))["product"].reverse().to_list()


def spend_note(card: pl.DataFrame) -> str | None:
    """Products with neither a plan nor an actual this year, and those beyond the largest plans.

    The same rows as `pages.charts.spend_vs_plan` draws (`pages.charts.spend_rows`).
    """
    nothing = pl.col("budget_plan").is_null() & pl.col("actual_cost").is_null()
    return not_shown(
        {
            "no plan or spend this year": _names(card, nothing),
            f"smaller plans than the {MOST_BARS} shown": _smaller(spend_rows(card)),
        }
    )


def reach_note(card: pl.DataFrame) -> str | None:
    """Products without a reach or a cost per active learner (`pages.charts.cost_vs_reach`)."""
    untracked = ~pl.col("usage_tracked").fill_null(False)
    no_reach = pl.col("reach").is_null()
    no_cost = ~(pl.col("cost_per_active_learner") > 0).fill_null(False)
    return not_shown(
        {
            "usage not tracked": _names(card, untracked),
            "no target audience size": _names(card, ~untracked & no_reach),
            "no actual cost yet": _names(card, ~untracked & ~no_reach & no_cost),
        }
    )


def seat_note(card: pl.DataFrame) -> str | None:
    """Licensed products whose seat use is unknown, and those beyond the most idle spend.

    The same rows as `pages.charts.seat_use` draws (`pages.charts.seat_rows`).

    Products without a licence have no seats and are not listed: the chart's
    title says it shows licence seats.
    """
    unknown = pl.col("seats").is_not_null() & pl.col("idle_seats").is_null()
    return not_shown(
        {
            "licensed, usage not tracked": _names(card, unknown),
            f"less idle spend than the {MOST_BARS} shown": _smaller(seat_rows(card)),
        }
    )
