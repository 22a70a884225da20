"""User-saved column mappings: a detector made from a form, for reports no built-in one knows.

The upload page asks which of the file's columns is the learner, the
content, the date, the minutes, the progress and the completion, and saves
the answer. The saved mapping becomes an ordinary `Format` whose required
headers are the mapped columns, so next month's file of the same shape is
detected like any vendor report, and goes through the same validation,
routing and all-or-nothing write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine
from sqlmodel import select

from loaders.dates import parse_dates
from loaders.durations import DurationUnit
from loaders.formats import FORMATS, Format, UsageMap
from loaders.reading import normalise_header
from models.db import bump_data_version, session_scope
from models.enums import Grain, ImportKind
from models.tables import ColumnMapping

__all__ = [
    "FIELDS",
    "MappingSpec",
    "all_formats",
    "delete_mapping",
    "mapping_format",
    "save_mapping",
    "saved_mappings",
    "suggest_columns",
]

# Canonical fields a user can map, with the label the form shows.
FIELDS: dict[str, str] = {
    "learner": "Learner: e-mail or employee id",
    "name": "Learner name (only if there is no e-mail or id: a weak key)",
    "org_unit": "Org unit / team",
    "product": "Product (when one file covers several products)",
    "content_id": "Content id",
    "content_title": "Content title",
    "content_type": "Content type",
    "activity_date": "Activity date (last viewed, session date)",
    "minutes": "Time spent",
    "progress": "Progress (%)",
    "completed": "Completed (yes/no, or a status)",
    "completed_date": "Completion date",
}
_ACTIVITY = ("activity_date", "minutes", "progress", "completed", "completed_date")


@dataclass(frozen=True)
class MappingSpec:
    """A saved mapping as plain values (what the form edits and the database stores).

    `columns` maps a canonical field of `FIELDS` to the file's header (as
    written or normalised; it is normalised on save). `completed_values` lists
    the statuses meaning "completed" when the completed column holds statuses.
    """

    name: str
    columns: Mapping[str, str]
    vendor: str | None = None
    grain: Grain = Grain.event
    minutes_unit: DurationUnit = "minutes"
    completed_values: tuple[str, ...] = ()
    date_order: str | None = None
    id: int | None = None

    def problems(self) -> list[str]:
        """What keeps this mapping from describing a usage report (empty when usable)."""
        out: list[str] = []
        if not self.name.strip():
            out.append("give the mapping a name")
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            out.append(f"unknown fields: {', '.join(unknown)}")
        if not ({"learner", "name"} & set(self.columns)):
            out.append("choose the column that identifies the learner")
        if not ({"content_id", "content_title"} & set(self.columns)):
            out.append("choose the content id or title column")
        if not (set(_ACTIVITY) & set(self.columns)):
            out.append("choose at least one of date, time spent, progress or completion")
        if self.date_order not in (None, "dmy", "mdy"):
            out.append("date order must be dmy or mdy")
        return out


def mapping_format(spec: MappingSpec) -> Format:
    """The detector a saved mapping stands for."""
    cols = {field: normalise_header(header) for field, header in spec.columns.items()}
    usage = UsageMap(
        learner=cols.get("learner"),
        name=(cols["name"],) if "name" in cols else (),
        org_unit=cols.get("org_unit"),
        product=cols.get("product"),
        content_id=cols.get("content_id"),
        content_title=cols.get("content_title"),
        content_type=cols.get("content_type"),
        activity_date=cols.get("activity_date"),
        minutes=cols.get("minutes"),
        minutes_unit=spec.minutes_unit,
        progress=cols.get("progress"),
        completed=cols.get("completed"),
        completed_values=tuple(v.strip().lower() for v in spec.completed_values if v.strip()),
        completed_date=cols.get("completed_date"),
    )
    vendor = (spec.vendor or "").strip() or None
    return Format(
        name=f"mapping:{spec.name}",
        title=f"saved mapping '{spec.name}'",
        kind=ImportKind.usage,
        required=tuple(dict.fromkeys(cols.values())),
        vendor=vendor,
        aliases=(vendor,) if vendor else (),
        grain=spec.grain,
        date_order="mdy" if spec.date_order == "mdy" else "dmy",
        usage=usage,
    )


def _spec(row: ColumnMapping) -> MappingSpec:
    stored = json.loads(row.columns)
    return MappingSpec(
        id=row.id,
        name=row.name,
        columns=stored["columns"],
        vendor=row.vendor,
        grain=Grain(row.grain),
        minutes_unit=stored.get("minutes_unit", "minutes"),
        completed_values=tuple(stored.get("completed_values", ())),
        date_order=row.date_order,
    )


def saved_mappings(*, engine: Engine) -> list[MappingSpec]:
    """Every saved mapping, oldest first."""
    with session_scope(engine) as session:
        rows = session.exec(select(ColumnMapping).order_by(ColumnMapping.id)).all()
        return [_spec(r) for r in rows]


def all_formats(*, engine: Engine) -> tuple[Format, ...]:
    """The built-in formats followed by the user's saved mappings (what detection uses)."""
    return (*FORMATS, *(mapping_format(s) for s in saved_mappings(engine=engine)))


