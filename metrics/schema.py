"""The polars frames `metrics/` and `planning/` take, column by column.

This is the contract between `models.frames` (which reads the database into
these shapes, resolving which imported copy of each fact counts) and the pure
functions here. Tests build small frames with `frame(SCHEMA, rows)`.

Money columns end in `_minor` and hold integer minor units of the reporting
currency (pence for GBP, yen for JPY, fils for KWD: ISO 4217, `metrics.currency`),
so sums are exact; functions take that currency and return money in its major
units as floats, rounded only for display.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

__all__ = [
    "BUDGETS",
    "CONTRACTS",
    "EXPERIMENTS",
    "LEARNERS",
    "OUTCOMES",
    "PRODUCTS",
    "USAGE",
    "frame",
]

PRODUCTS: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "product": pl.String(),
    "category": pl.String(),
    "lifecycle_stage": pl.String(),
    "vendor": pl.String(),
    "owner": pl.String(),
    "sponsor": pl.String(),
    "target_audience": pl.String(),
    "target_audience_size": pl.Int64(),
    "business_problem": pl.String(),
    "business_goal": pl.String(),
    "strategic_fit": pl.Int64(),
    "is_core": pl.Boolean(),
}

# One row per product x month x cost category (the resolved, latest import's copy).
# plan_minor / actual_minor null = not recorded; actual 0 = a known zero.
BUDGETS: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "month": pl.Date(),
    "cost_category": pl.String(),
    "plan_minor": pl.Int64(),
    "actual_minor": pl.Int64(),
}

# One row per contract; price_per_seat_minor is the price of a seat for the whole term.
CONTRACTS: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "vendor": pl.String(),
    "start": pl.Date(),
    "end": pl.Date(),
    "seats": pl.Int64(),
    "price_per_seat_minor": pl.Int64(),
    "currency": pl.String(),
}

# One row per outcome measure. level 1-4 (Kirkpatrick); pct columns are 0-100;
# direction "higher" or "lower"; kind "actual" or "forecast".
# One row per variant of an experiment, from the newest import of that experiment;
# `position` 0 is the control. A rate has `conversions`, a continuous metric `mean` and `sd`.
EXPERIMENTS: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "experiment": pl.String(),
    "variant": pl.String(),
    "position": pl.Int64(),
    "participants": pl.Int64(),
    "conversions": pl.Int64(),
    "mean": pl.Float64(),
    "sd": pl.Float64(),
    "metric": pl.String(),
    "hoped_effect": pl.Float64(),
    "ended": pl.Date(),  # the registration's end, else the day the results were imported
}

OUTCOMES: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "period": pl.Date(),
    "level": pl.Int64(),
    "measure": pl.String(),
    "value": pl.Float64(),
    "n": pl.Int64(),
    "baseline": pl.Float64(),
    "unit_value_minor": pl.Int64(),
    "attribution_pct": pl.Float64(),
    "confidence_pct": pl.Float64(),
    "direction": pl.String(),
    "kind": pl.String(),
}

# One row per counted usage fact (learner x content x date for events; learner x
# content for snapshots), after overlapping imports have been resolved.
# `date` is the row's own activity date; when null the row belongs to its report
# period [period_start, period_end]. progress_pct is 0-100.
USAGE: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "learner_id": pl.Int64(),
    "content_id": pl.Int64(),
    "date": pl.Date(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "minutes": pl.Float64(),
    "progress_pct": pl.Float64(),
    "completed": pl.Boolean(),
    "completed_date": pl.Date(),
}

LEARNERS: dict[str, pl.DataType] = {
    "learner_id": pl.Int64(),
    "key_kind": pl.String(),
    "org_unit": pl.String(),
}


def frame(
    schema: Mapping[str, pl.DataType], rows: Sequence[Mapping[str, Any]] = ()
) -> pl.DataFrame:
    """Build a frame with exactly `schema`'s columns; missing keys become null.

    Handy in tests: `frame(USAGE, [{"product_id": 1, "learner_id": 7, ...}])`.
    """
    data = {name: [row.get(name) for row in rows] for name in schema}
    return pl.DataFrame(data, schema=dict(schema))
