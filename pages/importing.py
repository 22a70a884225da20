"""Widgets of the Import data page: a file's preview, the mapping form, result tables.

Drawing and form handling only: detection, validation and writing are `loaders/`' job.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
import streamlit as st

from loaders import ImportResult, ImportSummary
from loaders.formats import FORMATS
from loaders.mappings import FIELDS, MappingSpec, save_mapping, suggest_columns
from models.enums import Grain
from pages import display
from pages.cache import engine
from pages.safe_text import literal
from pages.writes import Preview

__all__ = ["history_table", "mapping_form", "result_row", "show_preview"]

_NONE, _TITLES = "—", {f.name: f.title for f in FORMATS}
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
    }


def _errors(result: ImportResult) -> None:
    if not result.errors:
        return
    display.data_table(
        pl.DataFrame(
            {
                "Row": [e.get("row") for e in result.errors],
                "Column": [e.get("column") or "" for e in result.errors],
                "Problem": [str(e.get("message")) for e in result.errors],
            },
            schema={"Row": pl.Int64, "Column": pl.String, "Problem": pl.String},
        ),
        hide_index=True,
        width="stretch",
    )
    more = result.errors_total - len(result.errors)
    if more > 0:
        st.caption(f"… and {display.count(more)} more problems not listed.")


def _decisions(result: ImportResult) -> None:
    warn = {id(d) for d in result.decisions if d.get("level") == "warning"}  # an unread column
    notes = [d["message"] for d in result.decisions if d.get("message") and id(d) not in warn]
    for d in (d for d in result.decisions if id(d) in warn):
        st.warning(literal(d["message"]), icon=":material/warning:")
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
        _errors(result)
        _decisions(result)
        return
    target = ", ".join(result.products) or result.product or "—"
    mb = preview.size / 1e6
    shown = preview.rows.height if preview.rows is not None else 0
    size = (
        f"first {shown:,} rows of a {mb:,.1f} MB file (the import reads all of it)"
        if preview.partial
        else display.count(result.rows_read, "rows")
    )
    st.success(
        f"**{literal(name)}**: {literal(format_label(result.format))} · "
        f"vendor {literal(result.vendor or '—')} · feeds **{literal(target)}** · {size}"
    )
    _decisions(result)
    if preview.rows is not None and not preview.rows.is_empty():
        st.caption("First rows as they will be stored (a blank cell: nothing in the file):")
        display.data_table(preview.rows, hide_index=True, width="stretch", placeholder="")


def show_results(results: Sequence[ImportResult]) -> None:
    """The outcome of an import run: one line per file, then each file's problems."""
    display.data_table(
        pl.DataFrame([result_row(r) for r in results]), hide_index=True, width="stretch"
    )
    for r in results:
        if r.status == "rejected":
            st.error(f"{literal(r.file)}: rejected, nothing was written.")
            _errors(r)


def mapping_form(
    name: str, headers: list[str], *, key: str, sample: pl.DataFrame | None = None
) -> None:
    """Ask which column is which for an unknown report, and save it as a detector."""
    st.warning(
        f"**{literal(name)}**: no built-in format knows these columns. Map them once; files "
        "with the same columns are then recognised automatically."
    )
    guess, options = suggest_columns(headers, sample), [_NONE, *headers]  # words, then values
    with st.form(key=f"{key}.form"):
        left, right = st.columns(2)
        chosen: dict[str, str] = {}
        for i, (field, label) in enumerate(FIELDS.items()):
            col = left if i % 2 == 0 else right
            default = guess.get(field, _NONE)
            value = col.selectbox(
                label, options, index=options.index(default), key=f"{key}.{field}"
            )
            if value != _NONE:
                chosen[field] = value
        a, b, c, d = st.columns(4)
        title = a.text_input("Mapping name", value=name.rsplit(".", 1)[0], key=f"{key}.title")
        vendor = b.text_input("Vendor (for routing)", key=f"{key}.vendor")
        grain = c.selectbox(
            "Each row is", ["an event (dated activity)", "a snapshot (to date)"], key=f"{key}.grain"
        )
        unit = d.selectbox("Time spent is in", ["minutes", "hours", "seconds"], key=f"{key}.unit")
        done = st.text_input(
            "Statuses meaning completed (comma separated, if the completed column holds statuses)",
            key=f"{key}.done",
        )
        submitted = st.form_submit_button("Save mapping", type="primary")
    if submitted:
        spec = MappingSpec(
            name=title.strip(),
            columns=chosen,
            vendor=vendor.strip() or None,
            grain=Grain.event if grain.startswith("an event") else Grain.snapshot,
            minutes_unit=unit,  # type: ignore[arg-type]
            completed_values=tuple(v.strip() for v in done.split(",") if v.strip()),
        )
        problems = spec.problems()
        if problems:
            st.error("Cannot save yet: " + "; ".join(literal(p) for p in problems) + ".")
            return
        save_mapping(spec, engine=engine())
        st.success(f"Saved mapping '{literal(spec.name)}'.")
        st.rerun()


def history_table(imports: Sequence[ImportSummary]) -> pl.DataFrame:
    """The import history as the page shows it, newest first."""
    return pl.DataFrame(
        {
            "#": [i.import_id for i in imports],
            "When (UTC)": [display.day_time(i.created_at) for i in imports],
            "File": [i.file for i in imports],
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
