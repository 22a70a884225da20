"""The import history: what was imported, and what undoing an import would do.

`describe_import` answers before the user confirms an undo: how many facts
go, which products are restored or removed, and whether something blocks
it (a later import that relies on what this one created or changed).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import Session, select

from loaders.result import ImportDescription, ImportSummary
from models.db import session_scope
from models.enums import ImportStatus
from models.tables import DataImport, Product

__all__ = [
    "FACT_TABLES",
    "IMPORT_TABLES",
    "blockers",
    "describe_import",
    "get_import",
    "list_imports",
    "undo_info",
]

FACT_TABLES = (
    "usage_record",
    "aggregate_usage",
    "budget_line",
    "contract",
    "outcome_measure",
    "experiment_result",
    "product_release",
)
_PRODUCT_TABLES = (*FACT_TABLES, "content_item")
IMPORT_TABLES = (*FACT_TABLES, "person", "learner_unit")
"""Every table whose rows belong to one import (undo deletes them): the facts, the roster's
people and the org units usage gave learners."""


def get_import(session: Session, import_id: int) -> DataImport:
    """The import row, or a LookupError naming the id."""
    row = session.get(DataImport, import_id)
    if row is None:
        msg = f"there is no import with id {import_id}"
        raise LookupError(msg)
    return row


def undo_info(row: DataImport) -> dict[str, Any]:
    """The import's `undo_data` with every key present."""
    data = json.loads(row.undo_data) if row.undo_data else {}
    return {"created": [], "updated": [], "vendors_created": [], **data}


def _names(imports: list[DataImport]) -> str:
    return ", ".join(f"{i.id} ({i.file_name})" for i in imports)


def blockers(session: Session, row: DataImport) -> str | None:
    """Why `row` cannot be undone now, or None.

    Products this import created cannot go while another standing import
    uses them; products it updated cannot be restored while a later
    products import has changed them again (undo that one first).
    """
    if row.status != ImportStatus.imported:
        return f"import {row.id} ({row.file_name}) is already undone"
    info = undo_info(row)
    created = [int(i) for i in info["created"]]
    if created:
        marks = ", ".join(str(i) for i in created)
        users: set[int] = set()
        for table in FACT_TABLES:
            sql = f"SELECT DISTINCT import_id FROM {table} WHERE product_id IN ({marks})"
            users.update(r[0] for r in session.execute(text(sql)))
        sql = f"SELECT id FROM data_import WHERE status = 'imported' AND product_id IN ({marks})"
        users.update(r[0] for r in session.execute(text(sql)))
        users.discard(row.id)
        registered = session.execute(
            text(f"SELECT name FROM experiment WHERE product_id IN ({marks}) ORDER BY name")
        ).all()
        if registered:
            names = ", ".join(repr(r[0]) for r in registered)
            return (
                f"experiments are registered in the app on products this import created "
                f"({names}); delete them on the Experiments page first"
            )
        if users:
            others = session.exec(select(DataImport).where(DataImport.id.in_(sorted(users)))).all()  # type: ignore[union-attr]
            names = [
                p.name for p in session.exec(select(Product).where(Product.id.in_(created))).all()
            ]  # type: ignore[union-attr]
            return (
                f"products created by this import ({', '.join(sorted(names))}) are used by "
                f"import(s) {_names(list(others))}; undo those first"
            )
    mine = {int(u["id"]): u["name"] for u in info["updated"]}
    if created:
        found = session.exec(select(Product).where(Product.id.in_(created))).all()  # type: ignore[union-attr]
        mine.update({p.id: p.name for p in found if p.id is not None})
    if mine:
        later = session.exec(
            select(DataImport)
            .where(DataImport.kind == row.kind)
            .where(DataImport.status == ImportStatus.imported)
            .where(DataImport.id > row.id)  # type: ignore[operator]
        ).all()
        for other in later:
            touched = {int(u["id"]) for u in undo_info(other)["updated"]}
            again = sorted(mine[i] for i in touched & set(mine))
            if again:
                return (
                    f"product(s) {', '.join(again)} were changed again by import "
                    f"{_names([other])}; undo that first"
                )
    return None


def _count_facts(session: Session, import_id: int) -> dict[str, int]:
    counts = {}
    for table in IMPORT_TABLES:
        sql = text(f"SELECT COUNT(*) FROM {table} WHERE import_id = :i")
        counts[table] = int(session.execute(sql, {"i": import_id}).scalar_one())
    return counts


def describe_import(import_id: int, *, engine: Engine) -> ImportDescription:
    """What undoing `import_id` would remove and restore, and whether it is blocked."""
    with session_scope(engine) as session:
        row = get_import(session, import_id)
        info = undo_info(row)
        created = session.exec(select(Product.name).where(Product.id.in_(info["created"]))).all()  # type: ignore[union-attr]
        return ImportDescription(
            import_id=import_id,
            file=row.file_name,
            kind=str(row.kind.value if hasattr(row.kind, "value") else row.kind),
            status=str(row.status.value if hasattr(row.status, "value") else row.status),
            facts=_count_facts(session, import_id),
            products_created=sorted(created),
            products_updated=sorted(u["name"] for u in info["updated"]),
            blocked=blockers(session, row),
        )


def list_imports(*, engine: Engine) -> list[ImportSummary]:
    """Every recorded import, newest first, for the history table."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(DataImport, Product.name)
            .join(Product, Product.id == DataImport.product_id, isouter=True)  # type: ignore[arg-type]
            .order_by(DataImport.id.desc())  # type: ignore[union-attr]
        ).all()
        return [
            ImportSummary(
                import_id=row.id or 0,
                file=row.file_name,
                kind=str(getattr(row.kind, "value", row.kind)),
                format=row.format,
                vendor=row.vendor,
                product=product,
                grain=str(getattr(row.grain, "value", row.grain)) if row.grain else None,
                period_start=row.period_start,
                period_end=row.period_end,
                rows_read=row.rows_read,
                rows_imported=row.rows_imported,
                status=str(getattr(row.status, "value", row.status)),
                created_at=row.created_at,
                undone_at=row.undone_at,
                content_hash=row.content_hash,
                created_by=row.created_by,
            )
            for row, product in rows
        ]
