"""Who took part in each in-house programme and app, and when (usage.csv's content).

Each function returns the events of one product. Cohort sizes, rhythms and
audiences follow the product's story in `portfolio`: monthly sales cohorts
from the academy's launch, four leadership cohorts a year, every joiner
through onboarding, falling attendance on the classroom Excel courses, a pilot
that began a few weeks ago, and a coaching app with many light users.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from sample_data import portfolio as pf
from sample_data.staff import Person, employed_span
from sample_data.timeline import Timeline, random_day
from sample_data.usage import Event, Module, monday_on_or_after, pick, run_cohort

__all__ = ["PROGRAMMES", "coaching_app"]

_LEADERSHIP = (
    Module("LAN-01", "Launch workshop: leading at Northwind", 0, 420),
    Module("LAN-02", "Coaching conversations (e-learning)", 14, 90, self_paced=True),
    Module("LAN-03", "Leading through change workshop", 42, 420),
    Module("LAN-04", "360 feedback debrief with a coach", 70, 60, self_paced=True),
    Module("LAN-05", "Action learning set", 98, 180),
    Module("LAN-06", "Showcase and commitments", 140, 240),
)
_SALES = (
    Module("SA-01", "Discovery and qualification", 0, 240),
    Module("SA-02", "Value-based proposals", 14, 180, self_paced=True),
    Module("SA-03", "Negotiation lab", 28, 240),
    Module("SA-04", "Pipeline discipline in the CRM", 35, 90, self_paced=True),
    Module("SA-05", "Deal review and certification", 56, 120),
)
_ONBOARDING = (
    Module("OB-01", "Welcome to Northwind (induction day)", 0, 360),
    Module("OB-02", "Our customers and products", 3, 120, self_paced=True),
    Module("OB-03", "Systems, security and conduct essentials", 10, 150, self_paced=True),
    Module("OB-04", "30-day check-in: ways of working", 30, 90),
)
_DATA_LITERACY = (
    Module("DL-01", "Thinking with data", 0, 180),
    Module("DL-02", "From spreadsheets to dashboards", 7, 240, self_paced=True),
    Module("DL-03", "SQL for analysts", 14, 240, self_paced=True),
    Module("DL-04", "Telling stories with data", 21, 180),
    Module("DL-05", "Capstone project review", 35, 120),
)
_MANAGER_ESSENTIALS = (
    Module("ME-01", "From colleague to manager", 0, 420),
    Module("ME-02", "Performance, feedback and one-to-ones", 21, 240),
    Module("ME-03", "Hiring well", 42, 120, self_paced=True),
    Module("ME-04", "Wellbeing and difficult conversations", 63, 240),
)
_SERVICE = (
    Module("CS-01", "Customer first foundations", 0, 420),
    Module("CS-02", "Systems and knowledge base", 2, 300),
    Module("CS-03", "Handling complaints well", 14, 240, self_paced=True),
    Module("CS-04", "Right first time assessment", 28, 60),
)
_MENTORING = tuple(
    Module(f"MC-0{i + 1}", f"Mentoring circle, session {i + 1}", 30 * i, 75) for i in range(6)
)
_PILOT = (
    Module("AI-01", "Generative AI: basics and safe use", 0, 120),
    Module("AI-02", "Prompting for your role", 7, 90, self_paced=True),
    Module("AI-03", "Workflow clinic", 21, 120),
    Module("AI-04", "Show and tell", 42, 90),
)
_WELLBEING = (
    ("WB-01", "Managing pressure"),
    ("WB-02", "Sleep and energy"),
    ("WB-03", "Resilience toolkit"),
    ("WB-04", "Mental health awareness"),
)
_EXCEL = (
    ("XL-INT", "Excel Intermediate (1 day)", 390),
    ("XL-ADV", "Excel Advanced (1 day)", 390),
    ("XL-PQ", "Power Query and PivotTables (half day)", 210),
)
_COACHING_TOPICS = (
    "Giving feedback that lands",
    "Prioritising when everything is urgent",
    "Running better one-to-ones",
    "Saying no without guilt",
    "Handling a difficult conversation",
    "Getting unstuck on a decision",
    "Managing your energy",
    "Preparing for a promotion conversation",
    "Influencing without authority",
    "Leading a remote team",
    "Bouncing back from a setback",
    "Planning your development",
    "Making meetings worth it",
    "Building trust in a new team",
    "Delegating well",
    "Speaking up in meetings",
)


def _starts(timeline: Timeline, months: Sequence[int], since: date) -> list[date]:
    """Cohort start Mondays (second week of each of `months`) from `since` to the last day."""
    days = []
    for year in range(since.year, timeline.as_of.year + 1):
        for month in months:
            day = monday_on_or_after(date(year, month, 8))
            if since <= day <= timeline.last_day:
                days.append(day)
    return days


def _in_units(staff: Sequence[Person], *units: str, managers: bool | None = None) -> list[Person]:
    """Staff of the given org units (all units when none), optionally only (non-)managers."""
    return [
        p
        for p in staff
        if (not units or p.org_unit in units) and (managers is None or p.is_manager == managers)
    ]


def _cohorts(
    rng: random.Random,
    product: str,
    pool: Sequence[Person],
    starts: Sequence[date],
    size: tuple[int, int],
    modules: Sequence[Module],
    timeline: Timeline,
    *,
    dropout: float = 0.04,
    no_show: float = 0.03,
    skip_month: int | None = None,
) -> list[Event]:
    """Run one cohort per start date, each person taking part once (see `run_cohort`)."""
    used: set[str] = set()
    events: list[Event] = []
    for start in starts:
        people = pick(rng, pool, rng.randint(*size), on=start, used=used)
        events += run_cohort(
            rng,
            product,
            people,
            start,
            modules,
            timeline,
            dropout=dropout,
            no_show=no_show,
            skip_month=skip_month,
        )
    return events


def leadership(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """Four cohorts of ~30 managers a year; earlier cohorts' last modules fall in the window."""
    starts = _starts(tl, (2, 5, 9, 11), since=tl.start - timedelta(days=150))
    pool = _in_units(staff, managers=True)
    return _cohorts(rng, pf.LEADERSHIP, pool, starts, (28, 32), _LEADERSHIP, tl, dropout=0.02)


