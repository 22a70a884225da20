"""The funding pack makes one pass over the facts, however many products it holds.

Issue 20: the pack used to run the TDRp report once per product, each run
filtering the whole frames (42,000 polars queries for a 200-product pack), so
its cost grew with products × rows. These tests build packs of 10 and of 50
generated products over the same number of usage rows and count, never time,
the work done:

* a *pass over the facts* is a polars query started on a frame at least as
  long as the usage frame (`pl.DataFrame.lazy`, which every eager `filter`,
  `group_by`, `join`, `select` and `with_columns` goes through): a per-product
  loop over the facts makes one per product, a `group_by` over all products
  one in all;
* the queries run (`collect`) do not grow with the products at all: every
  figure of every product comes from queries over all products at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl
import pytest

from exports.payload import FundingPack, funding_pack
from metrics.schema import BUDGETS, CONTRACTS, OUTCOMES, PRODUCTS, USAGE
from models.frames import YearFrames
from tests.metrics.factories import AMBER, AS_OF, HEALTH, MIN_N, RED, STALE_AFTER_DAYS, YEAR

USAGE_ROWS = 6_000  # the same facts for every size: only the number of products changes
SIZES = (10, 50)


def portfolio(n_products: int, *, rows: int = USAGE_ROWS, seed: int = 20) -> YearFrames:
    """`n_products` products, two years of monthly budgets, `rows` usage rows, outcomes.

    Every second product has a contract; every product has a level-1 NPS, a
    level-3 application rate and a level-4 benefit in the year, and a target.
    The usage frame is the longest: every other frame is shorter than `rows`.
    """
    rng = np.random.default_rng(seed)
    ids = list(range(1, n_products + 1))
    products = pl.DataFrame(
        {
            "product_id": ids,
            "product": [f"Product {p:03d}" for p in ids],
            "strategic_fit": [3] * n_products,
            "target_audience_size": [500] * n_products,
        }
    )
    months = [date(y, m, 1) for y in (YEAR - 1, YEAR) for m in range(1, 13)]
    budgets = pl.DataFrame(
        {
            "product_id": [p for p in ids for _ in months],
            "month": months * n_products,
            "cost_category": ["licence"] * (n_products * len(months)),
            "plan_minor": rng.integers(1_000_00, 5_000_00, n_products * len(months)).tolist(),
            "actual_minor": [
                int(a) if m < date(YEAR, 11, 1) else None
                for a, m in zip(
                    rng.integers(1_000_00, 5_000_00, n_products * len(months)),
                    months * n_products,
                    strict=True,
                )
            ],
        }
    )
    licensed = ids[::2]
    contracts = pl.DataFrame(
        {
            "product_id": licensed,
            "vendor": [f"Vendor {p}" for p in licensed],
            "start": [date(YEAR, 1, 1)] * len(licensed),
            "end": [date(YEAR, 12, 31)] * len(licensed),
            "seats": [100] * len(licensed),
            "price_per_seat_minor": [50_00] * len(licensed),
            "currency": ["GBP"] * len(licensed),
        }
    )
    # Learner x day pairs drawn apart from the products, each once, and every row
    # active: frames derived from the usage (its active rows, its distinct learner days)
    # are then as long for every number of products.
    first = date(YEAR - 1, 6, 1)
    days = (AS_OF - first).days
    pairs = rng.choice(800 * days, size=rows, replace=False)
    usage = pl.DataFrame(
        {
            "learner_id": pairs // days + 1,
            "date": [first + timedelta(days=int(d)) for d in pairs % days],
            "content_id": rng.integers(1, 30, rows),
            "minutes": rng.uniform(1, 90, rows).round(1),
            "progress_pct": rng.uniform(0, 100, rows).round(0),
            "completed": rng.random(rows) < 0.3,
            "product_id": rng.integers(1, n_products + 1, rows),
        }
    )
    outcome_rows: list[dict[str, Any]] = []
    for p in ids:
        outcome_rows += [
            {"product_id": p, "period": date(YEAR, 6, 1), "level": 1, "measure": "Learner NPS",
             "value": float(p % 50), "n": 40, "kind": "actual"},
            {"product_id": p, "period": date(YEAR, 5, 1), "level": 3,
             "measure": "Applying on the job (%)", "value": 60.0 + p % 30, "n": 35,
             "kind": "actual"},
            {"product_id": p, "period": date(YEAR, 6, 1), "level": 4, "measure": "Errors",
             "value": 30.0, "baseline": 40.0, "unit_value_minor": 150_00,
             "attribution_pct": 50.0, "confidence_pct": 70.0, "direction": "lower",
             "kind": "actual"},
            {"product_id": p, "period": date(YEAR, 1, 1), "level": 1, "measure": "Completions",
             "value": 200.0, "kind": "forecast"},
        ]  # fmt: skip
    return YearFrames(
        products=_shaped(products, PRODUCTS),
        budgets=_shaped(budgets, BUDGETS),
        contracts=_shaped(contracts, CONTRACTS),
        usage=_shaped(usage, USAGE),
        outcomes=_shaped(pl.DataFrame(outcome_rows), OUTCOMES),
        currency="GBP",
    )


def _shaped(df: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """`df` with exactly `schema`'s columns and types, missing ones null."""
    return pl.DataFrame(
        {
            name: df.get_column(name).cast(dtype)
            if name in df.columns
            else pl.Series(name, [None] * df.height, dtype=dtype)
            for name, dtype in schema.items()
        }
    )


