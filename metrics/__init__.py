"""Pure functions over polars frames: one public function per measure, named after it.

Never imports streamlit or the database; takes an explicit `as_of` date
instead of reading the clock.
"""

from metrics.costs import (
    actual_cost,
    budget_plan,
    budget_variance,
    forecast_cost,
    monthly_plan_actual,
    pct_of_plan,
)
from metrics.efficiency import (
    cost_per_active_learner,
    cost_per_completion,
    cost_per_hour,
    cost_per_learner,
)
from metrics.health import HEALTH_LABELS, HealthLabel, HealthThresholds, health_status
from metrics.licences import (
    contracts_in_force,
    idle_seats,
    idle_spend,
    licence_position,
    over_subscribed_by,
    seat_utilisation,
    seats_in_force,
)
from metrics.outcomes import (
    bcr,
    benefits,
    highest_evidence_level,
    latest_by_level,
    learner_nps,
    payback_months,
    roi,
)
from metrics.periods import completion_in_window, in_window, month_bounds, year_bounds
from metrics.scorecard import (
    SCORECARD_COLUMNS,
    PortfolioSummary,
    portfolio_summary,
    product_scorecard,
)
from metrics.usage import (
    active_learners,
    active_learners_by_month,
    completions,
    learning_hours,
    portfolio_active_learners,
    unique_learners,
)

__all__ = [
    "HEALTH_LABELS",
    "SCORECARD_COLUMNS",
    "HealthLabel",
    "HealthThresholds",
    "PortfolioSummary",
    "active_learners",
    "active_learners_by_month",
    "actual_cost",
    "bcr",
    "benefits",
    "budget_plan",
    "budget_variance",
    "completion_in_window",
    "completions",
    "contracts_in_force",
    "cost_per_active_learner",
    "cost_per_completion",
    "cost_per_hour",
    "cost_per_learner",
    "forecast_cost",
    "health_status",
    "highest_evidence_level",
    "idle_seats",
    "idle_spend",
    "in_window",
    "latest_by_level",
    "learner_nps",
    "learning_hours",
    "licence_position",
    "month_bounds",
    "monthly_plan_actual",
    "over_subscribed_by",
    "payback_months",
    "pct_of_plan",
    "portfolio_active_learners",
    "portfolio_summary",
    "product_scorecard",
    "roi",
    "seat_utilisation",
    "seats_in_force",
    "unique_learners",
    "year_bounds",
]
