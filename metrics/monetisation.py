"""The money behind the outcomes: each benefit's assumptions, and forecast ROI beside realised ROI.

Every monetised figure must be able to show how it was reached (DESIGN,
"every monetised figure carries its assumptions"): `benefit_assumptions`
lists the level-4 rows behind a product's benefits with the Δ, unit value,
attribution and confidence each one rests on. `forecast_roi` puts the
pre-launch estimate (outcome rows of kind "forecast", Phillips "forecast
ROI") next to the ROI realised on measured results.
"""

from __future__ import annotations

import polars as pl

from metrics import common
from metrics.costs import actual_cost, budget_plan
from metrics.outcomes import OutcomeKind, bcr, benefits, kind_rows, monetised_minor, roi

__all__ = ["benefit_assumptions", "forecast_benefits", "forecast_roi"]

# Every scalar column, so that two identical measures in one month keep one order.
_ORDER = [
    "product_id",
    "period",
    "measure",
    "value",
    "baseline",
    "direction",
    "unit_value",
    "attribution_pct",
    "confidence_pct",
    "n",
]


def benefit_assumptions(
    outcomes: pl.DataFrame, *, year: int, currency: str, kind: OutcomeKind = "actual"
) -> pl.DataFrame:
    """Every level-4 row behind the year's benefits, with the assumptions that monetise it.

    Parameters
    ----------
    outcomes
        Outcome rows in `metrics.schema.OUTCOMES` shape.
    year
        Rows whose period falls in this year count.
    currency
        The reporting currency (ISO 4217) the unit values are stored in.
    kind
        "actual" (the measured rows behind `benefits`) or "forecast" (the
        pre-launch estimates behind `forecast_roi`).

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `period`, `measure`, `value`, `baseline`,
        `delta` (value − baseline, as recorded), `direction` ("higher" or
        "lower"), `unit_value` (major units per unit), `attribution_pct`,
        `confidence_pct` (0-100), `n`, `benefit` (major units; null when the row
        adds nothing), `missing` (list of the inputs it lacks; empty when it
        is monetised), sorted by product, period and measure (then by the
        other columns, so row order never matters).

    Notes
    -----
    benefit = s × delta × unit_value × attribution_pct/100 ×
    confidence_pct/100, s = −1 when direction is "lower", else +1: the
    formula of `benefits`, row by row, so per product Σ benefit (skipping
    nulls) equals `benefits`. A row missing baseline, unit value,
    attribution or confidence is listed with a null benefit and what it
    lacks (no improvement claimed, Phillips principle 6).

    Examples
    --------
    Errors per month 40 → 30 (direction "lower"), 250.00 an error, 60 %
    attributed, 80 % confidence: delta −10, benefit
    −(−10) × 250 × 0.6 × 0.8 = 1,200.00, missing [].
    """
    inputs = ("baseline", "unit_value_minor", "attribution_pct", "confidence_pct")
    labels = {"unit_value_minor": "unit_value"}
    missing = pl.concat_list(
        [pl.when(pl.col(name).is_null()).then(pl.lit(labels.get(name, name))) for name in inputs]
    ).list.drop_nulls()
    direction = pl.when(pl.col("direction").str.to_lowercase() == "lower")
    return (
        kind_rows(outcomes, year, kind)
        .filter(pl.col("level") == 4)
        .select(
            "product_id",
            "period",
            "measure",
            "value",
            "baseline",
            (pl.col("value") - pl.col("baseline")).alias("delta"),
            direction.then(pl.lit("lower")).otherwise(pl.lit("higher")).alias("direction"),
            common.to_major(pl.col("unit_value_minor"), currency=currency).alias("unit_value"),
            "attribution_pct",
            "confidence_pct",
            "n",
            common.to_major(monetised_minor(), currency=currency).alias("benefit"),
            missing.cast(pl.List(pl.String())).alias("missing"),
        )
        .sort(_ORDER, nulls_last=True)
    )


def forecast_benefits(outcomes: pl.DataFrame, *, year: int, currency: str) -> pl.DataFrame:
    """Forecast (pre-launch or planned) monetised benefits of each product for the year.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `forecast_benefits` (major units of `currency`); one row per
        product with a level-4 row of kind "forecast" in the year.

    Notes
    -----
    The `benefits` formula over the year's level-4 rows of kind "forecast":
    Σ s × (value − baseline) × unit_value × attribution/100 ×
    confidence/100. Null when none of them can be monetised; a product
    with no forecast row is absent (no forecast made).

    Examples
    --------
    A forecast that sales rise from 100 to 120, 100.00 each, 50 %
    attributed, 80 % confidence: 20 × 100 × 0.5 × 0.8 = 800.00.
    """
    return (
        kind_rows(outcomes, year, "forecast")
        .filter(pl.col("level") == 4)
        .group_by("product_id")
        .agg(
            common.to_major(common.sum_or_null(monetised_minor()), currency=currency).alias(
                "forecast_benefits"
            )
        )
        .sort("product_id")
    )


def forecast_roi(
    outcomes: pl.DataFrame, budgets: pl.DataFrame, *, year: int, currency: str
) -> pl.DataFrame:
    """Forecast ROI on the year's planned cost, beside the ROI realised on its actual cost.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `forecast_benefits`, `budget_plan`,
        `forecast_bcr`, `forecast_roi`, `benefits`, `actual_cost`, `bcr`,
        `roi` (money in major units of `currency`, ROI as a fraction); one row per product
        with a budget line or a level-4 row (of either kind) in the year,
        sorted.

    Notes
    -----
    forecast_bcr = forecast_benefits ÷ budget_plan;
    forecast_roi = (forecast_benefits − budget_plan) ÷ budget_plan, the
    forecast measured against the cost the product was *planned* to have
    (the year's Σ plan), as a forecast is made before the money is spent.
    bcr and roi are the realised ones of `metrics.outcomes` (benefits of the
    year's level-4 actual rows ÷ actual cost), as in the scorecard. Each is
    null when its benefits are null or absent, or its cost is null or 0.

    Examples
    --------
    Forecast benefits 30,000.00 on a plan of 20,000.00: forecast ROI 0.5;
    realised benefits 18,000.00 on an actual cost of 24,000.00: ROI −0.25.
    """
    parts = [
        forecast_benefits(outcomes, year=year, currency=currency),
        budget_plan(budgets, year=year, currency=currency),
        benefits(outcomes, year=year, currency=currency),
        actual_cost(budgets, year=year, currency=currency),
    ]
    ids = pl.concat([part.select("product_id") for part in parts]).unique()
    table = ids
    for part in parts:
        table = table.join(part, on="product_id", how="left")
    return (
        table.with_columns(
            bcr("forecast_benefits", "budget_plan").alias("forecast_bcr"),
            roi("forecast_benefits", "budget_plan").alias("forecast_roi"),
            bcr(),
            roi(),
        )
        .select(
            "product_id",
            "forecast_benefits",
            "budget_plan",
            "forecast_bcr",
            "forecast_roi",
            "benefits",
            "actual_cost",
            "bcr",
            "roi",
        )
        .sort("product_id")
    )
