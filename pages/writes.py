"""Everything a page changes in the database: imports (and their dry run), saved scenarios.

Every write goes through `loaders` or `models`, which bump the data version,
so the cached readers of every browser recompute at their next rerun.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import streamlit as st

from loaders import ImportResult, import_file, parse_period
from loaders.edits import save_edits
from loaders.erase import Erasure, erase_learner
from loaders.mappings import all_formats
from loaders.preview import preview_file
from loaders.progress import Progress
from models import session_scope
from models.access import Role
from models.roles import grant_role, revoke_role
from models.scenarios import delete_scenario, save_scenario
from pages import warm_up
from pages.access import acting
from pages.cache import current_version, engine, settings
from pages.router import YEAR

__all__ = [
    "ImportOptions",
    "Preview",
    "delete",
    "erase",
    "grant",
    "preview",
    "revoke",
    "run_import",
    "save_table",
    "store",
    "written",
]


@dataclass(frozen=True)
class ImportOptions:
    """The upload page's choices, as `python -m loaders` takes them."""

    product: str | None = None
    period: str | None = None
    date_order: str | None = None


@dataclass(frozen=True)
class Preview:
    """A file's dry run, as the upload page shows it."""

    result: ImportResult
    rows: pl.DataFrame | None
    unknown_headers: list[str] | None  # set when no format knows the file: offer a mapping
    size: int = 0  # the file's bytes
    partial: bool = False  # only the file's head was read (rows shown, not all counted)
    labels: dict[str, str] = field(default_factory=dict)  # stored column -> the file's header
    cells: pl.DataFrame | None = None  # the head's cells by header, for the mapping's guess
    sources: dict[str, str] = field(default_factory=dict)  # stored column -> file column converted


def _bad_period(name: str, exc: ValueError) -> ImportResult:
    rejected = ImportResult(file=name, status="rejected")
    rejected.errors = [{"row": None, "column": None, "message": str(exc)}]
    rejected.errors_total = 1
    return rejected


def preview(
    file_id: str,
    name: str,
    data: bytes,
    options: ImportOptions,
    *,
    on_page: Collection[str],
    notes: Sequence[dict[str, Any]] = (),
) -> Preview:
    """Dry-run one uploaded file, once per file, options and data version (kept per session).

    Uploads can be large, so the preview is remembered in the session rather
    than hashed by `st.cache_data` on every rerun; the session keeps one
    preview per file still on the page (`on_page`: their upload ids), so
    moving between several files never previews one twice. `notes` go
    first among the result's decisions (a file unpacked from an archive).
    """
    key = (file_id, options, current_version())
    cache: dict[tuple[object, ...], Preview] = st.session_state.setdefault("import.previews", {})
    for old in [k for k in cache if k[0] not in on_page or (k[0] == file_id and k != key)]:
        del cache[old]
    if key not in cache:
        try:
            period = parse_period(options.period) if options.period else None
        except ValueError as exc:
            return Preview(_bad_period(name, exc), None, None)
        found = preview_file(
            data,
            file_name=name,
            engine=engine(),
            actor=acting(),
            formats=all_formats(engine=engine()),
            product=options.product,
            period=period,
            date_order=options.date_order,  # type: ignore[arg-type]
        )
        found.result.decisions[:0] = notes
        headers = found.headers if found.unknown else None
        cache[key] = Preview(
            found.result,
            found.rows,
            headers,
            len(data),
            found.partial,
            labels=found.labels,
            cells=found.cells if found.unknown else None,
            sources=found.sources,
        )
    return cache[key]


def run_import(
    name: str,
    data: bytes,
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    notes: Sequence[dict[str, Any]] = (),
) -> ImportResult:
    """Import one uploaded file for real (all-or-nothing); `notes` as for `preview`."""
    try:
        period = parse_period(options.period) if options.period else None
    except ValueError as exc:
        return _bad_period(name, exc)
    result = import_file(
        data,
        file_name=name,
        engine=engine(),
        actor=acting(),
        formats=all_formats(engine=engine()),
        product=options.product,
        period=period,
        date_order=options.date_order,  # type: ignore[arg-type]
        progress=progress,
    )
    result.decisions[:0] = notes
    written(result)
    return result


def written(result: ImportResult | None) -> None:
    """After a write that changed the data: warm the pages for the year being worked in."""
    if result is not None and result.status == "imported":
        warm_up.soon(st.session_state.get(YEAR))


def store(name: str, year: int, payload: dict[str, object], *, replace: bool) -> str:
    """Save a scenario; raises `models.scenarios.ScenarioExistsError` or ValueError."""
    with session_scope(engine()) as session:
        return save_scenario(
            session=session, actor=acting(), name=name, year=year, payload=payload, replace=replace
        )


def delete(name: str) -> bool:
    """Delete a saved scenario."""
    with session_scope(engine()) as session:
        return delete_scenario(session=session, actor=acting(), name=name)


def save_table(table: str, before: pl.DataFrame, after: pl.DataFrame) -> ImportResult | None:
    """Save a Manage data table's changes as an import of their own (None: nothing changed)."""
    result = save_edits(table, before, after, engine=engine(), actor=acting())
    written(result)
    return result


def erase(identity: str) -> Erasure:
    """Erase one learner's records (admins only; raises NotAllowedError or ValueError)."""
    return erase_learner(identity, engine=engine(), actor=acting(), settings=settings())


def grant(subject: str, role: Role) -> str:
    """Give a role in the app (admins only); returns the subject as stored."""
    return grant_role(
        subject, role, actor=acting(), engine=engine(), configured=settings().role_map()
    )


def revoke(subject: str) -> bool:
    """Take back a role given in the app (admins only)."""
    return revoke_role(subject, actor=acting(), engine=engine())
