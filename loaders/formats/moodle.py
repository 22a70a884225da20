"""Moodle reports: the course completion report and the logs.

Headers from Moodle's own source (shared/research/vendor_report_formats.md
section 9). Moodle writes both reports in the language of whoever downloads
them, so every header, completion state and event name is accepted in each
language of `moodle_strings` (English, Spanish, French, German, Portuguese,
Brazilian Portuguese, Italian, Dutch): the language packs' own strings, kept
there as data with their sources. A file's language is the one whose
headers it matches most; its event names are read in that language (and in
English, Moodle's fallback), since one language's "Course completed" can be
another's "Course ended". The names below are the English ones. Dates are
Moodle's `strftimedatetimeshort` (`%d/%m/%y, %H:%M` in English, `%d %b %y,
%H:%M` in French, `%d.%m.%Y %H:%M` in German ...): day first by default,
decided by the values as everywhere (`loaders.dates`, which reads them all).

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
* An anonymised log (`User full name` is `-` in every row) is keyed by
  Moodle's user id instead, read from the `Description`, which Moodle never
  translates ("The user with id '5104' viewed the course with id '12'.";
  for `Course completed` the id is the learner's, the related user): stored
  as `moodle:<id>` like the completion report's internal ID, so the two
  reports' learners meet. A file is keyed one way or the other, never both,
  so that one person is never two learners.
* Events without a user (`-`, or no user id in an anonymised log: the
  system, a visitor not logged in, user id 0) are not learner activity and
  are left out; a note says how many.
* Content: `Event context` ("Quiz: Safety quiz"), typed by the part before
  the colon. Date: `Time`. No minutes. Completion is tracked only by
  events named `Course completed`; every other event leaves it null (not
  tracked), never false.
* One fact per learner x context x day (the event key): repeated events of
  a day count once, and a day with a `Course completed` event keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import polars as pl

from loaders.dates import DateOrder, date_shape, parse_dates
from loaders.errors import ROW, ErrorLog, Rejected
from loaders.formats.base import Format, Header, Mapped, UsageMap, flatten, resolve
from loaders.formats.moodle_strings import LANGUAGES
from loaders.reading import Table, normalise_header
from loaders.result import decision
from loaders.values import blank_missing
from models.enums import Grain, ImportKind

__all__ = [
    "COMPLETION",
    "COURSE_KEY",
    "LOGS",
    "VENDOR",
    "VENDOR_ALIASES",
    "activity_pairs",
    "language_of",
]

VENDOR = "Moodle"
VENDOR_ALIASES = ("Moodle", "Moodle LMS", "Moodle Workplace")
COURSE_KEY = "course"


def _spellings(string_id: str) -> tuple[str, ...]:
    """A Moodle string's normalised spellings over the languages, English first, each once."""
    return tuple(dict.fromkeys(normalise_header(s[string_id]) for s in LANGUAGES.values()))


# Log report headers (report/log/classes/table_log.php), every language's.
_TIME = _spellings("time")
_USER = _spellings("fullnameuser")
_AFFECTED = _spellings("eventrelatedfullnameuser")
_CONTEXT = _spellings("eventcontext")
_EVENT = _spellings("eventname")
_DESCRIPTION = _spellings("description")
_LOG_OPTIONAL = (
    _AFFECTED, _spellings("eventcomponent"), _DESCRIPTION, _spellings("eventorigin"),
    _spellings("ip_address"),
)  # fmt: skip
_LOG_IDS = (
    "time", "fullnameuser", "eventrelatedfullnameuser", "eventcontext", "eventcomponent",
    "eventname", "description", "eventorigin", "ip_address",
)  # fmt: skip
# "The user with id '17' viewed ...": event descriptions are English in every language.
_DESCRIBED_USER = r"(?i)\buser with id '(\d+)'"
_NOBODY = "0"  # Moodle's user id for "not logged in"

