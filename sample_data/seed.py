"""First-run seeding: load the sample portfolio through the real import path.

Seeding is nothing but importing the sample files in order, so seeding twice
reports every file as `duplicate` and changes nothing.
"""

from __future__ import annotations

from sqlalchemy import Engine

from loaders import ImportResult, import_paths
from models import has_products, session_scope
from sample_data import seed_files

__all__ = ["seed", "seed_if_empty"]


def seed(*, engine: Engine) -> list[ImportResult]:
    """Import every sample file, in dependency order (products first)."""
    return import_paths(seed_files(), engine=engine)


def seed_if_empty(*, engine: Engine) -> list[ImportResult] | None:
    """Seed only a database with no products yet; returns None when it had some."""
    with session_scope(engine) as session:
        if has_products(session=session):
            return None
    return seed(engine=engine)
