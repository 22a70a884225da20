"""Experiment statistics against published worked examples and independent arithmetic.

Sources:
* Two proportions, 120/1,000 vs 150/1,000: z = 1.963, p = 0.0496, Wald CI [0.0001, 0.0599];
  sample size per arm 10 % → 12 %: 3,841, 40 % → 45 %: 1,534 (statsmodels
  `power_proportions_2indep`), as quoted in research/portfolio_prioritisation.md §5.
* Two proportions, 140/200 vs 255/340: pooled p = 0.7314815, SE = 0.03949401, z = −1.266015,
  (homeworksource.com/p/1008622).
* Welch: scipy's `ttest_ind_from_stats` example (13 at 15.0, variance 87.5; 11 at 12.0,
  variance 39.0), and the Welch–Satterthwaite degrees of freedom worked by hand.
"""

from __future__ import annotations

import math

import pytest

from metrics.experiments import (
    Arm,
    compare,
    compare_means,
    compare_rates,
    sample_size_means,
    sample_size_rates,
    verdict,
)


def _phi(x: float) -> float:
    """The standard normal CDF from math.erf (independent of scipy)."""
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def test_two_rates_match_the_published_example() -> None:
    r = compare_rates(Arm("A", 1000, 120), Arm("B", 1000, 150))
    assert r.effect == pytest.approx(0.03)
    pooled = 270 / 2000
    z = 0.03 / math.sqrt(pooled * (1 - pooled) * (2 / 1000))
    assert z == pytest.approx(1.963, abs=5e-4)
    assert r.p_value == pytest.approx(2 * (1 - _phi(z)), abs=1e-9)
    assert r.p_value == pytest.approx(0.0496, abs=1e-4)
    assert (r.ci_low, r.ci_high) == pytest.approx((0.0001, 0.0599), abs=1e-4)
    assert r.significant


def test_two_rates_match_a_second_worked_example() -> None:
    r = compare_rates(Arm("men", 200, 140), Arm("women", 340, 255))
    pooled = 395 / 540
    assert pooled == pytest.approx(0.7314815, abs=1e-7)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / 200 + 1 / 340))
    assert se0 == pytest.approx(0.03949401, abs=1e-8)
    z = (140 / 200 - 255 / 340) / se0
    assert z == pytest.approx(-1.266015, abs=1e-6)
    # (the source's one-tailed 0.1030278 is from a t with 538 df; the z-test's is 0.10275)
    assert r.p_value == pytest.approx(2 * (1 - _phi(abs(z))), abs=1e-9)
    assert r.p_value == pytest.approx(0.2055, abs=1e-4)
    assert not r.significant
    half = 1.959964 * math.sqrt(0.7 * 0.3 / 200 + 0.75 * 0.25 / 340)
    assert (r.ci_low, r.ci_high) == pytest.approx((0.05 - half, 0.05 + half), abs=1e-6)


def test_welch_matches_scipys_example_and_the_hand_worked_degrees_of_freedom() -> None:
    r = compare_means(Arm("A", 13, mean=15.0, sd=87.5**0.5), Arm("B", 11, mean=12.0, sd=39**0.5))
    v1, v2 = 87.5 / 13, 39.0 / 11
    se = math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / 12 + v2**2 / 10)
    assert df == pytest.approx(20.98, abs=0.01)
    assert 3.0 / se == pytest.approx(0.9358461935556048, abs=1e-12)  # scipy's Welch statistic
    assert r.effect == -3.0
    assert r.p_value == pytest.approx(0.35999818693244234, abs=1e-12)
    t975 = 2.0796  # t table, 21 degrees of freedom (df = 20.98)
    assert (r.ci_low, r.ci_high) == pytest.approx((-3 - t975 * se, -3 + t975 * se), abs=2e-3)


def test_sample_sizes_match_the_published_figures() -> None:
    assert sample_size_rates(0.10, 0.12) == 3841
    assert sample_size_rates(0.40, 0.45) == 1534
    # n = 2 (1.95996 + 0.84162)² 10² / 5² = 62.8 → 63, plus one for the t correction
    assert sample_size_means(5, 10) == 64


def test_minimum_detectable_effect_says_whether_the_hoped_effect_was_in_reach() -> None:
    small = compare_rates(Arm("control", 100, 30), Arm("nudge", 100, 33))
    # (1.95996 + 0.84162) √(0.3 × 0.7 × 2/100) = 0.1816: 18 points
    assert small.mde == pytest.approx(0.1816, abs=1e-4)
    assert small.powered_for(0.05) is False and small.powered_for(0.2) is True
    text = verdict(small, metric_name="completion", hoped=0.05)
    assert text == (
        "nudge raised completion by 3.0 points (95 % CI −9.9 to 15.9); it could be chance "
        "(p = 0.65), and this sample could only detect 18.2 points or more, not the 5.0 points "
        "hoped for."
    )


def test_the_verdict_of_a_clear_effect() -> None:
    r = compare_rates(Arm("control", 2000, 600), Arm("nudge", 2000, 720))
    assert verdict(r, metric_name="completion") == (
        "nudge raised completion by 6.0 points (95 % CI 3.1 to 8.9); unlikely to be chance "
        "(p < 0.001)."
    )


def test_compare_takes_the_first_variant_as_control_and_refuses_mixed_metrics() -> None:
    results = compare([Arm("A", 100, 10), Arm("B", 100, 20), Arm("C", 100, 5)])
    assert [(r.variant, round(r.effect, 2)) for r in results] == [("B", 0.1), ("C", -0.05)]
    with pytest.raises(ValueError, match="same kind of metric"):
        compare([Arm("A", 100, 10), Arm("B", 100, mean=3.0, sd=1.0)])
    with pytest.raises(ValueError, match="control and at least one treatment"):
        compare([Arm("A", 100, 10)])
    with pytest.raises(ValueError, match="between 0 and the participants"):
        compare_rates(Arm("A", 100, 101), Arm("B", 100, 5))
