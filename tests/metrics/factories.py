"""Small row builders for metrics tests: only the columns a test cares about."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

from metrics.health import HealthThresholds
from metrics.schema import BUDGETS, CONTRACTS, OUTCOMES, PRODUCTS, USAGE, frame

Row = Mapping[str, Any]

YEAR = 2026
START, END = date(2026, 1, 1), date(2026, 12, 31)
AS_OF = date(2026, 11, 23)

# The thresholds the hand-computed expectations of these tests use: the shipped
# defaults, written out (tests/test_settings.py checks `settings` still ships them).
HEALTH = HealthThresholds(
    utilisation_fix_below=0.5,
    utilisation_sunset_below=0.2,
    roi_invest_at_least=0.0,
    roi_sunset_below=-0.5,
    overspend_fix_above=0.10,
    strategic_fit_sunset_at_most=2,
    compliance_reach_fix_below=0.9,
)
AMBER, RED = 0.05, 0.10  # RAG tolerances
MIN_N, STALE_AFTER_DAYS = 30, 365  # evidence strength


def usage(*rows: Row) -> pl.DataFrame:
    return frame(USAGE, [{"product_id": 1, "content_id": 1, **row} for row in rows])


def budgets(*rows: Row) -> pl.DataFrame:
    return frame(BUDGETS, [{"product_id": 1, "cost_category": "licence", **row} for row in rows])


def contracts(*rows: Row) -> pl.DataFrame:
    defaults = {
        "product_id": 1,
        "vendor": "Acme",
        "start": date(2026, 1, 1),
        "end": date(2026, 12, 31),
        "currency": "GBP",
    }
    return frame(CONTRACTS, [{**defaults, **row} for row in rows])


def outcomes(*rows: Row) -> pl.DataFrame:
    defaults = {
        "product_id": 1,
        "period": date(2026, 6, 1),
        "level": 4,
        "measure": "sales",
        "direction": "higher",
        "kind": "actual",
    }
    return frame(OUTCOMES, [{**defaults, **row} for row in rows])


def monetised(**row: Any) -> dict[str, Any]:
    """A level-4 row with every monetisation input, overridable."""
    return {
        "value": 110.0,
        "baseline": 100.0,
        "unit_value_minor": 100_00,
        "attribution_pct": 50.0,
        "confidence_pct": 80.0,
        **row,
    }


def products(*rows: Row) -> pl.DataFrame:
    return frame(PRODUCTS, rows)


def as_dict(df: pl.DataFrame, value: str, key: str = "product_id") -> dict[Any, Any]:
    """{key: value} of a result frame, for short assertions."""
    return dict(zip(df.get_column(key).to_list(), df.get_column(value).to_list(), strict=True))


def shuffled(df: pl.DataFrame, seed: int) -> pl.DataFrame:
    return df.sample(fraction=1.0, shuffle=True, seed=seed)
