"""Rank products three ways: weighted criterion scores, AHP weights, and RICE.

Weighted scoring is the main view: `weighted_scores` combines the absolute
0-1 criterion scores of `planning.criteria` with user-set weights into a
0-100 score, and shows each criterion's contribution so a funding review can
see why a product ranks where it does. The weights come from sliders or from
pairwise judgements (`ahp_weights`, the Analytic Hierarchy Process on
Saaty's scale, as MS Project's business drivers do). RICE is offered beside
them because product managers know it, with effort measured in money.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

__all__ = [
    "IMPACT_SCALE",
    "RANDOM_INDEX",
    "SAATY_SCALE",
    "AhpResult",
    "ahp_weights",
    "normalise_weights",
    "pairwise_matrix",
    "ranking",
    "rice_scores",
    "rice_table",
    "weighted_scores",
]

_TIE_DECIMALS = 9
"""Scores equal to this many decimals tie, so float noise never reorders a ranking."""


def normalise_weights(weights: Mapping[str, float]) -> dict[str, float] | None:
    """Scale weights so that they sum to 1.

    Returns
    -------
    dict of str to float or None
        The same keys with w_k ÷ Σ w; None when every weight is 0 (or there
        are none): there is nothing to rank by, and the page says "set at
        least one weight" rather than dividing by zero.

    Raises
    ------
    ValueError
        A weight is negative, NaN or infinite.

    Examples
    --------
    {"strategic_fit": 3, "reach": 1} → {"strategic_fit": 0.75, "reach": 0.25}.
    """
    for key, value in weights.items():
        if not math.isfinite(value) or value < 0:
            msg = f"weight {key!r} must be a finite number ≥ 0, got {value!r}"
            raise ValueError(msg)
    total = math.fsum(weights.values())
    if total == 0:
        return None
    return {key: value / total for key, value in weights.items()}


def _ranked(df: pl.DataFrame, value: str, rank: str, *, decimals: int | None) -> pl.DataFrame:
    """Add `rank` (1 = highest `value`, ties by product_id, null value → null rank), sorted."""
    key = pl.col(value) if decimals is None else pl.col(value).round(decimals)
    ordered = df.with_columns(key.alias("_key")).sort(
        ["_key", "product_id"], descending=[True, False], nulls_last=True
    )
    position = pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
    return ordered.with_columns(
        pl.when(pl.col(value).is_not_null()).then(position).alias(rank)
    ).drop("_key")


def weighted_scores(scores: pl.DataFrame, weights: Mapping[str, float]) -> pl.DataFrame:
    """Weighted score (0-100) of each product, with each criterion's contribution and a rank.

    Parameters
    ----------
    scores
        `planning.criteria.criterion_scores`: `product_id` and 0-1 scores.
    weights
        Criterion key → weight ≥ 0, any scale (normalised here). A criterion
        left out weighs 0.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `score`, one `contribution_<key>` per key of
        `weights` (points out of 100, summing to `score`; null for a
        criterion not tracked for the product), `criteria_scored` (how many
        weighted criteria the score rests on) and `rank` (Int64, 1 = best),
        sorted by rank then product_id.

    Notes
    -----
    score = 100 × Σ w_k s_k ÷ Σ w_k over the criteria k the product has a
    score for (null = not tracked): missing data is left out and the weights
    re-normalised over the rest, never scored as 0, so a product whose usage
    is not imported is neither punished nor rewarded for it. A product with
    no weighted criterion tracked has no score and no rank. Ties (equal to 9
    decimals) are ranked by product_id, so the order is deterministic. When
    every weight is 0 there is nothing to rank by: score, the contributions
    and rank are null for every product.

    Examples
    --------
    Weights fit 3, reach 1 (0.75, 0.25); a product scoring fit 0.75 and
    reach 0.5: contributions 56.25 and 12.5, score 68.75. With reach not
    tracked: fit alone, 100 × 3 × 0.75 ÷ 3 = 75.
    """
    missing = [key for key in weights if key not in scores.columns]
    if missing:
        msg = f"no criterion score column for weight(s): {', '.join(map(repr, missing))}"
        raise ValueError(msg)
    if "product_id" not in scores.columns:
        msg = "scores frame is missing column: product_id"
        raise ValueError(msg)
    norm = normalise_weights(weights)
    names = [f"contribution_{key}" for key in weights]
    if norm is None or not names:
        out = scores.select(
            "product_id",
            pl.lit(None, dtype=pl.Float64).alias("score"),
            *(pl.lit(None, dtype=pl.Float64).alias(name) for name in names),
            pl.lit(0, dtype=pl.Int64).alias("criteria_scored"),
        )
        return _ranked(out, "score", "rank", decimals=_TIE_DECIMALS)
    weighted = [key for key in weights if norm[key] > 0]
    # Σ w_k over the criteria this product has a score for (weights summing to 1).
    known = (
        pl.sum_horizontal(
            pl.when(pl.col(key).is_not_null()).then(norm[key]).otherwise(0.0) for key in weighted
        )
        if weighted
        else pl.lit(0.0)
    )
    # Rounded to 1e-12: polars may divide through a reciprocal in one kernel and not in
    # another, and a product's score must not depend on which other products are scored.
    contributions = [
        pl.when(known > 0)
        .then((100.0 * norm[key] * pl.col(key).cast(pl.Float64) / known).round(12))
        .alias(f"contribution_{key}")
        for key in weights
    ]
    scored = pl.sum_horizontal(pl.col(key).is_not_null().cast(pl.Int64) for key in weighted)
    out = scores.select(
        "product_id",
        *contributions,
        (scored if weighted else pl.lit(0, dtype=pl.Int64)).alias("criteria_scored"),
        known.alias("_known"),
    )
    total = pl.when(pl.col("_known") > 0).then(pl.sum_horizontal(names).round(12)).cast(pl.Float64)
    out = out.with_columns(total.alias("score")).select(
        "product_id", "score", *names, "criteria_scored"
    )
    return _ranked(out, "score", "rank", decimals=_TIE_DECIMALS)


# --- AHP ----------------------------------------------------------------------------

SAATY_SCALE: dict[str, float] = {
    "extremely less important": 1 / 9,
    "much less important": 1 / 5,
    "less important": 1 / 3,
    "as important as": 1.0,
    "more important": 3.0,
    "much more important": 5.0,
    "extremely more important": 9.0,
}
"""MS Project's seven business-driver labels on Saaty's 1-9 scale (row vs column)."""

RANDOM_INDEX: tuple[float, ...] = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
"""Saaty's random consistency index RI for n = 1..10 criteria."""


