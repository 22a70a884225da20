"""Tests for `planning/`, with a small builder for planning-input rows."""

from __future__ import annotations

from typing import Any

import polars as pl

from metrics.schema import frame
from planning.criteria import PLANNING_INPUTS

WHATIF_SCHEMA: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "product": pl.String(),
    "budget": pl.Float64(),
    "active_learners": pl.Int64(),
    "target_audience_size": pl.Int64(),
    "seats": pl.Int64(),
    "price_per_seat": pl.Float64(),
    "benefits": pl.Float64(),
}
"""The columns the what-if reads (`planning.whatif.INPUT_COLUMNS`), for hand-built rows."""

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
    "proven_by": None,
}


def planning_rows(*rows: dict[str, Any]) -> pl.DataFrame:
    """A `PLANNING_INPUTS` frame: a tracked, on-budget mature product, unless overridden."""
    return frame(PLANNING_INPUTS, [{**_TYPICAL, **row} for row in rows])
