"""Import data: upload vendor reports and portfolio templates, see the history, undo."""

from __future__ import annotations

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from loaders import (
    TEMPLATE_NAMES,
    describe_import,
    list_imports,
    template_choices,
    template_csv,
)
from pages import access, display, freshness_reads, importing, reads, router, uploads, writes
from pages.cache import engine as database
from pages.cache import settings
from pages.safe_text import literal
from pages.views.freshness_view import freshness_table
from pages.views.mapping_form import mapping_form
from pages.views.undo_box import FLASH, confirm_undo, removed_text

router.use_app_router()
engine = database()

# JSON (xAPI statements, tracking logs) is read by its own reader; a .gz/.zip is unpacked.
_UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xls", "json", "jsonl", "log", "gz", "zip"]


def upload_tab() -> None:
    """Files, options, their previews and the Import button (editors only)."""
    files = st.file_uploader(
        "Reports and templates",
        type=_UPLOAD_TYPES,
        accept_multiple_files=True,
        key="import.files",
        help="CSV, Excel workbooks (the first sheet with data is read), JSON, or .zip/.gz "
        "archives of them: each file in an archive is previewed and imported on its own.",
    )
    a, b, c = st.columns([2, 2, 1])
    product = a.selectbox(
        "Product the reports feed",
        ["Detect from the vendor", *reads.product_names()],
        key="import.product",
        help="Vendor reports go to the product whose contract or products row "
        "names that vendor. Choose one to override.",
    )
    period = b.text_input(
        "Report period (optional)",
        placeholder="2026-01 or 2026-01..2026-06",
        key="import.period",
        help="Needed only for reports without dates of their own.",
    )
    order = c.selectbox("Date order", ["decide from values", "dmy", "mdy"], key="import.order")
    options = writes.ImportOptions(
        product=None if product == "Detect from the vendor" else product,
        period=period.strip() or None,
        date_order=None if order == "decide from values" else order,
    )
    ready: list[uploads.ToImport] = []
    listed = uploads.to_import(files or [])  # archives unpacked: each file on its own
    on_page = {f.key for f in listed}
    done = st.session_state.get("import.results")
    if done and done[0] != frozenset(on_page):  # another file (or none): its result is gone
        del st.session_state["import.results"]
    for f in listed:
        member = f.member
        name = member.name
        if member.refusal is not None:  # refused while unpacking (a limit, a password)
            importing.show_preview(name, writes.Preview(member.rejected(), None, None))
            continue
        preview = writes.preview(
            f.key, name, member.data, options, on_page=on_page, notes=member.notes
        )
        if preview.unknown_headers is not None:
            mapping_form(
                name, preview.unknown_headers, key=f"import.map.{f.key}", cells=preview.cells
            )
            continue
        importing.show_preview(name, preview)
        if preview.result.status == "imported":  # rejected or duplicate: nothing to do
            ready.append(f)
    if st.button(
        f"Import {len(ready)} file(s)", type="primary", disabled=not ready, key="import.run"
    ):
        bar = st.progress(0.0, text="Starting…")
        results = []
        for i, f in enumerate(ready):
            member = f.member

            def report(done: float, what: str, i: int = i, name: str = member.name) -> None:
                bar.progress(min((i + done) / len(ready), 1.0), text=literal(f"{name}: {what}"))

            results.append(
                writes.run_import(
                    member.name, member.data, options, progress=report, notes=member.notes
                )
            )
        bar.progress(1.0, text="Done")
        # Kept with the uploads it came from: shown until the files on the page change.
        st.session_state["import.results"] = (frozenset(on_page), results)
    if st.session_state.get("import.results"):
        st.subheader("Result")
        importing.show_results(st.session_state["import.results"][1])


st.title("Import data")
st.caption(
    "Vendor usage reports (LinkedIn Learning, Udemy, Coursera, Pluralsight, Percipio, Cornerstone, "
    "Moodle, Degreed, xAPI…) and the portfolio templates, as CSV, Excel or a .zip/.gz of them. "
    "The format is recognised from the columns; each file is imported all-or-nothing, a "
    "re-imported file changes nothing, and every import can be undone."
)
upload, history, fresh, templates = st.tabs(
    ["Upload", "Import history", "Data freshness", "Templates"]
)

with upload:
    if access.may_write():
        upload_tab()
    else:
        access.read_only_note()

with history:
    if flash := st.session_state.pop(FLASH, None):
        st.success(flash)
    imports = list_imports(engine=engine)
    if not imports:
        st.info("Nothing imported yet.")
    else:
        display.data_table(  # file names are user text: formula-like ones made inert
            importing.history_table(imports), hide_index=True, width="stretch", key="import.history"
        )
        live = {f"#{i.import_id} · {i.file}": i.import_id for i in imports if i.undone_at is None}
        choice = st.selectbox(
            "Undo an import",
            list(live),
            index=None,
            key="import.undo",
            placeholder="Choose an import to see what undoing it removes",
        )
        if choice:
            info = describe_import(live[choice], engine=engine)
            removed = removed_text(info.facts)
            st.markdown(
                f"Undoing {literal(choice)} removes: {removed}"
                + (
                    f"; restores {', '.join(literal(p) for p in info.products_updated)}"
                    if info.products_updated
                    else ""
                )
            )
            if info.blocked:
                st.error(literal(info.blocked))
            elif access.may_write():
                confirm_undo(live[choice], label=choice, removed=removed)
            else:
                access.read_only_note()

with fresh:
    today = settings().today()
    freshness_table(
        freshness_reads.freshness_view(today.year, today),
        as_of=today,
        stale_after_days=settings().stale_after_days,
    )

with templates:
    st.write("Download an empty template, fill it in a spreadsheet, upload it on the Upload tab.")
    # Four to a row: eight buttons side by side cut their names ("contracts.…") at 1280 px.
    cols = [col for _ in range(0, len(TEMPLATE_NAMES), 4) for col in st.columns(4)]
    for col, name in zip(cols, TEMPLATE_NAMES, strict=False):
        col.download_button(
            name,
            data=template_csv(name),
            file_name=name,
            mime="text/csv",
            key=f"import.template.{name}",
            icon=":material/download:",
        )
        for column, values in template_choices(name).items():
            col.caption(f"`{column}`: {values}")
