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
    run_rate_forecast,
)
from metrics.efficiency import (
    cost_per_active_learner,
    cost_per_completion,
    cost_per_hour,
    cost_per_learner,
)
from metrics.engagement import (
    funnel,
    hours_per_active_learner,
    retention_by_month,
    stickiness_by_month,
)
from metrics.evidence import CHAIN_LINKS, EvidenceStrength, chain_of_evidence
from metrics.health import HEALTH_LABELS, HealthLabel, HealthThresholds, health_status
from metrics.investment import COST_COMPONENTS, CostBasis, FullyLoadedCost, fully_loaded_cost
from metrics.licences import (
    contracts_in_force,
    idle_seats,
    idle_spend,
    licence_position,
    over_subscribed_by,
    seat_utilisation,
    seats_in_force,
)
from metrics.monetisation import benefit_assumptions, forecast_benefits, forecast_roi
from metrics.outcomes import (
    application_rate,
    bcr,
    benefits,
    highest_evidence_level,
    latest_by_level,
    learner_nps,
    payback_months,
    roi,
    scrap_learning_cost,
)
from metrics.periods import completion_in_window, in_window, month_bounds, year_bounds
from metrics.rag import RAG_STATUSES, RagStatus, rag_status, rag_status_expr
from metrics.scorecard import (
    SCORECARD_COLUMNS,
    PortfolioSummary,
    portfolio_summary,
    product_scorecard,
    scorecard_figures,
)
from metrics.tdrp import TDRP_COLUMNS, TDRP_MEASURES, TdrpMeasure, tdrp_report, tdrp_reports
from metrics.usage import (
    active_learners,
    active_learners_by_month,
    completions,
    learning_hours,
    portfolio_active_learners,
    unique_learners,
    unique_learners_by_month,
)

__all__ = [
    "CHAIN_LINKS",
    "COST_COMPONENTS",
    "HEALTH_LABELS",
    "RAG_STATUSES",
    "SCORECARD_COLUMNS",
    "TDRP_COLUMNS",
    "TDRP_MEASURES",
    "CostBasis",
    "EvidenceStrength",
    "FullyLoadedCost",
    "HealthLabel",
    "HealthThresholds",
    "PortfolioSummary",
    "RagStatus",
    "TdrpMeasure",
    "active_learners",
    "active_learners_by_month",
    "actual_cost",
    "application_rate",
    "bcr",
    "benefit_assumptions",
    "benefits",
    "budget_plan",
    "budget_variance",
    "chain_of_evidence",
    "completion_in_window",
    "completions",
    "contracts_in_force",
    "cost_per_active_learner",
    "cost_per_completion",
    "cost_per_hour",
    "cost_per_learner",
    "forecast_benefits",
    "forecast_cost",
    "forecast_roi",
    "fully_loaded_cost",
    "funnel",
    "health_status",
    "highest_evidence_level",
    "hours_per_active_learner",
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
    "rag_status",
    "rag_status_expr",
    "retention_by_month",
    "roi",
    "run_rate_forecast",
    "scorecard_figures",
    "scrap_learning_cost",
    "seat_utilisation",
    "seats_in_force",
    "stickiness_by_month",
    "tdrp_report",
    "tdrp_reports",
    "unique_learners",
    "unique_learners_by_month",
    "year_bounds",
]