# Course completion report headers (report/completion/index.php).
_COURSE_COMPLETE = _spellings("coursecomplete")
_DATE_SUFFIXES = tuple(f" - {s}" for s in _spellings("completiondate"))
_PAIR = "<activity> and <activity> - completion date"
_EMAIL = (*_spellings("email"), "email")
_ID_NUMBER = _spellings("idnumber")
_ID = _spellings("id")
_NAME = _spellings("name")
_DEPARTMENT = _spellings("department")
_LEARNER = (*_EMAIL, *_ID_NUMBER, *_ID, *_NAME)
_COMPLETION_IDS = ("id", "name", "email", "idnumber", "department", "coursecomplete")


def language_of(headers: Iterable[str], string_ids: Sequence[str]) -> str:
    """The Moodle language whose spellings of `string_ids` the normalised headers match most.

    English wins a tie (it is every pack's fallback). A completion report's
    `<activity> - Completion date` columns count once for the language of
    their suffix.

    Examples
    --------
    >>> language_of(["hora", "nombre completo del usuario", "nombre evento"], ["time",
    ...     "fullnameuser", "eventname"])
    'es'
    """
    present = set(headers)

    def matches(code: str) -> int:
        strings = LANGUAGES[code]
        named = sum(normalise_header(strings[i]) in present for i in string_ids)
        suffix = f" - {normalise_header(strings['completiondate'])}"
        return named + any(h.endswith(suffix) for h in present)

    return max(LANGUAGES, key=matches)


def _language_note(language: str) -> tuple[dict[str, object], ...]:
    """A decision naming the language the headers are in, when it is not English."""
    if language == "en":
        return ()
    return (
        decision(
            "moodle_language",
            f"headers read in Moodle's '{language}' language pack",
            value=language,
        ),
    )


def _date_suffix(header: str) -> str | None:
    return next((s for s in _DATE_SUFFIXES if header.endswith(s)), None)


