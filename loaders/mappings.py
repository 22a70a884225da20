"""User-saved column mappings: a detector made from a form, for reports no built-in one knows.

The upload page asks what the file holds (a usage report, survey answers, a
KPI series) and which of its columns is which field: for usage the learner,
the content, the date, the minutes, the progress and the completion; for a
template target (`TARGETS`) that template's columns. The saved mapping
becomes an ordinary `Format` whose required headers are the mapped columns,
so next month's file of the same shape is detected like any vendor report,
and goes through the same validation, routing and all-or-nothing write (a
template target through its template's own checks, `Format.fills`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine
from sqlmodel import select

from loaders.durations import DurationUnit
from loaders.errors import ROW
from loaders.formats import FORMATS, TEMPLATES, Format, Mapped, UsageMap
from loaders.formats.base import flatten
from loaders.mapping_suggest import suggest_mapping
from loaders.reading import Table, normalise_header
from models.access import Actor, Role, require
from models.activity import log_activity
from models.db import bump_data_version, session_scope
from models.enums import Grain, ImportKind
from models.tables import ColumnMapping

__all__ = [
    "FIELDS",
    "TARGETS",
    "MappingSpec",
    "all_formats",
    "delete_mapping",
    "likely_target",
    "mapping_format",
    "save_mapping",
    "saved_mappings",
    "suggest_columns",
    "target_fields",
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

TARGETS: dict[str, str] = {
    "usage": "a usage report (who learned what, when)",
    "survey": "survey answers (fills survey.csv)",
    "kpis": "a KPI series (fills kpis.csv)",
    "people": "an HR roster (fills people.csv)",
}
"""What a mapped file can hold: usage, or the rows of a portfolio template (by format name)."""

# The form's labels for the template targets' columns (DESIGN.md's templates).
_TEMPLATE_LABELS: dict[str, str] = {
    "product": "Product (else choose it above the files)",
    "date": "Response date",
    "respondent": "Respondent (not stored)",
    "recommend": "How likely to recommend (0-10)",
    "relevance": "Relevance to the job (1-5)",
    "applied": "Applied what was learned (yes/no)",
    "month": "Month",
    "kpi": "KPI name",
    "value": "Value that month",
    "baseline": "Baseline (before the programme)",
    "unit_value": "Money per unit of the KPI",
    "attribution_pct": "Attribution to the programme (%)",
    "confidence_pct": "Confidence in the estimate (%)",
    "n": "People measured (n)",
    "direction": "Direction (higher or lower is better)",
    "learner": "Person: e-mail or employee id",
    "org_unit": "Org unit / department",
    "manager": "Manager (e-mail or employee id)",
    "cost_centre": "Cost centre",
    "start_date": "Start date (joined)",
    "end_date": "End date (left)",
}


def _template(target: str) -> Format:
    return TEMPLATES[f"{target}.csv"]


def target_fields(target: str) -> dict[str, str]:
    """The fields a mapping for `target` (`TARGETS`) can fill, with the form's labels."""
    if target == "usage":
        return FIELDS
    fmt = _template(target)
    return {c: _TEMPLATE_LABELS.get(c, c) for c in fmt.template}


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
    target: str = "usage"

    def problems(self) -> list[str]:
        """What keeps this mapping from describing its kind of file (empty when usable)."""
        out: list[str] = []
        if not self.name.strip():
            out.append("give the mapping a name")
        if self.target not in TARGETS:
            return [*out, f"unknown kind of file: {self.target}"]
        if self.date_order not in (None, "dmy", "mdy"):
            out.append("date order must be dmy or mdy")
        unknown = sorted(set(self.columns) - set(target_fields(self.target)))
        if unknown:
            out.append(f"unknown fields: {', '.join(unknown)}")
        if self.target != "usage":
            return out + self._template_problems()
        return out + self._usage_problems()

    def _template_problems(self) -> list[str]:
        labels = target_fields(self.target)
        out = []
        for header in _template(self.target).required:
            options = [h for h in flatten([header]) if h != "product"]
            if options and not set(options) & set(self.columns):
                named = " or ".join(f"'{labels[o]}'" for o in options)
                out.append(f"choose the column for {named}")
        return out

    def _usage_problems(self) -> list[str]:
        out: list[str] = []
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            out.append(f"unknown fields: {', '.join(unknown)}")
        if not ({"learner", "name"} & set(self.columns)):
            out.append("choose the column that identifies the learner")
        if not ({"content_id", "content_title"} & set(self.columns)):
            out.append("choose the content id or title column")
        if not (set(_ACTIVITY) & set(self.columns)):
            out.append("choose at least one of date, time spent, progress or completion")
        return out


