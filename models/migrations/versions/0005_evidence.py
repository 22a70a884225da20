"""Evidence beyond completions: experiments, survey answers and releases.

Revision 0005, after 0004. Adds the `experiment` table (hypothesis, design,
primary metric, dates, owner), the `experiment_result` table (one variant's
numbers per row), the `product_release` table (from releases.csv) and the
import kinds `experiments`, `survey` and `releases` (survey answers are stored
as the outcome measures they aggregate to).

* PostgreSQL: the native enum type ``importkind`` gains the values (in an
  autocommit block before PostgreSQL 12, as revision 0002 does).
* SQLite: the enum is a ``VARCHAR`` as long as its longest value;
  ``experiments`` (11 letters) is longer than ``aggregate`` (9), so batch
  mode rebuilds ``data_import`` (rows, ids, indexes and foreign keys kept).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BEFORE = ("usage", "aggregate", "products", "budgets", "contracts", "outcomes")
_AFTER = (*_BEFORE, "experiments", "survey", "releases")


def upgrade() -> None:
    """Create `experiment`, `experiment_result` and `product_release`; allow the new kinds."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for value in ("experiments", "survey", "releases"):
            statement = f"ALTER TYPE importkind ADD VALUE IF NOT EXISTS '{value}'"
            if bind.dialect.server_version_info < (12,):
                with op.get_context().autocommit_block():
                    op.execute(statement)
            else:
                op.execute(statement)
    else:
        with op.batch_alter_table("data_import") as batch:
            batch.alter_column(
                "kind",
                existing_type=sa.Enum(*_BEFORE, name="importkind"),
                type_=sa.Enum(*_AFTER, name="importkind"),
                existing_nullable=False,
            )
    op.create_table(
        "experiment_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("experiment", sa.String(length=200), nullable=False),
        sa.Column("variant", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("conversions", sa.Integer(), nullable=True),
        sa.Column("mean", sa.Float(), nullable=True),
        sa.Column("sd", sa.Float(), nullable=True),
        sa.Column("metric", sa.String(length=200), nullable=True),
        sa.Column("hoped_effect", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "import_id", "product_id", "experiment", "variant", name="uq_experiment_result_key"
        ),
    )
    op.create_index("ix_experiment_result_import_id", "experiment_result", ["import_id"])
    op.create_table(
        "experiment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("hypothesis", sa.Text(), nullable=False),
        sa.Column(
            "design",
            sa.Enum("ab", "pilot_control", "before_after", name="experimentdesign"),
            nullable=False,
        ),
        sa.Column("primary_metric", sa.String(length=200), nullable=False),
        sa.Column("hoped_effect", sa.Float(), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("product_id", "name", name="uq_experiment_name"),
    )
    op.create_index("ix_experiment_product_id", "experiment", ["product_id"])
    op.create_table(
        "product_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("content", "feature", "fix", "campaign", name="releasekind"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("import_id", "product_id", "date", "title", name="uq_release_key"),
    )
    op.create_index("ix_product_release_import_id", "product_release", ["import_id"])


def downgrade() -> None:
    """Forward only: restore the backup taken before the upgrade instead."""
    msg = "migrations are forward only: restore the backup taken before the upgrade"
    raise NotImplementedError(msg)
