"""LinkedIn Learning reports.

Learner detail: one row per learner x content item, cumulative as of the
report's end (snapshot grain). Headers per
shared/research/vendor_report_formats.md section 1 (inferred there; the
detector leans only on the columns that identify the report). Dates are
US-style `MM/DD/YYYY`; time viewed is `H:MM:SS` with hours past 24.

Learner summary and organization summary (aggregate grain, stored apart
from the detail's facts, `loaders.aggregate`), headers per section 1a/1b:

* Learner summary: one row per learner over the range the admin chose.
  The file carries no dates, so its period must come from `--period`
  (else the file is rejected asking for it). Measures: `days_logged_in`,
  `minutes_viewed` (`Hours Viewed`: `H:MM:SS`, or decimal hours in older
  files), `course_views` (`Courses Viewed` in older files),
  `course_completions`. Learner: `Email`, else `Unique User ID`, else `Name`.
* Organization summary: one row per day, week or month, each with its own
  `Start Day (PST/PDT)` .. `End Day (PST/PDT)` (`M/D/YYYY`); the report's
  period is their span. Measures, with no learner: `people_logged_in`,
  `unique_viewers`, `minutes_viewed`, `course_views`, `course_completions`.

The learner summary is told from the learner detail by `Days Logged In`
and `Hours Viewed` (the detail has `Content Hours Viewed` and content
columns, which the summary lacks).
"""

from __future__ import annotations

from loaders.formats.aggregates import AggregateMap, Measure
from loaders.formats.base import Format, UsageMap
from models.enums import Grain, ImportKind

__all__ = ["LEARNER_DETAIL", "LEARNER_SUMMARY", "ORG_SUMMARY", "VENDOR", "VENDOR_ALIASES"]

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

_SUMMARY_LEARNER = ("email", "unique user id", "name")
_HOURS = Measure("minutes_viewed", "hours viewed", kind="duration", unit="hours")
_COURSE_VIEWS = Measure("course_views", ("course views", "courses viewed"))
_COMPLETIONS = Measure("course_completions", "course completions")

LEARNER_SUMMARY = Format(
    name="linkedin_learning_learner_summary",
    title="LinkedIn Learning learner summary",
    kind=ImportKind.aggregate,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.aggregate,
    date_order="mdy",
    required=("days logged in", "hours viewed", _SUMMARY_LEARNER),
    optional=(
        "name",
        "email",
        "unique user id",
        "course views",
        "courses viewed",
        "course completions",
        "groups",
    ),
    key_headers=(_SUMMARY_LEARNER,),
    to_canonical=AggregateMap(
        email="email",
        user_id="unique user id",
        name=("name",),
        org_unit="groups",
        measures=(
            Measure("days_logged_in", "days logged in"),
            _HOURS,
            _COURSE_VIEWS,
            _COMPLETIONS,
        ),
    ),
)

_START = ("start day (pst/pdt)", "start day (pst)", "start day (pdt)", "start day")
_END = ("end day (pst/pdt)", "end day (pst)", "end day (pdt)", "end day")

ORG_SUMMARY = Format(
    name="linkedin_learning_org_summary",
    title="LinkedIn Learning organization summary",
    kind=ImportKind.aggregate,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.aggregate,
    date_order="mdy",
    required=(_START, _END, "hours viewed", ("people logged in", "unique viewers")),
    optional=(
        "people logged in",
        "unique viewers",
        "course views",
        "courses viewed",
        "course completions",
    ),
    key_headers=(_START, _END),
    period_columns=(_START, _END),
    to_canonical=AggregateMap(
        measures=(
            Measure("people_logged_in", "people logged in"),
            Measure("unique_viewers", "unique viewers"),
            _HOURS,
            _COURSE_VIEWS,
            _COMPLETIONS,
        ),
    ),
)
