"""The filter by org unit: the sidebar's choice, shared by the overview and the Product page.

The choice narrows the usage figures to the learners of the chosen units
(`metrics.people.year_figures_in_units`); cost, seats and reach of the target
audience stay the whole product's, and the pages say so in one sentence
(`units_note`). A figure about fewer than `LP_MIN_GROUP_SIZE` people reads
"fewer than 5" (`shown`). Drawing and words only: no figure is computed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl
import streamlit as st

from metrics.text import hours
from pages import display
from pages.safe_text import literal

__all__ = ["CHOSEN", "PARAM", "only_units", "org_unit_picker", "shown", "unit_tiles", "units_note"]

CHOSEN = "chosen_org_units"
"""Session key of the units chosen last, on either page: the other page opens on them."""
PARAM = "unit"
"""The address bar's key (repeated: `?unit=Sales&unit=Finance`), so a link or reload keeps it."""


def org_unit_picker(key: str, options: Sequence[str]) -> tuple[str, ...]:
    """The sidebar's "Org units" choice (none: every learner); nothing drawn without options.

    Why like `pages.router.year_picker`: a partner who narrows the overview to
    Sales and opens a product expects Sales there too. The choice lives in the
    session (`CHOSEN`) and in the address bar (`PARAM`); a unit no longer
    offered (another year, a new roster) is dropped.

    Returns
    -------
    tuple[str, ...]
        The chosen units in the order offered (biggest headcount first), so
        the same choice is the same cache key whatever order it was made in.
    """
    if not options:
        return ()
    if key not in st.session_state or any(u not in options for u in st.session_state[key]):
        st.session_state[key] = _wanted(options)
    picked = st.sidebar.multiselect(
        "Org units",
        list(options),
        key=key,
        placeholder="Every org unit",
        help="Narrows the usage figures (learners, completions, hours, cost per learner) to "
        "the learners of these units: the roster's unit, else their latest usage row's. "
        "Cost, seats and reach of the target audience stay the whole product's.",
    )
    chosen = tuple(u for u in options if u in picked)
    st.session_state[CHOSEN] = list(chosen)
    if chosen:
        st.query_params[PARAM] = list(chosen)
    elif PARAM in st.query_params:
        del st.query_params[PARAM]
    return chosen


def _wanted(options: Sequence[str]) -> list[str]:
    """The units asked for: the link's (`?unit=`), else the session's last choice (even none).

    The address bar carries the choice only while one is made (clearing it
    removes `unit`), so a link that names units wins, and a page opened from
    the menu, with no `unit`, opens on the session's choice.
    """
    asked = st.query_params.get_all(PARAM) or st.session_state.get(CHOSEN) or []
    return [u for u in options if u in asked]


def _names(units: Sequence[str]) -> str:
    return ", ".join(literal(u) for u in units)


def units_note(units: Sequence[str], *, min_group: int, people: int, table: bool) -> str:
    """The sentence beside narrowed figures: whose usage, and what stays the whole product's.

    `table` adds what a blank cell of the products table means.
    """
    note = (
        f"Usage of learners in {_names(units)}; cost is the whole product's. Seat utilisation, "
        "idle spend and reach of the target audience stay the whole product's (seats and "
        "audiences are not set per org unit), as do the charts."
    )
    if people < min_group:
        return note + (
            f" These units hold fewer than {min_group} people: every figure about them is "
            "hidden (LP_MIN_GROUP_SIZE)."
        )
    if table:
        note += (
            " “—” under Active learners, Completions or Cost / active learner: fewer than "
            f"{min_group} people, hidden, or not tracked."
        )
    return note


def shown(row: Mapping[str, Any], name: str, text: Callable[[Any], str], *, min_group: int) -> str:
    """A narrowed figure in words: "fewer than 5" where it is hidden, else `text` of it."""
    if name in (row.get("hidden") or ()):
        return f"fewer than {min_group}"
    return text(row[name])


def only_units(rows: pl.DataFrame, units: Sequence[str]) -> pl.DataFrame:
    """The rows of the chosen units (reach by org unit while the filter is on); all without."""
    return rows.filter(pl.col("org_unit").is_in(list(units))) if units else rows


def unit_tiles(row: Mapping[str, Any], *, min_group: int, currency: str) -> None:
    """The Product page's narrowed figures the top tiles leave out, in one row of three.

    Learning hours go under the unique learners they were spent by (four
    tiles across cut "£17,300.78" at 1280 px).
    """
    left, middle, right = st.columns(3)
    spent = None if "learning_hours" in (row.get("hidden") or ()) else row.get("learning_hours")
    display.figure_tile(
        left,
        "Unique learners",
        shown(row, "unique_learners", display.count, min_group=min_group),
        note=None if spent is None else f"{hours(spent)} of learning",
        help="Learners with any row this year, active or not; the hours they recorded.",
    )
    display.figure_tile(
        middle, "Completions", shown(row, "completions", display.count, min_group=min_group)
    )
    display.figure_tile(
        right,
        "Cost / completion",
        shown(
            row,
            "cost_per_completion",
            lambda v: display.money_exact(v, currency),
            min_group=min_group,
        ),
        help="Actual cost (the whole product's) ÷ the completions of these learners.",
    )