@dataclass
class Work:
    """What building one pack cost, in polars queries."""

    passes_over_facts: int = 0
    collects: int = 0


@contextmanager
def counting(facts: int) -> Iterator[Work]:
    """Count the queries started on frames of ≥ `facts` rows, and every query run."""
    work = Work()
    lazy, collect = pl.DataFrame.lazy, pl.LazyFrame.collect
    eager = getattr(pl.LazyFrame, "_collect_eager", None)  # eager DataFrame methods use this

    def counted_lazy(self: pl.DataFrame) -> pl.LazyFrame:
        if self.height >= facts:
            work.passes_over_facts += 1
        return lazy(self)

    def counted_collect(self: pl.LazyFrame, *args: Any, **kwargs: Any) -> pl.DataFrame:
        work.collects += 1
        return collect(self, *args, **kwargs)

    def counted_eager(self: pl.LazyFrame, *args: Any, **kwargs: Any) -> pl.DataFrame:
        work.collects += 1
        return eager(self, *args, **kwargs)  # type: ignore[misc]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pl.DataFrame, "lazy", counted_lazy)
        patch.setattr(pl.LazyFrame, "collect", counted_collect)
        if eager is not None:
            patch.setattr(pl.LazyFrame, "_collect_eager", counted_eager)
        yield work


def pack_of(frames: YearFrames) -> FundingPack:
    """The funding pack of `frames` with the test settings (this module's and the writer's)."""
    return funding_pack(
        frames,
        year=YEAR,
        as_of=AS_OF,
        generated_at=None,
        thresholds=HEALTH,
        amortisation_years=2,
        loaded_hourly_rate=45.0,
        rag_amber=AMBER,
        rag_red=RED,
        evidence_min_n=MIN_N,
        evidence_stale_after_days=STALE_AFTER_DAYS,
        min_group_size=5,
        stale_after_days=45,
        reclaim_after_days=60,
    )


def pack_work(n_products: int) -> Work:
    frames = portfolio(n_products)
    with counting(frames.usage.height) as work:
        pack = pack_of(frames)
    assert len(pack["products"]) == n_products
    assert all(len(p["tdrp"]) == 14 for p in pack["products"])
    return work


@pytest.fixture(scope="module")
def work() -> dict[int, Work]:
    return {n: pack_work(n) for n in SIZES}


def test_the_generated_usage_is_the_longest_frame() -> None:
    frames = portfolio(max(SIZES))
    others = (frames.products, frames.budgets, frames.contracts, frames.outcomes)
    assert all(df.height < frames.usage.height for df in others)


def test_the_pack_passes_over_the_facts_as_often_for_50_products_as_for_10(
    work: dict[int, Work],
) -> None:
    few, many = (work[n].passes_over_facts for n in SIZES)
    assert few > 0  # the counter sees the pack's reads of the usage
    assert many == few, f"{few} passes over the facts for 10 products, {many} for 50"


def test_the_pack_runs_as_many_queries_for_50_products_as_for_10(work: dict[int, Work]) -> None:
    few, many = (work[n].collects for n in SIZES)
    # The TDRp report run once per product made some 200 queries each, and the one-pagers'
    # highest level of evidence two (now `metrics.summary.highest_chain_levels`, one in all).
    assert many == few, f"{few} queries for 10 products, {many} for 50"


def test_a_per_product_loop_over_the_facts_would_be_caught() -> None:
    """The counter itself: filtering the usage once per product counts once per product."""
    frames = portfolio(10)
    with counting(frames.usage.height) as work:
        for pid in frames.products.get_column("product_id"):
            frames.usage.filter(pl.col("product_id") == pid)
    assert work.passes_over_facts == 10
    assert work.collects == 10
