"""Moodle reports: the course completion report and the logs.

Headers from Moodle's own source (shared/research/vendor_report_formats.md
section 9). Dates are Moodle's `strftimedatetimeshort`, `%d/%m/%y, %H:%M`
in the English pack: day first by default, decided by the values as
everywhere (`loaders.dates`).

Course completion (`report/completion`, CSV download), snapshot grain:
one row per learner, `ID`, `Name`, the identity fields shown on the site
(`Email address`, `ID number`, ...), then a column pair per activity
criterion (`<activity>`, `<activity> - Completion date`) and finally
`Course complete`. Activity names vary per course, so the format is
detected by `Course complete` plus at least one such pair, never by
activity names or positions. Per DESIGN.md ("Completions by format"):

* The content item is the course: the fixed key `course` (the course's
  name is not in the file, and the file name is never used). Its title is
  left empty; the product it belongs to names it.
* A completion is a `Course complete` date. Activities are never
  completions: they give `progress` (the share of activities completed,
  0-100; "Completed", "Completed (achieved pass grade)" and "Completed (did
  not achieve pass grade)" count as done, "Not completed" does not; a blank
  status is not counted) and the activity date (the latest activity
  completion date, or the course completion date when later). A learner
  with no date at all belongs to the report period. The latest date is
  chosen before `--date-order` is known, reading the dates in the order
  any value of the date columns proves (else day first); the chosen cell is
  then read like any date column, `--date-order` included.
* Learner: `Email address`, else `ID number` (the site's own id, usually
  the HR number), else Moodle's internal `ID`, stored as `moodle:<id>` so
  that it never matches another system's user id by accident, else `Name`.

Logs (`report/log`), event grain: `Time, User full name, Affected user,
Event context, Component, Event name, Description, Origin, IP address`.

* Learner: `User full name`. Logs carry names only, so these learners have
  a weak key (key kind `name`) and match no e-mail-keyed learner of the
  completion report or another product. For `Course completed` events the
  learner is the `Affected user` when given (the event is often logged by
  the system on the learner's behalf).
* Events without a user (`-`: the system, a visitor not logged in) are not
  learner activity and are left out; a note says how many.
* Content: `Event context` ("Quiz: Safety quiz"), typed by the part before
  the colon. Date: `Time`. No minutes. Completion is tracked only by
  events named `Course completed`; every other event leaves it null (not
  tracked), never false.
* One fact per learner x context x day (the event key): repeated events of
  a day count once, and a day with a `Course completed` event keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from loaders.dates import DateOrder, date_shape, parse_dates
from loaders.errors import ROW, ErrorLog, Rejected
from loaders.formats.base import Format, Header, Mapped, UsageMap, resolve
from loaders.reading import Table
from loaders.result import decision
from loaders.values import blank_missing
from models.enums import Grain, ImportKind

__all__ = ["COMPLETION", "COURSE_KEY", "LOGS", "VENDOR", "VENDOR_ALIASES", "activity_pairs"]

VENDOR = "Moodle"
VENDOR_ALIASES = ("Moodle", "Moodle LMS", "Moodle Workplace")
COURSE_KEY = "course"

_DATE_SUFFIX = " - completion date"
_COURSE_COMPLETE = "course complete"
_PAIR = "<activity> and <activity> - completion date"
_EMAIL = ("email address", "email")
_LEARNER = (*_EMAIL, "id number", "id", "name")
_STATUSES = (
    "Completed, Completed (achieved pass grade), Completed (did not achieve pass grade), "
    "Not completed"
)
_COMPLETED_EVENTS = ("course completed",)


def activity_pairs(headers: Sequence[str]) -> list[tuple[str | None, str]]:
    """(status header, date header) per activity, from normalised headers.

    The status column is `<activity>`, or (as some sites' exports write it)
    `<activity> - <section>`; None when the date column stands alone.
    """
    present = set(headers)
    pairs: list[tuple[str | None, str]] = []
    for header in headers:
        if not header.endswith(_DATE_SUFFIX):
            continue
        base = header[: -len(_DATE_SUFFIX)].strip()
        if not base:
            continue
        status = base if base in present else None
        if status is None:
            status = next(
                (h for h in headers if h.startswith(f"{base} - ") and not h.endswith(_DATE_SUFFIX)),
                None,
            )
        pairs.append((status, header))
    return pairs


class _CompletionReport(Format):
    """A `Format` needing at least one activity column pair, whatever the activities' names.

    The pair is declared among the required headers as a placeholder (so
    that a near miss is named in the rejection) and found by pattern here.
    """

    def missing(self, headers: Iterable[str]) -> list[Header]:
        """Required headers absent; the placeholder only when the file has no activity pair."""
        present = list(dict.fromkeys(headers))
        out = super().missing(present)
        if any(status is not None for status, _ in activity_pairs(present)):
            out = [h for h in out if h != _PAIR]
        return out


def _column(frame: pl.DataFrame, name: str | None) -> pl.Series:
    if name is None:
        return pl.Series([None] * frame.height, dtype=pl.String)
    return frame.get_column(name)


def _done(frame: pl.DataFrame, status: str | None, dated: str, errors: ErrorLog) -> pl.Series:
    """One activity's completion: True, False, or null (no status and no date)."""
    cells = pl.DataFrame(
        {
            ROW: frame.get_column(ROW),
            "value": blank_missing(_column(frame, status)),
            "date": blank_missing(frame.get_column(dated)),
        }
    )
    text = pl.col("value").str.to_lowercase().str.strip_chars()
    not_done = text.str.starts_with("not completed") | text.str.starts_with("incomplete")
    done = cells.with_columns(
        pl.when(text.str.starts_with("completed"))
        .then(pl.lit(True))
        .when(not_done)
        .then(pl.lit(False))
        .when(pl.col("value").is_null() & pl.col("date").is_not_null())
        .then(pl.lit(True))
        .otherwise(pl.lit(None, pl.Boolean))
        .alias("done")
    )
    errors.add_rows(
        done.filter(pl.col("value").is_not_null() & pl.col("done").is_null()),
        column=status,
        message=lambda r: f"'{r['value']}' is not a Moodle completion status ({_STATUSES})",
    )
    return done.get_column("done").alias(dated)


def _progress(done: list[pl.Series]) -> pl.Series:
    """Share of activities completed, 0-100, as text with a % sign (so its scale is certain)."""
    frame = pl.DataFrame(done)
    counted = pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in frame.columns)
    completed = pl.sum_horizontal(pl.col(c).fill_null(False).cast(pl.Int32) for c in frame.columns)
    share = (completed * 100 / counted).round(2).cast(pl.String) + pl.lit("%")
    return frame.select(pl.when(counted > 0).then(share).alias("progress")).to_series()


