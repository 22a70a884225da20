"""Northwind Group's synthetic staff list: the learners every file refers to.

One list feeds every product and vendor report, so the same person has the
same e-mail and employee id everywhere and never learns before joining or
after leaving. Headcount stays at about 4,000: some 250 people join and 250
leave each year (the joiners go through the Onboarding Academy).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sample_data.timeline import Timeline, random_day

__all__ = ["DOMAIN", "HEADCOUNT", "ORG_UNITS", "Person", "employed_span", "make_staff"]

DOMAIN = "northwind.example"
HEADCOUNT = 4000
JOINERS_PER_YEAR = 250
MANAGER_SHARE = 0.12

# Org unit and its share of headcount.
ORG_UNITS: tuple[tuple[str, float], ...] = (
    ("Operations", 0.28),
    ("Customer Service", 0.18),
    ("Sales", 0.16),
    ("Engineering", 0.16),
    ("Finance", 0.08),
    ("Marketing", 0.06),
    ("HR", 0.04),
    ("Legal", 0.04),
)

# Hiring peaks in January and September, slows in August and December.
_HIRING_SEASON = (1.6, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 0.6, 1.6, 1.1, 1.0, 0.5)

_FIRST_NAMES = (
    "Aaliyah Adam Aisha Alex Alfie Amara Amelia Amir Ana Arjun Ava Ben Callum Charlotte "
    "Chloe Chen Daniel Dev Ella Emily Emma Ethan Fatima Finn Freya Gabriel George Grace "
    "Hannah Harry Harvey Isaac Isla Ivy Jack Jacob James Jasmine Jay Jessica Joe Joshua "
    "Kai Katie Kiran Laura Leo Liam Lily Lucy Luke Maria Mason Maya Megan Mia Michael "
    "Mohammed Nadia Nathan Noah Noor Oliver Olivia Omar Oscar Priya Rachel Rhys Rosie Ruby "
    "Ryan Sam Samira Sara Sean Sophie Thomas Tom Una Victoria Wei William Yusuf Zara Zoe"
)
_LAST_NAMES = (
    "Adams Ahmed Ali Allen Anderson Bailey Baker Begum Bell Bennett Brown Campbell Carter "
    "Chen Clarke Collins Cooper Davies Edwards Evans Fisher Green Griffiths Hall Harris "
    "Hughes Hussain Jackson James Jones Kaur Kelly Khan King Lee Lewis Lopez Martin Mitchell "
    "Moore Morgan Morris Murphy Nguyen O'Brien O'Neill Okafor Owen Parker Patel Phillips "
    "Price Rahman Roberts Robinson Rossi Scott Shah Singh Smith Smith-Jones Stewart Taylor "
    "Thomas Thompson Turner Walker Ward Watson White Williams Wilson Wood Wright Young"
)
_FIRST, _LAST = tuple(_FIRST_NAMES.split()), tuple(_LAST_NAMES.split())


@dataclass(frozen=True, slots=True)
class Person:
    """One member of staff, past or present.

    Attributes
    ----------
    employee_id : str
        `E10001` onwards, in order of hire (the HR system's id, Cornerstone's User ID).
    email : str
        `first.last<n>@northwind.example`, the key every vendor report carries.
    leave_date : date or None
        First day no longer employed; None for current staff.
    """

    employee_id: str
    first_name: str
    last_name: str
    email: str
    org_unit: str
    is_manager: bool
    hire_date: date
    leave_date: date | None

    def employed_on(self, day: date) -> bool:
        """Whether the person was on the payroll on `day`."""
        return self.hire_date <= day and (self.leave_date is None or day < self.leave_date)


def employed_span(person: Person, start: date, end: date) -> tuple[date, date] | None:
    """The part of [start, end] in which `person` was employed, or None."""
    first = max(start, person.hire_date)
    last = end if person.leave_date is None else min(end, person.leave_date - timedelta(days=1))
    return (first, last) if first <= last else None


def _letters(name: str) -> str:
    """A name reduced to lower-case ASCII letters (for e-mail local parts)."""
    return "".join(re.findall(r"[a-z]+", name.lower()))


def make_staff(rng: random.Random, timeline: Timeline) -> list[Person]:
    """Build the staff list: about 4,000 current staff plus the window's leavers.

    Returns
    -------
    list[Person]
        Ordered by employee id (= order of hire).
    """
    months = 24
    movers = round(JOINERS_PER_YEAR * months / 12)
    old_start, window_start = date(2005, 1, 1), timeline.start
    long_before = window_start - timedelta(days=1)
    draft: list[tuple[date, date | None, bool]] = []
    for _ in range(HEADCOUNT - movers):  # long-serving staff
        draft.append((random_day(rng, old_start, long_before), None, False))
    for _ in range(movers):  # leavers during the window
        leave = random_day(rng, window_start, timeline.last_day)
        draft.append((random_day(rng, old_start, long_before), leave, False))
    for _ in range(movers):  # joiners during the window
        hire = random_day(
            rng, window_start, timeline.last_day - timedelta(days=2), month_weights=_HIRING_SEASON
        )
        draft.append((hire, None, True))
    draft.sort(key=lambda item: item[0])
    units = [name for name, _ in ORG_UNITS]
    weights = [share for _, share in ORG_UNITS]
    staff: list[Person] = []
    for number, (hire, leave, joiner) in enumerate(draft, start=1):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        manager_share = MANAGER_SHARE / 3 if joiner else MANAGER_SHARE
        staff.append(
            Person(
                employee_id=f"E{10000 + number}",
                first_name=first,
                last_name=last,
                email=f"{_letters(first)}.{_letters(last)}{number}@{DOMAIN}",
                org_unit=rng.choices(units, weights)[0],
                is_manager=rng.random() < manager_share,
                hire_date=hire,
                leave_date=leave,
            )
        )
    return staff