def _template_format(spec: MappingSpec, cols: dict[str, str]) -> Format:
    """A mapping onto a template: the file's columns renamed, then the template's own checks."""
    template = _template(spec.target)

    def renamed(table: Table, fmt: Format) -> Mapped:
        del fmt
        found = {f: table.normalised[h] for f, h in cols.items() if h in table.normalised}
        exprs = [pl.col(ROW), *(pl.col(c).alias(f) for f, c in found.items())]
        return Mapped(table.frame.select(exprs), found)

    return Format(
        name=f"mapping:{spec.name}",
        title=f"saved mapping '{spec.name}' ({template.title})",
        kind=template.kind,
        required=tuple(dict.fromkeys(cols.values())),
        date_order="mdy" if spec.date_order == "mdy" else "dmy",
        to_canonical=renamed,
        fills=template,
    )


def mapping_format(spec: MappingSpec) -> Format:
    """The detector a saved mapping stands for."""
    cols = {field: normalise_header(header) for field, header in spec.columns.items()}
    if spec.target != "usage":
        return _template_format(spec, cols)
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
        target=stored.get("target", "usage"),
    )


def saved_mappings(*, engine: Engine) -> list[MappingSpec]:
    """Every saved mapping, oldest first."""
    with session_scope(engine) as session:
        rows = session.exec(select(ColumnMapping).order_by(ColumnMapping.id)).all()
        return [_spec(r) for r in rows]


def all_formats(*, engine: Engine) -> tuple[Format, ...]:
    """The built-in formats followed by the user's saved mappings (what detection uses)."""
    return (*FORMATS, *(mapping_format(s) for s in saved_mappings(engine=engine)))


def save_mapping(spec: MappingSpec, *, engine: Engine, actor: Actor) -> int:
    """Store (or replace, by name) a mapping; returns its id.

    Raises
    ------
    ValueError
        With the problems listed, when the mapping cannot describe its kind of file.
    models.access.NotAllowedError
        When `actor` is a viewer; nothing is saved.
    """
    require(actor, Role.editor, "save a column mapping")
    problems = spec.problems()
    if problems:
        msg = "; ".join(problems)
        raise ValueError(msg)
    payload = json.dumps(
        {
            "columns": {f: normalise_header(h) for f, h in spec.columns.items()},
            "minutes_unit": spec.minutes_unit,
            "completed_values": list(spec.completed_values),
            "target": spec.target,
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
        log_activity(session, actor, "mapping_save", subject=row.name)
        bump_data_version(session=session)
        assert row.id is not None
        return row.id


def delete_mapping(mapping_id: int, *, engine: Engine, actor: Actor) -> None:
    """Forget a saved mapping (imports made with it stay); a viewer is refused."""
    require(actor, Role.editor, "delete a column mapping")
    with session_scope(engine) as session:
        row = session.get(ColumnMapping, mapping_id)
        if row is not None:
            session.delete(row)
            log_activity(session, actor, "mapping_delete", subject=row.name)
            bump_data_version(session=session)


def suggest_columns(
    headers: Sequence[str], cells: pl.DataFrame | None = None, *, target: str = "usage"
) -> dict[str, str]:
    """The form's default mapping: each column scored on its header and its values.

    See `loaders.mapping_suggest`; without `cells` only whole header words count.
    """
    return suggest_mapping(headers, cells, fields=tuple(target_fields(target)))


def likely_target(headers: Sequence[str], cells: pl.DataFrame | None = None) -> str:
    """The form's first guess at what an unknown file holds (`TARGETS`).

    Survey answers, then a KPI series, win when their suggested mapping is
    complete (their columns are specific: a 0-10 answer, a KPI name). Then a
    HR roster when it names a manager, a cost centre or a leaving date (no
    usage report does); then a usage report, when its mapping is complete
    (learner, content, activity); then a roster (a learner and an org unit
    alone); anything else is taken for a usage report, for the person to map.
    """
    guesses = {t: suggest_columns(headers, cells, target=t) for t in TARGETS}

    def complete(target: str) -> bool:
        spec = MappingSpec(name=target, columns=guesses[target], target=target)
        return not spec.problems()

    # A manager, a cost centre or a leaving date is a roster's, never a usage report's.
    hr_only = {"manager", "cost_centre", "end_date"} & set(guesses["people"])
    order = ("survey", "kpis", "people", "usage") if hr_only else ("survey", "kpis", "usage")
    for target in order:
        if complete(target):
            return target
    return "people" if complete("people") and not complete("usage") else "usage"
