"""The newer usage detectors (Coursera, Pluralsight, Percipio, Degreed, xAPI) beside the rest.

Every report's header picks its own format, whatever the order and casing, and
no new detector claims a file another detector (or none yet) should read.
"""

from __future__ import annotations

import random

import pytest

from loaders.errors import Rejected
from loaders.formats import FORMATS, detect
from loaders.reading import normalise_header
from tests.loaders.factories import CSOD_HEADER, LINKEDIN_HEADER, UDEMY_HEADER
from tests.loaders.vendor_helpers import (
    COURSERA_ACTIVITY_HEADER,
    COURSERA_USAGE_HEADER,
    DEGREED_HEADER,
    PERCIPIO_HEADER,
    PLURALSIGHT_HEADER,
    XAPI_HEADER,
)

NEW = {
    "coursera_usage_report",
    "coursera_course_activity",
    "pluralsight_course_usage",
    "percipio_learning_activity",
    "degreed_completions",
    "xapi_statements",
}

OWN = [
    (LINKEDIN_HEADER, "linkedin_learning_learner_detail"),
    (UDEMY_HEADER, "udemy_user_course_progress"),
    (CSOD_HEADER, "cornerstone_transcript"),
    (["product", "learner", "content_id", "content_title", "date", "minutes", "progress_pct",
      "completed", "completed_date", "org_unit"], "usage"),
    (["product", "category", "vendor", "owner"], "products"),
    (["product", "vendor", "start", "end", "seats", "price_per_seat"], "contracts"),
    (COURSERA_USAGE_HEADER, "coursera_usage_report"),
    (COURSERA_ACTIVITY_HEADER, "coursera_course_activity"),
    (PLURALSIGHT_HEADER, "pluralsight_course_usage"),
    (PERCIPIO_HEADER, "percipio_learning_activity"),
    (DEGREED_HEADER, "degreed_completions"),
    (XAPI_HEADER, "xapi_statements"),
]  # fmt: skip

# Reports that belong to no new detector (aggregates, other tabs, other vendors' reports).
OTHERS = [
    ["Name", "Email", "External Id", "Program Name", "Program Slug", "# Enrolled Courses",
     "# Completed Courses", "Member State", "Join Date", "Invitation Date",
     "Latest Program Activity Date", "Job Title", "Job Type", "Location City"],
    ["User Name", "Email", "Badge Title", "Badge Slug", "Badge Link", "Number of Courses",
     "Progress in Badge (%)", "Course Name", "Course Enrollment Date", "Is Course Completed",
     "Course Completion Timestamp", "Last Activity Timestamp"],
    ["User ID", "First name", "Last name", "Email", "Team name", "Note", "Is on account",
     "Course ID", "Course name", "First view date", "Completion date", "Completion status"],
    ["User ID", "First name", "Last name", "Email", "Team name", "Note", "Start date"],
    ["First Name", "Last Name", "Email", "Unique User ID", "Groups", "Courses Completed",
     "Videos Completed", "Hours Viewed", "Last Login Date"],
    ["Start Day (PST/PDT)", "End Day (PST/PDT)", "Active Learners", "Hours Viewed"],
    ["First name", "Last name", "Email address", "Course complete"],
    ["Time", "User full name", "Affected user", "Event context", "Component", "Event name",
     "Description", "Origin", "IP address"],
    ["User Email", "User Name", "Role", "Is Deactivated", "Last Date Visit", "Groups"],
    ["UserID", "CourseID", "DueDate", "Delete", "ContentType", "Provider"],
]  # fmt: skip


def pick(headers: list[str]) -> str | None:
    try:
        return detect([normalise_header(h) for h in headers], formats=FORMATS).format.name
    except Rejected:
        return None


@pytest.mark.parametrize(("headers", "name"), OWN, ids=[n for _, n in OWN])
def test_each_report_picks_its_own_format_in_any_order(headers: list[str], name: str) -> None:
    assert pick(headers) == name
    for seed in range(3):
        shuffled = [f" {h.upper()}" for h in headers] + ["Cost Centre", "Region"]
        random.Random(seed).shuffle(shuffled)
        assert pick(shuffled) == name


@pytest.mark.parametrize("headers", OTHERS, ids=lambda h: h[-1] if isinstance(h, list) else h)
def test_new_detectors_do_not_claim_other_reports(headers: list[str]) -> None:
    assert pick(headers) not in NEW


def test_new_formats_declare_vendor_aliases_and_grain() -> None:
    by_name = {f.name: f for f in FORMATS}
    expected = {
        "coursera_usage_report": ("Coursera", "Coursera for Business"),
        "coursera_course_activity": ("Coursera", "Coursera for Business"),
        "pluralsight_course_usage": ("Pluralsight", "Pluralsight Skills"),
        "percipio_learning_activity": ("Skillsoft", "Percipio"),
        "degreed_completions": ("Degreed",),
    }
    for name, aliases in expected.items():
        assert all(by_name[name].serves(a) for a in aliases), name
    assert by_name["xapi_statements"].vendor is None  # routed by --product / --vendor only
    grains = {n: by_name[n].grain.value for n in NEW}  # type: ignore[union-attr]
    assert grains == {
        "coursera_usage_report": "snapshot",
        "coursera_course_activity": "snapshot",
        "percipio_learning_activity": "snapshot",
        "pluralsight_course_usage": "event",
        "degreed_completions": "event",
        "xapi_statements": "event",
    }
