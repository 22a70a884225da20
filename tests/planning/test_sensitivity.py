"""Tornado: one parameter at a time, the values at each setting and the products that flip."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
import pytest

from planning.sensitivity import tornado
from planning.whatif import Assumptions
from tests.planning import WHATIF_SCHEMA

SCHEMA = WHATIF_SCHEMA


def inputs(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame([{"product_id": i + 1, **row} for i, row in enumerate(rows)], schema=SCHEMA)


def weighted(scores: pl.DataFrame, weights: Mapping[str, float]) -> pl.DataFrame:
    """A plain weighted mean × 100, standing in for planning.scoring.weighted_scores."""
    total = sum(weights.values())
    score = sum(pl.col(key) * weight for key, weight in weights.items()) / total * 100
    return scores.select("product_id", score.alias("score"))


# Two £100k products (usage not tracked); a £100k cap funds one of them at level 1.
# Fit-heavy "Academy" scores fit 1, reach 0; reach-heavy "Library" fit 0, reach 1.
PRODUCTS = inputs(
    {"product": "Academy", "budget": 100_000.0}, {"product": "Library", "budget": 100_000.0}
)
CRITERIA = pl.DataFrame({"product_id": [1, 2], "fit": [1.0, 0.0], "reach": [0.0, 1.0]})
WEIGHTS = {"fit": 1.0, "reach": 1.2}
LEVELS = (0.0, 1.0)


def test_tornado_values_settings_and_flips() -> None:
    out = tornado(
        PRODUCTS,
        CRITERIA,
        WEIGHTS,
        cap=100_000,
        levels=LEVELS,
        swing=0.5,
        scorer=weighted,
        currency="GBP",
    )
    assert out.columns == [
        "parameter", "kind", "base_setting", "low_setting", "high_setting", "value_low",
        "value_base", "value_high", "spread", "flips_low", "flips_high",
    ]  # fmt: skip
    rows = {row["parameter"]: row for row in out.iter_rows(named=True)}
    assert set(rows) == {"fit", "reach", "elasticity"}
    # base: Academy 100 × 1/2.2 = 45.45, Library 100 × 1.2/2.2 = 54.55 → Library funded
    assert rows["fit"]["value_base"] == pytest.approx(54.545, abs=1e-3)
    # reach low (0.6): Library 100 × 0.6/1.6 = 37.5 < Academy 100 × 1/1.6 = 62.5 → flips
    reach = rows["reach"]
    assert (reach["low_setting"], reach["high_setting"]) == pytest.approx((0.6, 1.8))
    assert reach["value_low"] == pytest.approx(62.5)
    assert reach["flips_low"] == ["Academy (in)", "Library (out)"]
    # reach high (1.8): Library 100 × 1.8/2.8 = 64.29, still Library, nothing flips
    assert reach["value_high"] == pytest.approx(64.286, abs=1e-3)
    assert reach["flips_high"] == []
    # spread = max − min over 62.5, 54.55, 64.29 = 9.74
    assert reach["spread"] == pytest.approx(9.740, abs=1e-3)
    # fit low (0.5): Library 1.2/1.7 = 70.59; fit high (1.5): Academy 1.5/2.7 = 55.56 → flips
    fit = rows["fit"]
    assert (fit["value_low"], fit["value_high"]) == pytest.approx((70.588, 55.556), abs=1e-3)
    assert fit["flips_high"] == ["Academy (in)", "Library (out)"]
    # elasticity 0.3 / 0.9: levels 0 and 1 only, so the value does not move
    elasticity = rows["elasticity"]
    assert elasticity["kind"] == "assumption"
    assert (elasticity["low_setting"], elasticity["high_setting"]) == pytest.approx((0.3, 0.9))
    assert elasticity["spread"] == pytest.approx(0.0)
    # widest first: fit 70.59 − 54.55 = 16.04 > reach 9.74 > elasticity 0
    assert out["parameter"].to_list() == ["fit", "reach", "elasticity"]


def test_elasticity_moves_the_value_of_partial_funding() -> None:
    # One £100k product, score 100 on "fit", cap £50k: only level 0.5 fits.
    # value = 100 × 0.5^e: e 0.6 → 65.975; e 0.3 → 81.225; e 0.9 → 53.589
    one = inputs({"product": "Academy", "budget": 100_000.0})
    criteria = pl.DataFrame({"product_id": [1], "fit": [1.0]})
    out = tornado(
        one,
        criteria,
        {"fit": 1.0},
        cap=50_000,
        assumptions=Assumptions(),
        scorer=weighted,
        currency="GBP",
    )
    row = out.filter(pl.col("parameter") == "elasticity").row(0, named=True)
    assert row["value_base"] == pytest.approx(65.975, abs=1e-3)
    assert row["value_low"] == pytest.approx(81.225, abs=1e-3)
    assert row["value_high"] == pytest.approx(53.589, abs=1e-3)
    assert row["spread"] == pytest.approx(81.225 - 53.589, abs=1e-3)
    # the only weight scales every score alike: value unchanged
    assert out.filter(pl.col("parameter") == "fit")["spread"].item() == pytest.approx(0.0)


def test_infeasible_forcing_gives_null_values() -> None:
    out = tornado(
        PRODUCTS,
        CRITERIA,
        WEIGHTS,
        cap=50_000,
        levels=LEVELS,
        forced_in=frozenset({1}),
        scorer=weighted,
        currency="GBP",
    )
    assert out["value_base"].null_count() == out.height
    assert out["spread"].null_count() == out.height
    assert out["flips_low"].list.len().to_list() == [0] * out.height


def test_swing_must_be_a_fraction() -> None:
    for swing in (0.0, 1.5, float("nan")):
        with pytest.raises(ValueError, match="swing"):
            tornado(
                PRODUCTS, CRITERIA, WEIGHTS, cap=1.0, swing=swing, scorer=weighted, currency="GBP"
            )


def test_tornado_with_the_real_weighted_scores() -> None:
    criteria = pl.DataFrame(
        {
            "product_id": [1, 2],
            "strategic_fit": [1.0, 0.0],
            "reach": [0.0, 1.0],
            "cost_efficiency": [0.5, 0.5],
            "impact_evidence": [0.0, 0.0],
            "delivery_risk": [1.0, 1.0],
        }
    )
    weights = {"strategic_fit": 1.0, "reach": 1.2, "cost_efficiency": 0.0}
    out = tornado(PRODUCTS, criteria, weights, cap=100_000, levels=LEVELS, currency="GBP")
    assert set(out["parameter"]) == {"strategic_fit", "reach", "cost_efficiency", "elasticity"}
    # a zero weight stays zero both ways
    zero = out.filter(pl.col("parameter") == "cost_efficiency").row(0, named=True)
    assert (zero["low_setting"], zero["high_setting"], zero["spread"]) == (0.0, 0.0, 0.0)
    # Library wins at base (reach weighs 1.2 against fit 1); lowering reach flips it
    reach = out.filter(pl.col("parameter") == "reach").row(0, named=True)
    assert reach["flips_low"] == ["Academy (in)", "Library (out)"]
