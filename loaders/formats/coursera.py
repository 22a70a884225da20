"""Coursera for Business reports: the usage report and the newer course activity export.

Both have one row per learner x course enrolment, cumulative as of the
report's end (snapshot grain); header strings from public code that parses
real exports (shared/research/vendor_report_formats.md section 3). The
membership report (learner x program) is an aggregate format of its own
module.

* Learner: `Email`, else `External Id` (spelled `External ID` in the newer
  export: headers are compared case-folded), else `Name`.
* Content: `Course ID` (title `Course`). Progress: `Overall Progress`
  (0-100 with decimals). Completion: `Completed` Yes/No, dated by
  `Completion Time`. The row's date: `Last Course Activity Time` (ISO with
  a zone: the date as written in that offset); rows without one belong to
  the report period (enrolled, never started).
* Minutes: the course activity export's `Learning Hours` (time spent, in
  hours). `Estimated Learning Hours` (older report) and `Total Estimated
  Learning Hours (since enrolled)` are Coursera's estimate of the course
  length, not time spent: they are never stored as minutes, so the older
  report leaves learning time "not tracked", and an import note says why.
* `Removed From Program` = Yes rows are still facts: the learning happened.
* The same course may appear once per program (Coursera's key is email +
  course + program slug). Our key is learner x course, so the rows of one
  learner and course are ordered least advanced first, and the usual
  "last row of a repeated key wins" keeps the most advanced one (completed,
  then highest progress); the repeat is reported as a decision.

The course activity export has every column the usage report requires plus
`Learning Hours`, so it is the more specific format and wins when both match.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from loaders.formats.base import Format, Mapped, UsageMap, resolve
from loaders.reading import Table
from loaders.result import decision
from models.enums import Grain, ImportKind

__all__ = ["COURSE_ACTIVITY", "USAGE_REPORT", "VENDOR", "VENDOR_ALIASES"]

VENDOR = "Coursera for Business"
VENDOR_ALIASES = ("Coursera", "Coursera for Business")
_LEARNER = ("email", "external id", "name")
_CONTENT = ("course id", "course")
_ESTIMATES = ("estimated learning hours", "total estimated learning hours (since enrolled)")
_REQUIRED = (
    _CONTENT,
    "course slug",
    "overall progress",
    "completed",
    "removed from program",
    "program slug",
    _LEARNER,
)
_OPTIONAL = (
    "name",
    "email",
    "external id",
    "course",
    "course id",
    "university",
    "enrollment time",
    "class start time",
    "class end time",
    "last course activity time",
    "completion time",
    "program name",
    "enrollment source",
    "course grade",
    "course type",
)
_USAGE = UsageMap(
    email="email",
    user_id="external id",
    name=("name",),
    org_unit="business unit",
    content_id="course id",
    content_title="course",
    content_type="course type",
    progress="overall progress",
    completed="completed",
    completed_date="completion time",
    activity_date="last course activity time",
)


def _most_advanced_last(table: Table, fmt: Format) -> Mapped:
    """Declarative mapping, rows ordered so a repeated learner x course keeps its best row."""
    mapped = replace(fmt, to_canonical=None).canonical(table)
    rank = [
        (pl.col("completed").str.strip_chars().str.to_lowercase() == "yes").fill_null(False),
        pl.col("progress").str.replace_all(",", ".").cast(pl.Float64, strict=False).fill_null(-1),
    ]
    frame = mapped.frame.sort(rank, maintain_order=True)
    estimate = next((c for c in (resolve(h, table.normalised) for h in _ESTIMATES) if c), None)
    notes = []
    if estimate is not None:
        spent = mapped.sources.get("minutes")
        also = f"; time spent comes from {spent}" if spent else "; learning time is not tracked"
        notes.append(
            decision(
                "minutes_source",
                f"{estimate} is Coursera's estimate of the course length, not time spent: "
                f"not stored as minutes{also}",
                column=estimate,
                value=spent,
            )
        )
    return Mapped(frame, mapped.sources, tuple(notes))


USAGE_REPORT = Format(
    name="coursera_usage_report",
    title="Coursera for Business usage report",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.snapshot,
    date_order="mdy",
    required=_REQUIRED,
    optional=(*_OPTIONAL, "estimated learning hours"),
    key_headers=(_LEARNER, _CONTENT),
    usage=_USAGE,
    to_canonical=_most_advanced_last,
)

COURSE_ACTIVITY = Format(
    name="coursera_course_activity",
    title="Coursera for Business course activity export",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.snapshot,
    date_order="mdy",
    required=(*_REQUIRED, "learning hours"),
    optional=(
        *_OPTIONAL,
        "total estimated learning hours (since enrolled)",
        "collection name",
        "collection id",
        "contract",
        "is enterprise contract active",
    ),
    key_headers=(_LEARNER, _CONTENT),
    usage=replace(_USAGE, minutes="learning hours", minutes_unit="hours"),
    to_canonical=_most_advanced_last,
)
