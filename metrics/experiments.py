"""Experiments: effect, 95 % confidence interval, p-value, power and a verdict in words.

Definitions (DESIGN.md, "Settled for the next capabilities", Experiments): the
first variant of an experiment is its control; `effect` = treatment − control
(a fraction for rates). Rates: unpooled Wald interval, pooled two-proportion
z-test. Means: Welch's interval and t-test. scipy computes the distributions.

Why power as well: an experiment that finds nothing is only evidence of no
effect when its sample could have detected the effect hoped for, so each
result carries its minimum detectable effect at 80 % power and says whether
the effect hoped for was within reach.

Sources: the two-proportion z-test and Wald interval as in any introductory
text (e.g. OpenIntro Statistics, §6.2); Welch (1947), "The generalization of
Student's problem when several different population variances are
involved", Biometrika 34; sample size per arm as statsmodels'
`power_proportions_2indep` (pooled under H0, unpooled under H1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

import polars as pl

__all__ = [
    "ALPHA",
    "POWER",
    "Arm",
    "Result",
    "compare",
    "compare_means",
    "compare_rates",
    "experiment_results",
    "proven_by_experiment",
    "proven_mask",
    "sample_size_means",
    "sample_size_rates",
    "verdict",
]

ALPHA = 0.05
"""Two-sided significance level: 95 % intervals, "unlikely to be chance" below it."""
POWER = 0.80
"""The power the minimum detectable effect and the sample-size calculator are worked at."""

Metric = Literal["rate", "mean"]


@dataclass(frozen=True)
class Arm:
    """One variant's numbers: participants and conversions (rate) or mean, sd and n (mean)."""

    variant: str
    n: int
    conversions: int | None = None
    mean: float | None = None
    sd: float | None = None

    @property
    def metric(self) -> Metric:
        """A rate when conversions are given, else a mean."""
        return "rate" if self.conversions is not None else "mean"

    @property
    def value(self) -> float:
        """The arm's rate (a fraction) or mean."""
        if self.conversions is not None:
            return self.conversions / self.n
        assert self.mean is not None
        return self.mean


@dataclass(frozen=True)
class Result:
    """One treatment variant against the control."""

    variant: str
    metric: Metric
    control: float
    treatment: float
    effect: float  # treatment − control (a fraction for rates)
    ci_low: float
    ci_high: float
    p_value: float
    mde: float  # the smallest effect this sample detects at 80 % power (two-sided 5 %)

    @property
    def significant(self) -> bool:
        """Whether p is below 5 %: unlikely to be chance."""
        return self.p_value < ALPHA

    def powered_for(self, hoped: float | None) -> bool | None:
        """Whether the effect hoped for (same unit as `effect`) was within the sample's reach."""
        return None if hoped is None else abs(hoped) >= self.mde


def _stats() -> ModuleType:
    """`scipy.stats`, imported on first use.

    Why: importing it takes most of a second, and `python -m loaders` reaches
    this module (through `metrics.currency` and the package's `__init__`)
    without ever comparing two arms.
    """
    from scipy import stats

    return stats


def _z(probability: float) -> float:
    return float(_stats().norm.ppf(probability))


def compare_rates(control: Arm, treatment: Arm) -> Result:
    """Two rates: unpooled Wald 95 % interval, pooled two-sided z-test, MDE at 80 % power.

    Examples
    --------
    120 of 1,000 against 150 of 1,000 (z = 1.963):

    >>> r = compare_rates(Arm("A", 1000, 120), Arm("B", 1000, 150))
    >>> round(r.effect, 3), round(r.ci_low, 4), round(r.ci_high, 4), round(r.p_value, 4)
    (0.03, 0.0001, 0.0599, 0.0496)
    """
    _check(control, "rate")
    _check(treatment, "rate")
    p1, p2 = control.value, treatment.value
    n1, n2 = control.n, treatment.n
    effect = p2 - p1
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    z = _z(1 - ALPHA / 2)
    pooled = ((control.conversions or 0) + (treatment.conversions or 0)) / (n1 + n2)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    # Every participant converted, or none did: no evidence either way.
    p_value = 1.0 if se0 == 0 else float(2 * _stats().norm.sf(abs(effect) / se0))
    mde = (z + _z(POWER)) * math.sqrt(p1 * (1 - p1) * (1 / n1 + 1 / n2))
    return Result(
        treatment.variant, "rate", p1, p2, effect, effect - z * se, effect + z * se, p_value, mde
    )


