"""Undo an import, after saying what it removes and asking once more."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from loaders import undo_import
from loaders.undo import UndoRefused
from models.access import NotAllowedError
from pages import display, warm_up
from pages.access import acting
from pages.cache import engine
from pages.router import YEAR
from pages.safe_text import literal

__all__ = ["FLASH", "confirm_undo", "removed_text"]

FLASH = "import.flash"
_UNDOING = "import.undo.pending"
# What each fact table's rows are called on the page (`loaders.history.FACT_TABLES`).
_ROWS = {
    "usage_record": "usage rows",
    "aggregate_usage": "aggregate usage rows",
    "budget_line": "budget lines",
    "contract": "contracts",
    "outcome_measure": "outcome measures",
    "experiment_result": "experiment variants",
    "product_release": "releases",
    "person": "people of the roster",
}
_BOOKKEEPING = {"learner_unit"}  # each learner's org unit from an import: not a figure to count


def removed_text(counts: Mapping[str, int]) -> str:
    """ "1,200 usage rows, 3 contracts" from rows per fact table, or "no rows"."""
    parts = [
        display.count(n, _ROWS.get(table, table))
        for table, n in counts.items()
        if n and table not in _BOOKKEEPING
    ]
    return ", ".join(parts) or "no rows"


def confirm_undo(import_id: int, *, label: str, removed: str) -> None:
    """A button that asks first; the second answer undoes the import or cancels.

    Why ask: an undo takes the rows out of every page and pack at once, for
    everyone, often in the middle of a review.
    """
    if st.session_state.get(_UNDOING) != import_id:
        st.button("Undo this import…", key="import.undo.ask", on_click=_ask, args=(import_id,))
        return
    st.warning(
        f"Undo {literal(label)}? This removes {removed} from every page and pack; "
        "the file can be imported again afterwards."
    )
    yes, no = st.columns([1, 4])
    no.button("Cancel", key="import.undo.cancel", on_click=_cancel)
    if not yes.button("Undo it", type="primary", key="import.undo.confirm"):
        return
    _cancel()
    try:
        done = undo_import(import_id, engine=engine(), actor=acting())
    except (UndoRefused, NotAllowedError) as exc:
        st.error(literal(exc))
        return
    warm_up.soon(st.session_state.get(YEAR))
    st.session_state[FLASH] = (
        f"Import #{done.import_id} ({literal(done.file)}) undone: "
        f"{removed_text(done.removed)} removed."
    )
    st.session_state.pop("import.results", None)
    st.rerun()


def _ask(import_id: int) -> None:
    st.session_state[_UNDOING] = import_id


def _cancel() -> None:
    st.session_state.pop(_UNDOING, None)