def _order(columns: list[pl.Series], default: DateOrder) -> DateOrder:
    """Day/month order proven by any of the columns' values, else the format's default."""
    shapes = [date_shape(c) for c in columns]
    day_first = any(s.day_first for s in shapes)
    month_first = any(s.month_first for s in shapes)
    if month_first and not day_first:
        return "mdy"
    if day_first and not month_first:
        return "dmy"
    return default


def _latest(frame: pl.DataFrame, columns: list[str], order: DateOrder) -> pl.Series:
    """Per row, the cell (as written) holding the latest date of `columns`.

    A cell that is not a date is picked first, so that the import names it
    as the row's error.
    """
    cells = pl.concat(
        pl.DataFrame(
            {
                ROW: frame.get_column(ROW),
                "raw": blank_missing(frame.get_column(c)),
                "day": parse_dates(frame.get_column(c), order=order).values,
            }
        )
        for c in columns
    ).filter(pl.col("raw").is_not_null())
    picked = (
        cells.with_columns(pl.col("day").is_null().alias("bad"))
        .sort([ROW, "bad", "day"], nulls_last=True)
        .group_by(ROW, maintain_order=True)
        .agg(pl.col("raw").last().alias("activity_date"))
    )
    base = frame.select(ROW)
    return base.join(picked, on=ROW, how="left", maintain_order="left").get_column("activity_date")


def _learner_columns(
    frame: pl.DataFrame, cols: dict[str, str]
) -> tuple[dict[str, pl.Series], dict[str, str]]:
    """E-mail, user id (ID number, else `moodle:<ID>`) and name, with their source columns."""
    out: dict[str, pl.Series] = {}
    sources: dict[str, str] = {}
    email = resolve(_EMAIL, cols)
    if email is not None:
        out["email"], sources["email"] = frame.get_column(email), email
    own_id, internal = cols.get("id number"), cols.get("id")
    if own_id is not None or internal is not None:
        moodle = "moodle:" + blank_missing(_column(frame, internal)).str.strip_chars()
        out["user_id"] = pl.select(
            pl.coalesce(blank_missing(_column(frame, own_id)), moodle)
        ).to_series()
        sources["user_id"] = " / ".join(c for c in (own_id, internal) if c is not None)
    names = [cols[h] for h in ("name",) if h in cols] or [
        c for c in (cols.get("first name"), resolve(("surname", "last name"), cols)) if c
    ]
    if names:
        joined = frame.select(
            pl.concat_str([pl.col(c) for c in names], separator=" ", ignore_nulls=True)
        ).to_series()
        out["name"] = joined.set(joined.str.len_chars() == 0, None)
        sources["name"] = " + ".join(names)
    return out, sources


