"""people.csv: Northwind Group's HR roster, drawn from the same staff list as every report.

One row per person of the staff list, current staff and the window's leavers:
the e-mail every report carries, the org unit, a manager, a cost centre and
the dates in post (`end_date` is the last day in post, the day before the
leave date; blank for current staff). With it, the first run shows reach by
org unit (active learners ÷ people in post) and the filter by org unit.

Managers: each person reports to one of the current managers of their own
unit (never themselves), drawn from the roster's own random stream, so the
roster never moves another file's bytes.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Final

from sample_data.staff import ORG_UNITS, Person

__all__ = ["COST_CENTRES", "people_rows"]

COST_CENTRES: Final[dict[str, str]] = {
    "Operations": "CC-OPS",
    "Customer Service": "CC-CUS",
    "Sales": "CC-SAL",
    "Engineering": "CC-ENG",
    "Finance": "CC-FIN",
    "Marketing": "CC-MKT",
    "HR": "CC-HR",
    "Legal": "CC-LEG",
}
"""Each org unit's cost centre, "CC-" and a code of the unit."""


def _managers(staff: list[Person]) -> dict[str, list[Person]]:
    """The current managers of each unit, in order of hire."""
    out: dict[str, list[Person]] = {name: [] for name, _ in ORG_UNITS}
    for p in staff:
        if p.is_manager and p.leave_date is None:
            out[p.org_unit].append(p)
    return out


def people_rows(rng: random.Random, staff: list[Person]) -> list[dict[str, str | None]]:
    """Rows of people.csv (the template's columns), one per person, in order of employee id."""
    managers = _managers(staff)
    rows: list[dict[str, str | None]] = []
    for p in staff:
        bosses = [m for m in managers[p.org_unit] if m is not p]
        boss = rng.choice(bosses) if bosses else None
        rows.append(
            {
                "learner": p.email,
                "org_unit": p.org_unit,
                "manager": None if boss is None else boss.email,
                "cost_centre": COST_CENTRES[p.org_unit],
                "start_date": p.hire_date.isoformat(),
                "end_date": None
                if p.leave_date is None
                else (p.leave_date - timedelta(days=1)).isoformat(),
            }
        )
    return rows
