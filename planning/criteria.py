"""The prioritisation criteria, the inputs they read, and their absolute 0-1 scores.

Each criterion turns one product's figures into a score in [0, 1], 1 being
best, on a fixed scale set by `ScoreAnchors`. The scales are absolute, not
relative to the other products (as Jira Product Discovery's normalisation
is): a product's score depends only on its own row and the anchors, so adding
or dropping a product never re-scores the others, and a funding review can
say why a score is what it is.

Missing data is not bad data: a criterion whose figure is not tracked (reach
of a product whose usage is not imported, cost per active learner, a
strategic fit not set) has no score (null), and `planning.scoring` scores
the product on the criteria it has, the weights re-normalised over them.
Evidence is different: no outcome evidence is itself the measure of impact
evidence, which then scores 0 (conservative, as Phillips' principle 6: no
improvement claimed without evidence). `score_notes` says how each product
was treated, so a page can show "reach not tracked: left out" beside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import polars as pl

from metrics.experiments import experiment_results, proven_by_experiment
from metrics.health import HealthThresholds
from metrics.licences import contracts_in_force
from metrics.outcomes import highest_evidence_level
from metrics.periods import year_bounds
from metrics.scorecard import FrameSet, year_scorecard

__all__ = [
    "CRITERIA",
    "CRITERION_KEYS",
    "DEFAULT_WEIGHTS",
    "PLANNING_INPUTS",
    "Criterion",
    "ScoreAnchors",
    "criterion_scores",
    "planning_inputs",
    "score_notes",
    "year_planning_inputs",
]


@dataclass(frozen=True)
class Criterion:
    """One prioritisation criterion, as a page labels and explains it.

    `higher_is_better` describes the raw figure behind the criterion (cost
    per learner and delivery risk are better low); the 0-1 score is always
    oriented so that 1 is best.
    """

    key: str
    label: str
    help: str
    higher_is_better: bool


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "strategic_fit",
        "Strategic fit",
        "How closely the product serves a business goal, 1-5 as set on the product: "
        "(fit − 1) ÷ 4. Not set scores 0.",
        higher_is_better=True,
    ),
    Criterion(
        "reach",
        "Reach & utilisation",
        "Mean of the known ones of reach of the target audience and seat utilisation. "
        "Neither tracked scores 0.",
        higher_is_better=True,
    ),
    Criterion(
        "cost_efficiency",
        "Cost per active learner",
        "Actual cost per active learner on a log scale: 50 or less (in the reporting "
        "currency) scores 1, 2,000 or more scores 0. Not tracked scores 0.",
        higher_is_better=False,
    ),
    Criterion(
        "impact_evidence",
        "Impact evidence",
        "Half for the highest Kirkpatrick level evidenced in the year (level ÷ 4), half "
        "for the benefit-cost ratio (BCR ÷ 3, capped at 1).",
        higher_is_better=True,
    ),
    Criterion(
        "delivery_risk",
        "Delivery risk (low is good)",
        "1 − risk, risk being set by the lifecycle stage, plus 0.2 when usage is not "
        "tracked and 0.2 when the forecast exceeds the budget by more than 10 %.",
        higher_is_better=False,
    ),
)

CRITERION_KEYS: tuple[str, ...] = tuple(c.key for c in CRITERIA)

DEFAULT_WEIGHTS: dict[str, float] = {
    "strategic_fit": 3.0,
    "reach": 2.0,
    "cost_efficiency": 2.0,
    "impact_evidence": 3.0,
    "delivery_risk": 1.0,
}
"""The weights a new scenario starts from (and a ranking's moves are counted from)."""

PLANNING_INPUTS: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "product": pl.String(),
    "health": pl.String(),
    "lifecycle_stage": pl.String(),
    "budget": pl.Float64(),
    "budget_known": pl.Boolean(),
    "actual_cost": pl.Float64(),
    "forecast_cost": pl.Float64(),
    "strategic_fit": pl.Int64(),
    "is_core": pl.Boolean(),
    "reach": pl.Float64(),
    "seat_utilisation": pl.Float64(),
    "active_learners": pl.Int64(),
    "target_audience_size": pl.Int64(),
    "seats": pl.Int64(),
    "price_per_seat": pl.Float64(),
    "cost_per_active_learner": pl.Float64(),
    "benefits": pl.Float64(),
    "roi": pl.Float64(),
    "bcr": pl.Float64(),
    "evidence_level": pl.Int64(),
    "usage_tracked": pl.Boolean(),
    "proven_by": pl.String(),
}