def pairwise_matrix(
    judgements: Mapping[tuple[str, str], float | str],
    keys: Sequence[str],
    *,
    scale: Mapping[str, float] = SAATY_SCALE,
) -> np.ndarray:
    """The reciprocal pairwise-comparison matrix from a set of judgements.

    Parameters
    ----------
    judgements
        (row key, column key) → how much more important the row is than the
        column: a positive number or a label of `scale`. One orientation
        per pair; the other is filled with the reciprocal.
    keys
        The criteria, in matrix order.
    scale
        Label → number, for judgements given as labels.

    Returns
    -------
    numpy.ndarray
        n × n, a_ii = 1, a_ji = 1 ÷ a_ij; a pair not judged is 1 (as
        important as).

    Examples
    --------
    {("fit", "reach"): "more important"} over ("fit", "reach"):
    [[1, 3], [1/3, 1]].
    """
    index = {key: i for i, key in enumerate(keys)}
    if len(index) != len(keys):
        msg = f"criteria keys repeat: {list(keys)!r}"
        raise ValueError(msg)
    matrix = np.ones((len(keys), len(keys)))
    seen: set[frozenset[str]] = set()
    for (row, col), judgement in judgements.items():
        for key in (row, col):
            if key not in index:
                msg = f"judgement ({row!r}, {col!r}) names unknown criterion {key!r}"
                raise ValueError(msg)
        pair = frozenset((row, col))
        if row == col or pair in seen:
            msg = f"judgement ({row!r}, {col!r}) compares a criterion with itself or twice"
            raise ValueError(msg)
        seen.add(pair)
        if isinstance(judgement, str):
            if judgement not in scale:
                msg = f"judgement ({row!r}, {col!r}): unknown label {judgement!r}"
                raise ValueError(msg)
            judgement = scale[judgement]
        value = float(judgement)
        if not math.isfinite(value) or value <= 0:
            msg = f"judgement ({row!r}, {col!r}) must be a positive number, got {judgement!r}"
            raise ValueError(msg)
        matrix[index[row], index[col]] = value
        matrix[index[col], index[row]] = 1 / value
    return matrix


