"""Outcomes along the chain of evidence, and the money: benefits, BCR, ROI, payback.

Outcome rows come in `metrics.schema.OUTCOMES` shape: one measure of one
product in one month (`period`, the first day) at a Kirkpatrick level 1-4.
Only rows of kind "actual" count (a missing kind is "actual"); "forecast"
rows are the pre-launch estimates, kept apart. A row counts in a year when
its period falls in it.

Benefits follow the Phillips methodology, conservatively: an absent measure
is no improvement claimed (principle 6), never an invented one, so a product
with no level-4 evidence in the year has null benefits, BCR, ROI and payback.
BCR, ROI and payback use actual cost (DESIGN, Settled questions, "Which cost").
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl

from metrics import common

__all__ = [
    "OutcomeKind",
    "actual_rows",
    "application_rate",
    "bcr",
    "benefits",
    "highest_evidence_level",
    "is_application",
    "kind_rows",
    "latest_by_level",
    "latest_rows",
    "learner_nps",
    "monetised_minor",
    "payback_months",
    "roi",
    "scrap_learning_cost",
]

OutcomeKind = Literal["actual", "forecast"]

_COLUMNS = (
    "product_id",
    "period",
    "level",
    "measure",
    "value",
    "n",
    "baseline",
    "unit_value_minor",
    "attribution_pct",
    "confidence_pct",
    "direction",
    "kind",
)


def kind_rows(outcomes: pl.DataFrame, year: int, kind: OutcomeKind) -> pl.DataFrame:
    """Rows of `kind` (a missing kind is "actual") whose period falls in `year`."""
    if kind not in ("actual", "forecast"):
        msg = f"outcome kind must be 'actual' or 'forecast', got {kind!r}"
        raise ValueError(msg)
    common.require(outcomes, _COLUMNS, what="outcomes")
    is_kind = pl.col("kind").fill_null("actual").str.to_lowercase() == kind
    return outcomes.filter(is_kind & (pl.col("period").dt.year() == year))


def actual_rows(outcomes: pl.DataFrame, year: int) -> pl.DataFrame:
    """The year's measured outcome rows (kind "actual"; a blank kind is actual)."""
    return kind_rows(outcomes, year, "actual")


def monetised_minor() -> pl.Expr:
    """One row's isolated benefit in minor units; null when any input is missing."""
    sign = pl.when(pl.col("direction").str.to_lowercase() == "lower").then(-1.0).otherwise(1.0)
    return (
        sign
        * (pl.col("value") - pl.col("baseline"))
        * pl.col("unit_value_minor").cast(pl.Float64)
        * (pl.col("attribution_pct") / 100)
        * (pl.col("confidence_pct") / 100)
    )


def benefits(outcomes: pl.DataFrame, *, year: int, currency: str) -> pl.DataFrame:
    """Monetised, isolated first-year benefits of each product (major units of `currency`).

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `benefits` (major units of `currency`, the
        reporting currency the unit values are stored in; Float64); one row
        per product with a level-4 actual row in the year.

    Notes
    -----
    Per level-4 actual row of the year:
    benefit = s × (value − baseline) × unit_value × attribution_pct/100 ×
    confidence_pct/100, where s = −1 when direction is "lower" (less is
    better: errors, time to proficiency) and +1 otherwise. Each row's value
    is used as given (no annualisation); the year's rows are summed.

    A row missing baseline, unit value, attribution or confidence cannot be
    monetised credibly and adds nothing (conservative: Phillips principle 6,
    no improvement claimed). Benefits are null when all the product's
    level-4 rows are unmonetisable; a product with no level-4 actual row in
    the year is absent (not tracked). Benefits may be negative when the
    measure moved the wrong way.

    Examples
    --------
    Errors per month fell from 40 to 30 (direction "lower"), worth 250.00
    each, 60 % attributed, 80 % confidence: −(30 − 40) × 250 × 0.6 × 0.8 =
    1,200.00.
    """
    return (
        actual_rows(outcomes, year)
        .filter(pl.col("level") == 4)
        .group_by("product_id")
        .agg(
            common.to_major(common.sum_or_null(monetised_minor()), currency=currency).alias(
                "benefits"
            )
        )
        .sort("product_id")
    )


