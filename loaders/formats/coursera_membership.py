"""Coursera for Business membership report: one row per learner x program (aggregate).

Headers per shared/research/vendor_report_formats.md section 3 (code that
parses real exports): `Name, Email, External Id, Program Name, Program
Slug, # Enrolled Courses, # Completed Courses, Member State, Join Date,
Invitation Date, Latest Program Activity Date`, then job and location
attributes. Stored by `loaders.aggregate` apart from the usage report's
learner x course facts, so course completions are never counted twice.

* Learner: `Email`, else `External Id`, else `Name` (a weak key).
* Measures per learner and program: `enrolled_courses`,
  `completed_courses`, and `member` (1 for `MEMBER`, 0 for `INVITED`, or a
  state saying the learner is not or no longer a member; any other state
  is a row error). The research marks these two state values as inferred.
* The program goes into the measure's name: `member/<program slug>` (else
  the program name when the slug is empty). The slug is Coursera's stable
  key of a program (names change; the research's dedup key is email +
  course + program slug), and one product holds all of a contract's
  programs, so per-program facts stay apart without a column of their own.
  `models.frames.aggregates_frame` splits it back into `measure` and
  `scope`; a total per learner sums (or, for `member`, takes the maximum
  of) the learner's programs.
* Period: `--period`, else the span of `Join Date` and `Latest Program
  Activity Date` (a snapshot as of the last activity seen); an export of
  invitations only, with neither date, needs `--period`. Dates after the
  period's end or after today are row errors, as in usage reports.
"""

from __future__ import annotations

from loaders.formats.aggregates import AggregateMap, Measure
from loaders.formats.base import Format
from loaders.formats.coursera import VENDOR, VENDOR_ALIASES
from models.enums import Grain, ImportKind

__all__ = ["MEMBERSHIP"]

_LEARNER = ("email", "external id", "name")
_PROGRAM = ("program slug", "program name")
_ENROLLED = ("# enrolled courses", "enrolled courses")
_COMPLETED = ("# completed courses", "completed courses")

MEMBERSHIP = Format(
    name="coursera_membership",
    title="Coursera membership report",
    kind=ImportKind.aggregate,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.aggregate,
    date_order="mdy",
    required=("member state", _ENROLLED, _COMPLETED, _PROGRAM, _LEARNER),
    optional=(
        "name",
        "email",
        "external id",
        "program name",
        "program slug",
        "join date",
        "invitation date",
        "latest program activity date",
        "job title",
        "job type",
        "location city",
        "location region",
        "location country",
    ),
    key_headers=(_LEARNER, _PROGRAM),
    to_canonical=AggregateMap(
        email="email",
        user_id="external id",
        name=("name",),
        scope=("program slug", "program name"),
        dates=("join date", "latest program activity date"),
        measures=(
            Measure("enrolled_courses", _ENROLLED),
            Measure("completed_courses", _COMPLETED),
            Measure(
                "member",
                "member state",
                kind="flag",
                true_values=("member",),
                false_prefixes=("invited", "not member", "removed", "deleted"),
            ),
        ),
    ),
)
