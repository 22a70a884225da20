"""Udemy Business data-export reports.

User course progress: one row per user x course, cumulative (snapshot
grain). Header strings from public code mapping real exports
(shared/research/vendor_report_formats.md section 2a); dates ISO; minutes
plain and possibly with thousands commas. Users without an e-mail or
external id (Udemy's "Anonymized User" after a privacy deletion) fall back
to their name, a weak key, rather than rejecting the whole report.
"""

from __future__ import annotations

from loaders.formats.base import Format, UsageMap
from models.enums import Grain, ImportKind

__all__ = ["COURSE_PROGRESS", "VENDOR", "VENDOR_ALIASES"]

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
