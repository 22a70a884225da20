"""Skillsoft Percipio reports.

Learning activity: one row per learner x content item, cumulative (snapshot
grain). Header strings are the reporting API's `LearnerActivity` field names,
which a CSV request without a column mapping returns
(shared/research/vendor_report_formats.md section 5); the UI report's
upper-case display names (`USER ID`, `DURATION`, `LAST ACCESS`, `TOTAL
ACCESSES`) are accepted as alternatives, case-folded.

* Learner: `userId`, often an e-mail: a value with "@" is the e-mail,
  anything else the user id; else first and last name.
* Content: `contentUuid` (else `contentId`), title `contentTitle`, type
  `contentType`.
* Completion: `status` Completed or Achieved (any case) means done; Started,
  Active, Listened, Read and Watched do not; a blank status falls back to
  `completedDate`. Minutes: `duration` in seconds. The row's date:
  `lastAccess`.
* Scores (`firstScore`, `highScore`, `lastScore`) are not imported yet.
"""

from __future__ import annotations

from loaders.formats.base import Format, UsageMap
from models.enums import Grain, ImportKind

__all__ = ["LEARNING_ACTIVITY", "VENDOR", "VENDOR_ALIASES"]

VENDOR = "Skillsoft Percipio"
VENDOR_ALIASES = ("Skillsoft", "Percipio", "Skillsoft Percipio")
_USER = ("userid", "user id")
_FIRST = ("firstname", "first name")
_LAST = ("lastname", "last name")
_UUID = ("contentuuid", "content uuid", "contentid", "content id")
_TITLE = ("contenttitle", "content title")
_CONTENT = (*_UUID, *_TITLE)
_STATUS = "status"
_ACCESSES = ("totalaccesses", "total accesses")

LEARNING_ACTIVITY = Format(
    name="percipio_learning_activity",
    title="Skillsoft Percipio learning activity",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.snapshot,
    date_order="mdy",
    required=((*_USER, *_FIRST, *_LAST), _CONTENT, _STATUS, _ACCESSES),
    optional=(
        *_USER,
        *_FIRST,
        *_LAST,
        "audience",
        *_CONTENT,
        "contenttype",
        "content type",
        "completeddate",
        "completed date",
        "duration",
        "firstaccess",
        "first access",
        "lastaccess",
        "last access",
    ),
    key_headers=((*_USER, *_FIRST, *_LAST), _CONTENT),
    usage=UsageMap(
        learner=_USER,
        name=(_FIRST, _LAST),
        org_unit="audience",
        content_id=_UUID,
        content_title=_TITLE,
        content_type=("contenttype", "content type"),
        completed=_STATUS,
        completed_values=("completed", "achieved"),
        completed_date=("completeddate", "completed date"),
        activity_date=("lastaccess", "last access"),
        minutes="duration",
        minutes_unit="seconds",
    ),
)
