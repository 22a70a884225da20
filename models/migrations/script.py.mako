"""${message}

Revision ${up_revision}, after ${down_revision | comma,n}; written ${create_date}.
Say here why the schema changes, and what happens to the rows already there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply the change; batch mode (render_as_batch) rebuilds SQLite tables where needed."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Forward only: restore the backup taken before the upgrade instead."""
    msg = "migrations are forward only: restore the backup taken before the upgrade"
    raise NotImplementedError(msg)
