"""`tdrp_reports` (every product's report in one pass) gives `tdrp_report`'s rows exactly.

`tdrp_report_rows` gives the same rows as dicts per product (what the funding pack
reads).

Each product's 14 rows from the one pass must equal, value for value (nulls and
the last bit of every float included), the report of that product alone:
on the hand-made frames of `test_tdrp` and of the funding-pack tests, on the
seeded sample portfolio, and on generated portfolios, for the current year, a
past year, a year not started and a closed one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from metrics.schema import OUTCOMES, frame
from metrics.scorecard import in_order
from metrics.tdrp import (
    TDRP_COLUMNS,
    TDRP_MEASURES,
    tdrp_report,
    tdrp_report_rows,
    tdrp_reports,
)
from tests.metrics import factories as f
from tests.metrics import test_tdrp
from tests.metrics.factories import AMBER, AS_OF, RED, YEAR

# (year, as_of): the current year, a past year, a year not started, a closed year
WHEN = [
    (YEAR, AS_OF),
    (YEAR - 1, AS_OF),
    (YEAR + 1, AS_OF),
    (YEAR, date(YEAR, 12, 31)),
]
Frames = dict[str, pl.DataFrame]


@pytest.fixture
def two_products() -> Frames:
    """The hand-checked Academy and Library of tests/metrics/test_tdrp.py (its `frames`)."""
    return test_tdrp.frames.__wrapped__()


def assert_every_product_alone(frames: Frames, *, year: int, as_of: date, currency: str) -> None:
    """Each product's rows of `tdrp_reports` are exactly `tdrp_report` of it alone.

    With `together`, the extra rows are exactly `tdrp_report` of all the products.
    """
    options: dict[str, Any] = {
        "year": year, "as_of": as_of, "currency": currency, "amber": AMBER, "red": RED,
    }  # fmt: skip
    every = tdrp_reports(**frames, **options)
    ids = frames["products"].get_column("product_id").to_list()
    assert every.columns == ["product_id", *TDRP_COLUMNS]
    assert every.height == len(TDRP_MEASURES) * len(ids)
    assert every.get_column("product_id").to_list() == [p for p in ids for _ in TDRP_MEASURES]
    for pid in ids:
        alone = tdrp_report(**frames, **options, product_ids=[pid])
        mine = every.filter(pl.col("product_id") == pid).drop("product_id")
        assert_frame_equal(mine, alone, check_exact=True)
    # with the products together (the pack's portfolio) from the same pass
    both = tdrp_reports(**frames, **options, together=True)
    assert_frame_equal(both.filter(pl.col("product_id").is_not_null()), every, check_exact=True)
    together = both.filter(pl.col("product_id").is_null()).drop("product_id")
    assert_frame_equal(together, tdrp_report(**frames, **options), check_exact=True)
    # the same rows as dicts per product (the funding pack's way), in the same order
    rows = tdrp_report_rows(**frames, **options, together=True)
    assert list(rows) == [*ids, None]
    flat = [{"product_id": pid, **row} for pid, report in rows.items() for row in report]
    assert_frame_equal(pl.DataFrame(flat, schema=both.schema, orient="row"), both, check_exact=True)


def with_idle_product(frames: Frames, pid: int) -> Frames:
    """`frames` plus product `pid`, with no budget, contract, usage or outcome."""
    idle = f.products({"product_id": pid, "product": "Nothing yet", "strategic_fit": 3})
    return {**frames, "products": pl.concat([frames["products"], idle])}


@pytest.mark.parametrize(("year", "as_of"), WHEN)
def test_the_tdrp_fixture_product_by_product(two_products: Frames, year: int, as_of: date) -> None:
    frames = with_idle_product(two_products, 3)
    assert_every_product_alone(frames, year=year, as_of=as_of, currency="GBP")


def pack_frames_by_hand() -> Frames:
    """The funding-pack tests' two products (tests/exports/test_payload.py), plus one idle.

    1 Library: plan 120.00, actual 100.00 in January, 3 learners in March, 10 seats,
      benefits 1,000.00. 2 Coaching: a 5-seat contract and nothing else (no usage, no
      plan, no outcomes). 3: nothing at all.
    """
    return {
        "products": f.products(
            {"product_id": 1, "product": "Library", "strategic_fit": 4},
            {"product_id": 2, "product": "Coaching", "strategic_fit": 3},
            {"product_id": 3, "product": "Idle", "strategic_fit": 3},
        ),
        "budgets": f.budgets(
            {"month": date(2026, 1, 1), "plan_minor": 120_00, "actual_minor": 100_00}
        ),
        "contracts": f.contracts(
            {"seats": 10, "price_per_seat_minor": 20_00},
            {"product_id": 2, "vendor": "CoachCo", "seats": 5, "price_per_seat_minor": 50_00},
        ),
        "usage": f.usage(
            *(
                {
                    "learner_id": i,
                    "date": date(2026, 3, i),
                    "minutes": 10.0,
                    "completed": True,
                    "completed_date": date(2026, 3, i),
                }
                for i in (1, 2, 3)
            )
        ),
        "outcomes": f.outcomes(f.monetised(unit_value_minor=250_00)),
    }


@pytest.mark.parametrize(("year", "as_of"), WHEN)
def test_the_pack_fixture_product_by_product(year: int, as_of: date) -> None:
    assert_every_product_alone(pack_frames_by_hand(), year=year, as_of=as_of, currency="GBP")


def test_the_seeded_sample_portfolio_product_by_product(seeded_url: str) -> None:
    from sqlalchemy import create_engine

    from models.frames import pack_frames

    engine = create_engine(seeded_url)
    with engine.connect() as conn:
        read = pack_frames(conn, year=YEAR, currency="GBP")
    engine.dispose()
    idle = max(read.products.get_column("product_id")) + 1
    names = ("products", "budgets", "contracts", "usage", "outcomes")
    frames = with_idle_product(dict(zip(names, in_order(read), strict=True)), idle)
    for year, as_of in WHEN:
        assert_every_product_alone(frames, year=year, as_of=as_of, currency="GBP")


def test_a_rate_is_the_same_measured_alone_or_among_others() -> None:
    """polars' 69 / 100 over more than one row is 0.6900000000000001; the report's is 0.69."""
    products = f.products(
        *({"product_id": p, "product": f"P{p}", "strategic_fit": 3} for p in (1, 2, 3))
    )
    outcomes = f.outcomes(
        *({"product_id": p, "level": 3, "measure": "Applying on the job (%)", "value": 69.0,
           "n": 40} for p in (1, 2, 3)),
        *({"product_id": p, "level": 4, "value": 110.0, "baseline": 100.0,
           "unit_value_minor": 33_33, "attribution_pct": 70.0, "confidence_pct": 90.0}
          for p in (1, 2, 3)),
    )  # fmt: skip
    usage = f.usage(
        *({"product_id": p, "learner_id": 1, "date": date(2026, 3, 1), "minutes": 41.0}
          for p in (1, 2, 3))
    )  # fmt: skip
    frames = {"products": products, "budgets": f.budgets(), "contracts": f.contracts(),
              "usage": usage, "outcomes": outcomes}  # fmt: skip
    every = tdrp_reports(**frames, year=YEAR, as_of=AS_OF, currency="GBP", amber=AMBER, red=RED)
    rows = {(r["product_id"], r["key"]): r for r in every.iter_rows(named=True)}
    for p in (1, 2, 3):
        # computed by hand: 69 / 100 = 0.69; 41 / 60 hours; 10 x 33.33 x 0.7 x 0.9 = 209.979
        assert rows[p, "application_rate"]["ytd_actual"] == 69 / 100
        assert rows[p, "learning_hours"]["ytd_actual"] == 41 / 60
        assert rows[p, "benefits"]["ytd_actual"] == pytest.approx(209.979, abs=1e-9)
    assert_every_product_alone(frames, year=YEAR, as_of=AS_OF, currency="GBP")


def test_products_come_in_the_order_asked_each_once(two_products: Frames) -> None:
    frames = two_products
    every = tdrp_reports(
        **frames,
        year=YEAR,
        as_of=AS_OF,
        currency="GBP",
        amber=AMBER,
        red=RED,
        product_ids=[2, 1, 2],
    )
    assert every.get_column("product_id").unique(maintain_order=True).to_list() == [2, 1]
    assert every.height == 2 * len(TDRP_MEASURES)
    with pytest.raises(ValueError, match="42"):
        tdrp_reports(**frames, year=YEAR, as_of=AS_OF, currency="GBP", amber=AMBER, red=RED,
                     product_ids=[1, 42])  # fmt: skip
    none = tdrp_reports(**frames, year=YEAR, as_of=AS_OF, currency="GBP", amber=AMBER, red=RED,
                        product_ids=[])  # fmt: skip
    assert none.is_empty() and none.columns == ["product_id", *TDRP_COLUMNS]


budget_lines = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 4),
            "month": st.builds(date, st.integers(2025, 2027), st.integers(1, 12), st.just(1)),
            "cost_category": st.sampled_from(["licence", "delivery"]),
            "plan_minor": st.none() | st.integers(0, 1_000_000),
            "actual_minor": st.none() | st.integers(0, 1_000_000),
        }
    ),
    max_size=25,
)
contract_rows = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 4),
            "start": st.dates(date(2025, 1, 1), date(2026, 12, 1)),
            "end": st.none() | st.dates(date(2026, 1, 1), date(2027, 12, 31)),
            "seats": st.none() | st.integers(0, 20),
            "price_per_seat_minor": st.none() | st.integers(0, 100_00),
        }
    ),
    max_size=4,
)
usage_rows = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 4),
            "learner_id": st.integers(1, 8),
            "content_id": st.integers(1, 3),
            "date": st.none() | st.dates(date(2025, 1, 1), date(2027, 3, 31)),
            "period_start": st.just(date(2026, 1, 1)),
            "period_end": st.just(date(2026, 6, 30)),
            "minutes": st.none() | st.floats(0, 500, allow_nan=False),
            "progress_pct": st.none() | st.floats(0, 100),
            "completed": st.none() | st.booleans(),
            "completed_date": st.none() | st.dates(date(2025, 6, 1), date(2026, 12, 31)),
        }
    ),
    max_size=30,
)
MEASURES = [
    (1, "Learner NPS"), (1, "Net promoter score"), (2, "Score gain (pts)"),
    (3, "Applying on the job (%)"), (3, "Application rate"), (4, "Errors"),
    (1, "Active learners"), (1, "Completions"), (1, "Learning hours"), (1, "Seat utilization"),
    (1, "Cost per completion"),
]  # fmt: skip
outcome_rows = st.lists(
    st.builds(
        lambda pick, pid, period, value, n, baseline, unit, pct, direction, kind: {
            "product_id": pid,
            "level": pick[0],
            "measure": pick[1],
            "period": period,
            "value": value,
            "n": n,
            "baseline": baseline,
            "unit_value_minor": unit,
            "attribution_pct": pct,
            "confidence_pct": pct,
            "direction": direction,
            "kind": kind,
        },
        st.sampled_from(MEASURES),
        st.integers(1, 4),
        st.builds(date, st.integers(2025, 2027), st.integers(1, 12), st.just(1)),
        st.none() | st.floats(-50, 150, allow_nan=False).map(lambda v: round(v, 1)),
        st.none() | st.integers(0, 300),
        st.none() | st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 2)),
        st.none() | st.integers(1, 100_00),
        st.none() | st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1)),
        st.sampled_from(["higher", "lower", "LOWER", None]),
        st.sampled_from(["actual", "forecast", None]),
    ),
    max_size=30,
)
five = f.products(*({"product_id": p, "product": f"P{p}", "strategic_fit": 3} for p in range(1, 6)))


@settings(max_examples=40, deadline=None)
@given(
    lines=budget_lines,
    terms=contract_rows,
    rows=usage_rows,
    measured=outcome_rows,
    when=st.sampled_from([*WHEN, (YEAR, date(YEAR, 3, 15))]),
)
def test_generated_portfolios_product_by_product(
    lines: list[dict], terms: list[dict], rows: list[dict], measured: list[dict], when: tuple
) -> None:
    contracts = f.contracts(*({"vendor": "V", "currency": "GBP", **t} for t in terms))
    frames = {"products": five, "budgets": f.budgets(*lines), "contracts": contracts,
              "usage": f.usage(*rows), "outcomes": frame(OUTCOMES, measured)}  # fmt: skip
    year, as_of = when
    assert_every_product_alone(frames, year=year, as_of=as_of, currency="GBP")
    # a currency without minor units (yen) divides money by 1, not 100
    assert_every_product_alone(frames, year=year, as_of=as_of, currency="JPY")


def test_the_year_frames_shape_is_accepted(two_products: Frames) -> None:
    """`in_order(YearFrames)` is how the pack passes them (the names are positional)."""
    from models.frames import YearFrames

    frames = two_products
    held = YearFrames(**frames, currency="GBP")
    positional = tdrp_reports(
        *in_order(held), year=YEAR, as_of=AS_OF, currency="GBP", amber=AMBER, red=RED
    )
    assert_frame_equal(
        positional,
        tdrp_reports(**frames, year=YEAR, as_of=AS_OF, currency="GBP", amber=AMBER, red=RED),
    )
