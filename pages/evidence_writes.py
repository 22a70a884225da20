"""What the evidence panels change: experiment registrations and releases typed on a page.

Apart from `pages.writes` (imports, scenarios, edits, roles) to keep each
under 200 lines; every function acts as the signed-in user, whose role the
write function checks itself.
"""

from __future__ import annotations

from datetime import date

from loaders import ImportResult
from loaders.edits import add_release
from models.experiments import Registration, delete_experiment, register_experiment
from pages.access import acting
from pages.cache import engine

__all__ = ["register", "release", "unregister"]


def register(registration: Registration) -> int:
    """Register (or, with the same name, refuse) an experiment; raises ValueError or NotAllowed."""
    return register_experiment(registration, actor=acting(), engine=engine())


def unregister(product: str, name: str) -> bool:
    """Delete an experiment's registration (its imported results stay)."""
    return delete_experiment(product, name, actor=acting(), engine=engine())


def release(product: str, day: date, title: str, kind: str) -> ImportResult:
    """Record a release typed on the Product page (an import of its own, undoable)."""
    return add_release(product, day, title, kind, engine=engine(), actor=acting())