@dataclass(frozen=True)
class AhpResult:
    """AHP weights and how consistent the judgements behind them were.

    `consistent` is Saaty's rule of thumb CR ≤ 0.10; above it the page warns
    that the judgements contradict each other and should be revisited.
    """

    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    consistent: bool


def ahp_weights(matrix: np.ndarray, keys: Sequence[str]) -> AhpResult:
    """Criterion weights from a pairwise matrix, by its principal eigenvector.

    Returns
    -------
    AhpResult
        Weights summing to 1 keyed by `keys`, λmax, CI and CR.

    Notes
    -----
    w = principal eigenvector of A (real part, normalised to sum 1);
    CI = (λmax − n) ÷ (n − 1); CR = CI ÷ RI(n) with Saaty's random index.
    With n ≤ 2 a reciprocal matrix is always consistent: CI = CR = 0.
    Up to 10 criteria (the RI table's end; more than 7-9 is hard to judge).

    Examples
    --------
    A = [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]: w ≈ (0.637, 0.258, 0.105),
    λmax ≈ 3.039, CI ≈ 0.019, CR ≈ 0.019 ÷ 0.58 ≈ 0.033 (consistent).
    """
    a = np.asarray(matrix, dtype=float)
    n = len(keys)
    if not 1 <= n <= len(RANDOM_INDEX) or a.shape != (n, n):
        msg = f"need a square matrix of 1-{len(RANDOM_INDEX)} criteria, got shape {a.shape}"
        raise ValueError(msg)
    if len(set(keys)) != n:
        msg = f"criteria keys repeat: {list(keys)!r}"
        raise ValueError(msg)
    if not np.all(np.isfinite(a)) or not np.all(a > 0):
        msg = "pairwise judgements must be positive finite numbers"
        raise ValueError(msg)
    if not np.allclose(a * a.T, 1.0, rtol=1e-9, atol=1e-12):
        msg = "the pairwise matrix must be reciprocal (a_ji = 1 / a_ij, a_ii = 1)"
        raise ValueError(msg)
    values, vectors = np.linalg.eig(a)
    top = int(np.argmax(values.real))
    vector = np.abs(vectors[:, top].real)
    weights = vector / vector.sum()
    lambda_max = float(values[top].real)
    ci = max((lambda_max - n) / (n - 1), 0.0) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n - 1] if n > 2 else 0.0
    return AhpResult(
        weights={key: float(w) for key, w in zip(keys, weights, strict=True)},
        lambda_max=lambda_max,
        consistency_index=ci,
        consistency_ratio=cr,
        consistent=cr <= 0.10,
    )


# --- RICE ---------------------------------------------------------------------------

IMPACT_SCALE: dict[str, float] = {
    "massive": 3.0,
    "high": 2.0,
    "medium": 1.0,
    "low": 0.5,
    "minimal": 0.25,
}
"""Intercom's RICE impact multipliers."""

_RICE_COLUMNS = ("product_id", "active_learners", "bcr", "evidence_level", "budget", "budget_known")


def _overrides(values: Mapping[int, float] | None, *, what: str, most: float) -> dict[int, float]:
    out: dict[int, float] = {}
    for product_id, value in (values or {}).items():
        if not math.isfinite(value) or not 0 <= value <= most:
            msg = f"{what} of product {product_id} must be between 0 and {most:g}, got {value!r}"
            raise ValueError(msg)
        out[int(product_id)] = float(value)
    return out


def _override(default: pl.Expr, values: dict[int, float]) -> pl.Expr:
    if not values:
        return default
    given = pl.col("product_id").replace_strict(values, default=None, return_dtype=pl.Float64)
    return pl.coalesce(given, default)