def _completion_rows(table: Table, fmt: Format) -> Mapped:
    """One row per learner for the content item `course` (see the module docstring)."""
    cols = table.normalised
    frame = table.frame
    pairs = [(cols[s] if s else None, cols[d]) for s, d in activity_pairs(list(cols))]
    errors = ErrorLog()
    done = [_done(frame, status, dated, errors) for status, dated in pairs]
    if errors:
        raise Rejected(errors)
    complete = cols[_COURSE_COMPLETE]
    dated = [d for _, d in pairs] + [complete]
    order = _order([frame.get_column(c) for c in dated], fmt.date_order)
    learner, sources = _learner_columns(frame, cols)
    department = cols.get("department")
    out = pl.DataFrame(
        [
            frame.get_column(ROW),
            *(s.alias(k) for k, s in learner.items()),
            pl.Series("content_id", [COURSE_KEY] * frame.height, dtype=pl.String),
            pl.Series("content_type", ["course"] * frame.height, dtype=pl.String),
            frame.get_column(complete).alias("completed_date"),
            _latest(frame, dated, order).alias("activity_date"),
            _progress(done).alias("progress"),
            *([frame.get_column(department).alias("org_unit")] if department else []),
        ]
    )
    activities = [d.rsplit(" - ", 1)[0].strip() for _, d in pairs]
    sources.update(
        completed_date=complete,
        activity_date=" / ".join(dated),
        progress=" / ".join(s or d for s, d in pairs),
    )
    if department:
        sources["org_unit"] = department
    notes = (
        decision(
            "course_item",
            f"the content item is the course (key '{COURSE_KEY}'): a completion is a "
            f"{complete} date; the {len(pairs)} activity column pair(s) ("
            + ", ".join(activities)
            + ") give progress (share completed) and the activity date, not completions",
            column=complete,
            activities=activities,
        ),
        decision(
            "learner",
            "learner: Email address, else ID number, else Moodle's internal ID "
            "(stored as moodle:<ID>), else Name",
            column=sources.get("email") or sources.get("user_id") or sources.get("name"),
        ),
    )
    return Mapped(out, sources, notes)


COMPLETION = _CompletionReport(
    name="moodle_course_completion",
    title="Moodle course completion report",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.snapshot,
    date_order="dmy",
    required=(_COURSE_COMPLETE, _PAIR, _LEARNER),
    optional=("id", "name", "email address", "id number", "department"),
    key_headers=(_LEARNER,),
    usage=UsageMap(completed_if_date=True),
    to_canonical=_completion_rows,
)


def _log_rows(table: Table, fmt: Format) -> Mapped:
    """Events by learner (see the module docstring): completions last, users required."""
    cols = table.normalised
    frame = table.frame
    user, affected = cols["user full name"], cols.get("affected user")
    event = blank_missing(frame.get_column(cols["event name"])).str.to_lowercase()
    finished = event.str.strip_chars().is_in(list(_COMPLETED_EVENTS)).fill_null(False)
    who = blank_missing(frame.get_column(user))
    if affected is not None:
        other = blank_missing(frame.get_column(affected))
        who = pl.select(
            pl.when(finished & other.is_not_null()).then(other).otherwise(who)
        ).to_series()
    context = frame.get_column(cols["event context"])
    time = frame.get_column(cols["time"])
    out = pl.DataFrame(
        [
            frame.get_column(ROW),
            who.alias("name"),
            context.alias("content_title"),
            context.str.extract(r"^([^:]+):").str.strip_chars().alias("content_type"),
            time.alias("activity_date"),
            time.set(~finished, None).alias("completed_date"),
            pl.Series("completed", ["yes"] * frame.height).set(~finished, None),
            finished.alias("__finished"),
        ]
    )
    anonymous = out.filter(pl.col("name").is_null()).get_column(ROW)
    if anonymous.len() == out.height:
        msg = f"no event in the file names a user ({user} is '-' or empty in every row)"
        raise Rejected.single(msg, column=user)
    # Stable sort: a day's completion event comes last, so "the last row of a key wins" keeps it.
    out = out.filter(pl.col("name").is_not_null()).sort("__finished", maintain_order=True)
    sources = {
        "name": user if affected is None else f"{user} / {affected}",
        "content_title": cols["event context"],
        "content_type": cols["event context"],
        "activity_date": cols["time"],
        "completed_date": f"{cols['time']} (Course completed events)",
        "completed": cols["event name"],
    }
    notes = [
        decision(
            "learner",
            f"learner: {user} (names only: a weak key, shown as such); for Course completed "
            f"events the {affected or 'affected user'} when given",
            column=user,
            value="name",
        ),
        decision(
            "completion",
            "completion is recorded only by Course completed events; other events are "
            "activity, with completion not tracked",
            column=cols["event name"],
        ),
    ]
    if anonymous.len():
        shown = ", ".join(str(r) for r in anonymous.head(10).to_list())
        notes.append(
            decision(
                "events_without_user",
                f"{anonymous.len()} event(s) without a user ('-': the system, or a visitor not "
                f"logged in) left out: not learner activity (rows {shown}"
                f"{', ...' if anonymous.len() > 10 else ''})",
                column=user,
                value=anonymous.len(),
                rows=anonymous.head(50).to_list(),
            )
        )
    return Mapped(out.drop("__finished"), sources, tuple(notes))


LOGS = Format(
    name="moodle_logs",
    title="Moodle logs",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.event,
    date_order="dmy",
    required=("time", "user full name", "event context", "event name"),
    optional=("affected user", "component", "description", "origin", "ip address"),
    key_headers=("user full name", "event context"),
    usage=UsageMap(completed_if_date=False),
    to_canonical=_log_rows,
)
