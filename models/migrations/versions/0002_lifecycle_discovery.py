"""Lifecycle stage `discovery`, before `pilot` (DESIGN.md, "Settled for the next capabilities").

Revision 0002, after 0001. Every product keeps its stage; the new value only
becomes allowed.

* PostgreSQL: the native enum type ``lifecyclestage`` gains the value,
  placed before ``pilot`` so the type is what `create_all` makes from
  `models.enums.LifecycleStage`. Before PostgreSQL 12, ``ALTER TYPE ... ADD
  VALUE`` cannot run inside a transaction block, so there it runs in an
  autocommit block (this revision then cannot be rolled back, and it does not
  need to be: adding a value changes no row).
* SQLite: the enum is a ``VARCHAR`` as long as the longest value, with no
  CHECK constraint; ``discovery`` (9 letters) is longer than ``retiring``
  (8), so the column becomes ``VARCHAR(9)``. SQLite cannot alter a column's
  type, so batch mode rebuilds ``product`` (copy, drop, rename; the rows,
  ids, the unique index on ``name`` and the foreign keys are kept).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BEFORE = ("pilot", "growth", "mature", "decline", "retiring")
_AFTER = ("discovery", *_BEFORE)


def upgrade() -> None:
    """Allow `discovery` as a lifecycle stage."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        statement = "ALTER TYPE lifecyclestage ADD VALUE IF NOT EXISTS 'discovery' BEFORE 'pilot'"
        if bind.dialect.server_version_info < (12,):
            with op.get_context().autocommit_block():
                op.execute(statement)
        else:
            op.execute(statement)
        return
    with op.batch_alter_table("product") as batch:
        batch.alter_column(
            "lifecycle_stage",
            existing_type=sa.Enum(*_BEFORE, name="lifecyclestage"),
            type_=sa.Enum(*_AFTER, name="lifecyclestage"),
            existing_nullable=False,
        )


def downgrade() -> None:
    """Forward only: restore the backup taken before the upgrade instead."""
    msg = "migrations are forward only: restore the backup taken before the upgrade"
    raise NotImplementedError(msg)
