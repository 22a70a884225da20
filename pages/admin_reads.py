"""What the Data pages read besides figures: editable tables, role grants, the activity log."""

from __future__ import annotations

import polars as pl

from loaders.edits import editable_rows
from models import session_scope
from models.activity import activity_frame
from models.roles import role_grants
from models.tables import RoleGrant
from pages.cache import by_data_version, connect, engine, settings

__all__ = ["activity", "grants", "table_rows"]


@by_data_version(max_entries=16)
def table_rows(table: str, product: str | None, year: int | None) -> pl.DataFrame:
    """One editable table's stored rows (the newest import per key), as its template has them."""
    with connect() as conn:
        return editable_rows(
            conn, table, currency=settings().reporting_currency, product=product, year=year
        )


def grants() -> list[RoleGrant]:
    """The roles admins gave in the app (read on every run: a handful of rows)."""
    with session_scope(engine()) as session:
        return role_grants(session)


def activity(limit: int) -> pl.DataFrame:
    """The newest `limit` rows of the activity log, read on every run.

    Not cached by data version: saving a scenario is logged but does not bump
    it (no figure changes), and one indexed query of a page of rows is cheap.
    """
    with connect() as conn:
        return activity_frame(conn, limit=limit)
