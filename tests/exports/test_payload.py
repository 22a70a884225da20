"""The payload and name matching, in process: small frames with hand-checked numbers."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import polars as pl
import pytest

from exports import (
    PORTFOLIO_KEYS,
    PRODUCT_KEYS,
    ProductSelectionError,
    available_formats,
    funding_pack,
    pack_from_scorecard,
    render_json,
    resolve_products,
    writer_for,
)
from metrics.scorecard import SCORECARD_COLUMNS, PortfolioSummary, product_scorecard
from models.frames import YearFrames
from tests.metrics import factories as f
from tests.metrics.factories import AS_OF, YEAR

GENERATED = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture
def frames() -> YearFrames:
    """Two products.

    1 Library: actual 100.00 in January, 3 active learners, one completion each,
      10 seats at 20.00, level-4 benefits 1,000.00.
    2 Coaching: a 5-seat contract, no usage, no budget, no outcomes.
    """
    return YearFrames(
        products=f.products(
            {
                "product_id": 1,
                "product": "Library",
                "lifecycle_stage": "mature",
                "strategic_fit": 4,
            },
            {
                "product_id": 2,
                "product": "Coaching",
                "lifecycle_stage": "growth",
                "strategic_fit": 3,
            },
        ),
        budgets=f.budgets(
            {"month": date(2026, 1, 1), "plan_minor": 120_00, "actual_minor": 100_00}
        ),
        contracts=f.contracts(
            {"seats": 10, "price_per_seat_minor": 20_00},
            {"product_id": 2, "vendor": "CoachCo", "seats": 5, "price_per_seat_minor": 50_00},
        ),
        usage=f.usage(
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
        # (110 - 100) x 250.00 x 50% x 80% = 1,000.00
        outcomes=f.outcomes(f.monetised(unit_value_minor=250_00)),
    )


def make_pack(frames: YearFrames, **kw: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"year": YEAR, "as_of": AS_OF, "currency": "GBP"}
    options["generated_at"] = GENERATED
    return dict(funding_pack(frames, **{**options, **kw}))


def test_hand_checked_figures(frames: YearFrames) -> None:
    pack = make_pack(frames)
    library, coaching = pack["products"]
    assert library["product"] == "Library"
    assert list(library) == list(PRODUCT_KEYS) == list(SCORECARD_COLUMNS[1:])
    # 100.00 / 3 active learners = 33.333... -> 33.33 to the cent
    assert library["cost_per_active_learner"] == 33.33
    # 10 seats - 3 active = 7 idle x 20.00 = 140.00; 3 / 10 = 0.3 used
    assert (library["idle_seats"], library["idle_spend"], library["seat_utilisation"]) == (
        7,
        140.0,
        0.3,
    )
    # bcr 1,000 / 100 = 10; roi (1,000 - 100) / 100 = 9.0 (a fraction: 900%)
    assert library["benefits"] == 1000.0
    assert library["roi"] == pytest.approx(9.0)
    # payback 100 / (1,000 / 12) = 1.2 months
    assert library["payback_months"] == pytest.approx(1.2)
    # Coaching: seats from its contract, usage not tracked
    assert coaching["seats"] == 5
    assert coaching["usage_tracked"] is False
    assert coaching["active_learners"] is coaching["idle_spend"] is coaching["actual_cost"] is None


def test_header_fields(frames: YearFrames) -> None:
    pack = make_pack(frames)
    assert pack["generated_at"] == "2026-11-23T09:30:00+00:00"
    assert (pack["year"], pack["as_of"], pack["currency"]) == (2026, "2026-11-23", "GBP")
    # a time in another zone is given in UTC; a naive one is taken as UTC
    paris = datetime(2026, 11, 23, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert make_pack(frames, generated_at=paris)["generated_at"] == "2026-11-23T09:30:00+00:00"
    naive = datetime(2026, 11, 23, 9, 30)
    assert make_pack(frames, generated_at=naive)["generated_at"] == "2026-11-23T09:30:00+00:00"


def test_portfolio_is_the_summary_as_a_dict(frames: YearFrames) -> None:
    pack = make_pack(frames)
    assert list(pack["portfolio"]) == list(PORTFOLIO_KEYS)
    assert list(PortfolioSummary.__dataclass_fields__) == list(PORTFOLIO_KEYS)
    # seats 10 + 5 = 15; only Library's are measured: 3 used of 10
    assert (pack["portfolio"]["seats"], pack["portfolio"]["seat_utilisation"]) == (15, 0.3)
    assert pack["portfolio"]["active_learners"] == 3
    assert isinstance(pack["portfolio"]["idle_seats"], int)
    labels = [p["health"] for p in pack["products"]]
    assert sum(pack["portfolio"]["products_by_health"].values()) == len(labels) == 2
    for label in labels:
        assert pack["portfolio"]["products_by_health"][label] == labels.count(label)


def test_selecting_products_recomputes_the_portfolio(frames: YearFrames) -> None:
    pack = make_pack(frames, products=["Coaching"])
    assert [p["product"] for p in pack["products"]] == ["Coaching"]
    portfolio = pack["portfolio"]
    assert (portfolio["products"], portfolio["seats"], portfolio["actual_cost"]) == (1, 5, None)
    assert portfolio["active_learners"] is None  # Library's learners are not Coaching's


def test_an_unknown_exact_name_is_refused(frames: YearFrames) -> None:
    with pytest.raises(ValueError, match="'library'"):
        make_pack(frames, products=["library"])


def test_float_noise_nan_and_negative_zero_are_cleaned(frames: YearFrames) -> None:
    card = product_scorecard(
        frames.products, frames.budgets, frames.contracts, frames.usage, frames.outcomes,
        year=YEAR, as_of=AS_OF,
    )  # fmt: skip
    noisy = card.with_columns(
        pl.when(pl.col("product_id") == 1).then(0.1 + 0.2).otherwise(None).alias("actual_cost"),
        pl.lit(-0.001).alias("idle_spend"),
        pl.lit(math.nan).alias("bcr"),
    )
    pack = pack_from_scorecard(
        noisy, frames.usage, year=YEAR, as_of=AS_OF, currency="GBP", generated_at=GENERATED
    )
    library = pack["products"][0]
    assert library["actual_cost"] == 0.3  # not 0.30000000000000004
    assert math.copysign(1, library["idle_spend"]) == 1.0  # -0.00 is written 0.0
    assert library["bcr"] is None  # NaN is not JSON
    assert pack["portfolio"]["actual_cost"] == 0.3
    text = render_json(pack).decode("utf-8")
    assert "0.30000000000000004" not in text
    assert "NaN" not in text


def test_render_json_keeps_names_and_non_ascii_as_written() -> None:
    pack = {"products": [{"product": 'Café =HYPERLINK("x")'}]}
    text = render_json(pack).decode("utf-8")  # type: ignore[arg-type]
    assert 'Café =HYPERLINK(\\"x\\")' in text
    assert text.endswith("}\n")
    assert json.loads(text) == pack


def test_only_json_is_available_yet() -> None:
    assert available_formats() == ("json",)
    assert writer_for("json") is render_json
    assert writer_for("xlsx") is None


# --- resolve_products ---------------------------------------------------------------------------

STORED = ["LinkedIn Learning", "Udemy Tech Skills", "Sales Academy", "sales academy"]


def test_exact_then_case_insensitive_matches_in_the_order_given() -> None:
    got = resolve_products(
        ["udemy tech skills", "LinkedIn Learning", " linkedin learning "], STORED
    )
    assert got == ["Udemy Tech Skills", "LinkedIn Learning"]


def test_an_exact_name_wins_over_names_differing_in_case() -> None:
    assert resolve_products(["sales academy"], STORED) == ["sales academy"]


def test_a_name_matching_several_products_by_case_is_refused() -> None:
    with pytest.raises(ProductSelectionError, match="several products"):
        resolve_products(["SALES ACADEMY"], STORED)


def test_unknown_names_are_all_reported_with_close_matches() -> None:
    with pytest.raises(ProductSelectionError) as caught:
        resolve_products(
            ["Udemy Tech Skill", "LinkedIn Learning", "Quantum Basket Weaving"], STORED
        )
    assert len(caught.value.problems) == 2
    assert "'Udemy Tech Skill' (did you mean 'Udemy Tech Skills'?)" in str(caught.value)
    assert "'Quantum Basket Weaving' (no similar name among the 4 products)" in str(caught.value)
