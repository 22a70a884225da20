"""One live import per file content: a partial unique index on `data_import.content_hash`.

Revision 0003, after 0002. The duplicate check reads before it writes, so two
uploads of the same bytes at the same moment could both pass it and land twice;
the database now refuses the second (`WHERE status = 'imported'`: an undone import
frees its content to be imported again), and the importer reports it as `duplicate`.

A database where the race already happened holds two live imports of one file;
the index cannot be built over them, so the upgrade stops and names them (undo
the later one on the Import page, then start the app again). Nothing is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.migrate import SchemaStateError

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEX = "ux_data_import_live_content"
_LIVE = sa.text("status = 'imported'")


def upgrade() -> None:
    """Refuse a second live import of the same content at the database."""
    twins = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT content_hash, MIN(id), MAX(id) FROM data_import WHERE status = 'imported' "
                "GROUP BY content_hash HAVING COUNT(*) > 1 ORDER BY MIN(id)"
            )
        )
        .all()
    )
    if twins:
        pairs = ", ".join(f"#{first} and #{last}" for _, first, last in twins[:10])
        msg = (
            f"the same file was imported twice and both imports stand ({pairs}); undo the "
            "later import of each pair on the Import page, then start again"
        )
        raise SchemaStateError(msg)
    op.create_index(
        INDEX,
        "data_import",
        ["content_hash"],
        unique=True,
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )


def downgrade() -> None:
    """Drop the index (the importer's own check remains)."""
    op.drop_index(INDEX, table_name="data_import")
