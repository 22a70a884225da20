"""What a format detector declares, and the declarative mapping to canonical columns.

A detector is data, not code: a `Format` names its required and optional
headers (normalised: case-folded, whitespace collapsed), its vendor and the
vendor's aliases, its grain and default date order, and how its columns map
onto the canonical usage columns (`UsageMap`). Only a format whose file
needs reshaping (Moodle's column pair per activity, say) supplies its own
`to_canonical` function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from loaders.dates import DateOrder
from loaders.durations import DurationUnit
from loaders.errors import ROW
from loaders.reading import Table
from models.enums import Grain, ImportKind

__all__ = [
    "USAGE_COLUMNS",
    "Format",
    "Header",
    "Mapped",
    "UsageMap",
    "flatten",
    "resolve",
    "vendor_key",
]

# A normalised header, or alternatives of which the first present one is used
# (language variants, header drift between vendor versions).
Header = str | tuple[str, ...]

USAGE_COLUMNS = (
    "product",
    "email",
    "user_id",
    "name",
    "org_unit",
    "content_id",
    "content_title",
    "content_type",
    "activity_date",
    "completed_date",
    "progress",
    "minutes",
    "completed",
)


def vendor_key(name: str) -> str:
    """A vendor name as compared: case-folded, without spaces or punctuation, at most 200 long.

    The cap is the stored key's length (`vendor.name_key`), so a longer name
    finds the vendor it created the first time instead of creating it again.

    Examples
    --------
    >>> vendor_key("Udemy  Business!") == vendor_key("udemy-business")
    True
    """
    return re.sub(r"[\W_]+", "", name.casefold())[:200]


def flatten(headers: Iterable[Header]) -> list[str]:
    """Every header named, alternatives included."""
    out: list[str] = []
    for h in headers:
        out.extend((h,) if isinstance(h, str) else h)
    return out


def resolve(header: Header | None, columns: Mapping[str, str]) -> str | None:
    """The file's column for `header` (normalised name -> column as written), or None."""
    if header is None:
        return None
    for option in (header,) if isinstance(header, str) else header:
        if option in columns:
            return columns[option]
    return None


@dataclass(frozen=True)
class UsageMap:
    """Which of a report's columns feed each canonical usage column.

    Learners: `email`, else `user_id`, else the `name` columns joined (a weak
    key). `learner` is the generic template's column holding an e-mail or an
    employee id. Completion: the `completed` column (a yes/no column, or a
    status column when `completed_values` lists the statuses meaning done),
    else a completion date present (`completed_if_date`), else progress at
    100 (`completed_if_full_progress`). Plain numbers in `minutes` are in
    `minutes_unit` unless the column's name says otherwise.
    """

    email: Header | None = None
    user_id: Header | None = None
    name: tuple[Header, ...] = ()
    learner: Header | None = None
    org_unit: Header | None = None
    content_id: Header | None = None
    content_title: Header | None = None
    content_type: Header | None = None
    content_key_with_type: bool = False
    activity_date: Header | None = None
    activity_from_completion: bool = False
    completed_date: Header | None = None
    progress: Header | None = None
    minutes: Header | None = None
    minutes_unit: DurationUnit = "minutes"
    completed: Header | None = None
    completed_values: tuple[str, ...] = ()
    completed_if_date: bool = True
    completed_if_full_progress: bool = False
    product: Header | None = None


@dataclass(frozen=True)
class Mapped:
    """Canonical text columns (plus `__row`) and, for messages, the column each came from.

    `notes` are decisions a reshaping `to_canonical` took (rows merged,
    columns deliberately left out), added to the import result.
    """

    frame: pl.DataFrame
    sources: dict[str, str]
    notes: tuple[dict[str, Any], ...] = ()


