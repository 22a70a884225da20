"""Named fixtures for metrics tests: small frames whose numbers are easy to check by hand."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from metrics.schema import BUDGETS, CONTRACTS, OUTCOMES, USAGE, frame
from tests.metrics import factories as f


@pytest.fixture
def empty_usage() -> pl.DataFrame:
    return frame(USAGE)


@pytest.fixture
def empty_budgets() -> pl.DataFrame:
    return frame(BUDGETS)


@pytest.fixture
def empty_contracts() -> pl.DataFrame:
    return frame(CONTRACTS)


@pytest.fixture
def empty_outcomes() -> pl.DataFrame:
    return frame(OUTCOMES)


@pytest.fixture
def one_product() -> pl.DataFrame:
    return f.products(
        {
            "product_id": 1,
            "product": "Leadership Academy",
            "category": "academy",
            "lifecycle_stage": "mature",
            "vendor": "Acme",
            "strategic_fit": 4,
        }
    )


@pytest.fixture
def zero_budget() -> pl.DataFrame:
    """A product whose plan and actual are known zeros all year."""
    return f.budgets({"month": date(2026, 1, 1), "plan_minor": 0, "actual_minor": 0})
