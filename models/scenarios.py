"""Saved what-if scenarios: save, list, load and delete by name.

Why here and not in `planning`: `planning` is pure and never touches the
database. These functions store and return the scenario's plain dict
(`planning.scenarios.Scenario.to_dict()`); the caller turns it back into a
`Scenario`, which validates it. Saving does not bump the data version: a
scenario changes no figure the cached readers compute.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models.access import Actor, Role, require
from models.activity import log_activity
from models.tables import SavedScenario, utcnow

__all__ = [
    "ScenarioExistsError",
    "ScenarioInfo",
    "delete_scenario",
    "list_scenarios",
    "load_scenario",
    "save_scenario",
]

MAX_NAME = 120


class ScenarioExistsError(ValueError):
    """A scenario of that name is saved already and the caller did not ask to replace it."""


@dataclass(frozen=True)
class ScenarioInfo:
    """One saved scenario as the picker lists it."""

    name: str
    year: int
    updated_at: datetime


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        msg = "a scenario needs a name"
        raise ValueError(msg)
    if len(cleaned) > MAX_NAME:
        msg = f"a scenario name has at most {MAX_NAME} characters (got {len(cleaned)})"
        raise ValueError(msg)
    return cleaned


def save_scenario(
    *,
    session: Session,
    actor: Actor,
    name: str,
    year: int,
    payload: dict[str, Any],
    replace: bool = False,
) -> str:
    """Store `payload` under `name` (whitespace collapsed); return the stored name.

    Raises `ScenarioExistsError` when the name is taken and `replace` is false, so
    a second person in the meeting cannot overwrite a scenario by accident, and
    `models.access.NotAllowedError` when `actor` is a viewer (nothing is saved).
    """
    require(actor, Role.editor, "save a scenario")
    cleaned = _clean_name(name)
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, allow_nan=False)
    row = session.exec(select(SavedScenario).where(SavedScenario.name == cleaned)).first()
    if row is None:
        session.add(SavedScenario(name=cleaned, year=year, payload=text, updated_by=actor.name))
    elif not replace:
        msg = f"a scenario named {cleaned!r} exists already"
        raise ScenarioExistsError(msg)
    else:
        row.year, row.payload, row.updated_at = year, text, utcnow()
        row.updated_by = actor.name
        session.add(row)
    log_activity(session, actor, "scenario_save", subject=cleaned, detail=str(year))
    return cleaned


def list_scenarios(*, session: Session, year: int | None = None) -> list[ScenarioInfo]:
    """Saved scenarios, newest first (only `year`'s when given)."""
    query = select(SavedScenario)
    if year is not None:
        query = query.where(SavedScenario.year == year)
    rows = session.exec(
        query.order_by(col(SavedScenario.updated_at).desc(), col(SavedScenario.name))
    )
    return [ScenarioInfo(r.name, r.year, r.updated_at) for r in rows]


def load_scenario(*, session: Session, name: str) -> dict[str, Any] | None:
    """The stored dict of `name`, or None when there is no such scenario."""
    row = session.exec(select(SavedScenario).where(SavedScenario.name == name)).first()
    return None if row is None else json.loads(row.payload)


def delete_scenario(*, session: Session, actor: Actor, name: str) -> bool:
    """Remove `name`; False when it did not exist; a viewer is refused."""
    require(actor, Role.editor, "delete a scenario")
    row = session.exec(select(SavedScenario).where(SavedScenario.name == name)).first()
    if row is None:
        return False
    session.delete(row)
    log_activity(session, actor, "scenario_delete", subject=name)
    return True
