"""Udemy Business data-export reports.

User course progress: one row per user x course, cumulative (snapshot
grain). Header strings from public code mapping real exports
(shared/research/vendor_report_formats.md section 2a); dates ISO; minutes
plain and possibly with thousands commas. Users without an e-mail or
external id (Udemy's "Anonymized User" after a privacy deletion) fall back
to their name, a weak key, rather than rejecting the whole report.

Users ("All users", section 2c; aggregate grain, `loaders.aggregate`): one
row per user with the licence `Status`, stored as the per-learner measure
`licence_active` (1 for Active; 0 for Deactivated..., Pending... or
Invited...: no licence in use; any other status is a row error), which
activation rate is computed from. The file has no dates: its period comes
from `--period`, else it is rejected asking for it. It is told apart by
`Status` with `License type` or `License pool` (British spellings
accepted too).
"""

from __future__ import annotations

from loaders.formats.aggregates import AggregateMap, Measure
from loaders.formats.base import Format, UsageMap
from models.enums import Grain, ImportKind

__all__ = ["COURSE_PROGRESS", "USERS", "VENDOR", "VENDOR_ALIASES"]

VENDOR = "Udemy Business"
VENDOR_ALIASES = ("Udemy", "Udemy Business")
_LEARNER = ("user email", "external id")
_CONTENT = ("course id", "course title")

COURSE_PROGRESS = Format(
    name="udemy_user_course_progress",
    title="Udemy Business user course progress",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.snapshot,
    date_order="mdy",
    required=(_CONTENT, "% marked completed", "minutes video consumed", _LEARNER),
    optional=(
        "user first name",
        "user last name",
        "user email",
        "external id",
        "user groups",
        "course id",
        "course title",
        "course duration",
        "date enrolled",
        "date started",
        "first date completed",
        "date completed",
        "date last accessed",
        "course category",
        "assigned",
        "assigned by",
        "user is deactivated",
    ),
    key_headers=(_LEARNER, "user first name", "user last name", _CONTENT),
    usage=UsageMap(
        email="user email",
        user_id="external id",
        name=("user first name", "user last name"),
        org_unit="user groups",
        content_id="course id",
        content_title="course title",
        progress="% marked completed",
        minutes="minutes video consumed",
        completed_date="date completed",
        activity_date="date last accessed",
    ),
)

_USER = ("email", "external id")
_LICENCE = ("license type", "license pool", "licence type", "licence pool")

USERS = Format(
    name="udemy_users",
    title="Udemy Business users report",
    kind=ImportKind.aggregate,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.aggregate,
    date_order="mdy",
    required=("status", _USER, _LICENCE),
    optional=(
        "name",
        "surname",
        "email",
        "external id",
        "role",
        "group",
        "lms user id",
        "license type",
        "license pool",
        "joined date",
        "deactivated date",
    ),
    key_headers=(_USER, "name", "surname"),
    to_canonical=AggregateMap(
        email="email",
        user_id="external id",
        name=("name", "surname"),
        org_unit="group",
        measures=(
            Measure(
                "licence_active",
                "status",
                kind="flag",
                true_values=("active",),
                false_prefixes=("deactivated", "pending", "invited"),
            ),
        ),
    ),
)
