"""The annual compliance campaign: everyone on the payroll in January is assigned it.

Joiners cover the same ground in the Onboarding Academy, so the Cornerstone
campaign holds the people employed on its assignment day. About 97.5% finish
it, most within two weeks; those who leave first, or have not got round to it
by the report date, stay In Progress or Registered.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sample_data.staff import Person
from sample_data.timeline import Timeline
from sample_data.usage import monday_on_or_after

__all__ = ["Transcript", "campaign", "course_title"]

COMPLETION_SHARE = 0.975


@dataclass(frozen=True, slots=True)
class Transcript:
    """One person's registration on the year's course, as of the report date."""

    person: Person
    title: str
    status: str
    assigned: date
    completed: date | None


def course_title(year: int) -> str:
    """The campaign's training title in Cornerstone (a new one each year)."""
    return f"Code of Conduct and Data Protection {year}"


def campaign(
    rng: random.Random, staff: Sequence[Person], timeline: Timeline, year: int
) -> list[Transcript]:
    """The year's transcripts as Cornerstone reports them at the end of the year (or today)."""
    assigned = monday_on_or_after(date(year, 1, 8))
    report_end = timeline.year_span(year)[1]
    rows: list[Transcript] = []
    for person in staff:
        if not person.employed_on(assigned) or assigned > report_end:
            continue
        done: date | None = None
        if rng.random() < COMPLETION_SHARE:
            lag = 1 + min(int(rng.expovariate(1 / 9)), 80)
            day = assigned + timedelta(days=lag)
            if day.weekday() >= 5:
                day -= timedelta(days=day.weekday() - 4)
            if day <= report_end and person.employed_on(day):
                done = day
        if done is not None:
            status = "Completed"
        else:
            status = "In Progress" if rng.random() < 0.6 else "Registered"
        rows.append(Transcript(person, course_title(year), status, assigned, done))
    return rows
