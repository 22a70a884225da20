"""The column-mapping form for a report no built-in format knows, saved as a detector."""

from __future__ import annotations

import polars as pl
import streamlit as st

from loaders.mappings import (
    TARGETS,
    MappingSpec,
    likely_target,
    save_mapping,
    suggest_columns,
    target_fields,
)
from models.access import NotAllowedError
from models.enums import Grain
from pages.access import acting
from pages.cache import engine
from pages.safe_text import literal

__all__ = ["mapping_form"]

_NONE = "—"


def mapping_form(
    name: str, headers: list[str], *, key: str, cells: pl.DataFrame | None = None
) -> None:
    """Ask which column is which for an unknown report, and save it as a detector.

    The defaults come from `suggest_columns`, which scores each column on its
    header and on the file's first rows (`cells`); a field nothing fits is
    left at "—" for the person to choose.
    """
    st.warning(
        f"**{literal(name)}**: no built-in format knows these columns. Map them once; files "
        "with the same columns are then recognised automatically."
    )
    target = st.radio(
        "This file holds",
        list(TARGETS),
        index=list(TARGETS).index(likely_target(headers, cells)),
        format_func=TARGETS.__getitem__,
        horizontal=True,
        key=f"{key}.target",
    )
    usage = target == "usage"
    guess = suggest_columns(headers, cells, target=target)
    options = [_NONE, *headers]
    with st.form(key=f"{key}.form.{target}"):
        left, right = st.columns(2)
        chosen: dict[str, str] = {}
        for i, (field, label) in enumerate(target_fields(target).items()):
            col = left if i % 2 == 0 else right
            default = guess.get(field, _NONE)
            value = col.selectbox(
                label, options, index=options.index(default), key=f"{key}.{target}.{field}"
            )
            if value != _NONE:
                chosen[field] = value
        a, b, c, d = st.columns(4)
        title = a.text_input("Mapping name", value=name.rsplit(".", 1)[0], key=f"{key}.title")
        vendor = grain = unit = done = ""
        if usage:
            vendor = b.text_input("Vendor (for routing)", key=f"{key}.vendor")
            grain = c.selectbox(
                "Each row is",
                ["an event (dated activity)", "a snapshot (to date)"],
                key=f"{key}.grain",
            )
            unit = d.selectbox(
                "Time spent is in", ["minutes", "hours", "seconds"], key=f"{key}.unit"
            )
            done = st.text_input(
                "Statuses meaning completed (comma separated, if the completed column holds "
                "statuses)",
                key=f"{key}.done",
            )
        submitted = st.form_submit_button("Save mapping", type="primary")
    if submitted:
        spec = MappingSpec(
            name=title.strip(),
            columns=chosen,
            vendor=vendor.strip() or None,
            grain=Grain.snapshot if grain.startswith("a snapshot") else Grain.event,
            minutes_unit=unit or "minutes",  # type: ignore[arg-type]
            completed_values=tuple(v.strip() for v in done.split(",") if v.strip()),
            target=target,
        )
        problems = spec.problems()
        if problems:
            st.error("Cannot save yet: " + "; ".join(literal(p) for p in problems) + ".")
            return
        try:
            save_mapping(spec, engine=engine(), actor=acting())
        except NotAllowedError as exc:
            st.error(literal(exc))
            return
        st.success(f"Saved mapping '{literal(spec.name)}'.")
        st.rerun()
