"""People: the HR roster and each learner's org unit from usage.

Revision 0006, after 0005. Adds the `person` table (people.csv: one row per
person per roster import, keyed by the learner key, never the identity),
the `learner_unit` table (per usage import, each learner's org unit as of
their latest dated row there) and the import kind `people`.

* PostgreSQL: the native enum type ``importkind`` gains ``people`` (in an
  autocommit block before PostgreSQL 12, as revision 0002 does).
* SQLite: the enum is a ``VARCHAR`` as long as its longest value;
  ``people`` (6 letters) fits the 11 of ``experiments``, so nothing to do.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `person` and `learner_unit`; allow the `people` import kind."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        statement = "ALTER TYPE importkind ADD VALUE IF NOT EXISTS 'people'"
        if bind.dialect.server_version_info < (12,):
            with op.get_context().autocommit_block():
                op.execute(statement)
        else:
            op.execute(statement)
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("learner_key", sa.String(length=64), nullable=False),
        sa.Column(
            "key_kind",
            sa.Enum("email", "user_id", "name", name="learnerkeykind", create_type=False),
            nullable=False,
        ),
        sa.Column("org_unit", sa.String(length=300), nullable=False),
        sa.Column("manager_key", sa.String(length=64), nullable=True),
        sa.Column("cost_centre", sa.String(length=100), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("import_id", "learner_key", name="uq_person_key"),
    )
    op.create_index("ix_person_import_id", "person", ["import_id"])
    op.create_table(
        "learner_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("org_unit", sa.String(length=300), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.ForeignKeyConstraint(["learner_id"], ["learner.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("import_id", "learner_id", name="uq_learner_unit_key"),
    )
    op.create_index("ix_learner_unit_import_id", "learner_unit", ["import_id"])


def downgrade() -> None:
    """Forward only: restore the backup taken before the upgrade instead."""
    msg = "migrations are forward only: restore the backup taken before the upgrade"
    raise NotImplementedError(msg)
