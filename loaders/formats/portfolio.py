"""The portfolio templates: products, budgets, contracts and outcomes.

People fill these in a spreadsheet, so their headers are the canonical names
themselves (DESIGN.md, "Portfolio template"). Extra columns are ignored,
never fatal. Numeric dates default to day/month/year (see `generic`).
"""

from __future__ import annotations

from loaders.formats.base import Format
from models.enums import ImportKind

__all__ = ["BUDGETS", "CONTRACTS", "OUTCOMES", "PRODUCTS"]

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
