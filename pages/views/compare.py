"""Prioritise, Compare view: two or three scenarios side by side, and what each changes."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from pages import display, reads
from pages import scenario_state as state
from pages.display import data_table
from pages.planning_reads import PlanningData
from pages.safe_text import literal
from planning.compare import changes_between, compare_scenarios
from planning.scenarios import Scenario

__all__ = ["compare"]

_UNSAVED = "(this page, unsaved)"
_FORMATS = {
    "Spend": "money",
    "Change vs plan": "money",
    "Budget cap": "money",
    "Gap to cap (− = over)": "money",
    "Products funded": "count",
    "Learners, summed by product (projected)": "count",
    "Benefits (projected)": "money",
    "ROI of measured products (projected)": "pct",
    "Weighted value (points)": "count",
}


def _picked(names: list[str], current: Scenario) -> list[Scenario]:
    scenarios: list[Scenario] = []
    for name in names:
        if name == _UNSAVED:
            scenarios.append(Scenario.from_dict({**current.to_dict(), "name": name}))
            continue
        try:
            scenario = reads.saved_scenario(name)
        except reads.ScenarioUnreadableError as exc:
            st.error(literal(exc))
            continue
        if scenario is not None:
            scenarios.append(scenario)
    return scenarios


def compare(data: PlanningData, year: int, as_of: date, currency: str) -> None:
    """The measures of each picked scenario, then who each funds, stops and resizes."""
    del as_of
    options = [_UNSAVED, *(s.name for s in reads.saved_names(year))]
    picked = st.multiselect(
        "Scenarios to compare (two or three)",
        options,
        default=options[: min(3, len(options))],
        max_selections=3,
        key="prio.compare",
    )
    scenarios = _picked(picked, state.current(data, year))
    if len(scenarios) < 2:
        st.info("Save a scenario (sidebar), then pick two or three here to compare them.")
        return
    table = compare_scenarios(data.inputs, data.scores, scenarios, currency=currency)
    data_table(
        _table(table, currency),
        hide_index=True,
        width="stretch",
        key="prio.compare.table",
        column_config={"Measure": st.column_config.TextColumn(pinned=True)},
    )
    st.caption(
        "Each column mixes money, people and percentages, so its cells are words. Learners "
        "are added up product by product (a person in two products counts twice)."
    )
    base = scenarios[0]
    for other in scenarios[1:]:
        gained, lost, resized = changes_between(data.inputs, base, other)
        st.markdown(
            f"**{literal(other.name)}** vs **{literal(base.name)}**: "
            f"funds {_names(gained) or 'no other product'}; "
            f"stops {_names(lost) or 'nothing'}; "
            f"resizes {_names(resized) or 'nothing'}."
        )


def _names(names: list[str]) -> str:
    return ", ".join(literal(n) for n in names)


def _table(table: pl.DataFrame, currency: str) -> pl.DataFrame:
    show = {
        "money": lambda v: display.money(v, currency),
        "count": display.count,
        "pct": display.pct,
    }
    out: dict[str, list[str]] = {"Measure": table["measure"].to_list()}
    for column in table.columns[1:]:
        out[column] = [
            show[_FORMATS.get(m, "count")](v)
            for m, v in zip(table["measure"], table[column], strict=True)
        ]
    return pl.DataFrame(out)