def bcr(benefits: pl.Expr | str = "benefits", cost: pl.Expr | str = "actual_cost") -> pl.Expr:
    """Benefit-cost ratio, as an expression named `bcr`.

    Notes
    -----
    BCR = benefits ÷ actual cost; null when either is null or cost is 0.

    Examples
    --------
    60,000 of benefits for 20,000 of cost: 3.0 (3:1).
    """
    return common.safe_ratio(common.as_expr(benefits), common.as_expr(cost)).alias("bcr")


def roi(benefits: pl.Expr | str = "benefits", cost: pl.Expr | str = "actual_cost") -> pl.Expr:
    """Return on investment as a fraction, as an expression named `roi`.

    Notes
    -----
    ROI = (benefits − cost) ÷ cost, a fraction (2.0 = 200 %); null when
    either is null or cost is 0.

    Examples
    --------
    60,000 of benefits for 20,000 of cost: (60,000 − 20,000) / 20,000 = 2.0.
    """
    b, c = common.as_expr(benefits), common.as_expr(cost)
    return common.safe_ratio(b - c, c).alias("roi")


def payback_months(
    cost: pl.Expr | str = "actual_cost", benefits: pl.Expr | str = "benefits"
) -> pl.Expr:
    """Months of benefits needed to repay the cost, as an expression named `payback_months`.

    Notes
    -----
    payback = cost ÷ (benefits ÷ 12), with the year's benefits as annual
    benefits; null when benefits ≤ 0 or null (never paid back), or cost is
    null or 0.

    Examples
    --------
    20,000 of cost, 60,000 of benefits a year: 20,000 / 5,000 = 4.0 months.
    """
    c, b = common.as_expr(cost), common.as_expr(benefits)
    positive = pl.when(b > 0).then(b)
    return pl.when(c != 0).then(common.safe_ratio(c, positive / 12)).alias("payback_months")


def highest_evidence_level(outcomes: pl.DataFrame, *, year: int) -> pl.DataFrame:
    """The highest Kirkpatrick level with an actual outcome row in the year, per product.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `evidence_level` (Int64, 1-4).

    Notes
    -----
    evidence_level = max(level) over the product's actual rows in the year;
    a product with none is absent. The health rule asks for level 3 or 4.

    Examples
    --------
    Reaction (1) and application (3) rows in the year: 3.
    """
    return (
        actual_rows(outcomes, year)
        .group_by("product_id")
        .agg(pl.col("level").max().cast(pl.Int64).alias("evidence_level"))
        .sort("product_id")
    )


def latest_rows(rows: pl.DataFrame, keys: list[str], as_of: date) -> pl.DataFrame:
    """The newest row per key (ties: larger n, then measure name), with its age."""
    return (
        rows.filter(pl.col("period") <= as_of)
        .sort(
            [*keys, "period", "n", "measure"],
            descending=[*(False for _ in keys), True, True, False],
            nulls_last=True,
        )
        .group_by(keys, maintain_order=True)
        .first()
        .with_columns(
            (pl.lit(as_of, dtype=pl.Date()) - pl.col("period"))
            .dt.total_days()
            .cast(pl.Int64)
            .alias("age_days")
        )
    )


def latest_by_level(outcomes: pl.DataFrame, *, year: int, as_of: date) -> pl.DataFrame:
    """The latest actual measure at each Kirkpatrick level, for the chain of evidence.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `level`, `measure`, `value`, `n`, `period`,
        `age_days` (days from the period's first day to `as_of`), one row
        per product x level with an actual row in the year, sorted.

    Notes
    -----
    Rows of the year dated after `as_of` are not evidence yet and are
    skipped. When several measures share the latest period, the one with the
    largest n wins, then the first by name.

    Examples
    --------
    Level-1 rows for 2026-03 (n 40) and 2026-09 (n 25), as of 2026-11-23:
    the September value, n 25, age 83 days.
    """
    keys = ["product_id", "level"]
    return (
        latest_rows(actual_rows(outcomes, year), keys, as_of)
        .select(*keys, "measure", "value", "n", "period", "age_days")
        .sort(keys)
    )