def compare_means(control: Arm, treatment: Arm) -> Result:
    """Two means: Welch's 95 % interval and two-sided t-test, MDE at 80 % power.

    Examples
    --------
    scipy's own example of `ttest_ind_from_stats` (13 at 15.0, variance 87.5;
    11 at 12.0, variance 39.0), Welch's form:

    >>> a, b = Arm("A", 13, mean=15.0, sd=87.5**0.5), Arm("B", 11, mean=12.0, sd=39**0.5)
    >>> r = compare_means(a, b)
    >>> round(r.effect, 1), round(r.p_value, 4)
    (-3.0, 0.36)
    """
    _check(control, "mean")
    _check(treatment, "mean")
    v1 = (control.sd or 0.0) ** 2 / control.n
    v2 = (treatment.sd or 0.0) ** 2 / treatment.n
    se = math.sqrt(v1 + v2)
    effect = treatment.value - control.value
    if se == 0:
        return Result(treatment.variant, "mean", control.value, treatment.value, effect,
                      effect, effect, 1.0 if effect == 0 else 0.0, 0.0)  # fmt: skip
    df = (v1 + v2) ** 2 / (v1**2 / (control.n - 1) + v2**2 / (treatment.n - 1))
    t_dist = _stats().t
    t = float(t_dist.ppf(1 - ALPHA / 2, df))
    p_value = float(2 * t_dist.sf(abs(effect) / se, df))
    mde = (t + float(t_dist.ppf(POWER, df))) * se
    return Result(
        treatment.variant,
        "mean",
        control.value,
        treatment.value,
        effect,
        effect - t * se,
        effect + t * se,
        p_value,
        mde,
    )


def compare(arms: list[Arm]) -> list[Result]:
    """Every treatment against the first arm (the control), as its metric requires.

    Raises
    ------
    ValueError
        With fewer than two arms, or arms that mix rates and means.
    """
    if len(arms) < 2:
        msg = "an experiment needs a control and at least one treatment"
        raise ValueError(msg)
    control, *treatments = arms
    if any(arm.metric != control.metric for arm in treatments):
        msg = "all variants of an experiment report the same kind of metric (rate or mean)"
        raise ValueError(msg)
    pair = compare_rates if control.metric == "rate" else compare_means
    return [pair(control, arm) for arm in treatments]


def _check(arm: Arm, metric: Metric) -> None:
    if arm.n < 2:
        msg = f"variant {arm.variant!r} needs at least 2 participants"
        raise ValueError(msg)
    if metric == "rate":
        if arm.conversions is None or not 0 <= arm.conversions <= arm.n:
            msg = f"variant {arm.variant!r}: conversions must be between 0 and the participants"
            raise ValueError(msg)
    elif arm.mean is None or arm.sd is None or arm.sd < 0:
        msg = f"variant {arm.variant!r} needs a mean and a standard deviation of 0 or more"
        raise ValueError(msg)


def sample_size_rates(baseline: float, target: float, *, power: float = POWER) -> int:
    """Participants per arm to detect `baseline` → `target` (fractions), two-sided 5 %.

    Examples
    --------
    >>> sample_size_rates(0.10, 0.12), sample_size_rates(0.40, 0.45)
    (3841, 1534)
    """
    if not (0 < baseline < 1 and 0 < target < 1) or baseline == target:
        msg = "the rates must be different fractions between 0 and 1"
        raise ValueError(msg)
    mean = (baseline + target) / 2
    need = (
        _z(1 - ALPHA / 2) * math.sqrt(2 * mean * (1 - mean))
        + _z(power) * math.sqrt(baseline * (1 - baseline) + target * (1 - target))
    ) ** 2 / (target - baseline) ** 2
    return math.ceil(need)


def sample_size_means(difference: float, sd: float, *, power: float = POWER) -> int:
    """Participants per arm to detect a `difference` in means with standard deviation `sd`.

    The normal approximation n = 2 (z_α/2 + z_β)² σ² / δ², plus one (the t
    correction for small samples is about that size).

    Examples
    --------
    >>> sample_size_means(5, 10)  # half a standard deviation
    64
    """
    if difference == 0 or sd <= 0:
        msg = "the difference must not be 0 and the standard deviation must be above 0"
        raise ValueError(msg)
    need = 2 * (_z(1 - ALPHA / 2) + _z(power)) ** 2 * sd**2 / difference**2
    return math.ceil(need) + 1


def _amount(value: float, metric: Metric) -> str:
    """A rate's change in percentage points, a mean's in its own unit."""
    if metric == "rate":
        return f"{abs(value) * 100:.1f} points"
    return f"{abs(value):,.2f}"


def _bound(value: float, metric: Metric) -> str:
    text = f"{value * 100:.1f}" if metric == "rate" else f"{value:,.2f}"
    return text.replace("-", "−")


def verdict(result: Result, *, metric_name: str, hoped: float | None = None) -> str:
    """The result in one sentence a sponsor can read.

    Examples
    --------
    >>> r = compare_rates(Arm("control", 400, 120), Arm("nudge", 400, 144))
    >>> verdict(r, metric_name="completion")
    'nudge raised completion by 6.0 points (95 % CI −0.5 to 12.5); it could be chance (p = 0.071).'
    """
    direction = "raised" if result.effect > 0 else "lowered" if result.effect < 0 else "left"
    span = (
        f"95 % CI {_bound(result.ci_low, result.metric)} to {_bound(result.ci_high, result.metric)}"
    )
    if result.effect == 0:
        head = f"{result.variant} left {metric_name} unchanged ({span})"
    else:
        head = (
            f"{result.variant} {direction} {metric_name} by "
            f"{_amount(result.effect, result.metric)} ({span})"
        )
    p = f"p = {result.p_value:.2g}" if result.p_value >= 0.001 else "p < 0.001"
    if result.significant:
        return f"{head}; unlikely to be chance ({p})."
    tail = f"; it could be chance ({p})."
    if result.powered_for(hoped) is False:
        tail = (
            f"; it could be chance ({p}), and this sample could only detect "
            f"{_amount(result.mde, result.metric)} or more, not the "
            f"{_amount(hoped or 0.0, result.metric)} hoped for."
        )
    return head + tail


