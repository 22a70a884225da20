"""Summary reports: which column holds which measure, declared as data.

Per-learner and per-period summaries (LinkedIn Learning's learner and
organization summaries, Udemy's users report, Coursera's membership report)
are stored as `AggregateUsage` facts, apart from learner x content usage, so
hours and completions are never counted twice (DESIGN.md, "Aggregates vs
events" in the research notes). An `AggregateMap` is such a format's
`to_canonical`: it selects the learner, period, scope and measure columns
under canonical names (text, as read); `loaders.aggregate` parses, checks
and writes them.

Canonical columns: `__row`, `email`, `user_id`, `name`, `org_unit`,
`scope`, `period_start`, `period_end` (from the format's `period_columns`),
`date:<header>` for the dates that can give the period, and
`measure:<name>` per measure present in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import polars as pl

from loaders.durations import DurationUnit
from loaders.errors import ROW
from loaders.formats.base import Header, Mapped, resolve

if TYPE_CHECKING:
    from loaders.formats.base import Format
    from loaders.reading import Table

__all__ = [
    "DATE_PREFIX",
    "MEASURE_PREFIX",
    "SCOPE_SEPARATOR",
    "AggregateMap",
    "Measure",
    "MeasureKind",
]

MeasureKind = Literal["count", "duration", "flag"]

MEASURE_PREFIX = "measure:"
DATE_PREFIX = "date:"
# Stored measure names are `<measure>` or `<measure>/<scope>` (a Coursera program).
SCOPE_SEPARATOR = "/"


@dataclass(frozen=True)
class Measure:
    """One stored measure and the report column it comes from.

    Parameters
    ----------
    name
        The stored measure name (`minutes_viewed`, `licence_active`, ...).
    header
        The normalised header (or alternatives, first present wins).
    kind
        `count`: a whole number, 0 or more. `duration`: time in minutes, from
        any shape `loaders.durations` reads; plain numbers are in `unit`
        unless the header names its unit. `flag`: 1 or 0 from a status text.
    true_values, false_prefixes
        For flags: the statuses (normalised: case-folded, `_`/`-` as spaces)
        meaning 1, and the beginnings of those meaning 0 ("deactivated"
        covers "Deactivated (by admin)"). Any other status is a row error.
    """

    name: str
    header: Header
    kind: MeasureKind = "count"
    unit: DurationUnit = "minutes"
    true_values: tuple[str, ...] = ()
    false_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AggregateMap:
    """The declarative mapping of a summary report (used as its `to_canonical`).

    Parameters
    ----------
    measures
        Measures stored when their column is present (a blank cell is "not
        tracked" and stores nothing).
    email, user_id, name, org_unit
        Learner columns, as in `UsageMap`; none of them means a per-period
        report whose facts have no learner.
    scope
        Columns (first non-empty per row) naming a part of the product the
        measures belong to (a Coursera program): stored as
        `<measure>/<scope>`.
    dates
        Date columns whose span is the report period when neither the
        format's `period_columns` nor `--period` gives one.
    """

    measures: tuple[Measure, ...]
    email: Header | None = None
    user_id: Header | None = None
    name: tuple[Header, ...] = ()
    org_unit: Header | None = None
    scope: tuple[Header, ...] = ()
    dates: tuple[Header, ...] = ()

    @property
    def per_learner(self) -> bool:
        """Whether each row belongs to a learner (else to a period only)."""
        return bool(self.email or self.user_id or self.name)

    def __call__(self, table: Table, fmt: Format) -> Mapped:
        """Select the report's columns under canonical names (text, as read)."""
        cols = table.normalised
        exprs: list[pl.Expr] = [pl.col(ROW)]
        sources: dict[str, str] = {}

        def take(canonical: str, header: Header | None) -> None:
            found = resolve(header, cols)
            if found is not None:
                exprs.append(pl.col(found).alias(canonical))
                sources[canonical] = found

        take("email", self.email)
        take("user_id", self.user_id)
        take("org_unit", self.org_unit)
        names = [c for c in (resolve(h, cols) for h in self.name) if c is not None]
        if names:
            joined = pl.concat_str([pl.col(c) for c in names], separator=" ", ignore_nulls=True)
            exprs.append(pl.when(joined.str.len_chars() > 0).then(joined).alias("name"))
            sources["name"] = " + ".join(names)
        scopes = [c for c in (resolve(h, cols) for h in self.scope) if c is not None]
        if scopes:
            exprs.append(pl.coalesce([pl.col(c) for c in scopes]).alias("scope"))
            sources["scope"] = " / ".join(scopes)
        if fmt.period_columns is not None:
            take("period_start", fmt.period_columns[0])
            take("period_end", fmt.period_columns[1])
        for header in self.dates:
            found = resolve(header, cols)
            if found is not None:
                take(DATE_PREFIX + found, header)
        for measure in self.measures:
            take(MEASURE_PREFIX + measure.name, measure.header)
        return Mapped(table.frame.select(exprs), sources)