def save_mapping(spec: MappingSpec, *, engine: Engine) -> int:
    """Store (or replace, by name) a mapping; returns its id.

    Raises
    ------
    ValueError
        With the problems listed, when the mapping cannot describe a usage report.
    """
    problems = spec.problems()
    if problems:
        msg = "; ".join(problems)
        raise ValueError(msg)
    payload = json.dumps(
        {
            "columns": {f: normalise_header(h) for f, h in spec.columns.items()},
            "minutes_unit": spec.minutes_unit,
            "completed_values": list(spec.completed_values),
        },
        sort_keys=True,
    )
    with session_scope(engine) as session:
        row = session.exec(select(ColumnMapping).where(ColumnMapping.name == spec.name)).first()
        row = row or ColumnMapping(name=spec.name.strip(), columns=payload)
        row.columns, row.vendor, row.grain = payload, spec.vendor, spec.grain
        row.date_order = spec.date_order
        session.add(row)
        session.flush()
        bump_data_version(session=session)
        assert row.id is not None
        return row.id


def delete_mapping(mapping_id: int, *, engine: Engine) -> None:
    """Forget a saved mapping (imports made with it stay)."""
    with session_scope(engine) as session:
        row = session.get(ColumnMapping, mapping_id)
        if row is not None:
            session.delete(row)
            bump_data_version(session=session)


_HINTS: dict[str, tuple[str, ...]] = {
    "learner": ("email", "e mail", "mail", "employee id", "user id", "userid", "learner"),
    "name": ("full name", "name", "learner name", "user name"),
    "org_unit": ("department", "team", "group", "org unit", "division"),
    "content_id": ("course id", "content id", "item id", "activity id"),
    "content_title": ("course", "title", "content", "activity"),
    "activity_date": ("last accessed", "last viewed", "date", "viewed"),
    "minutes": ("minutes", "min", "mins", "duration", "time spent", "time", "hours", "seconds"),
    "progress": ("progress", "percent", "%"),
    "completed": ("completed", "status", "complete"),
    "completed_date": ("completion date", "completed on", "date completed", "completed date"),
}
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_ENOUGH = 0.5
"""A suggestion needs at least this score (a name matching a word and values that fit)."""


def _words(header: str) -> list[str]:
    """A header's words: "CourseName" and "course_name" -> ["course", "name"]."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", header)
    return [w for w in re.split(r"[^0-9a-z%]+", spaced.casefold()) if w]


def _name_score(field: str, header: str) -> float:
    """How well `header`'s words name `field`: 1 a whole hint, 0.6 a word starting with one.

    Whole words only, so "Coursename" is not a "name" (it starts with "course").
    """
    words = _words(header)
    joined = " ".join(words)
    best = 0.0
    for hint in _HINTS[field]:
        if joined == hint:
            return 1.0
        if f" {hint} " in f" {joined} ":
            best = max(best, 0.9)
        elif " " not in hint and any(w.startswith(hint) for w in words):
            best = max(best, 0.6)
    return best


def _value_fit(field: str, values: pl.Series) -> float:
    """How well a column's values fit `field` (1 = all fit); 1 when there are no values.

    Why values: a header can mislead (a learner-name guess for "Coursename"); a
    course column repeats a few titles, a learner column holds many distinct
    people, dates parse as dates and minutes as numbers.
    """
    text = values.cast(pl.String).str.strip_chars().drop_nulls()
    text = text.filter(text != "")
    if text.is_empty():
        return 1.0
    share_distinct = text.n_unique() / text.len()
    numbers = text.str.replace_all(",", "").cast(pl.Float64, strict=False)
    numeric = numbers.is_not_null().mean() or 0.0
    if field in ("activity_date", "completed_date"):
        return float(_date_share(text))
    if field in ("minutes", "progress"):
        return float(numeric)
    if field == "learner":
        emails = text.str.contains(_EMAIL).mean() or 0.0
        ids = (~text.str.contains(r"\s")).mean() or 0.0
        return float(max(emails, ids)) * (1.0 if share_distinct >= 0.2 or text.len() < 5 else 0.5)
    if field == "name":
        people = text.str.contains(r"^[^\d@]+\s+[^\d@]+$").mean() or 0.0
        return float(people) * (1.0 if share_distinct >= 0.2 or text.len() < 5 else 0.5)
    if field == "completed":
        return 1.0 if text.n_unique() <= 12 else 0.2
    if field == "content_title":
        return 1.0 - float(numeric)
    return 1.0


def _date_share(text: pl.Series) -> float:
    """Share of values the importer's own date reader reads (`loaders.dates`), either order."""
    parsed = parse_dates(text, order="dmy")
    if parsed.column_problem is not None:
        parsed = parse_dates(text, order="mdy")
    return float(parsed.values.is_not_null().mean() or 0.0)


def suggest_columns(headers: Sequence[str], sample: pl.DataFrame | None = None) -> dict[str, str]:
    """A first guess at the mapping, for the form's defaults: header words, then values.

    Parameters
    ----------
    headers
        The file's headers.
    sample
        The file's first rows (columns named by `headers`, any types), or
        None to judge by names alone.

    Returns
    -------
    dict of str to str
        Field → header, for the fields whose best column scores at least
        `_ENOUGH` (name score × value fit); a field with no good column is
        left out rather than guessed, and no column serves two fields.
    """
    scored: list[tuple[float, str, str]] = []
    for field in _HINTS:
        for header in headers:
            name = _name_score(field, header)
            if name == 0:
                continue
            fit = 1.0
            if sample is not None and header in sample.columns:
                fit = _value_fit(field, sample.get_column(header))
            scored.append((name * fit, field, header))
    out: dict[str, str] = {}
    taken: set[str] = set()
    # Best pairs first (ties: the fields' order), so "Course ID" goes to content_id before
    # content_title can take it.
    order = {f: i for i, f in enumerate(_HINTS)}
    for score, field, header in sorted(scored, key=lambda t: (-t[0], order[t[1]])):
        if score < _ENOUGH or field in out or header in taken:
            continue
        out[field] = header
        taken.add(header)
    return out