def sales(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """Launched in March of the first budget year; a cohort of ~14 reps most months."""
    starts = _starts(tl, (1, 2, 3, 4, 5, 6, 7, 9, 10, 11), since=date(tl.years[0], 3, 1))
    pool = _in_units(staff, "Sales", managers=False)
    return _cohorts(rng, pf.SALES, pool, starts, (12, 16), _SALES, tl)


def onboarding(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """Every joiner starts the academy on their first day."""
    events: list[Event] = []
    for person in staff:
        if person.hire_date >= tl.start:
            start = person.hire_date
            events += run_cohort(rng, pf.ONBOARDING, [person], start, _ONBOARDING, tl, dropout=0.01)
    return events


def data_literacy(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """Bi-monthly cohorts of ~16 analysts and team leads outside Engineering."""
    starts = _starts(tl, (1, 3, 5, 7, 9, 11), since=date(tl.years[0], 1, 1))
    units = ("Finance", "Operations", "Marketing", "Sales", "HR", "Customer Service")
    pool = _in_units(staff, *units)
    return _cohorts(rng, pf.DATA_LITERACY, pool, starts, (14, 18), _DATA_LITERACY, tl)


def manager_essentials(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """Five cohorts of ~12 new managers a year."""
    starts = _starts(tl, (1, 3, 6, 9, 11), since=tl.start - timedelta(days=70))
    pool = _in_units(staff, managers=True)
    return _cohorts(rng, pf.MANAGER_ESSENTIALS, pool, starts, (10, 14), _MANAGER_ESSENTIALS, tl)


def service(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """A cohort of ~10 agents every month but December."""
    starts = _starts(tl, range(1, 12), since=tl.start - timedelta(days=30))
    pool = _in_units(staff, "Customer Service", managers=False)
    return _cohorts(rng, pf.SERVICE, pool, starts, (8, 12), _SERVICE, tl)


def mentoring(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """Spring and autumn intakes; circles meet monthly and pause in August."""
    starts = _starts(tl, (3, 9), since=date(tl.years[0], 1, 1))
    pool = _in_units(staff, managers=False)
    return _cohorts(
        rng, pf.MENTORING, pool, starts, (30, 38), _MENTORING, tl, no_show=0.1, skip_month=8
    )


def pilot(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """Forty volunteers started about nine weeks ago; later sessions have not happened yet."""
    pool = _in_units(staff, "Finance", "Marketing", "Customer Service")
    people = pick(rng, pool, 40, on=tl.pilot_start)
    return run_cohort(rng, pf.PILOT, people, tl.pilot_start, _PILOT, tl, dropout=0.03)


def wellbeing(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """A monthly workshop (not in December); August of the first year was cancelled."""
    events: list[Event] = []
    month, index = tl.start, 0
    while month <= tl.last_day:
        day = monday_on_or_after(date(month.year, month.month, 15)) + timedelta(days=2)
        cancelled = month == date(tl.years[0], 8, 1)
        if month.month != 12 and not cancelled and day <= tl.last_day:
            content_id, title = _WELLBEING[index % len(_WELLBEING)]
            module = (Module(content_id, title, 0, 90),)
            people = pick(rng, staff, rng.randint(18, 30), on=day)
            events += run_cohort(rng, pf.WELLBEING, people, day, module, tl, dropout=0, no_show=0)
            index += 1
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return events


def excel(rng: random.Random, staff: Sequence[Person], tl: Timeline) -> list[Event]:
    """One classroom day a month (not August or December); attendance falls from ~11 to ~3."""
    events: list[Event] = []
    pool = _in_units(staff, "Finance", "Operations", "Sales", "Marketing")
    span = (tl.last_day - tl.start).days
    month, index = tl.start, 0
    while month <= tl.last_day:
        day = monday_on_or_after(date(month.year, month.month, 8)) + timedelta(days=1)
        if month.month not in (8, 12) and day <= tl.last_day:
            content_id, title, minutes = _EXCEL[index % len(_EXCEL)]
            expected = 11.0 - 8.5 * (day - tl.start).days / span
            size = max(2, round(rng.gauss(expected, 1.0)))
            module = (Module(content_id, title, 0, minutes),)
            people = pick(rng, pool, size, on=day)
            events += run_cohort(rng, pf.EXCEL, people, day, module, tl, dropout=0, no_show=0)
            index += 1
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return events


def coaching_app(
    rng: random.Random, staff: Sequence[Person], tl: Timeline, seats: tuple[int, int]
) -> list[Event]:
    """Bite-size coaching sessions: ~88% of seat holders use it, most only once or twice.

    Seat holders of the second year keep those of the first who are still
    employed, and the extra seats go to new people.
    """
    events: list[Event] = []
    holders: list[Person] = []
    weights = [1.0 / (i + 2) for i in range(len(_COACHING_TOPICS))]
    for year, seat_count in zip(tl.years, seats, strict=True):
        first, last = tl.year_span(year)
        if last < first:
            break
        holders = [p for p in holders if p.employed_on(first)]
        have = {p.email for p in holders}
        holders += pick(rng, staff, seat_count - len(holders), on=first, used=have)
        for person in holders:
            span = employed_span(person, first, last)
            if span is None or rng.random() > 0.88:
                continue
            sessions = 1
            while rng.random() < 0.45 and sessions < 8:
                sessions += 1
            for _ in range(sessions):
                topic = rng.choices(range(len(_COACHING_TOPICS)), weights)[0]
                finished = rng.random() < 0.88
                events.append(
                    Event(
                        pf.COACHING,
                        person,
                        f"PW-{101 + topic}",
                        _COACHING_TOPICS[topic],
                        random_day(rng, *span, workdays=False),
                        rng.randint(6, 25),
                        100 if finished else rng.randrange(20, 90, 10),
                        finished,
                    )
                )
    return events


Programme = Callable[[random.Random, Sequence[Person], Timeline], list[Event]]

# Every in-house programme whose usage goes into usage.csv (the app is added separately).
PROGRAMMES: dict[str, Programme] = {
    pf.LEADERSHIP: leadership,
    pf.ONBOARDING: onboarding,
    pf.SALES: sales,
    pf.DATA_LITERACY: data_literacy,
    pf.MANAGER_ESSENTIALS: manager_essentials,
    pf.SERVICE: service,
    pf.MENTORING: mentoring,
    pf.PILOT: pilot,
    pf.WELLBEING: wellbeing,
    pf.EXCEL: excel,
}