_NO_RESULTS: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "experiment": pl.String(),
    "p_value": pl.Float64(),
    "effect": pl.Float64(),
    "hoped_effect": pl.Float64(),
}

_SCORED = (
    "product_id",
    "lifecycle_stage",
    "budget",
    "budget_known",
    "forecast_cost",
    "strategic_fit",
    "reach",
    "seat_utilisation",
    "seats",
    "cost_per_active_learner",
    "bcr",
    "evidence_level",
    "usage_tracked",
)

_FLOAT_INPUTS = (
    "budget",
    "forecast_cost",
    "reach",
    "seat_utilisation",
    "cost_per_active_learner",
    "bcr",
)

_FROM_SCORECARD = (
    "product_id",
    "product",
    "health",
    "lifecycle_stage",
    "budget_plan",
    "actual_cost",
    "forecast_cost",
    "reach",
    "seat_utilisation",
    "active_learners",
    "target_audience_size",
    "seats",
    "cost_per_active_learner",
    "benefits",
    "roi",
    "bcr",
    "usage_tracked",
)


def _require(df: pl.DataFrame, columns: Iterable[str], *, what: str) -> None:
    missing = [name for name in columns if name not in df.columns]
    if missing:
        msg = f"{what} frame is missing column(s): {', '.join(missing)}"
        raise ValueError(msg)


def year_planning_inputs(
    frames: FrameSet, *, year: int, thresholds: HealthThresholds
) -> pl.DataFrame:
    """`planning_inputs` of `year` over a frame set: the year's scorecard, then its inputs.

    Why one function: the Prioritise page and the pack's scenario block must
    score the same portfolio the same way (a scenario saved on the page is
    recomputed in the pack), so they build their inputs in one place.
    """
    card = year_scorecard(frames, year=year, thresholds=thresholds)
    variants = getattr(frames, "experiments", None)  # frame sets without experiments: none
    return planning_inputs(
        card,
        frames.products,
        frames.contracts,
        frames.outcomes,
        year=year,
        currency=frames.currency,
        experiments=None if variants is None else experiment_results(variants),
    )


