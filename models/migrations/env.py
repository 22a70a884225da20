"""Alembic's entry point: run the revisions on the connection `models.migrate` hands over.

There is no ``alembic.ini`` and no URL here: `models.migrate.alembic_config`
builds the configuration in code and puts the connection (already inside
the right transaction or lock) in ``config.attributes``. Use
``python -m models upgrade`` / ``python -m models revision``, not the bare
``alembic`` command.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

from models import tables  # noqa: F401  (registers every table on SQLModel.metadata)


def _render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write SQLModel's own types as plain SQLAlchemy ones, so revisions do not import sqlmodel."""
    if kind == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    """Run the pending revisions on the handed-over connection."""
    connection = context.config.attributes.get("connection")
    if connection is None or context.is_offline_mode():
        msg = "run migrations with `python -m models upgrade` (it hands Alembic a connection)"
        raise RuntimeError(msg)
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite cannot ALTER a column: rebuild the table instead
        transaction_per_migration=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


# Alembic runs this file with `context.config` in place; a test collector importing it has none.
if hasattr(context, "config"):
    run_migrations()