def _map_usage(table: Table, fmt: Format) -> Mapped:
    spec = fmt.usage
    assert spec is not None
    cols = table.normalised
    exprs: list[pl.Expr] = [pl.col(ROW)]
    sources: dict[str, str] = {}
    for canonical in USAGE_COLUMNS:
        if canonical == "name":
            continue
        found = resolve(getattr(spec, canonical, None), cols)
        if found is not None:
            exprs.append(pl.col(found).alias(canonical))
            sources[canonical] = found
    names = [c for c in (resolve(h, cols) for h in spec.name) if c is not None]
    if names:
        joined = pl.concat_str([pl.col(c) for c in names], separator=" ", ignore_nulls=True)
        exprs.append(pl.when(joined.str.len_chars() > 0).then(joined).alias("name"))
        sources["name"] = " + ".join(names)
    learner = resolve(spec.learner, cols)
    if learner is not None:
        has_at = pl.col(learner).str.contains("@", literal=True)
        exprs.append(pl.when(has_at).then(pl.col(learner)).alias("email"))
        exprs.append(pl.when(~has_at).then(pl.col(learner)).alias("user_id"))
        sources.update(email=learner, user_id=learner)
    return Mapped(table.frame.select(exprs), sources)


def _map_columns(table: Table, fmt: Format) -> Mapped:
    """Template files: their headers are the canonical names (matched normalised)."""
    cols = table.normalised
    exprs: list[pl.Expr] = [pl.col(ROW)]
    sources: dict[str, str] = {}
    for header in [*flatten(fmt.required), *fmt.optional]:
        found = resolve(header, cols)
        if found is not None and header not in sources:
            exprs.append(pl.col(found).alias(header))
            sources[header] = found
    return Mapped(table.frame.select(exprs), sources)


@dataclass(frozen=True)
class Format:
    """A declarative detector for one report format.

    Parameters
    ----------
    name, title
        Stable identifier (stored on the import) and the label people read.
    kind
        Which tables the file feeds (`ImportKind`).
    required
        Headers that must all be present (normalised); they identify the
        format, and the format with the most of them wins.
    optional
        Headers used when present; they break ties between formats.
    vendor, aliases
        Display name of the vendor and the names a contract or products row
        may use for it (compared by `vendor_key`).
    grain
        event, snapshot or aggregate (DESIGN.md, "Overlap and undo").
    date_order
        Order of numeric dates when nothing in the file decides it.
    usage
        Column mapping for usage formats.
    key_headers
        A row empty in all of these is a summary row (default: `required`).
    period_columns
        Headers holding the report's own period start and end, if it has them.
    template
        For the downloadable templates: the columns of the empty file.
    to_canonical
        Replaces the declarative mapping for formats that need reshaping.
    fills
        For a saved mapping onto a template: that template, whose required
        columns, checks and handler the mapped file goes through.
    """

    name: str
    title: str
    kind: ImportKind
    required: tuple[Header, ...]
    optional: tuple[str, ...] = ()
    vendor: str | None = None
    aliases: tuple[str, ...] = ()
    grain: Grain | None = None
    date_order: DateOrder = "mdy"
    usage: UsageMap | None = None
    key_headers: tuple[Header, ...] = ()
    period_columns: tuple[Header, Header] | None = None
    template: tuple[str, ...] = ()
    to_canonical: Callable[[Table, Format], Mapped] | None = field(default=None, compare=False)
    fills: Format | None = field(default=None, compare=False)

    def missing(self, headers: Iterable[str]) -> list[Header]:
        """Required headers absent from a set of normalised headers."""
        present = set(headers)
        return [h for h in self.required if not (set(flatten([h])) & present)]

    def serves(self, vendor: str) -> bool:
        """Whether `vendor` names this format's vendor (any alias, loosely compared)."""
        key = vendor_key(vendor)
        return bool(key) and key in {vendor_key(a) for a in (*self.aliases, self.vendor or "")}

    def canonical(self, table: Table) -> Mapped:
        """Map a parsed table onto canonical column names."""
        if self.to_canonical is not None:
            return self.to_canonical(table, self)
        if self.usage is not None:
            return _map_usage(table, self)
        return _map_columns(table, self)

    def key_columns(self, table: Table) -> list[str]:
        """The file's columns that make a row data rather than a total line."""
        headers = self.key_headers or self.required
        cols = table.normalised
        return [cols[h] for h in flatten(headers) if h in cols]