def planning_inputs(
    scorecard: pl.DataFrame,
    products: pl.DataFrame,
    contracts: pl.DataFrame,
    outcomes: pl.DataFrame,
    *,
    year: int,
    currency: str,
    experiments: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per scorecard product with what the planning functions read.

    Parameters
    ----------
    scorecard
        `metrics.scorecard.product_scorecard` for `year`.
    products, contracts, outcomes
        Frames in `metrics.schema` shapes (strategic fit and core flag, the
        contract price per seat, the outcome levels).
    year
        The planning year; contracts in force and evidence are read for it.
    currency
        The reporting currency (ISO 4217) of the scorecard and the contracts.
    experiments
        `metrics.experiments.experiment_results`: a product with a significant
        result on its primary metric gets `proven_by` (the experiments' names).

    Returns
    -------
    pl.DataFrame
        Columns `PLANNING_INPUTS`, in the scorecard's row order.

    Notes
    -----
    * budget = the year's budget_plan (major units of `currency`), the base the what-if sliders
      move; a product with no plan gets 0.0 and budget_known false, so a
      slider has something to move while the page can say "no plan".
    * price_per_seat (major units) = seat-weighted average price of the contracts
      in force in the year, Σ (seats × price) ÷ Σ seats; null with no
      contract (`metrics.licences.contracts_in_force`).
    * evidence_level = highest Kirkpatrick level (1-4) with an actual
      outcome row in the year, 0 when none: the scorecard's rule
      (`metrics.outcomes.highest_evidence_level`; DESIGN: only outcome rows
      whose period falls in the year count), so the impact criterion and
      the health label read the same evidence.
    * is_core and usage_tracked: null is false (not asserted = not so).

    Examples
    --------
    A product with a 40,000.00 plan, strategic fit 4, one 300-seat contract
    at 120.00 and level-1 and level-3 rows in the year: budget 40,000.0,
    budget_known true, price_per_seat 120.0, evidence_level 3.
    """
    _require(scorecard, _FROM_SCORECARD, what="scorecard")
    _require(products, ("product_id", "strategic_fit", "is_core"), what="products")
    _require(outcomes, ("period",), what="outcomes")
    start, end = year_bounds(year)
    prices = contracts_in_force(contracts, start=start, end=end, currency=currency).select(
        "product_id", "price_per_seat"
    )
    evidence = highest_evidence_level(outcomes, year=year)
    extra = products.select("product_id", "strategic_fit", "is_core").unique(
        "product_id", keep="first", maintain_order=True
    )
    proven = proven_by_experiment(
        experiments if experiments is not None else pl.DataFrame(schema=_NO_RESULTS)
    )
    joined = scorecard.select(_FROM_SCORECARD)
    for part in (extra, prices, evidence, proven):
        joined = joined.join(part, on="product_id", how="left", maintain_order="left")
    plan = pl.col("budget_plan")
    joined = joined.with_columns(
        plan.fill_null(0.0).alias("budget"),
        plan.is_not_null().alias("budget_known"),
        pl.col("is_core").fill_null(False),
        pl.col("usage_tracked").fill_null(False),
        pl.col("evidence_level").fill_null(0),
    )
    return joined.select(pl.col(name).cast(dtype) for name, dtype in PLANNING_INPUTS.items())


_DEFAULT_STAGE_RISK = {
    "discovery": 0.5,  # judged like a pilot (DESIGN.md, "Settled for the next capabilities")
    "pilot": 0.5,
    "new": 0.4,
    "growth": 0.2,
    "mature": 0.1,
    "decline": 0.4,
    "retiring": 0.6,
}


@dataclass(frozen=True)
class ScoreAnchors:
    """The fixed ends of each criterion's absolute scale.

    Fixed anchors, rather than the best and worst product of the day, are
    what keep a score independent of the other products.

    Attributes
    ----------
    best_cost_per_learner, worst_cost_per_learner
        Cost per active learner (major units of the reporting currency)
        scoring 1.0 and 0.0; in between the score falls on a log scale,
        because 100 against 50 matters as much as 2,000 against 1,000. The
        defaults are amounts of a currency worth about a pound or a dollar:
        a deployment reporting in yen or another small unit sets its own.
    full_credit_bcr
        Benefit-cost ratio earning the full value half of impact evidence.
    stage_risk
        Delivery risk (0-1) by lifecycle stage, compared case-insensitively.
    unknown_stage_risk
        Risk of a product whose stage is missing or not in `stage_risk`.
    untracked_usage_risk
        Added when no usage is imported: nobody can see whether it is used.
    overspend_risk, overspend_tolerance
        Added when forecast > budget × (1 + tolerance) on a known budget.
    """

    best_cost_per_learner: float = 50.0
    worst_cost_per_learner: float = 2000.0
    full_credit_bcr: float = 3.0
    stage_risk: Mapping[str, float] = field(default_factory=lambda: dict(_DEFAULT_STAGE_RISK))
    unknown_stage_risk: float = 0.3
    untracked_usage_risk: float = 0.2
    overspend_risk: float = 0.2
    overspend_tolerance: float = 0.10

    def __post_init__(self) -> None:
        if not 0 < self.best_cost_per_learner < self.worst_cost_per_learner:
            msg = (
                "cost anchors must satisfy 0 < best < worst, got best "
                f"{self.best_cost_per_learner!r} and worst {self.worst_cost_per_learner!r}"
            )
            raise ValueError(msg)
        if not self.full_credit_bcr > 0:
            msg = f"full_credit_bcr must be positive, got {self.full_credit_bcr!r}"
            raise ValueError(msg)
        stages = {str(k).strip().lower(): float(v) for k, v in self.stage_risk.items()}
        risks = {
            **{f"stage_risk[{k!r}]": v for k, v in stages.items()},
            "unknown_stage_risk": self.unknown_stage_risk,
            "untracked_usage_risk": self.untracked_usage_risk,
            "overspend_risk": self.overspend_risk,
        }
        for name, value in risks.items():
            if not 0 <= value <= 1:
                msg = f"{name} must be between 0 and 1, got {value!r}"
                raise ValueError(msg)
        if not self.overspend_tolerance >= 0:
            msg = f"overspend_tolerance must be ≥ 0, got {self.overspend_tolerance!r}"
            raise ValueError(msg)
        object.__setattr__(self, "stage_risk", MappingProxyType(stages))


def _stage() -> pl.Expr:
    return pl.col("lifecycle_stage").str.strip_chars().str.to_lowercase()


def _risk(anchors: ScoreAnchors) -> pl.Expr:
    stage_risk = (
        _stage()
        .replace_strict(
            dict(anchors.stage_risk), default=anchors.unknown_stage_risk, return_dtype=pl.Float64
        )
        .fill_null(anchors.unknown_stage_risk)
    )
    untracked = ~pl.col("usage_tracked").fill_null(False)
    over = pl.col("budget_known").fill_null(False) & (
        pl.col("forecast_cost") > pl.col("budget") * (1 + anchors.overspend_tolerance)
    ).fill_null(False)
    return pl.min_horizontal(
        stage_risk
        + pl.when(untracked).then(anchors.untracked_usage_risk).otherwise(0.0)
        + pl.when(over).then(anchors.overspend_risk).otherwise(0.0),
        pl.lit(1.0),
    )


def _cost_efficiency(anchors: ScoreAnchors) -> pl.Expr:
    cost = pl.col("cost_per_active_learner")
    best, worst = anchors.best_cost_per_learner, anchors.worst_cost_per_learner
    span = math.log(worst) - math.log(best)
    return (
        pl.when(cost.is_null())
        .then(None)
        .when(cost <= best)
        .then(1.0)
        .when(cost >= worst)
        .then(0.0)
        .otherwise((math.log(worst) - cost.log()) / span)
    )


def _unit(expr: pl.Expr) -> pl.Expr:
    return expr.clip(0.0, 1.0)


def criterion_scores(inputs: pl.DataFrame, *, anchors: ScoreAnchors | None = None) -> pl.DataFrame:
    """Each product's score on each criterion, on absolute 0-1 scales.

    Parameters
    ----------
    inputs
        `planning_inputs` (or any frame with its columns).
    anchors
        The ends of the scales; `ScoreAnchors()` when None.

    Returns
    -------
    pl.DataFrame
        `product_id` and one Float64 column per `CRITERION_KEYS`, each in
        [0, 1] with 1 best, in the inputs' row order; null where the figure
        behind it is not tracked (strategic fit, reach, cost efficiency).

    Notes
    -----
    * strategic_fit = (fit − 1) ÷ 4; fit not set → null.
    * reach = mean of the known ones of reach and seat utilisation (each
      capped at 1); neither tracked → null.
    * cost_efficiency = (ln worst − ln c) ÷ (ln worst − ln best) for cost per
      active learner c, clipped to [0, 1]; not tracked → null.
    * impact_evidence = 0.5 × level ÷ 4 + 0.5 × min(BCR ÷ full-credit BCR, 1);
      BCR null or ≤ 0 → 0 for that half.
    * delivery_risk = 1 − min(stage risk + untracked-usage risk + overspend
      risk, 1).

    Each score reads only its own row and the anchors.

    Examples
    --------
    A mature product with fit 4, reach 0.6 and utilisation 0.8, 500.00 per
    active learner, evidence level 3, BCR 1.5, usage tracked, on budget:
    strategic_fit 0.75; reach 0.7; cost_efficiency
    ln(2000/500) ÷ ln(2000/50) = 0.3758; impact 0.375 + 0.25 = 0.625;
    delivery_risk 1 − 0.1 = 0.9.
    """
    anchors = anchors or ScoreAnchors()
    _require(inputs, _SCORED, what="planning inputs")
    fit = (pl.col("strategic_fit").cast(pl.Float64) - 1) / 4
    reach = pl.mean_horizontal(_unit(pl.col("reach")), _unit(pl.col("seat_utilisation")))
    level = pl.col("evidence_level").cast(pl.Float64).clip(0.0, 4.0)
    if "proven_by" in inputs.columns:  # an experiment's isolated effect counts as level 3
        level = pl.when(pl.col("proven_by").is_not_null()).then(level.clip(3.0, 4.0))
        level = level.otherwise(pl.col("evidence_level").cast(pl.Float64).clip(0.0, 4.0))
    level = level / 4
    value = (pl.col("bcr").clip(lower_bound=0.0) / anchors.full_credit_bcr).clip(upper_bound=1.0)
    scores = {
        "strategic_fit": fit,
        "reach": reach,
        "cost_efficiency": _cost_efficiency(anchors),
        "impact_evidence": 0.5 * level.fill_null(0.0) + 0.5 * value.fill_null(0.0),
        "delivery_risk": 1.0 - _risk(anchors),
    }
    # NaN is not a polars "missing"; treat it as one, so it scores nothing like a null.
    kept = [*_SCORED, *(["proven_by"] if "proven_by" in inputs.columns else [])]
    source = inputs.select(kept).with_columns(pl.col(_FLOAT_INPUTS).cast(pl.Float64).fill_nan(None))
    # Rounded to 1e-12: polars may divide by a constant through its reciprocal in one
    # kernel and not another (0.625 ÷ 6 came out one bit apart in a frame of one row and
    # of two), and a product's score must not depend on which other products are scored.
    return source.select(
        "product_id",
        *(_unit(scores[key]).cast(pl.Float64).round(12).alias(key) for key in CRITERION_KEYS),
    )


def score_notes(
    inputs: pl.DataFrame, *, anchors: ScoreAnchors | None = None
) -> dict[int, list[str]]:
    """Which criterion scores rest on missing data, per product, in plain words.

    Returns
    -------
    dict of int to list of str
        Every product id of `inputs`, with its notes (empty when every
        criterion was scored on tracked data), e.g. "reach not tracked:
        scored 0".

    Notes
    -----
    Mirrors the null rules of `criterion_scores`, so the page can explain
    a 0 instead of letting it pass for a measured result.
    """
    anchors = anchors or ScoreAnchors()
    _require(inputs, _SCORED, what="planning inputs")
    notes: dict[int, list[str]] = {}
    for row in inputs.iter_rows(named=True):
        found: list[str] = []
        if row["strategic_fit"] is None:
            found.append("strategic fit not set: left out, the other criteria re-weighted")
        reach, used = row["reach"], row["seat_utilisation"]
        if reach is None and used is None:
            found.append(
                "reach and seat utilisation not tracked: left out, the other criteria re-weighted"
            )
        elif reach is None:
            found.append("reach not tracked: scored on seat utilisation alone")
        elif used is None and row["seats"] is not None:
            found.append("seat utilisation not tracked: scored on reach alone")
        if row["cost_per_active_learner"] is None:
            found.append(
                "cost per active learner not tracked: left out, the other criteria re-weighted"
            )
        if row.get("proven_by"):
            found.append(
                f"significant experiment ({row['proven_by']}): evidence counted at level 3 or above"
            )
        elif not row["evidence_level"]:
            found.append("no outcome evidence in the year: evidence half scored 0")
        if row["bcr"] is None:
            found.append("BCR not tracked: value half of impact scored 0")
        stage = (row["lifecycle_stage"] or "").strip().lower()
        if stage not in anchors.stage_risk:
            found.append(
                f"lifecycle stage {'not set' if not stage else repr(stage) + ' unknown'}: "
                f"risk {anchors.unknown_stage_risk:g}"
            )
        if not row["usage_tracked"]:
            found.append(f"usage not tracked: delivery risk +{anchors.untracked_usage_risk:g}")
        if not row["budget_known"]:
            found.append("no budget plan: overspend not checked")
        notes[row["product_id"]] = found
    return notes
