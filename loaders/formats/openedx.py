"""Open edX tracking logs: JSON lines of events, read as usage of the course.

DESIGN.md ("xAPI and tracking logs"): `username` is the learner (a user id:
an Open edX username is the account's stable handle), `context.course_id`
the content, `time` the date. The log records what people did (videos
played, problems checked, pages seen), and no event means "completed the
course", so completion is not tracked (null, never false).

Minutes are estimated from the events' times the way learning-analytics
research on these logs does (ELAT, TU Delft's edX workbench; edX Insights):
a learner's events in a course form a session until 30 minutes pass without
one, and the session lasts from its first event to its last. A day's
minutes are its sessions' lengths; a lone event is a session of 0 minutes.

* Events with no user (anonymous page views, server jobs) are not learner
  activity: skipped, and counted in a decision.
* Events outside a course (the dashboard, the account page) have no
  content: skipped and counted too.
* One fact per learner x course x day, as for xAPI statements
  (`loaders.formats.xapi.roll_up_events`): a day's hundred events are one
  active day.
"""

from __future__ import annotations

import polars as pl

from loaders.errors import ROW
from loaders.formats.base import Format, Mapped, UsageMap
from loaders.formats.xapi import rolled_events
from loaders.reading import Table
from loaders.result import decision
from loaders.values import blank_missing
from models.enums import Grain, ImportKind

__all__ = ["SESSION_GAP_MINUTES", "TRACKING_LOG"]

SESSION_GAP_MINUTES = 30
"""Minutes without an event that end a session (ELAT's and edX research's convention)."""


def _skipped(count: int, what: str, key: str, rows: pl.Series) -> dict[str, object] | None:
    if not count:
        return None
    events = "event" if count == 1 else "events"
    return decision(
        key, f"{count:,} {events} {what}: skipped", value=count, rows=rows.head(50).to_list()
    )


def _with_session_minutes(events: pl.DataFrame) -> pl.DataFrame:
    """Each event's share of session time, as an ISO duration the roll-up sums per day.

    An event within `SESSION_GAP_MINUTES` of the learner's previous event in
    the course, the same day, adds the time since it; any other starts a
    session and adds nothing. An unreadable time adds nothing (its date is
    refused with row and column by the date check).
    """
    at = pl.col("activity_date").str.to_datetime(time_zone="UTC", strict=False)
    day = pl.col("activity_date").str.slice(0, 10)
    ordered = events.with_columns(at.alias("__at"), day.alias("__day")).sort(
        "user_id", "content_id", "__day", "__at", nulls_last=True
    )
    gap = pl.col("__at").diff().over("user_id", "content_id", "__day").dt.total_microseconds() / 1e6
    within = gap.is_not_null() & (gap <= SESSION_GAP_MINUTES * 60)
    seconds = pl.when(within).then(gap).otherwise(0)
    return (
        ordered.with_columns(pl.format("PT{}S", seconds).alias("minutes"))
        .drop("__at", "__day")
        .sort(ROW)
    )


def _events(table: Table, fmt: Format) -> Mapped:
    """Events with a user and a course, as one row per learner x course x day."""
    cols, frame = table.normalised, table.frame
    user = blank_missing(frame.get_column(cols["username"]))
    course = blank_missing(frame.get_column(cols["context.course_id"]))
    no_user = user.is_null()
    no_course = course.is_null() & ~no_user
    keep = ~(no_user | no_course)
    events = _with_session_minutes(
        pl.DataFrame(
            {
                ROW: frame.get_column(ROW),
                "user_id": user,
                "content_id": course,
                "activity_date": frame.get_column(cols["time"]),
                "completed": pl.Series([None] * frame.height, dtype=pl.String),
            }
        ).filter(keep)
    )
    sources = {
        "user_id": cols["username"],
        "content_id": cols["context.course_id"],
        "activity_date": cols["time"],
        "minutes": cols["time"],
        "completed": cols["event_type"],
    }
    rows = frame.get_column(ROW)
    notes = [
        n
        for n in (
            _skipped(
                int(no_user.sum()),
                "with no user (anonymous or system)",
                "no_user",
                rows.filter(no_user),
            ),
            _skipped(
                int(no_course.sum()),
                "outside a course (no context.course_id)",
                "no_course",
                rows.filter(no_course),
            ),
            decision(
                "tracking",
                "learner = username, content = context.course_id, date = time; minutes "
                f"estimated from sessions (a session ends after {SESSION_GAP_MINUTES} minutes "
                "without an event); a tracking log holds no course completion (not tracked)",
            ),
        )
        if n is not None
    ]

    def said(count: int, facts: int) -> dict[str, object]:
        return decision(
            "events_per_day",
            f"{count:,} events rolled up into {facts:,} learner x course x day facts",
            value=facts,
            events=count,
        )

    return rolled_events(events, sources, fmt, notes, said)


TRACKING_LOG = Format(
    name="openedx_tracking",
    title="Open edX tracking log",
    vendor="Open edX",
    aliases=("Open edX", "edX", "openedx"),
    kind=ImportKind.usage,
    grain=Grain.event,
    date_order="mdy",
    required=("username", "event_type", "time", "context.course_id"),
    optional=("event_source", "context.user_id"),
    key_headers=("username", "context.course_id"),
    usage=UsageMap(
        user_id="username",
        content_id="context.course_id",
        activity_date="time",
        minutes="time",
        minutes_unit="seconds",
    ),
    to_canonical=_events,
)
