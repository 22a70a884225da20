"""The activity log: who changed what, and when.

Why in the write's own transaction: a write that commits is always logged
and a write that rolls back never is, so the log cannot disagree with the
data. The log is append-only; nothing here updates or deletes a row.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
from sqlalchemy import Connection, text
from sqlmodel import Session

from models.access import Actor
from models.tables import Activity

__all__ = ["ACTIONS", "activity_frame", "log_activity"]

ACTIONS: dict[str, str] = {
    "import": "imported a file",
    "undo": "undid an import",
    "edit": "edited data",
    "scenario_save": "saved a scenario",
    "scenario_delete": "deleted a scenario",
    "mapping_save": "saved a column mapping",
    "mapping_delete": "deleted a column mapping",
    "role_grant": "gave a role",
    "role_revoke": "took a role back",
    "erase_learner": "erased a learner's records",
    "experiment_register": "registered an experiment",
    "experiment_delete": "deleted an experiment",
}
"""Each action the log knows, as the Activity view words it."""


def log_activity(
    session: Session,
    actor: Actor,
    action: str,
    *,
    subject: str | None = None,
    detail: str | None = None,
    import_id: int | None = None,
) -> None:
    """Add one row to the log inside the caller's transaction."""
    if action not in ACTIONS:
        msg = f"unknown activity {action!r}; known: {', '.join(ACTIONS)}"
        raise ValueError(msg)
    session.add(
        Activity(
            actor=actor.name,
            role=actor.role,
            action=action,
            subject=subject[:500] if subject else subject,
            detail=detail,
            import_id=import_id,
        )
    )
    session.flush()


_SCHEMA: dict[str, pl.DataType] = {
    "at": pl.Datetime("us", "UTC"),
    "actor": pl.String(),
    "role": pl.String(),
    "action": pl.String(),
    "subject": pl.String(),
    "detail": pl.String(),
    "import_id": pl.Int64(),
}


def activity_frame(conn: Connection, *, limit: int = 1000) -> pl.DataFrame:
    """The newest `limit` log rows, newest first, with the action in words (`what`)."""
    rows = conn.execute(
        text(
            "SELECT at, actor, role, action, subject, detail, import_id FROM activity "
            "ORDER BY at DESC, id DESC LIMIT :limit"
        ),
        {"limit": limit},
    ).all()
    frame = pl.DataFrame(
        [
            (_aware(at), actor, str(role), action, subject, detail, import_id)
            for at, actor, role, action, subject, detail, import_id in rows
        ],
        schema=_SCHEMA,
        orient="row",
    )
    return frame.with_columns(
        what=pl.col("action").replace_strict(ACTIONS, default=pl.col("action"))
    )


def _aware(value: datetime | str) -> datetime:
    """SQLite hands timestamps back as naive text or datetimes; they were stored in UTC."""
    from datetime import UTC

    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
