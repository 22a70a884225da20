"""Saved scenarios in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from models.db import session_scope
from models.scenarios import (
    ScenarioExistsError,
    delete_scenario,
    list_scenarios,
    load_scenario,
    save_scenario,
)
from tests.actors import EDITOR

PAYLOAD = {
    "name": "Cut the idle library",
    "year": 2026,
    "weights": {"strategic_fit": 3.0, "reach": 2.0},
    "budget_changes": {"12": -0.25},
    "forced_in": [3],
    "forced_out": [],
    "cap": 1_250_000.5,
    "assumptions": {"elasticity": 0.6},
    "notes": 'Ünïcode ✓ and "quotes"',
}


def test_save_load_round_trip(db_engine: Engine) -> None:
    with session_scope(db_engine) as session:
        stored = save_scenario(
            session=session,
            name="  Cut the  idle library ",
            year=2026,
            payload=PAYLOAD,
            actor=EDITOR,
        )
    assert stored == "Cut the idle library"
    with session_scope(db_engine) as session:
        assert load_scenario(session=session, name=stored) == PAYLOAD
        assert load_scenario(session=session, name="nope") is None


def test_a_taken_name_is_not_overwritten_unless_asked(db_engine: Engine) -> None:
    with session_scope(db_engine) as session:
        save_scenario(session=session, name="Base", year=2026, payload={"v": 1}, actor=EDITOR)
    with pytest.raises(ScenarioExistsError), session_scope(db_engine) as session:
        save_scenario(session=session, name="Base", year=2026, payload={"v": 2}, actor=EDITOR)
    with session_scope(db_engine) as session:
        assert load_scenario(session=session, name="Base") == {"v": 1}
        save_scenario(
            session=session, name="Base", year=2027, payload={"v": 3}, replace=True, actor=EDITOR
        )
    with session_scope(db_engine) as session:
        assert load_scenario(session=session, name="Base") == {"v": 3}
        assert [(s.name, s.year) for s in list_scenarios(session=session)] == [("Base", 2027)]


def test_list_by_year_newest_first_and_delete(db_engine: Engine) -> None:
    with session_scope(db_engine) as session:
        for name, year in (("A", 2026), ("B", 2025), ("C", 2026)):
            save_scenario(session=session, name=name, year=year, payload={}, actor=EDITOR)
    with session_scope(db_engine) as session:
        assert [s.name for s in list_scenarios(session=session, year=2026)] == ["C", "A"]
        assert delete_scenario(session=session, name="A", actor=EDITOR) is True
        assert delete_scenario(session=session, name="A", actor=EDITOR) is False
    with session_scope(db_engine) as session:
        assert [s.name for s in list_scenarios(session=session)] == ["C", "B"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_bad_names_are_refused(engine: Engine, name: str) -> None:
    with pytest.raises(ValueError, match="name"), session_scope(engine) as session:
        save_scenario(session=session, name=name, year=2026, payload={}, actor=EDITOR)