_RESULTS: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "experiment": pl.String(),
    "variant": pl.String(),
    "metric_kind": pl.String(),
    "metric": pl.String(),
    "participants": pl.Int64(),
    "n": pl.Int64(),  # participants of the control and this treatment together
    "ended": pl.Date(),
    "control": pl.Float64(),
    "treatment": pl.Float64(),
    "effect": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "p_value": pl.Float64(),
    "mde": pl.Float64(),
    "hoped_effect": pl.Float64(),
    "powered": pl.Boolean(),
    "verdict": pl.String(),
}


def _arm(row: dict[str, object]) -> Arm:
    return Arm(
        str(row["variant"]),
        int(row["participants"]),  # type: ignore[call-overload]
        None if row["conversions"] is None else int(row["conversions"]),  # type: ignore[call-overload]
        None if row["mean"] is None else float(row["mean"]),  # type: ignore[arg-type]
        None if row["sd"] is None else float(row["sd"]),  # type: ignore[arg-type]
    )


def experiment_results(variants: pl.DataFrame) -> pl.DataFrame:
    """One row per treatment variant: its effect against the control, interval, p, verdict.

    Parameters
    ----------
    variants
        In `metrics.schema.EXPERIMENTS` shape (`models.frames.experiments_frame`):
        every variant of every experiment, `position` 0 the control.

    Returns
    -------
    pl.DataFrame
        Columns of `_RESULTS`, ordered by product, experiment and variant
        position. The loop is per experiment (a handful), over its own rows.
    """
    rows: list[dict[str, object]] = []
    ordered = variants.sort("product_id", "experiment", "position")
    for (product_id, name), group in ordered.group_by(
        ["product_id", "experiment"], maintain_order=True
    ):
        arms = group.to_dicts()
        metric = next((a["metric"] for a in arms if a["metric"]), None) or "the primary metric"
        hoped = next((a["hoped_effect"] for a in arms if a["hoped_effect"] is not None), None)
        for found, arm in zip(compare([_arm(a) for a in arms]), arms[1:], strict=True):
            rows.append(
                {
                    "product_id": product_id,
                    "experiment": name,
                    "variant": found.variant,
                    "metric_kind": found.metric,
                    "metric": metric,
                    "participants": arm["participants"],
                    "n": int(arms[0]["participants"]) + int(arm["participants"]),  # type: ignore[call-overload]
                    "ended": arm.get("ended"),
                    "control": found.control,
                    "treatment": found.treatment,
                    "effect": found.effect,
                    "ci_low": found.ci_low,
                    "ci_high": found.ci_high,
                    "p_value": found.p_value,
                    "mde": found.mde,
                    "hoped_effect": hoped,
                    "powered": found.powered_for(hoped),  # type: ignore[arg-type]
                    "verdict": verdict(found, metric_name=str(metric), hoped=hoped),  # type: ignore[arg-type]
                }
            )
    return pl.DataFrame(rows, schema=_RESULTS)


def proven_mask() -> pl.Expr:
    """True for a treatment significant at `ALPHA` whose effect went the way hoped.

    The hoped effect's sign decides the way; without one, an increase.
    """
    hoped = pl.col("hoped_effect")
    right_way = pl.when(hoped.is_not_null()).then(pl.col("effect") * hoped > 0)
    right_way = right_way.otherwise(pl.col("effect") > 0)
    return (pl.col("p_value") < ALPHA) & right_way.fill_null(False)


def proven_by_experiment(results: pl.DataFrame) -> pl.DataFrame:
    """Products with a treatment that moved its primary metric the way hoped, unlikely by chance.

    Why: a significant result of a controlled comparison isolates an effect,
    which is the evidence the impact criterion rewards; the direction is the
    hoped effect's sign when one was given, else an increase.

    Returns
    -------
    pl.DataFrame
        `product_id` and `proven_by` (the experiments, comma-separated).

    Examples
    --------
    >>> res = pl.DataFrame({"product_id": [1, 1, 2], "experiment": ["A", "B", "C"],
    ...     "p_value": [0.01, 0.2, 0.03], "effect": [0.05, 0.1, -2.0],
    ...     "hoped_effect": [None, None, -1.0]})
    >>> proven_by_experiment(res).sort("product_id").rows()
    [(1, 'A'), (2, 'C')]
    """
    return (
        results.filter(proven_mask())
        .group_by("product_id", maintain_order=True)
        .agg(pl.col("experiment").unique(maintain_order=True).str.join(", ").alias("proven_by"))
    )
