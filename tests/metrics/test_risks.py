"""The four product risks: hand-built scorecard rows, each signal at and around its threshold."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest

from metrics.risks import RISK_COLUMNS, RISK_KINDS, RiskThresholds, product_risks
from tests.metrics.factories import AS_OF

CARD_SCHEMA: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "category": pl.String(),
    "lifecycle_stage": pl.String(),
    "reach": pl.Float64(),
    "seats": pl.Int64(),
    "seat_utilisation": pl.Float64(),
    "usage_tracked": pl.Boolean(),
    "budget_plan": pl.Float64(),
    "forecast_cost": pl.Float64(),
    "actual_cost": pl.Float64(),
    "idle_spend": pl.Float64(),
    "cost_per_active_learner": pl.Float64(),
    "benefits": pl.Float64(),
    "roi": pl.Float64(),
}
# A product with no warning sign at all: tracked, well used, on plan, paying back.
QUIET: dict[str, Any] = {
    "category": "programme",
    "lifecycle_stage": "mature",
    "reach": 0.8,
    "seats": None,
    "seat_utilisation": None,
    "usage_tracked": True,
    "budget_plan": 10_000.0,
    "forecast_cost": 10_000.0,
    "actual_cost": 8_000.0,
    "idle_spend": None,
    "cost_per_active_learner": 100.0,
    "benefits": 20_000.0,
    "roi": 1.5,
}


def card(*rows: dict[str, Any]) -> pl.DataFrame:
    """Scorecard rows: product ids 1, 2, ... unless given; QUIET for what a row leaves out."""
    filled = [{"product_id": i, **QUIET, **row} for i, row in enumerate(rows, start=1)]
    return pl.DataFrame(filled, schema=CARD_SCHEMA, orient="row")


def chain(*levels: tuple[int, int, str]) -> pl.DataFrame:
    """Chain-of-evidence rows (product_id, level, strength)."""
    return pl.DataFrame(
        levels, schema={"product_id": pl.Int64(), "level": pl.Int64(), "strength": pl.String()},
        orient="row",
    )  # fmt: skip


def with_evidence(*ids: int) -> pl.DataFrame:
    """Level-4 evidence (moderate) for each product id."""
    return chain(*((pid, 4, "moderate") for pid in ids))


def risks_of(frame: pl.DataFrame, product_id: int = 1) -> dict[str, tuple[str, str]]:
    """{kind: (level, reason)} of one product."""
    rows = frame.filter(pl.col("product_id") == product_id)
    return {r["kind"]: (r["level"], r["reason"]) for r in rows.iter_rows(named=True)}


def test_a_quiet_product_has_four_low_risks_with_no_signal() -> None:
    result = product_risks(card({}), with_evidence(1))
    assert result.columns == list(RISK_COLUMNS)
    assert result["kind"].to_list() == list(RISK_KINDS)
    assert result["level"].to_list() == ["low"] * 4
    assert result["reason"].to_list() == ["no warning signs"] * 4


def test_one_row_per_kind_and_product_in_scorecard_order() -> None:
    frame = card({}, {}, {})
    frame = frame.with_columns(pl.Series("product_id", [30, 10, 20]))
    result = product_risks(frame, with_evidence(10, 20, 30))
    assert result["product_id"].to_list() == [30] * 4 + [10] * 4 + [20] * 4
    assert result["kind"].to_list() == list(RISK_KINDS) * 3


# --- value ---------------------------------------------------------------------------------------


def test_negative_roi_is_a_high_value_risk() -> None:
    # ROI -0.4 -> "ROI -40% on level-4 evidence"
    result = product_risks(card({"roi": -0.4}), with_evidence(1))
    assert risks_of(result)["value"] == ("high", "ROI -40% on level-4 evidence")


def test_no_level_3_or_4_evidence_is_high_unless_pilot_or_compliance() -> None:
    rows = card(
        {"benefits": None, "roi": None},
        {"benefits": None, "roi": None, "lifecycle_stage": "pilot"},
        {"benefits": None, "roi": None, "category": "compliance"},
    )
    # only level-1/2 evidence, and a level-3 link without any ("none") for product 1
    evidence = chain((1, 1, "moderate"), (1, 3, "none"), (2, 2, "weak"))
    result = product_risks(rows, evidence)
    assert risks_of(result, 1)["value"] == ("high", "no level-3/4 evidence")
    assert risks_of(result, 2)["value"] == ("medium", "no level-3/4 evidence yet (pilot)")
    assert risks_of(result, 3)["value"] == ("medium", "no level-3/4 evidence yet (compliance)")


def test_level_3_evidence_without_benefits_is_a_medium_value_risk() -> None:
    result = product_risks(card({"benefits": None, "roi": None}), chain((1, 3, "weak")))
    assert risks_of(result)["value"] == (
        "medium",
        "benefits not tracked (no monetised level-4 result)",
    )


# --- usability -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reach", "expected"),
    [
        (0.19, ("high", "reach 19% of the target audience")),
        (0.2, ("medium", "reach 20% of the target audience")),  # at the high cut-off: medium
        (0.39, ("medium", "reach 39% of the target audience")),
        (0.4, ("low", "no warning signs")),  # at the medium cut-off: no signal
        # Nothing tracked to judge use by: no level, never "low" (missing is not good data).
        (None, (None, "usage not tracked: nothing to judge use by")),
    ],
)
def test_reach_thresholds(reach: float | None, expected: tuple[str, str]) -> None:
    result = product_risks(card({"reach": reach}), with_evidence(1))
    assert risks_of(result)["usability"] == expected


@pytest.mark.parametrize(
    ("utilisation", "level"), [(0.49, "high"), (0.5, "medium"), (0.69, "medium"), (0.7, "low")]
)
def test_seat_utilisation_thresholds(utilisation: float, level: str) -> None:
    row = {"seats": 100, "seat_utilisation": utilisation, "idle_spend": 0.0}
    result = product_risks(card(row), with_evidence(1))
    assert risks_of(result)["usability"][0] == level


def test_completion_rate_from_the_funnel() -> None:
    funnel = pl.DataFrame({"product_id": [1, 2, 3], "completion_rate": [0.1, 0.3, None]})
    result = product_risks(card({}, {}, {}), with_evidence(1, 2, 3), funnel=funnel)
    # 1 of 10 enrolled completes: 10% < 20% -> high; 30% < 40% -> medium; unknown -> none
    assert risks_of(result, 1)["usability"] == ("high", "10% of enrolled learners complete")
    assert risks_of(result, 2)["usability"] == ("medium", "30% of enrolled learners complete")
    assert risks_of(result, 3)["usability"] == ("low", "no warning signs")


def test_the_level_is_the_highest_signal_and_high_reasons_come_first() -> None:
    # reach 0.3 -> medium; utilisation 0.4 -> high: level high, the high reason first
    row = {"reach": 0.3, "seats": 100, "seat_utilisation": 0.4, "idle_spend": 0.0}
    result = product_risks(card(row), with_evidence(1))
    assert risks_of(result)["usability"] == (
        "high",
        "40% of seats in use; reach 30% of the target audience",
    )


# --- feasibility ---------------------------------------------------------------------------------


def test_usage_not_tracked_is_high_with_licensed_seats_and_medium_without() -> None:
    rows = card(
        {"usage_tracked": False, "seats": 150, "reach": None},
        {"usage_tracked": False, "reach": None},
    )
    result = product_risks(rows, with_evidence(1, 2))
    assert risks_of(result, 1)["feasibility"] == (
        "high",
        "usage not tracked for 150 licensed seats",
    )
    assert risks_of(result, 2)["feasibility"] == ("medium", "usage not tracked")


def test_a_product_in_discovery_is_judged_like_a_pilot() -> None:
    # Computed by hand: only level-1 evidence, so the value risk is high for the mature
    # product 3 but medium for discovery (1, 2) and pilot (4); the stage is a medium
    # feasibility risk for discovery and pilot only. Everything else is QUIET.
    rows = card(
        {"benefits": None, "roi": None, "lifecycle_stage": "discovery"},
        {"benefits": None, "roi": None, "lifecycle_stage": "Discovery"},
        {"benefits": None, "roi": None},
        {"benefits": None, "roi": None, "lifecycle_stage": "pilot"},
    )
    result = product_risks(rows, chain(*((pid, 1, "weak") for pid in (1, 2, 3, 4))))
    for pid in (1, 2):
        assert risks_of(result, pid)["value"] == (
            "medium",
            "no level-3/4 evidence yet (discovery)",
        )
        assert risks_of(result, pid)["feasibility"] == (
            "medium",
            "discovery stage: not yet run at scale",
        )
    assert risks_of(result, 3)["value"] == ("high", "no level-3/4 evidence")
    assert risks_of(result, 3)["feasibility"] == ("low", "no warning signs")
    assert risks_of(result, 4)["value"] == ("medium", "no level-3/4 evidence yet (pilot)")
    assert risks_of(result, 4)["feasibility"] == ("medium", "pilot stage: not yet run at scale")


def test_a_pilot_is_a_medium_feasibility_risk() -> None:
    result = product_risks(card({"lifecycle_stage": "Pilot"}), with_evidence(1))
    assert risks_of(result)["feasibility"] == ("medium", "pilot stage: not yet run at scale")


@pytest.mark.parametrize(
    ("forecast", "expected"),
    [
        # 11,100 / 10,000 - 1 = 0.11 > 0.10 -> high
        (11_100.0, ("high", "forecast 11% over plan")),
        # 10,600 / 10,000 - 1 = 0.06 > 0.05 -> medium
        (10_600.0, ("medium", "forecast 6% over plan")),
        # 10,400 / 10,000 - 1 = 0.04 -> nothing
        (10_400.0, ("low", "no warning signs")),
        (None, ("low", "no warning signs")),
    ],
)
def test_forecast_overspend(forecast: float | None, expected: tuple[str, str]) -> None:
    result = product_risks(card({"forecast_cost": forecast}), with_evidence(1))
    assert risks_of(result)["feasibility"] == expected


def test_overspend_needs_a_plan() -> None:
    result = product_risks(card({"budget_plan": 0.0}), with_evidence(1))
    assert risks_of(result)["feasibility"] == ("low", "no warning signs")


# --- viability -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("idle_spend", "expected"),
    [
        # 2,000 idle of 8,000 actual = 0.25 >= 0.25 -> high
        (2_000.0, ("high", "idle seats cost 25% of the actual spend")),
        # 800 / 8,000 = 0.10 -> medium
        (800.0, ("medium", "idle seats cost 10% of the actual spend")),
        # 400 / 8,000 = 0.05 -> nothing
        (400.0, ("low", "no warning signs")),
    ],
)
def test_idle_spend_share(idle_spend: float, expected: tuple[str, str]) -> None:
    row = {"seats": 100, "seat_utilisation": 0.9, "idle_spend": idle_spend}
    result = product_risks(card(row), with_evidence(1))
    assert risks_of(result)["viability"] == expected


def test_cost_per_active_learner_against_the_portfolio_median() -> None:
    # costs 100, 200, 320, 500: median (200 + 320) / 2 = 260;
    # 500 / 260 = 1.92 -> medium (> 1.5, <= 2); 320 / 260 = 1.23 -> nothing
    costs = [100.0, 200.0, 320.0, 500.0]
    rows = card(*({"cost_per_active_learner": c} for c in costs))
    result = product_risks(rows, with_evidence(1, 2, 3, 4))
    assert risks_of(result, 4)["viability"] == (
        "medium",
        "cost per active learner 1.9× the portfolio median",
    )
    assert risks_of(result, 3)["viability"] == ("low", "no warning signs")
    # 100, 200, 600: median 200; 600 / 200 = 3.0 > 2 -> high
    rows = card(*({"cost_per_active_learner": c} for c in (100.0, 200.0, 600.0)))
    result = product_risks(rows, with_evidence(1, 2, 3))
    assert risks_of(result, 3)["viability"] == (
        "high",
        "cost per active learner 3.0× the portfolio median",
    )


def test_the_median_needs_three_products_with_a_known_cost() -> None:
    rows = card({"cost_per_active_learner": 100.0}, {"cost_per_active_learner": 900.0}, {})
    rows = rows.with_columns(
        pl.when(pl.col("product_id") == 3).then(None).otherwise(pl.col("cost_per_active_learner"))
        .alias("cost_per_active_learner")
    )  # fmt: skip
    result = product_risks(rows, with_evidence(1, 2, 3))
    assert risks_of(result, 2)["viability"] == ("low", "no warning signs")
    cuts = RiskThresholds(cost_per_learner_min_products=2)
    # median (100 + 900) / 2 = 500; 900 / 500 = 1.8 -> medium
    result = product_risks(rows, with_evidence(1, 2, 3), thresholds=cuts)
    assert risks_of(result, 2)["viability"][0] == "medium"


def licences(*ends: tuple[int, date]) -> pl.DataFrame:
    return pl.DataFrame(
        ends, schema={"product_id": pl.Int64(), "term_end": pl.Date()}, orient="row"
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (38, ("high", "licence renews in 38 days with 30% of seats in use")),
        (90, ("high", "licence renews in 90 days with 30% of seats in use")),
        (91, ("low", "no warning signs")),
        (-1, ("low", "no warning signs")),  # already ended: no renewal ahead in this window
    ],
)
def test_renewal_within_90_days_with_low_utilisation(days: int, expected: tuple[str, str]) -> None:
    # 70 idle seats at 1.00 of an actual cost of 8,000 (0.9%): only the renewal fires
    row = {"seats": 100, "seat_utilisation": 0.3, "idle_spend": 70.0}
    term = licences((1, AS_OF + timedelta(days=days)))
    result = product_risks(card(row), with_evidence(1), licences=term, as_of=AS_OF)
    assert risks_of(result)["viability"] == expected


def test_renewal_with_usage_not_tracked_and_without_an_as_of() -> None:
    row = {"seats": 150, "usage_tracked": False, "reach": None}
    term = licences((1, AS_OF + timedelta(days=38)))
    result = product_risks(card(row), with_evidence(1), licences=term, as_of=AS_OF)
    assert risks_of(result)["viability"] == (
        "medium",
        "licence renews in 38 days, usage not tracked",
    )
    # without as_of the days to renewal are unknown: no signal
    result = product_risks(card(row), with_evidence(1), licences=term)
    assert risks_of(result)["viability"] == ("low", "no warning signs")


def test_row_order_changes_nothing() -> None:
    rows = card(
        {"roi": -0.2},
        {"reach": 0.1, "usage_tracked": False, "seats": 10},
        {"lifecycle_stage": "pilot", "forecast_cost": 12_000.0},
    )
    evidence = with_evidence(1, 2, 3)
    forward = product_risks(rows, evidence).sort("product_id", "kind")
    backward = product_risks(rows.reverse(), evidence.reverse()).sort("product_id", "kind")
    assert forward.equals(backward)


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="roi"):
        product_risks(card({}).drop("roi"), with_evidence(1))
