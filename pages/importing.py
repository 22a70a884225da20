"""Widgets of the Import data page: a file's preview, the mapping form, result tables.

Drawing and form handling only: detection, validation and writing are
`loaders/`' job.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
import streamlit as st

from loaders import ImportResult, ImportSummary
from loaders.formats import FORMATS
from loaders.preview import readable_rows
from pages import display
from pages.cache import settings
from pages.safe_text import literal
from pages.writes import Preview

__all__ = ["history_table", "result_row", "show_preview", "show_results"]

_TITLES = {f.name: f.title for f in FORMATS}
_STATUS_ICON = {"imported": "✅", "duplicate": "🔁", "rejected": "⛔"}


def format_label(name: str | None) -> str:
    """The readable title of a format name ("linkedin_learning_learner_detail" -> its title)."""
    if not name:
        return ""
    if name.startswith("mapping:"):
        return f"saved mapping '{name.removeprefix('mapping:')}'"
    return _TITLES.get(name, name)


def result_row(result: ImportResult) -> dict[str, Any]:
    """One line of the results table."""
    start, end = result.period_start, result.period_end
    period = f"{display.day(start)} – {display.day(end)}" if start and end else ""
    return {
        "File": result.file,
        "Status": f"{_STATUS_ICON.get(result.status, '')} {result.status}",
        "Format": format_label(result.format),
        "Vendor": result.vendor or "",
        "Product": ", ".join(result.products) or (result.product or ""),
        "Period": period,
        "Rows read": result.rows_read,
        "Imported": result.rows_imported,
        "Rejected": result.rows_rejected,
        "Warnings": result.warnings_total,
    }


_MONEY = ("plan", "actual", "price_per_seat", "unit_value")


def _problems(problems: list[dict[str, object]], total: int, *, what: str) -> None:
    """A Row / Column / Problem table (row numbers as in a spreadsheet, columns as written)."""
    if not problems:
        return
    display.data_table(
        pl.DataFrame(
            {
                "Row": [e.get("row") for e in problems],
                "Column": [str(e.get("column") or "") for e in problems],
                "Problem": [str(e.get("message")) for e in problems],
            },
            schema={"Row": pl.Int64, "Column": pl.String, "Problem": pl.String},
        ),
        hide_index=True,
        width="stretch",
        placeholder="",
        column_config={"Row": st.column_config.NumberColumn(format="%d", width="small")},
    )
    more = total - len(problems)
    if more > 0:
        st.caption(f"… and {display.count(more)} more {what} not listed.")


def _warnings(result: ImportResult) -> None:
    """Cells the import leaves out without rejecting the file (columns the format does not read)."""
    if not result.warnings:
        return
    st.warning(
        f"**{literal(result.file)}**: {display.count(result.warnings_total, 'warning')} "
        "in columns this format does not read. The file is imported; these cells are not."
    )
    _problems(result.warnings, result.warnings_total, what="warnings")


def _rows(preview: Preview) -> None:
    """The first rows as stored, named by the file's headers, numbers kept numeric."""
    assert preview.rows is not None
    shown = readable_rows(preview.rows, preview.labels)
    money = display.money_format(settings().reporting_currency, exact=True)
    config: dict[str, object] = {
        preview.labels[c]: st.column_config.NumberColumn(format=money)
        for c in _MONEY
        if c in preview.labels
    }
    for col, source in preview.sources.items():  # "Minutes" from "Content Hours Viewed"
        config[preview.labels[col]] = st.column_config.NumberColumn(
            help=f"Converted to minutes from the file's column '{source}'"
        )
    if "month" in preview.labels:  # a budget month is stored as its first day
        config[preview.labels["month"]] = st.column_config.DateColumn(format="MMM YYYY")
    st.caption("First rows as they will be stored:")
    display.data_table(
        shown, hide_index=True, width="stretch", placeholder="", column_config=config
    )


def _decisions(result: ImportResult) -> None:
    """How the file was read, each note naming the file's column it is about."""
    notes = [
        (f"{d['column']}: {d['message']}" if d.get("column") else str(d["message"]))
        .replace("--product", "the product chosen above")  # the command line's words
        .replace("--period", "the report period given above")
        for d in result.decisions
        if d.get("message")
    ]
    if notes:
        st.caption(" · ".join(literal(n) for n in notes))


def show_preview(name: str, preview: Preview) -> None:
    """What the import will do with one file: format, product, period, first rows, problems."""
    result = preview.result
    if result.status == "duplicate":
        st.info(
            f"**{literal(name)}**: already imported (import #{result.duplicate_of}); "
            "it will be skipped."
        )
        return
    if result.status == "rejected":
        st.error(f"**{literal(name)}** would be rejected:")
        _problems(result.errors, result.errors_total, what="problems")
        _decisions(result)
        _warnings(result)
        return
    target = ", ".join(result.products) or result.product
    mb = preview.size / 1e6
    shown = preview.rows.height if preview.rows is not None else 0
    size = (
        f"first {shown:,} rows of a {mb:,.1f} MB file (the import reads all of it)"
        if preview.partial
        else display.count(result.rows_read, "rows")
    )
    parts = [f"**{literal(name)}**: {literal(format_label(result.format))}"]
    parts += [f"vendor {literal(result.vendor)}"] if result.vendor else []
    parts += [f"feeds **{literal(target)}**"] if target else []
    st.success(" · ".join([*parts, size]))
    _decisions(result)
    _warnings(result)
    if preview.rows is not None and not preview.rows.is_empty():
        _rows(preview)


def show_results(results: Sequence[ImportResult]) -> None:
    """The outcome of an import run: one line per file, then each file's problems."""
    display.data_table(
        pl.DataFrame([result_row(r) for r in results]),
        hide_index=True,
        width="stretch",
        placeholder="",
    )
    for r in results:
        if r.status == "rejected":
            st.error(f"{literal(r.file)}: rejected, nothing was written.")
            _problems(r.errors, r.errors_total, what="problems")
        _warnings(r)


def history_table(imports: Sequence[ImportSummary]) -> pl.DataFrame:
    """The import history as the page shows it, newest first."""
    return pl.DataFrame(
        {
            "#": [i.import_id for i in imports],
            "When (UTC)": [display.day_time(i.created_at) for i in imports],
            "File": [i.file for i in imports],
            "By": [i.created_by or "" for i in imports],
            "Format": [format_label(i.format) for i in imports],
            "Product": [i.product or "" for i in imports],
            "Period": [
                f"{display.day(i.period_start)} – {display.day(i.period_end)}"
                if i.period_start
                else ""
                for i in imports
            ],
            "Rows": [i.rows_imported for i in imports],
            "Status": [
                i.status if i.undone_at is None else f"undone {display.day(i.undone_at)}"
                for i in imports
            ],
        },
        schema_overrides={"#": pl.Int64, "Rows": pl.Int64},
    )
