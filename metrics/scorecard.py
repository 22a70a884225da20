"""The product scorecard (one row per product) and the portfolio summary over it.

The scorecard's column names are the JSON export contract (DESIGN,
"Contracts"): money in major units of the reporting currency, rates and ROI
as fractions, null where the
data is not tracked. The year window is 1 January .. 31 December of `year`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Protocol

import polars as pl

from metrics import common
from metrics.costs import actual_cost, budget_plan, forecast_cost
from metrics.currency import minor_per_major
from metrics.divergence import customer_user_gaps
from metrics.efficiency import cost_per_active_learner, cost_per_completion
from metrics.health import HEALTH_LABELS, HealthThresholds, health_status
from metrics.licences import licence_position
from metrics.outcomes import bcr, benefits, highest_evidence_level, payback_months, roi
from metrics.periods import year_bounds
from metrics.usage import portfolio_active_learners, reach, usage_figures

__all__ = [
    "SCORECARD_COLUMNS",
    "FrameSet",
    "PortfolioSummary",
    "in_order",
    "portfolio_summary",
    "product_scorecard",
    "scorecard_figures",
    "year_scorecard",
]

SCORECARD_COLUMNS: Final[tuple[str, ...]] = (
    "product_id",
    "product",
    "category",
    "lifecycle_stage",
    "vendor",
    "budget_plan",
    "actual_cost",
    "forecast_cost",
    "unique_learners",
    "active_learners",
    "target_audience_size",
    "reach",
    "seats",
    "seat_utilisation",
    "over_subscribed_by",
    "idle_seats",
    "idle_spend",
    "completions",
    "cost_per_active_learner",
    "cost_per_completion",
    "benefits",
    "bcr",
    "roi",
    "payback_months",
    "usage_tracked",
    "health",
    "health_reasons",
)

_PRODUCT_COLUMNS = ("product_id", "product", "category", "lifecycle_stage", "vendor")
_USAGE_DEPENDENT = ("seat_utilisation", "over_subscribed_by", "idle_seats", "idle_spend")


def product_scorecard(
    products: pl.DataFrame,
    budgets: pl.DataFrame,
    contracts: pl.DataFrame,
    usage: pl.DataFrame,
    outcomes: pl.DataFrame,
    *,
    year: int,
    currency: str,
    thresholds: HealthThresholds,
) -> pl.DataFrame:
    """One row per product with its cost, usage, licence, outcome and health figures.

    Parameters
    ----------
    products, budgets, contracts, usage, outcomes
        Frames in `metrics.schema` shapes. `usage` should cover the year
        and the terms of the contracts in force in it (see
        `metrics.licences`).
    year
        The reporting year (window 1 Jan .. 31 Dec).
    currency
        The reporting currency (ISO 4217) the frames' minor units are in;
        money comes back in its major units (÷ 100 for GBP, ÷ 1 for JPY).
    thresholds
        Health cut-offs (the `health` setting).

    Returns
    -------
    pl.DataFrame
        Columns `SCORECARD_COLUMNS`, one row per product of `products`
        (in its order), even a product with no data at all.

    Notes
    -----
    Each column is the function of the same name in `metrics`:
    costs (budget_plan, actual_cost, forecast_cost), usage (unique_learners,
    active_learners, completions), licences (seats … idle_spend, over the
    contracts in force in the year), efficiency (cost per active learner,
    per completion, on actual cost), outcomes (benefits, bcr, roi,
    payback_months) and health. `usage_tracked` is true when the product
    has a usage row in the year; when false, learners, completions,
    utilisation, over-subscription, idle seats and idle spend are null even
    if a contract gives seats (DESIGN, Settled questions, "Not tracked vs
    zero").

    Examples
    --------
    A product with 41,250.00 actual cost, 330 active learners, 500 seats
    and no outcome rows: cost_per_active_learner 125.00, seat_utilisation
    0.66, benefits/bcr/roi/payback null, health "Fix" for a mature product
    ("no level-3/4 evidence for a mature product").
    """
    card = scorecard_figures(
        products, budgets, contracts, usage, outcomes, year=year, currency=currency
    )
    health = health_status(card, thresholds=thresholds)
    scored = pl.concat([card, health], how="horizontal")
    # The customer-vs-user gap is said among the reasons; it does not move the label.
    gaps = customer_user_gaps(card, outcomes, year=year).select(
        "product_id", ("customer vs user: " + pl.col("reason")).alias("_gap")
    )
    return (
        scored.join(gaps, on="product_id", how="left", maintain_order="left")
        .with_columns(
            pl.when(pl.col("_gap").is_not_null())
            .then(pl.concat_list("health_reasons", pl.concat_list("_gap")))
            .otherwise(pl.col("health_reasons"))
            .alias("health_reasons")
        )
        .select(SCORECARD_COLUMNS)
    )


def scorecard_figures(
    products: pl.DataFrame,
    budgets: pl.DataFrame,
    contracts: pl.DataFrame,
    usage: pl.DataFrame,
    outcomes: pl.DataFrame,
    *,
    year: int,
    currency: str,
) -> pl.DataFrame:
    """The scorecard's figures without its health label: what the label is judged on.

    Why apart: the chain of evidence shows the scorecard's reach and ROI
    (so the two never disagree) and has no use for the Invest / Fix /
    Sunset label or its thresholds.

    Returns
    -------
    pl.DataFrame
        One row per product of `products`, in its order: the
        `SCORECARD_COLUMNS` but `health` and `health_reasons`, plus
        `strategic_fit` and `evidence_level` (the health rule's inputs).

    Notes
    -----
    See `product_scorecard`, which is this frame with the health columns.
    """
    common.require(products, (*_PRODUCT_COLUMNS, "strategic_fit"), what="products")
    start, end = year_bounds(year)
    licences = licence_position(contracts, usage, start=start, end=end, currency=currency).select(
        "product_id", "seats", *_USAGE_DEPENDENT
    )
    parts = [
        budget_plan(budgets, year=year, currency=currency),
        actual_cost(budgets, year=year, currency=currency),
        forecast_cost(budgets, year=year, currency=currency),
        usage_figures(usage, start=start, end=end).drop("minutes"),
        licences,
        benefits(outcomes, year=year, currency=currency),
        highest_evidence_level(outcomes, year=year),
    ]
    card = products.select(*_PRODUCT_COLUMNS, "strategic_fit", "target_audience_size")
    for part in parts:
        card = card.join(part, on="product_id", how="left", maintain_order="left")
    tracked = pl.col("unique_learners").is_not_null()
    card = card.with_columns(
        tracked.alias("usage_tracked"),
        *(pl.when(tracked).then(pl.col(name)).alias(name) for name in _USAGE_DEPENDENT),
    ).with_columns(
        cost_per_active_learner(),
        cost_per_completion(),
        reach(),
        bcr(),
        roi(),
        payback_months(),
    )
    return card


class FrameSet(Protocol):
    """The five input frames, as `models.frames.YearFrames` holds them (metrics never read SQL).

    `currency` is the reporting currency (ISO 4217) their `*_minor` money
    columns are in: the frames and the unit of their money travel together,
    so an entry point taking a frame set never needs it passed again.
    """

    products: pl.DataFrame
    budgets: pl.DataFrame
    contracts: pl.DataFrame
    usage: pl.DataFrame
    outcomes: pl.DataFrame
    currency: str


def in_order(
    frames: FrameSet, *, year: int | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The five frames in the one order every entry point takes them.

    products, budgets, contracts, usage, outcomes: `product_scorecard`,
    `metrics.tdrp_report` and `metrics.chain_of_evidence` take them so;
    with `year`, the budgets are that year's lines only.

    Examples
    --------
    ``product_scorecard(*in_order(frames, year=2026), year=2026, ...)``.
    """
    budgets = frames.budgets
    if year is not None:
        budgets = budgets.filter(pl.col("month").dt.year() == year)
    return frames.products, budgets, frames.contracts, frames.usage, frames.outcomes


def year_scorecard(frames: FrameSet, *, year: int, thresholds: HealthThresholds) -> pl.DataFrame:
    """`product_scorecard` of `year` over a set of frames whose budgets may span several years.

    Why: the pages, the planning inputs and the funding pack read budgets
    for more than the year (last year's for TDRp, next year's for the ask);
    the scorecard must see the year's budget lines only.
    """
    return product_scorecard(
        *in_order(frames, year=year),
        year=year,
        currency=frames.currency,
        thresholds=thresholds,
    )


@dataclass(frozen=True)
class PortfolioSummary:
    """Portfolio totals for the year; None where no product tracks the figure.

    Money in major units of the reporting currency; `seat_utilisation` and
    `roi` are fractions.
    """

    budget_plan: float | None
    actual_cost: float | None
    forecast_cost: float | None
    active_learners: int | None
    seats: int | None
    seat_utilisation: float | None
    idle_seats: int | None
    idle_spend: float | None
    benefits: float | None
    bcr: float | None
    roi: float | None
    products: int
    products_by_health: dict[str, int] = field(default_factory=dict)

    @property
    def actual_pct_of_plan(self) -> float | None:
        """Actual to date ÷ plan (0.78 = 78 % of the year's plan spent); None without both."""
        return _plan_share(self.actual_cost, self.budget_plan)

    @property
    def forecast_pct_of_plan(self) -> float | None:
        """Forecast ÷ plan (1.05 = 5 % over plan, TDRp "forecast % of plan"); None without both."""
        return _plan_share(self.forecast_cost, self.budget_plan)


def _plan_share(cost: float | None, plan: float | None) -> float | None:
    """Cost ÷ plan, the scalar twin of `metrics.costs.pct_of_plan`; None when the plan is 0."""
    if cost is None or plan is None or plan == 0:
        return None
    return cost / plan


def _money_total(scorecard: pl.DataFrame, name: str, currency: str) -> float | None:
    """Sum of a money column back in exact minor units of `currency`; None when all null."""
    values = scorecard.get_column(name).drop_nulls()
    if values.is_empty():
        return None
    per = minor_per_major(currency)
    minor = (values * per).round(0).cast(pl.Int64).sum()
    return int(minor) / per


def _count_total(scorecard: pl.DataFrame, name: str) -> int | None:
    values = scorecard.get_column(name).drop_nulls()
    return None if values.is_empty() else int(values.sum())


def _float_total(scorecard: pl.DataFrame, name: str) -> float | None:
    """Plain float sum of a column (benefits are not whole minor units); None when all null."""
    values = scorecard.get_column(name).drop_nulls()
    return None if values.is_empty() else float(values.sum())


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def portfolio_summary(
    scorecard: pl.DataFrame, usage: pl.DataFrame, *, year: int, currency: str
) -> PortfolioSummary:
    """Totals over a product scorecard, plus distinct active learners across products.

    Parameters
    ----------
    scorecard
        The output of `product_scorecard` (possibly filtered to some products).
    usage
        Usage facts, for counting learners across products.
    year
        The reporting year (window 1 Jan .. 31 Dec).
    currency
        The reporting currency (ISO 4217) of the scorecard's money: totals
        are summed in its whole minor units.

    Returns
    -------
    PortfolioSummary

    Notes
    -----
    * budget_plan, actual_cost, forecast_cost, idle_spend, benefits, seats,
      idle_seats: sums over the products where the figure is known (money
      summed in whole minor units); None when no product knows it.
    * active_learners: distinct active learners across the scorecard's
      products in the year (a learner of two products counts once); None
      when none of them has usage.
    * seat_utilisation = Σ min(active, seats) ÷ Σ seats over the products
      whose seats and usage are both known, with min(active, seats) =
      seats − idle_seats.
    * bcr = benefits ÷ actual_cost and roi = (benefits − actual_cost) ÷
      actual_cost over the whole portfolio: a product with no level-4
      evidence adds its cost and no benefit (Phillips principle 6,
      conservative). None when no product has benefits or the cost is
      unknown or 0.
    * products_by_health: how many products carry each label (all three
      labels present).

    Examples
    --------
    Two products with 10,000.00 and 30,000.00 actual cost and benefits of
    60,000.00 on the first only: bcr 60,000 / 40,000 = 1.5, roi 0.5.
    """
    common.require(scorecard, SCORECARD_COLUMNS, what="scorecard")
    start, end = year_bounds(year)
    product_ids = scorecard.get_column("product_id").to_list()
    learners = portfolio_active_learners(
        usage.filter(pl.col("product_id").is_in(product_ids)), start=start, end=end
    )
    seated = scorecard.filter(pl.col("seats").is_not_null() & pl.col("idle_seats").is_not_null())
    seats_known = int(seated.get_column("seats").sum())
    seats_used = seats_known - int(seated.get_column("idle_seats").sum())
    total_benefits = _float_total(scorecard, "benefits")
    cost = _money_total(scorecard, "actual_cost", currency)
    gain = None if total_benefits is None or cost is None else total_benefits - cost
    counts = scorecard.get_column("health").value_counts()
    by_health = {label: 0 for label in HEALTH_LABELS}
    by_health.update({row["health"]: int(row["count"]) for row in counts.iter_rows(named=True)})
    return PortfolioSummary(
        budget_plan=_money_total(scorecard, "budget_plan", currency),
        actual_cost=cost,
        forecast_cost=_money_total(scorecard, "forecast_cost", currency),
        active_learners=learners,
        seats=_count_total(scorecard, "seats"),
        seat_utilisation=_ratio(seats_used, seats_known),
        idle_seats=_count_total(scorecard, "idle_seats"),
        idle_spend=_money_total(scorecard, "idle_spend", currency),
        benefits=total_benefits,
        bcr=_ratio(total_benefits, cost),
        roi=_ratio(gain, cost),
        products=scorecard.height,
        products_by_health=by_health,
    )
