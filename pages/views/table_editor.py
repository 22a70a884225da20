"""One editable table of the Manage data page: change rows, add rows, save as an import.

Why two editors: the columns that name a row (product, month, cost
category…) are locked on existing rows, since changing them would add a row
rather than change one (reads take the newest import per key); new rows go
in a second editor where every column is open.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from loaders.edits import EDITABLE
from metrics.text import money_format
from models.access import NotAllowedError
from models.enums import CostCategory, Direction, LifecycleStage, OutcomeKind, ProductCategory
from pages import access, importing, writes
from pages.cache import current_version, settings
from pages.safe_text import literal

__all__ = ["table_editor"]

_CHOICES: dict[str, list[str]] = {
    "category": [c.value for c in ProductCategory],
    "lifecycle_stage": [s.value for s in LifecycleStage],
    "cost_category": [c.value for c in CostCategory],
    "direction": [d.value for d in Direction],
    "kind": [k.value for k in OutcomeKind],
}
_MONEY = ("plan", "actual", "price_per_seat", "unit_value")
_COUNTS = ("seats", "level", "n", "strategic_fit", "target_audience_size")


def _columns(table: str, frame: pl.DataFrame, *, lock_keys: bool) -> dict[str, Any]:
    """Column settings: money in the reporting currency, closed lists as choices, keys locked."""
    currency = settings().reporting_currency
    key = EDITABLE[table].key
    config: dict[str, Any] = {}
    for name in frame.columns:
        locked = lock_keys and name in key
        if name in _MONEY:
            config[name] = st.column_config.NumberColumn(
                name, format=money_format(currency, exact=True), disabled=locked
            )
        elif name in _COUNTS:
            config[name] = st.column_config.NumberColumn(name, format="%d", disabled=locked)
        elif name in _CHOICES:
            config[name] = st.column_config.SelectboxColumn(
                name, options=_CHOICES[name], disabled=locked
            )
        elif frame.schema[name].is_numeric():
            config[name] = st.column_config.NumberColumn(name, disabled=locked)
        elif frame.schema[name] == pl.Boolean:
            config[name] = st.column_config.CheckboxColumn(name, disabled=locked)
        elif frame.schema[name] == pl.Date:
            config[name] = st.column_config.DateColumn(name, format="D MMM YYYY", disabled=locked)
        else:
            config[name] = st.column_config.TextColumn(
                name, disabled=locked, pinned=name == "product"
            )
    return config


def _show_result(result: object) -> None:
    if result is None:
        st.info("Nothing changed: edit a cell or add a row first.")
        return
    importing.show_results([result])  # type: ignore[list-item]


def table_editor(table: str, rows: pl.DataFrame) -> None:
    """Draw `table`'s editors (or a read-only table for a viewer) and its Save button."""
    if not access.may_write():
        access.read_only_note()
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            column_config=_columns(table, rows, lock_keys=True),
        )
        return
    version = current_version()  # a save bumps it: the editors start again from what is stored
    changed = st.data_editor(
        rows,
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        column_config=_columns(table, rows, lock_keys=True),
        key=f"manage.{table}.edit.{version}",
    )
    st.caption(f"Add {EDITABLE[table].label} rows (every column open):")
    added = st.data_editor(
        rows.clear(),
        hide_index=True,
        width="stretch",
        num_rows="dynamic",
        column_config=_columns(table, rows, lock_keys=False),
        key=f"manage.{table}.add.{version}",
    )
    outcome_key = f"manage.{table}.outcome"
    if st.button("Save changes", type="primary", key=f"manage.{table}.save"):
        after = pl.concat(
            [pl.DataFrame(changed, schema=rows.schema), pl.DataFrame(added, schema=rows.schema)]
        )
        try:
            st.session_state[outcome_key] = writes.save_table(table, rows, after)
        except NotAllowedError as exc:
            st.error(literal(exc))
            return
        st.rerun()
    if outcome_key in st.session_state:
        _show_result(st.session_state.pop(outcome_key))
