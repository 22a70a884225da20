from dataclasses import replace

import polars as pl
import pytest

from metrics.health import HEALTH_LABELS, HealthThresholds, health_status
from tests.metrics.factories import HEALTH

DEFAULTS = HEALTH


def row(**overrides: object) -> dict:
    """A healthy mature product: 80% of seats used, ROI 140%, on plan, level-4 evidence."""
    return {
        "lifecycle_stage": "mature",
        "strategic_fit": 4,
        "seat_utilisation": 0.8,
        "roi": 1.4,
        "budget_plan": 10_000.0,
        "forecast_cost": 10_000.0,
        "evidence_level": 4,
        **overrides,
    }


def status(*rows: dict, thresholds: HealthThresholds = DEFAULTS) -> list[tuple[str, list[str]]]:
    schema = {
        "lifecycle_stage": pl.String(),
        "strategic_fit": pl.Int64(),
        "seat_utilisation": pl.Float64(),
        "roi": pl.Float64(),
        "budget_plan": pl.Float64(),
        "forecast_cost": pl.Float64(),
        "evidence_level": pl.Int64(),
    }
    got = health_status(pl.DataFrame(list(rows), schema=schema), thresholds=thresholds)
    return list(zip(got["health"].to_list(), got["health_reasons"].to_list(), strict=True))


def test_a_healthy_product_is_invest_with_its_supporting_facts() -> None:
    assert status(row()) == [("Invest", ["ROI 140% on level-4 evidence", "80% of seats in use"])]


def test_retiring_is_sunset() -> None:
    assert status(row(lifecycle_stage="retiring")) == [("Sunset", ["retiring"])]


def test_utilisation_below_the_sunset_line_is_sunset() -> None:
    # computed by hand: 1 - 0.15 = 85% of seats idle
    assert status(row(seat_utilisation=0.15)) == [("Sunset", ["85% of seats idle"])]


def test_utilisation_below_the_fix_line_is_fix() -> None:
    # computed by hand: 1 - 0.38 = 62% of seats idle
    assert status(row(seat_utilisation=0.38)) == [("Fix", ["62% of seats idle"])]


def test_roi_below_the_sunset_line_is_sunset_and_below_zero_is_fix() -> None:
    assert status(row(roi=-0.6), row(roi=-0.2)) == [
        ("Sunset", ["ROI -60% on level-4 evidence"]),
        ("Fix", ["ROI -20% on level-4 evidence"]),
    ]


def test_a_declining_product_of_low_strategic_fit_is_sunset() -> None:
    assert status(row(lifecycle_stage="decline", strategic_fit=2)) == [
        ("Sunset", ["declining, strategic fit 2/5"])
    ]
    assert status(row(lifecycle_stage="decline", strategic_fit=3))[0][0] == "Invest"


def test_overspend_beyond_the_threshold_is_fix() -> None:
    # computed by hand: 11,800 / 10,000 - 1 = 18% over plan (> 10%); 10,900 is 9% -> fine
    assert status(row(forecast_cost=11_800.0)) == [("Fix", ["18% over plan"])]
    assert status(row(forecast_cost=10_900.0))[0][0] == "Invest"


def test_a_mature_product_without_level_3_or_4_evidence_is_fix() -> None:
    assert status(row(roi=None, evidence_level=2), row(roi=None, evidence_level=None)) == [
        ("Fix", ["no level-3/4 evidence for a mature product"]),
        ("Fix", ["no level-3/4 evidence for a mature product"]),
    ]
    assert status(row(roi=None, evidence_level=3))[0][0] == "Invest"


def test_a_pilot_with_little_data_is_invest_while_gathering_evidence() -> None:
    pilot = row(
        lifecycle_stage="pilot",
        seat_utilisation=None,
        roi=None,
        budget_plan=None,
        forecast_cost=None,
        evidence_level=None,
    )
    assert status(pilot) == [("Invest", ["pilot: gathering evidence"])]


def test_a_product_in_discovery_is_judged_like_a_pilot() -> None:
    # Computed by hand: nothing measured yet (no seats, ROI, plan or evidence), so no Sunset
    # or Fix rule fires; the evidence rule covers growth, mature and decline only.
    nothing_yet = {
        "seat_utilisation": None,
        "roi": None,
        "budget_plan": None,
        "forecast_cost": None,
        "evidence_level": None,
    }
    got = status(
        row(lifecycle_stage="discovery", **nothing_yet),
        row(lifecycle_stage="Discovery", **nothing_yet),  # stages compare case-insensitively
        row(lifecycle_stage="mature", **nothing_yet),
    )
    assert got == [
        ("Invest", ["discovery: gathering evidence"]),
        ("Invest", ["discovery: gathering evidence"]),
        ("Fix", ["no level-3/4 evidence for a mature product"]),
    ]