def rice_scores(
    inputs: pl.DataFrame,
    *,
    impact: Mapping[int, float] | None = None,
    confidence: Mapping[int, float] | None = None,
) -> pl.DataFrame:
    """RICE = Reach × Impact × Confidence ÷ Effort of each product, with a rank.

    Parameters
    ----------
    inputs
        `planning.criteria.planning_inputs`.
    impact, confidence
        Product id → value, overriding the evidence-based defaults (impact
        0-3 as `IMPACT_SCALE`, confidence 0-1); ids not in `inputs` are
        ignored.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `rice_reach` (Int64), `rice_impact`,
        `rice_confidence`, `rice_effort` (thousands of the currency's major
        units), `rice`, `rice_rank` (Int64, 1 = best, ties by product_id), sorted by rank then id.

    Notes
    -----
    * Reach = active learners in the year; not tracked → RICE null.
    * Impact, by default from the evidence: BCR ≥ 3 → 3 (massive),
      ≥ 1.5 → 2, ≥ 1 → 1, else evidence level ≥ 2 → 0.5, else 0.25.
    * Confidence, by default from the evidence level: 4 → 1.0, 3 → 0.8,
      else 0.5 (Intercom's "low": below it is a guess).
    * Effort is money here, not person-months: the year's budget in
      thousands of the reporting currency, since a learning product's cost is mostly what is paid
      for it. No budget plan or a 0 budget → RICE null (cannot divide).

    Examples
    --------
    5,000 active learners, BCR 1.6 (impact 2), evidence level 3 (confidence
    0.8), budget 2,000.00 (effort 2): 5000 × 2 × 0.8 ÷ 2 = 4,000.
    """
    missing = [name for name in _RICE_COLUMNS if name not in inputs.columns]
    if missing:
        msg = f"planning inputs frame is missing column(s): {', '.join(missing)}"
        raise ValueError(msg)
    bcr, level = pl.col("bcr").fill_nan(None), pl.col("evidence_level").fill_null(0)
    default_impact = (
        pl.when(bcr >= 3)
        .then(3.0)
        .when(bcr >= 1.5)
        .then(2.0)
        .when(bcr >= 1)
        .then(1.0)
        .when(level >= 2)
        .then(0.5)
        .otherwise(0.25)
    )
    default_confidence = pl.when(level >= 4).then(1.0).when(level == 3).then(0.8).otherwise(0.5)
    budget = pl.col("budget").cast(pl.Float64)
    usable = pl.col("budget_known").fill_null(False) & (budget > 0)
    out = inputs.select(
        "product_id",
        pl.col("active_learners").cast(pl.Int64).alias("rice_reach"),
        _override(default_impact, _overrides(impact, what="impact", most=3.0)).alias("rice_impact"),
        _override(default_confidence, _overrides(confidence, what="confidence", most=1.0)).alias(
            "rice_confidence"
        ),
        pl.when(usable).then(budget / 1000).alias("rice_effort"),
    ).with_columns(
        (
            pl.col("rice_reach").cast(pl.Float64)
            * pl.col("rice_impact")
            * pl.col("rice_confidence")
            / pl.col("rice_effort")
        ).alias("rice")
    )
    return _ranked(out, "rice", "rice_rank", decimals=None)


def ranking(
    inputs: pl.DataFrame,
    scores: pl.DataFrame,
    weights: Mapping[str, float],
    *,
    baseline: Mapping[str, float],
) -> pl.DataFrame:
    """The ranked products with their names, health, score, contributions and rank move.

    Parameters
    ----------
    inputs
        `planning.criteria.planning_inputs` (for `product` and `health`).
    scores
        `planning.criteria.criterion_scores`.
    weights
        The weights in force.
    baseline
        The weights the rank move is counted from (the page's defaults).

    Returns
    -------
    pl.DataFrame
        `weighted_scores` columns plus `product`, `health` and `moved`
        (baseline rank − rank: +2 = two places up; null with all-zero
        weights), sorted by rank then name.
    """
    base = weighted_scores(scores, baseline).select(
        "product_id", pl.col("rank").alias("_baseline_rank")
    )
    return (
        weighted_scores(scores, weights)
        .join(inputs.select("product_id", "product", "health"), on="product_id")
        .join(base, on="product_id")
        .with_columns((pl.col("_baseline_rank") - pl.col("rank")).alias("moved"))
        .drop("_baseline_rank")
        .sort("rank", "product", nulls_last=True)
    )


def rice_table(inputs: pl.DataFrame) -> pl.DataFrame:
    """`rice_scores` with each product's name and health, best RICE first (nulls last)."""
    return (
        rice_scores(inputs)
        .join(inputs.select("product_id", "product", "health"), on="product_id")
        .sort("rice_rank", "product", nulls_last=True)
    )
