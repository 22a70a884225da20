"""Learning activity as events, and the cohort machinery the programmes share.

An `Event` is one learner x content item x day of activity: the grain of the
generic usage template (usage.csv). Programmes run cohorts through a fixed
sequence of modules; people drop out, miss sessions, leave the company, and
nothing is recorded after the day before the as-of date.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sample_data.staff import Person
from sample_data.timeline import Timeline

__all__ = [
    "Event",
    "Module",
    "monday_on_or_after",
    "pick",
    "run_cohort",
    "usage_rows",
]


@dataclass(frozen=True, slots=True)
class Event:
    """One learner's activity on one content item on one day."""

    product: str
    person: Person
    content_id: str
    content_title: str
    day: date
    minutes: int
    progress_pct: int
    completed: bool


@dataclass(frozen=True, slots=True)
class Module:
    """One step of a programme, `offset_days` after the cohort starts.

    A live module happens on the same day for the whole cohort; a self-paced
    one is done within ten days of its offset and may be left unfinished.
    """

    content_id: str
    title: str
    offset_days: int
    minutes: int
    self_paced: bool = False


def monday_on_or_after(day: date) -> date:
    """Cohorts start on Mondays."""
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _weekday(day: date) -> date:
    """Move a Saturday or Sunday to the next Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def pick(
    rng: random.Random,
    pool: Sequence[Person],
    k: int,
    *,
    on: date,
    used: set[str] | None = None,
) -> list[Person]:
    """Choose up to `k` people employed on `on`, skipping (and then marking) `used` ones."""
    taken = used if used is not None else set()
    eligible = [p for p in pool if p.employed_on(on) and p.email not in taken]
    chosen = rng.sample(eligible, min(k, len(eligible)))
    taken.update(p.email for p in chosen)
    return chosen


def run_cohort(
    rng: random.Random,
    product: str,
    people: Iterable[Person],
    start: date,
    modules: Sequence[Module],
    timeline: Timeline,
    *,
    dropout: float = 0.04,
    no_show: float = 0.03,
    skip_month: int | None = None,
) -> list[Event]:
    """Take a cohort that starts on `start` through `modules`.

    Notes
    -----
    A participant drops out for good with probability `dropout` before each
    module, misses a single live module with probability `no_show`, and stops
    when they leave Northwind. Days before the history window are dropped
    (earlier cohorts' late modules still show), as is anything after the day
    before the as-of date. Modules falling in `skip_month` are not held.
    """
    events: list[Event] = []
    for person in people:
        for module in modules:
            if rng.random() < dropout:
                break
            day = start + timedelta(days=module.offset_days)
            if module.self_paced:
                day += timedelta(days=rng.randint(0, 10))
            day = _weekday(day)
            if day > timeline.last_day or not person.employed_on(day):
                break
            if day < timeline.start or day.month == skip_month:
                continue
            if not module.self_paced and rng.random() < no_show:
                continue
            finished = not module.self_paced or rng.random() > 0.15
            progress = 100 if finished else rng.randrange(20, 95, 5)
            minutes = round(module.minutes * rng.uniform(0.85, 1.05) * progress / 100)
            events.append(
                Event(
                    product,
                    person,
                    module.content_id,
                    module.title,
                    day,
                    max(minutes, 1),
                    progress,
                    finished,
                )
            )
    return events


def usage_rows(events: Iterable[Event]) -> list[dict[str, str | None]]:
    """Rows of usage.csv, one per (product, learner, content, day), by product and day.

    Two events on the same key are merged (minutes added, the furthest
    progress kept), because the template's key must be unique within a file.
    """
    merged: dict[tuple[str, str, str, date], Event] = {}
    for e in events:
        key = (e.product, e.person.email, e.content_id, e.day)
        old = merged.get(key)
        if old is not None:
            e = Event(
                e.product,
                e.person,
                e.content_id,
                e.content_title,
                e.day,
                old.minutes + e.minutes,
                max(old.progress_pct, e.progress_pct),
                old.completed or e.completed,
            )
        merged[key] = e
    rows = []
    for key in sorted(merged, key=lambda k: (k[0], k[3], k[1], k[2])):
        e = merged[key]
        rows.append(
            {
                "product": e.product,
                "learner": e.person.email,
                "content_id": e.content_id,
                "content_title": e.content_title,
                "date": e.day.isoformat(),
                "minutes": str(e.minutes),
                "progress_pct": str(e.progress_pct),
                "completed": "yes" if e.completed else "no",
                "completed_date": e.day.isoformat() if e.completed else None,
                "org_unit": e.person.org_unit,
            }
        )
    return rows