def activity_pairs(headers: Sequence[str]) -> list[tuple[str | None, str]]:
    """(status header, date header) per activity, from normalised headers.

    The date column is `<activity> - Completion date` in any language. The
    status column is `<activity>`, or (as some sites' exports write it)
    `<activity> - <section>`; None when the date column stands alone.
    """
    present = set(headers)
    pairs: list[tuple[str | None, str]] = []
    for header in headers:
        suffix = _date_suffix(header)
        if suffix is None:
            continue
        base = header[: -len(suffix)].strip()
        if not base:
            continue
        status = base if base in present else None
        if status is None:
            status = next(
                (h for h in headers if h.startswith(f"{base} - ") and _date_suffix(h) is None),
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


def _statuses(language: str) -> str:
    """The states a report in `language` writes, for a message."""
    strings = LANGUAGES[language]
    return ", ".join(strings[f"completion-{k}"] for k in ("y", "pass", "fail", "n"))


def _starts_with_any(text: pl.Expr, prefixes: Iterable[str]) -> pl.Expr:
    return pl.any_horizontal([text.str.starts_with(p) for p in prefixes])


def _state_prefixes(language: str) -> tuple[list[str], list[str]]:
    """Lower-cased starts of the "not done" and "done" states, in `language` and English.

    "Not completed" is not done; "Completed", "Completed (achieved pass
    grade)" and "Completed (did not achieve pass grade)" all start with the
    "done" state (`completion-y`) in every pack. "Incomplete" is older
    exports' "not done".
    """
    packs = [LANGUAGES[language], LANGUAGES["en"]]
    not_done = dict.fromkeys([*(p["completion-n"].lower() for p in packs), "incomplete"])
    done = dict.fromkeys(p["completion-y"].lower() for p in packs)
    return list(not_done), list(done)


def _done(
    frame: pl.DataFrame, status: str | None, dated: str, errors: ErrorLog, *, language: str
) -> pl.Series:
    """One activity's completion: True, False, or null (no status and no date).

    States are read in the file's `language` and in English (Moodle's
    fallback for an untranslated string), "not done" first; another
    language's state is not a state of this report.
    """
    cells = pl.DataFrame(
        {
            ROW: frame.get_column(ROW),
            "value": blank_missing(_column(frame, status)),
            "date": blank_missing(frame.get_column(dated)),
        }
    )
    text = pl.col("value").str.to_lowercase().str.strip_chars()
    not_done, finished = _state_prefixes(language)
    done = cells.with_columns(
        pl.when(_starts_with_any(text, not_done))
        .then(pl.lit(False))
        .when(_starts_with_any(text, finished))
        .then(pl.lit(True))
        .when(pl.col("value").is_null() & pl.col("date").is_not_null())
        .then(pl.lit(True))
        .otherwise(pl.lit(None, pl.Boolean))
        .alias("done")
    )
    errors.add_rows(
        done.filter(pl.col("value").is_not_null() & pl.col("done").is_null()),
        column=status,
        message=lambda r: (
            f"'{r['value']}' is not a Moodle completion status ({_statuses(language)})"
        ),
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
    own_id, internal = resolve(_ID_NUMBER, cols), resolve(_ID, cols)
    if own_id is not None or internal is not None:
        moodle = "moodle:" + blank_missing(_column(frame, internal)).str.strip_chars()
        out["user_id"] = pl.select(
            pl.coalesce(blank_missing(_column(frame, own_id)), moodle)
        ).to_series()
        sources["user_id"] = " / ".join(c for c in (own_id, internal) if c is not None)
    names = [c for c in (resolve(_NAME, cols),) if c is not None] or [
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
    language = language_of(cols, _COMPLETION_IDS)
    pairs = [(cols[s] if s else None, cols[d]) for s, d in activity_pairs(list(cols))]
    errors = ErrorLog()
    done = [_done(frame, status, dated, errors, language=language) for status, dated in pairs]
    if errors:
        raise Rejected(errors)
    complete = resolve(_COURSE_COMPLETE, cols)
    assert complete is not None  # a required header
    dated = [d for _, d in pairs] + [complete]
    order = _order([frame.get_column(c) for c in dated], fmt.date_order)
    learner, sources = _learner_columns(frame, cols)
    department = resolve(_DEPARTMENT, cols)
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
        *_language_note(language),
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
            "(stored as moodle:<ID>), else Name (in the file's language)",
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
    optional=tuple(flatten([_ID, _NAME, _EMAIL, _ID_NUMBER, _DEPARTMENT])),
    key_headers=(_LEARNER,),
    usage=UsageMap(completed_if_date=True),
    to_canonical=_completion_rows,
)


def _completed_events(language: str) -> list[str]:
    """Event names of a course completion in `language` and in English, lower-cased."""
    names = (LANGUAGES[language]["eventcoursecompleted"], LANGUAGES["en"]["eventcoursecompleted"])
    return list(dict.fromkeys(n.lower() for n in names))


def _described_users(description: pl.Series) -> pl.Series:
    """`moodle:<id>` of the user a Moodle event description names first, else null.

    User id 0 is Moodle's "not logged in": no user.
    """
    ids = description.str.extract(_DESCRIBED_USER, 1)
    return ("moodle:" + ids).set((ids == _NOBODY).fill_null(False), None)


def _log_learners(
    frame: pl.DataFrame, cols: Mapping[str, str], finished: pl.Series
) -> tuple[pl.Series, str, str]:
    """Per event its learner, the canonical column it goes to and where it was read.

    Names (`User full name`, the `Affected user` for course completions);
    when no row names a user, Moodle's user id from the `Description`.
    """
    user = resolve(_USER, cols)
    affected = resolve(_AFFECTED, cols)
    assert user is not None  # a required header
    who = blank_missing(frame.get_column(user))
    if who.is_not_null().any():
        if affected is not None:
            other = blank_missing(frame.get_column(affected))
            who = pl.select(
                pl.when(finished & other.is_not_null()).then(other).otherwise(who)
            ).to_series()
        return who, "name", user if affected is None else f"{user} / {affected}"
    description = resolve(_DESCRIPTION, cols)
    if description is None:
        msg = (
            f"no event in the file names a user ({user} is '-' or empty in every row) and "
            "there is no Description column to read Moodle's user ids from"
        )
        raise Rejected.single(msg, column=user)
    ids = _described_users(frame.get_column(description))
    if ids.is_null().all():
        msg = (
            f"no event in the file names a user ({user} is '-' or empty in every row, and no "
            f"{description} names a user id)"
        )
        raise Rejected.single(msg, column=user)
    return ids, "user_id", description


def _log_rows(table: Table, fmt: Format) -> Mapped:
    """Events by learner (see the module docstring): completions last, users required."""
    cols = table.normalised
    frame = table.frame
    language = language_of(cols, _LOG_IDS)
    time_col, context_col, event_col, user = (
        resolve(h, cols) for h in (_TIME, _CONTEXT, _EVENT, _USER)
    )
    assert time_col and context_col and event_col and user  # required headers
    event = blank_missing(frame.get_column(event_col)).str.to_lowercase().str.strip_chars()
    finished = event.is_in(_completed_events(language)).fill_null(False)
    who, key, key_source = _log_learners(frame, cols, finished)
    context = frame.get_column(context_col)
    time = frame.get_column(time_col)
    out = pl.DataFrame(
        [
            frame.get_column(ROW),
            who.alias(key),
            context.alias("content_title"),
            context.str.extract(r"^([^:]+):").str.strip_chars().alias("content_type"),
            time.alias("activity_date"),
            time.set(~finished, None).alias("completed_date"),
            pl.Series("completed", ["yes"] * frame.height).set(~finished, None),
            finished.alias("__finished"),
        ]
    )
    nobody = out.filter(pl.col(key).is_null()).get_column(ROW)
    # Stable sort: a day's completion event comes last, so "the last row of a key wins" keeps it.
    out = out.filter(pl.col(key).is_not_null()).sort("__finished", maintain_order=True)
    completed_name = LANGUAGES[language]["eventcoursecompleted"]
    sources = {
        key: key_source,
        "content_title": context_col,
        "content_type": context_col,
        "activity_date": time_col,
        "completed_date": f"{time_col} ({completed_name} events)",
        "completed": event_col,
    }
    if key == "name":
        learner = decision(
            "learner",
            f"learner: {user} (names only: a weak key, shown as such); for {completed_name} "
            f"events the {resolve(_AFFECTED, cols) or 'affected user'} when given",
            column=user,
            value="name",
        )
    else:
        learner = decision(
            "learner",
            f"learner: Moodle's user id in the {key_source} ('The user with id ...'), stored "
            f"as moodle:<id>: {user} is '-' or empty in every row (an anonymised log)",
            column=key_source,
            value="user_id",
        )
    notes = [
        *_language_note(language),
        learner,
        decision(
            "completion",
            f"completion is recorded only by {completed_name} events; other events are "
            "activity, with completion not tracked",
            column=event_col,
        ),
    ]
    if nobody.len():
        shown = ", ".join(str(r) for r in nobody.head(10).to_list())
        why = "'-'" if key == "name" else "no user id in the description, or id 0"
        notes.append(
            decision(
                "events_without_user",
                f"{nobody.len()} event(s) without a user ({why}: the system, or a visitor not "
                f"logged in) left out: not learner activity (rows {shown}"
                f"{', ...' if nobody.len() > 10 else ''})",
                column=user if key == "name" else key_source,
                value=nobody.len(),
                rows=nobody.head(50).to_list(),
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
    required=(_TIME, _USER, _CONTEXT, _EVENT),
    optional=tuple(flatten(_LOG_OPTIONAL)),
    key_headers=(_USER, _CONTEXT),
    usage=UsageMap(completed_if_date=False),
    to_canonical=_log_rows,
)
