"""The portfolio templates: products, budgets, contracts, outcomes, KPI series and evidence.

People fill these in a spreadsheet, so their headers are the canonical names
themselves (DESIGN.md, "Portfolio template"). Extra columns are ignored,
never fatal. Numeric dates default to day/month/year (see `generic`).
"""

from __future__ import annotations

from loaders.formats.base import Format
from models.enums import ImportKind

__all__ = [
    "BUDGETS",
    "CONTRACTS",
    "EXPERIMENTS",
    "KPIS",
    "OUTCOMES",
    "PEOPLE",
    "PRODUCTS",
    "RELEASES",
    "SURVEY",
]

_PRODUCT_OPTIONAL = (
    "vendor",
    "owner",
    "sponsor",
    "target_audience",
    "lifecycle_stage",
    "business_goal",
    "strategic_fit",
    "target_audience_size",
    "business_problem",
    "core",
)
PRODUCTS = Format(
    name="products",
    title="products template (products.csv)",
    kind=ImportKind.products,
    date_order="dmy",
    required=("product", "category"),
    optional=_PRODUCT_OPTIONAL,
    key_headers=("product",),
    template=("product", "category", *_PRODUCT_OPTIONAL),
)

BUDGETS = Format(
    name="budgets",
    title="budgets template (budgets.csv)",
    kind=ImportKind.budgets,
    date_order="dmy",
    required=("product", "month", "cost_category", ("plan", "actual")),
    optional=("plan", "actual"),
    key_headers=("product", "month", "cost_category"),
    template=("product", "month", "cost_category", "plan", "actual"),
)

CONTRACTS = Format(
    name="contracts",
    title="contracts template (contracts.csv)",
    kind=ImportKind.contracts,
    date_order="dmy",
    required=("product", "vendor", "start", "end", "seats", "price_per_seat"),
    optional=("currency", "renewal_date"),
    key_headers=("product", "vendor", "start"),
    template=("product", "vendor", "start", "end", "seats", "price_per_seat", "currency"),
)

_OUTCOME_REQUIRED = ("product", "period", "level", "measure", "value")
_OUTCOME_OPTIONAL = (
    "n",
    "baseline",
    "unit_value",
    "attribution_pct",
    "confidence_pct",
    "direction",
    "kind",
)
OUTCOMES = Format(
    name="outcomes",
    title="outcomes template (outcomes.csv)",
    kind=ImportKind.outcomes,
    date_order="dmy",
    required=_OUTCOME_REQUIRED,
    optional=_OUTCOME_OPTIONAL,
    key_headers=("product", "period", "level", "measure"),
    template=(*_OUTCOME_REQUIRED, *_OUTCOME_OPTIONAL),
)

_KPI_REQUIRED = ("product", "month", "kpi", "value")
_KPI_OPTIONAL = (
    "baseline",
    "unit_value",
    "attribution_pct",
    "confidence_pct",
    "n",
    "direction",
)
KPIS = Format(
    name="kpis",
    title="KPI series template (kpis.csv)",
    kind=ImportKind.outcomes,
    date_order="dmy",
    required=_KPI_REQUIRED,
    optional=_KPI_OPTIONAL,
    key_headers=("product", "month", "kpi"),
    template=(*_KPI_REQUIRED, *_KPI_OPTIONAL),
)
"""A level-4 business measure month by month (sales per rep, tickets closed, error rate):
stored as level-4 actual outcome rows, so each month with a baseline and a unit value
feeds benefits (DESIGN.md, isolated benefit = Δ KPI × unit value × attribution × confidence)."""

_EXPERIMENT_OPTIONAL = ("conversions", "mean", "sd", "metric", "hoped_effect")
EXPERIMENTS = Format(
    name="experiments",
    title="experiments template (experiments.csv)",
    kind=ImportKind.experiments,
    date_order="dmy",
    required=("product", "experiment", "variant", "participants"),
    optional=_EXPERIMENT_OPTIONAL,
    key_headers=("product", "experiment", "variant"),
    template=("product", "experiment", "variant", "participants", *_EXPERIMENT_OPTIONAL),
)
"""One row per variant; an experiment's first row is its control (DESIGN.md, Experiments).
A rate metric gives `conversions`; a continuous one `mean` and `sd`. `hoped_effect` is the
effect the hypothesis hoped for (a fraction for rates: 0.05 = 5 points)."""

SURVEY = Format(
    name="survey",
    title="survey template (survey.csv)",
    kind=ImportKind.survey,
    date_order="dmy",
    required=("product", "date", ("recommend", "relevance", "applied")),
    optional=("respondent", "recommend", "relevance", "applied"),
    key_headers=("product", "date"),
    template=("product", "date", "respondent", "recommend", "relevance", "applied"),
)
"""One row per response: recommend 0-10, relevance 1-5, applied yes/no (DESIGN.md, Survey
evidence); stored as the month's learner NPS, relevance and application rate with their n."""

RELEASES = Format(
    name="releases",
    title="releases template (releases.csv)",
    kind=ImportKind.releases,
    date_order="dmy",
    required=("product", "date", "title"),
    optional=("kind",),
    key_headers=("product", "date", "title"),
    template=("product", "date", "title", "kind"),
)
"""One row per release: new content, a feature, a fix or a campaign (DESIGN.md, Releases)."""

PEOPLE = Format(
    name="people",
    title="people template (people.csv)",
    kind=ImportKind.people,
    date_order="dmy",
    required=("learner", "org_unit"),
    optional=("manager", "cost_centre", "start_date", "end_date"),
    key_headers=("learner",),
    template=("learner", "org_unit", "manager", "cost_centre", "start_date", "end_date"),
)
"""The HR roster: one row per person, learner an e-mail or employee id (DESIGN.md, People
roster); the newest roster import is the roster."""
