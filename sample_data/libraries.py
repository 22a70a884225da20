"""The two content libraries: who holds a seat, who uses it, and what they viewed.

LinkedIn Learning is the idle-seat story (about a third of 1,500 seats used,
falling); Udemy Business is the healthy one (over 80% of seats used). Each
year's report is a cumulative snapshot of that year's activity. A learner
never appears on the same content item in two years' reports, so the newer
snapshot never hides an older year's activity.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sample_data.staff import Person, employed_span
from sample_data.timeline import random_day

__all__ = ["Content", "LibraryRecord", "library_year", "seat_holders", "weighted_sample"]

# Learning on libraries peaks in January and autumn, dips in August and December.
_SEASON = (1.5, 1.2, 1.1, 1.0, 1.0, 0.9, 0.8, 0.5, 1.1, 1.2, 1.1, 0.6)


@dataclass(frozen=True, slots=True)
class Content:
    """A library item: id, title, kind (Course, Video, Learning Path) and length."""

    content_id: str
    title: str
    kind: str
    minutes: int
    category: str = ""


@dataclass(frozen=True, slots=True)
class LibraryRecord:
    """One learner's cumulative state on one item at the end of a year's report.

    `started` is None for an item assigned or enrolled in but never opened.
    """

    person: Person
    content: Content
    enrolled: date
    started: date | None
    last_seen: date | None
    percent: int
    seconds: int
    completed: date | None
    assigned: bool


def weighted_sample(
    rng: random.Random, items: Sequence[Person], weights: Sequence[float], k: int
) -> list[Person]:
    """Draw `k` distinct items, each with chance proportional to its weight.

    Uses Efraimidis-Spirakis keys (u ** (1/w)), which is exact and needs no
    repeated re-weighting.
    """
    keyed = sorted(
        zip((rng.random() ** (1.0 / w) for w in weights), range(len(items)), strict=True),
        reverse=True,
    )
    return [items[i] for _, i in keyed[:k]]


def seat_holders(
    rng: random.Random,
    staff: Sequence[Person],
    unit_weights: dict[str, float],
    previous: Sequence[Person],
    seats: int,
    on: date,
) -> list[Person]:
    """Keep last year's holders still employed on `on`, then fill the free seats by unit weight."""
    kept = [p for p in previous if p.employed_on(on)][:seats]
    have = {p.email for p in kept}
    pool = [p for p in staff if p.employed_on(on) and p.email not in have]
    weights = [unit_weights.get(p.org_unit, 0.2) for p in pool]
    return kept + weighted_sample(rng, pool, weights, seats - len(kept))


def _items(rng: random.Random, mean: float, cap: int) -> int:
    """How many items an active learner opens in a year (1 + geometric, mean about `mean`)."""
    stay = 1.0 - 1.0 / mean
    count = 1
    while rng.random() < stay and count < cap:
        count += 1
    return count


def _percent(rng: random.Random, kind: str, complete_share: float) -> int:
    """How far a learner got: whole items are often finished, paths seldom."""
    share = {"Video": 0.7, "Learning Path": 0.1}.get(kind, complete_share)
    return 100 if rng.random() < share else rng.randrange(5, 100, 5)


def library_year(
    rng: random.Random,
    holders: Sequence[Person],
    catalogue: Sequence[Content],
    span: tuple[date, date],
    *,
    active_share: float,
    items_mean: float,
    complete_share: float,
    taken: set[tuple[str, str]],
) -> list[LibraryRecord]:
    """One year of a library: active holders open items, some others only enrol.

    Parameters
    ----------
    rng
        The library's random stream.
    holders
        Seat holders of the year.
    catalogue
        Items on offer, most popular first.
    span
        The part of the year covered by the report (Jan 1 .. Dec 31 or the day
        before the as-of date).
    active_share
        Chance that a seat holder opens anything during the year.
    items_mean
        Mean number of items an active learner opens.
    complete_share
        Chance that a course is finished (videos and paths have their own).
    taken
        (email, content id) pairs already used in another year; updated here.
    """
    weights = [1.0 / math.sqrt(i + 1) for i in range(len(catalogue))]
    records: list[LibraryRecord] = []
    for person in holders:
        window = employed_span(person, *span)
        if window is None:
            continue
        if rng.random() >= active_share:
            if rng.random() < 0.25:  # assigned or enrolled, never opened
                content = _fresh(rng, person, catalogue, weights, taken)
                if content is not None:
                    day = random_day(rng, *window)
                    records.append(
                        LibraryRecord(person, content, day, None, None, 0, 0, None, True)
                    )
            continue
        for _ in range(_items(rng, items_mean, 12)):
            content = _fresh(rng, person, catalogue, weights, taken)
            if content is None:
                continue
            records.append(_viewed(rng, person, content, window, complete_share))
    return records


def _fresh(
    rng: random.Random,
    person: Person,
    catalogue: Sequence[Content],
    weights: Sequence[float],
    taken: set[tuple[str, str]],
) -> Content | None:
    """A popular item this learner has not touched in any report yet (None after 6 tries)."""
    for _ in range(6):
        content = rng.choices(catalogue, weights)[0]
        if (person.email, content.content_id) not in taken:
            taken.add((person.email, content.content_id))
            return content
    return None


def _viewed(
    rng: random.Random,
    person: Person,
    content: Content,
    window: tuple[date, date],
    complete_share: float,
) -> LibraryRecord:
    """A learner's progress on one item they opened inside `window`."""
    enrolled = random_day(rng, *window, month_weights=_SEASON)
    started = min(enrolled + timedelta(days=rng.randint(0, 4)), window[1])
    percent = _percent(rng, content.kind, complete_share)
    seconds = max(30, round(content.minutes * 60 * percent / 100 * rng.uniform(0.75, 1.25)))
    completed = None
    if percent == 100:
        completed = min(started + timedelta(days=rng.randint(0, 45)), window[1])
        last_seen = min(completed + timedelta(days=rng.choice((0, 0, 0, 2, 9))), window[1])
    else:
        last_seen = min(started + timedelta(days=rng.randint(0, 60)), window[1])
    assigned = rng.random() < 0.2
    return LibraryRecord(
        person, content, enrolled, started, last_seen, percent, seconds, completed, assigned
    )
