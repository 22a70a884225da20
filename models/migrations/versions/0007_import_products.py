"""Import products: which products an import spread over several products fed.

Revision 0007, after 0006. Adds the `import_product` table (one row per
import and product it fed, for imports whose `data_import.product_id` is
null: the usage template, multi-product summaries) and fills it from the
facts already stored, so the pages' freshness read
(`models.frames.usage_imports_frame`) stops reading every fact of those
imports. An import with no rows here is still looked up in its facts, so a
database written before this revision reads the same.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `import_product` and fill it from the stored facts."""
    op.create_table(
        "import_product",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.PrimaryKeyConstraint("import_id", "product_id"),
    )
    for table in ("usage_record", "aggregate_usage"):
        op.execute(
            f"""
            INSERT INTO import_product (import_id, product_id)
            SELECT DISTINCT f.import_id, f.product_id
            FROM {table} f JOIN data_import i ON i.id = f.import_id
            WHERE i.product_id IS NULL
            """
        )


def downgrade() -> None:
    """Forward only: restore the backup taken before the upgrade instead."""
    msg = "migrations are forward only: restore the backup taken before the upgrade"
    raise NotImplementedError(msg)
