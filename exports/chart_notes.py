"""The line under each pack chart saying which products it leaves out, and why.

Why: every chart keeps only the products it can draw (spend, measured
benefits, licences with tracked usage); a product missing without a word
reads as if it did not exist. Built from the pack dict only, like
`exports.charts`, so the page, the HTML and the PDF say the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from exports.charts import MOST_BARS, idle_rows, spend_rows, value_rows
from metrics.left_out import not_shown

__all__ = ["idle_note", "spend_note", "value_note"]

Pack = Mapping[str, Any]


def _products(pack: Pack) -> list[Mapping[str, Any]]:
    return list(pack.get("products") or [])


def _smaller(rows: list[Mapping[str, Any]]) -> list[str]:
    """The drawable products beyond the chart's `MOST_BARS` largest, largest first."""
    return [p["product"] for p in reversed(rows[:-MOST_BARS])]


def spend_note(pack: Pack) -> str | None:
    """Products without a plan, actual or forecast this year (`exports.charts.spend_by_product`)."""
    keys = ("budget_plan", "actual_cost", "forecast_cost")
    return not_shown(
        {
            "no plan or spend this year": [
                p["product"] for p in _products(pack) if all(p.get(k) is None for k in keys)
            ],
            f"smaller plans than the {MOST_BARS} shown": _smaller(spend_rows(pack)),
        }
    )


def value_note(pack: Pack) -> str | None:
    """Products without measured benefits (`exports.charts.value_delivered`)."""
    return not_shown(
        {
            "no monetised level-4 result this year": [
                p["product"] for p in _products(pack) if p.get("benefits") is None
            ],
            f"smaller benefits than the {MOST_BARS} shown": _smaller(value_rows(pack)),
        }
    )


def idle_note(pack: Pack) -> str | None:
    """Licensed products whose usage is not tracked (`exports.charts.idle_spend`).

    Products without a licence have no seats to be idle and are not listed.
    """
    untracked = [
        p["product"]
        for p in _products(pack)
        if p.get("seats") is not None and p.get("idle_spend") is None
    ]
    return not_shown(
        {
            "licensed, usage not tracked: idle seats unknown": untracked,
            f"less idle spend than the {MOST_BARS} shown": _smaller(idle_rows(pack)),
        }
    )
