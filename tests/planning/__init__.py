"""Tests for `planning/`, with a small builder for planning-input rows."""

from __future__ import annotations

from typing import Any

import polars as pl

from metrics.schema import frame
from planning.criteria import PLANNING_INPUTS

_TYPICAL: dict[str, Any] = {
    "product": "Product",
    "health": "Invest",
    "lifecycle_stage": "mature",
    "budget": 10_000.0,
    "budget_known": True,
    "actual_cost": 9_000.0,
    "forecast_cost": 10_000.0,
    "strategic_fit": 3,
    "is_core": False,
    "usage_tracked": True,
    "evidence_level": 0,
}


def planning_rows(*rows: dict[str, Any]) -> pl.DataFrame:
    """A `PLANNING_INPUTS` frame: a tracked, on-budget mature product, unless overridden."""
    return frame(PLANNING_INPUTS, [{**_TYPICAL, **row} for row in rows])
