"""The decision tables: the budget what-if per product and the funding review's recommendations.

Numbers stay numbers (formatted by `st.column_config` through
`pages.display.show_table` with the kinds beside each builder), so the
columns sort as numbers; reasons come last, where a wide table can spare
the room.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from pages.display import ColumnKind, percent_points

__all__ = ["PROJECTION_KINDS", "REVIEW_KINDS", "projection_table", "review_table"]

PROJECTION_KINDS: dict[str, ColumnKind] = {
    "Product": "text",
    "Change": "percent",
    "Budget plan": "money",
    "Scenario spend": "money",
    "Seats": "count",
    "Seats (scenario)": "count",
    "Active learners": "count",
    "Active learners (scenario)": "count",
    "Benefits": "money",
    "Benefits (scenario)": "money",
    "ROI (scenario)": "percent",
}
REVIEW_KINDS: dict[str, ColumnKind] = {
    "Product": "text",
    "Plan": "money",
    "Actual to date": "money",
    "Forecast": "money",
    "Forecast % of plan": "percent",
    "ROI": "percent",
    "Ask": "money",
    "Ask vs plan": "percent",
    "Scenario budget": "money",
    "Scenario change": "percent",
}


def projection_table(projection: pl.DataFrame) -> pl.DataFrame:
    """The budget what-if per product, plan beside scenario, numbers as numbers.

    `projection` is `planning.whatif.project`'s frame; `PROJECTION_KINDS`
    formats it.
    """
    return pl.DataFrame(
        {
            "Product": projection["product"],
            "Change": percent_points(projection["change"]),
            "Budget plan": projection["budget"],
            "Scenario spend": projection["spend"],
            "Seats": projection["seats"],
            "Seats (scenario)": projection["projected_seats"],
            "Active learners": projection["active_learners"],
            "Active learners (scenario)": projection["projected_active"],
            "Benefits": projection["benefits"],
            "Benefits (scenario)": projection["projected_benefits"],
            "ROI (scenario)": percent_points(projection["projected_roi"]),
        }
    )


def review_table(
    products: list[dict[str, Any]], scenario_rows: list[dict[str, Any]] | None
) -> pl.DataFrame:
    """The funding review's recommendation per product, numbers as numbers (`REVIEW_KINDS`).

    Read from the funding pack's products (no figure computed here but the
    points): plan, actual, forecast, ROI, next year's ask and its change on this
    year's plan, the scenario's budget when one is chosen, and why, last.
    """
    changes = {r["product"]: r for r in scenario_rows or []}
    asks = [p.get("ask") or {} for p in products]
    frame = pl.DataFrame(
        {
            "Product": [p["product"] for p in products],
            "Recommendation": [p["health"] for p in products],
            "Plan": pl.Series([p["budget_plan"] for p in products], dtype=pl.Float64),
            "Actual to date": pl.Series([p["actual_cost"] for p in products], dtype=pl.Float64),
            "Forecast": pl.Series([p["forecast_cost"] for p in products], dtype=pl.Float64),
            "Forecast % of plan": percent_points([p.get("forecast_pct_of_plan") for p in products]),
            "ROI": percent_points([p["roi"] for p in products]),
            "Ask": pl.Series([a.get("plan") for a in asks], dtype=pl.Float64),
            "Ask vs plan": percent_points([a.get("change") for a in asks]),
            "Scenario budget": pl.Series(
                [(changes.get(p["product"]) or {}).get("scenario_budget") for p in products],
                dtype=pl.Float64,
            ),
            "Scenario change": percent_points(
                [(changes.get(p["product"]) or {}).get("change") for p in products]
            ),
            "Why": ["; ".join(p.get("health_reasons") or []) for p in products],
        }
    )
    return frame if scenario_rows is not None else frame.drop("Scenario budget", "Scenario change")
