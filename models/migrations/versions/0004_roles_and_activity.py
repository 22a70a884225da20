"""Roles and the activity log: who may write, and who wrote what when.

Revision 0004, after 0003. Adds the `activity` table (one row per write:
import, undo, edit, scenario, mapping, role, erasure) and `role_grant` (roles
an admin gives in the app), and records who made an import
(`data_import.created_by`) and who saved a scenario last
(`saved_scenario.updated_by`). Rows written before this revision keep a null
author: they were made before anyone signed in. No row changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ROLE = sa.Enum("viewer", "editor", "admin", name="role")


def _timestamp(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    """Create `activity` and `role_grant`; add the two author columns."""
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        _timestamp("at"),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("role", ROLE, nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_activity_at", "activity", ["at"])
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=320), nullable=False),
        sa.Column("role", ROLE, nullable=False),
        sa.Column("granted_by", sa.String(length=320), nullable=False),
        _timestamp("granted_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject"),
    )
    with op.batch_alter_table("data_import") as batch:
        batch.add_column(sa.Column("created_by", sa.String(length=320), nullable=True))
    with op.batch_alter_table("saved_scenario") as batch:
        batch.add_column(sa.Column("updated_by", sa.String(length=320), nullable=True))


def downgrade() -> None:
    """Drop what `upgrade` added (the log and the grants are lost)."""
    with op.batch_alter_table("saved_scenario") as batch:
        batch.drop_column("updated_by")
    with op.batch_alter_table("data_import") as batch:
        batch.drop_column("created_by")
    op.drop_table("role_grant")
    op.drop_index("ix_activity_at", table_name="activity")
    op.drop_table("activity")
    ROLE.drop(op.get_bind(), checkfirst=True)
