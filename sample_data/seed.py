"""First-run seeding: load the sample portfolio through the real import path.

Seeding is nothing but importing the sample files in order, so seeding twice
reports every file as `duplicate` and changes nothing. The committed files
are in pounds; a deployment in another reporting currency would reject their
contracts (and, in JPY, their pence), so there the sample is generated in
that currency (same figures, its decimals) into a temporary folder and
imported from there. The generator is deterministic, so a second seeding
writes byte-identical files and is all duplicates too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import Engine

from loaders import ImportResult, import_paths
from metrics.currency import check_currency
from models import has_products, session_scope
from models.access import Actor, Role, require
from sample_data.generator import SAMPLE_AS_OF, generate, seed_files
from sample_data.money import SAMPLE_CURRENCY
from settings import get_settings

__all__ = ["FIRST_RUN", "seed", "seed_if_empty"]

FIRST_RUN = Actor("first-run seeding", Role.editor)
"""Who the app's own first-run seeding acts as, in the import history and the activity log."""


def seed(*, engine: Engine, actor: Actor, currency: str | None = None) -> list[ImportResult]:
    """Import every sample file, in dependency order (products first).

    Parameters
    ----------
    engine
        The database to fill.
    actor
        Who seeds (a viewer is refused by the import).
    currency
        The sample's currency; default the reporting currency of the settings
        (the import refuses any other). GBP imports the committed files; any
        other currency generates them first (about 3 s).
    """
    code = check_currency(currency or get_settings().reporting_currency)
    if code == SAMPLE_CURRENCY:
        return import_paths(seed_files(), engine=engine, actor=actor)
    with tempfile.TemporaryDirectory(prefix="lp-sample-") as folder:
        generate(SAMPLE_AS_OF, Path(folder), currency=code)
        return import_paths(seed_files(Path(folder)), engine=engine, actor=actor)


def seed_if_empty(
    *, engine: Engine, actor: Actor, currency: str | None = None
) -> list[ImportResult] | None:
    """Seed only a database with no products yet; returns None when it had some.

    A viewer is refused whether or not the database is empty, so the answer
    never depends on what is stored.
    """
    require(actor, Role.editor, "load the sample portfolio")
    with session_scope(engine) as session:
        if has_products(session=session):
            return None
    return seed(engine=engine, actor=actor, currency=currency)