def test_a_product_in_discovery_still_gets_fixed_when_a_rule_fires() -> None:
    # 12,000 / 10,000 - 1 = 20% over plan > 10%: Fix, and no evidence reason (not expected yet)
    overspent = row(lifecycle_stage="discovery", roi=None, evidence_level=None)
    overspent["forecast_cost"] = 12_000.0
    assert status(overspent) == [("Fix", ["20% over plan"])]


def test_a_pilot_still_gets_fixed_when_a_rule_fires() -> None:
    assert status(row(lifecycle_stage="pilot", seat_utilisation=0.3, evidence_level=None)) == [
        ("Fix", ["70% of seats idle"])
    ]


def test_null_inputs_fire_no_rule() -> None:
    unknown = row(
        lifecycle_stage=None,
        strategic_fit=None,
        seat_utilisation=None,
        roi=None,
        budget_plan=None,
        forecast_cost=None,
        evidence_level=None,
    )
    zero_plan = row(budget_plan=0.0, forecast_cost=5_000.0)
    assert status(unknown, zero_plan) == [
        ("Invest", ["no warning signs"]),
        ("Invest", ["ROI 140% on level-4 evidence", "80% of seats in use"]),
    ]


def test_every_fired_rule_is_listed_sunset_reasons_first() -> None:
    got = status(row(lifecycle_stage="retiring", seat_utilisation=0.4, forecast_cost=12_000.0))
    assert got == [("Sunset", ["retiring", "60% of seats idle", "20% over plan"])]


def test_thresholds_are_settings() -> None:
    strict = replace(HEALTH, utilisation_fix_below=0.9)
    assert status(row(), thresholds=strict) == [("Fix", ["20% of seats idle"])]


def test_inconsistent_thresholds_are_refused() -> None:
    with pytest.raises(ValueError, match="utilisation_sunset_below"):
        replace(HEALTH, utilisation_sunset_below=0.6, utilisation_fix_below=0.5)
    with pytest.raises(ValueError, match="roi_sunset_below"):
        replace(HEALTH, roi_sunset_below=0.5)


def test_labels_are_exactly_the_three() -> None:
    assert HEALTH_LABELS == ("Invest", "Fix", "Sunset")


def test_settings_use_the_same_thresholds() -> None:
    import settings

    assert settings.HealthThresholds is HealthThresholds
    assert settings.Settings(database_url="sqlite://").health == settings.DEFAULT_HEALTH


def test_the_evidence_reason_names_the_stage() -> None:
    got = status(
        row(lifecycle_stage="growth", roi=None, evidence_level=1),
        row(lifecycle_stage="decline", strategic_fit=4, roi=None, evidence_level=None),
    )
    assert got == [
        ("Fix", ["no level-3/4 evidence for a growing product"]),
        ("Fix", ["no level-3/4 evidence for a declining product"]),
    ]


def test_the_docstring_example() -> None:
    # computed by hand: 1 - 0.38 = 62% idle (< 50% used); 11,800 / 10,000 - 1 = 18% over plan
    got = status(row(seat_utilisation=0.38, forecast_cost=11_800.0))
    assert got == [("Fix", ["62% of seats idle", "18% over plan"])]


def test_thresholds_must_be_given() -> None:
    # No default here: a caller that forgot the deployment's thresholds would silently
    # judge by a second copy of them (settings.DEFAULT_HEALTH is the one source).
    with pytest.raises(TypeError, match="thresholds"):
        health_status(pl.DataFrame([row()]))  # type: ignore[call-arg]


def test_compliance_is_judged_on_reach_not_on_level_3_4_evidence() -> None:
    base = {
        "lifecycle_stage": "mature",
        "strategic_fit": 4,
        "seat_utilisation": None,
        "roi": None,
        "budget_plan": 100.0,
        "forecast_cost": 100.0,
        "evidence_level": None,
        "category": "compliance",
    }
    frame = pl.DataFrame([{**base, "reach": 0.97}, {**base, "reach": 0.6}])
    out = health_status(frame, thresholds=HEALTH)
    # 97% reached: nothing to fix; 60% < the 0.9 threshold: Fix, saying by how much.
    assert out["health"].to_list() == ["Invest", "Fix"]
    assert out["health_reasons"].to_list()[0] == ["compliance: 97% of the audience reached"]
    assert "compliance: only 60% of the audience reached" in out["health_reasons"].to_list()[1]


def test_a_licence_with_no_usage_report_is_flagged() -> None:
    frame = pl.DataFrame(
        [
            {
                "lifecycle_stage": "pilot",
                "strategic_fit": 3,
                "seat_utilisation": None,
                "roi": None,
                "budget_plan": 100.0,
                "forecast_cost": 100.0,
                "evidence_level": None,
                "seats": 150,
                "usage_tracked": False,
            }
        ]
    )
    out = health_status(frame, thresholds=HEALTH)
    assert out["health"].to_list() == ["Fix"]
    assert out["health_reasons"].to_list() == [["usage not tracked for 150 licensed seats"]]
