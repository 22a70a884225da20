"""Pluralsight Skills reports.

Course usage (by date range): one row per user x course x view date (event
grain). Field list from Pluralsight's reporting API documentation; the exact
CSV spelling is inferred there (shared/research/vendor_report_formats.md
section 4), so the detector leans on `Usage in seconds` and `View date`,
which identify the report.

* Learner: `Email`, else `User ID` (a Pluralsight-internal UUID, still a
  stable user id), else first and last name.
* Content: `Course ID` (title `Course name`); org unit: `Team name`.
* Minutes: `Usage in seconds` / 60. The row's date: `View date`.
* Completion: the report has no completion field, so `completed` stays null
  ("completions not tracked"), never false: a learner watching for a day
  has not failed to complete anything. Pluralsight's separate course
  completion report would be the source of completions.
* `Is on account` = false rows (licence since removed) are still facts.
"""

from __future__ import annotations

from loaders.formats.base import Format, UsageMap
from models.enums import Grain, ImportKind

__all__ = ["COURSE_USAGE", "VENDOR", "VENDOR_ALIASES"]

VENDOR = "Pluralsight"
VENDOR_ALIASES = ("Pluralsight", "Pluralsight Skills")
_LEARNER = ("email", "user id", "first name", "last name")
_CONTENT = ("course id", "course name")

COURSE_USAGE = Format(
    name="pluralsight_course_usage",
    title="Pluralsight course usage",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.event,
    date_order="mdy",
    required=("usage in seconds", "view date", _CONTENT, _LEARNER),
    optional=(
        "user id",
        "first name",
        "last name",
        "email",
        "team name",
        "note",
        "is on account",
        "course id",
        "course name",
    ),
    key_headers=(_LEARNER, _CONTENT),
    usage=UsageMap(
        email="email",
        user_id="user id",
        name=("first name", "last name"),
        org_unit="team name",
        content_id="course id",
        content_title="course name",
        activity_date="view date",
        minutes="usage in seconds",
        minutes_unit="seconds",
    ),
)
