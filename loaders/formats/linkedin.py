"""LinkedIn Learning reports.

Learner detail: one row per learner x content item, cumulative as of the
report's end (snapshot grain). Headers per
shared/research/vendor_report_formats.md section 1 (inferred there; the
detector leans only on the columns that identify the report). Dates are
US-style `MM/DD/YYYY`; time viewed is `H:MM:SS` with hours past 24.
The learner summary and organisation summary (aggregate grain) are a later
issue; they add their own `Format` here.
"""

from __future__ import annotations

from loaders.formats.base import Format, UsageMap
from models.enums import Grain, ImportKind

__all__ = ["LEARNER_DETAIL", "VENDOR", "VENDOR_ALIASES"]

VENDOR = "LinkedIn Learning"
VENDOR_ALIASES = ("LinkedIn", "LinkedIn Learning")
_LEARNER = ("email", "unique user id", "first name", "last name")
_CONTENT = ("content id", "content title")

LEARNER_DETAIL = Format(
    name="linkedin_learning_learner_detail",
    title="LinkedIn Learning learner detail",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.snapshot,
    date_order="mdy",
    required=(_CONTENT, "percent completed", "content hours viewed", _LEARNER),
    optional=(
        "first name",
        "last name",
        "email",
        "unique user id",
        "groups",
        "content title",
        "content type",
        "content id",
        "content provider",
        "completion date",
        "last viewed date",
    ),
    key_headers=(_LEARNER, _CONTENT),
    usage=UsageMap(
        email="email",
        user_id="unique user id",
        name=("first name", "last name"),
        org_unit="groups",
        content_id="content id",
        content_title="content title",
        content_type="content type",
        progress="percent completed",
        completed_date="completion date",
        activity_date="last viewed date",
        minutes="content hours viewed",
        minutes_unit="hours",
        completed_if_full_progress=True,
    ),
)
