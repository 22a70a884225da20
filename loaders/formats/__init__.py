"""The registry of report formats.

To add a format: declare a `Format` in the module of its vendor family (or a
new one) and list it in `FORMATS`. Detection, routing, period, validation,
writing and undo need no change.
"""

from __future__ import annotations

from loaders.formats.base import Format, Header, Mapped, UsageMap, vendor_key
from loaders.formats.cornerstone import TRANSCRIPT
from loaders.formats.generic import USAGE_TEMPLATE
from loaders.formats.linkedin import LEARNER_DETAIL
from loaders.formats.portfolio import BUDGETS, CONTRACTS, OUTCOMES, PRODUCTS
from loaders.formats.registry import Detection, detect, header_test, vendor_display_name
from loaders.formats.udemy import COURSE_PROGRESS

__all__ = [
    "FORMATS",
    "TEMPLATES",
    "Detection",
    "Format",
    "Header",
    "Mapped",
    "UsageMap",
    "detect",
    "header_test",
    "vendor_display_name",
    "vendor_key",
]

# The downloadable templates, by file name.
TEMPLATES: dict[str, Format] = {
    "products.csv": PRODUCTS,
    "budgets.csv": BUDGETS,
    "contracts.csv": CONTRACTS,
    "outcomes.csv": OUTCOMES,
    "usage.csv": USAGE_TEMPLATE,
}

FORMATS: tuple[Format, ...] = (
    *TEMPLATES.values(),
    LEARNER_DETAIL,
    COURSE_PROGRESS,
    TRANSCRIPT,
)