def learner_nps(outcomes: pl.DataFrame, *, year: int, as_of: date) -> pl.DataFrame:
    """Latest learner Net Promoter Score of each product, with its n and age.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `learner_nps` (as recorded, −100..100), `n`,
        `period`, `age_days`.

    Notes
    -----
    The NPS row is a level-1 actual row whose measure name contains "nps" or
    "net promoter" (any case); its value is used as recorded
    (% promoters − % detractors). A product with no such row is absent.

    Examples
    --------
    A level-1 "Learner NPS" of 42 from 2026-10 (n 88): 42, n 88, age 53
    days as of 2026-11-23.
    """
    measure = pl.col("measure").str.to_lowercase()
    is_nps = measure.str.contains("nps", literal=True) | measure.str.contains(
        "net promoter", literal=True
    )
    rows = actual_rows(outcomes, year).filter((pl.col("level") == 1) & is_nps.fill_null(False))
    return (
        latest_rows(rows, ["product_id"], as_of)
        .select("product_id", pl.col("value").alias("learner_nps"), "n", "period", "age_days")
        .sort("product_id")
    )


def is_application(measure: pl.Expr) -> pl.Expr:
    """A level-3 measure expressed as a percent of people applying it."""
    name = measure.str.to_lowercase()
    return (
        name.str.contains("%", literal=True)
        | name.str.contains(r"\brates?\b")
        | name.str.contains("applying", literal=True)
    ).fill_null(False)


def application_rate(outcomes: pl.DataFrame, *, year: int, as_of: date) -> pl.DataFrame:
    """Share of learners applying the learning on the job (Kirkpatrick level 3), per product.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `application_rate` (fraction in [0, 1]),
        `measure`, `n`, `period`, `age_days`; one row per product with a
        qualifying row, sorted.

    Notes
    -----
    The rate is the latest level-3 actual row of the year on or before
    `as_of` whose measure is a percentage of people applying: its name
    contains "%", the word "rate" or "applying" (any case), e.g. "Applying
    on the job (%)" or "Application rate". Its value is a percent, 0-100:
    application_rate = value ÷ 100. A row whose value is outside 0-100
    cannot be a percent and is skipped. Ties on the latest period go to the
    larger n, then the first measure by name (as `latest_by_level`). A
    product with no such row is absent (not tracked).

    Examples
    --------
    "Applying on the job (%)" of 64 from 2026-06 (n 46), as of 2026-11-23:
    0.64, n 46, age 175 days.
    """
    rows = actual_rows(outcomes, year).filter(
        (pl.col("level") == 3)
        & is_application(pl.col("measure"))
        & pl.col("value").is_between(0, 100).fill_null(False)
    )
    return (
        latest_rows(rows, ["product_id"], as_of)
        .select(
            "product_id",
            (pl.col("value") / 100).alias("application_rate"),
            "measure",
            "n",
            "period",
            "age_days",
        )
        .sort("product_id")
    )


def scrap_learning_cost(
    cost: pl.Expr | str = "actual_cost", application_rate: pl.Expr | str = "application_rate"
) -> pl.Expr:
    """Cost of the learning not applied on the job (MTM's "scrap learning"), in the cost's unit.

    Notes
    -----
    scrap_learning_cost = cost × (1 − application rate), with the rate a
    fraction (`application_rate`). Null when either is null: with no level-3
    evidence the scrap is unknown, not zero.

    Examples
    --------
    41,250.00 of actual cost and 64 % applying: 41,250 × 0.36 = 14,850.00.
    """
    c, rate = common.as_expr(cost), common.as_expr(application_rate)
    return (c.cast(pl.Float64) * (1 - rate)).alias("scrap_learning_cost")
