"""The registry of report formats.

To add a format: declare a `Format` in the module of its vendor family (or a
new one) and list it in `FORMATS`. Detection, routing, period, validation,
writing and undo need no change.
"""

from __future__ import annotations

from loaders.formats.base import Format, Header, Mapped, UsageMap, vendor_key
from loaders.formats.cornerstone import TRANSCRIPT
from loaders.formats.coursera import COURSE_ACTIVITY as COURSERA_COURSE_ACTIVITY
from loaders.formats.coursera import USAGE_REPORT as COURSERA_USAGE
from loaders.formats.coursera_membership import MEMBERSHIP as COURSERA_MEMBERSHIP
from loaders.formats.degreed import COMPLETIONS as DEGREED_COMPLETIONS
from loaders.formats.generic import USAGE_TEMPLATE
from loaders.formats.linkedin import LEARNER_DETAIL, LEARNER_SUMMARY, ORG_SUMMARY
from loaders.formats.moodle import COMPLETION as MOODLE_COMPLETION
from loaders.formats.moodle import LOGS as MOODLE_LOGS
from loaders.formats.openedx import TRACKING_LOG
from loaders.formats.percipio import LEARNING_ACTIVITY as PERCIPIO_ACTIVITY
from loaders.formats.pluralsight import COURSE_USAGE as PLURALSIGHT_USAGE
from loaders.formats.portfolio import (
    BUDGETS,
    CONTRACTS,
    EXPERIMENTS,
    KPIS,
    OUTCOMES,
    PEOPLE,
    PRODUCTS,
    RELEASES,
    SURVEY,
)
from loaders.formats.registry import Detection, detect, header_test, vendor_display_name
from loaders.formats.udemy import COURSE_PROGRESS
from loaders.formats.udemy import USERS as UDEMY_USERS
from loaders.formats.xapi import STATEMENTS as XAPI_STATEMENTS

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
    "kpis.csv": KPIS,
    "experiments.csv": EXPERIMENTS,
    "survey.csv": SURVEY,
    "releases.csv": RELEASES,
    "people.csv": PEOPLE,
    "usage.csv": USAGE_TEMPLATE,
}

FORMATS: tuple[Format, ...] = (
    *TEMPLATES.values(),
    LEARNER_DETAIL,
    COURSE_PROGRESS,
    TRANSCRIPT,
    COURSERA_USAGE,
    COURSERA_COURSE_ACTIVITY,
    PLURALSIGHT_USAGE,
    PERCIPIO_ACTIVITY,
    DEGREED_COMPLETIONS,
    XAPI_STATEMENTS,
    LEARNER_SUMMARY,
    ORG_SUMMARY,
    UDEMY_USERS,
    COURSERA_MEMBERSHIP,
    MOODLE_COMPLETION,
    MOODLE_LOGS,
    TRACKING_LOG,
)
