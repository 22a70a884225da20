"""Undo an import: delete its facts, restore what it replaced, in one transaction.

Facts are stored per import and resolved when read (DESIGN.md, "Overlap and
undo"), so deleting an import's facts brings back exactly what it had
superseded. A products import also restores the values it overwrote (kept
in `undo_data`) and removes the products it created.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import Session

from loaders.history import IMPORT_TABLES, blockers, get_import, undo_info
from loaders.result import UndoResult
from loaders.writer import utc_now
from models.access import Actor, Role, require
from models.activity import log_activity
from models.db import bump_data_version, session_scope
from models.enums import ImportStatus, LifecycleStage, ProductCategory
from models.tables import Product

__all__ = ["UndoRefused", "undo_import"]

_ENUMS = {"category": ProductCategory, "lifecycle_stage": LifecycleStage}


class UndoRefused(ValueError):  # noqa: N818  (reads as what happened)
    """Undo is not possible now; the message says why and what to do first."""


def _restore(product: Product, before: dict[str, Any]) -> None:
    for key, value in before.items():
        if key in _ENUMS and value is not None:
            value = _ENUMS[key](value)
        elif key == "updated_at" and value is not None:
            value = datetime.fromisoformat(value)
        setattr(product, key, value)


def _delete_products(session: Session, ids: list[int]) -> list[str]:
    if not ids:
        return []
    names = []
    marks = ", ".join(str(int(i)) for i in ids)
    # Imports already undone may still name the product; they keep their file name.
    session.execute(text(f"UPDATE data_import SET product_id = NULL WHERE product_id IN ({marks})"))
    session.execute(text(f"DELETE FROM content_item WHERE product_id IN ({marks})"))
    for pid in ids:
        product = session.get(Product, pid)
        if product is not None:
            names.append(product.name)
            session.delete(product)
    session.flush()
    return sorted(names)


def _delete_vendors(session: Session, ids: list[int]) -> None:
    for vid in ids:
        sql = text(
            "DELETE FROM vendor WHERE id = :v"
            " AND NOT EXISTS (SELECT 1 FROM product WHERE vendor_id = :v)"
            " AND NOT EXISTS (SELECT 1 FROM contract WHERE vendor_id = :v)"
        )
        session.execute(sql, {"v": int(vid)})


def undo_import(import_id: int, *, engine: Engine, actor: Actor) -> UndoResult:
    """Undo one import (see the module docstring); the import row stays, marked `undone`.

    Raises
    ------
    LookupError
        When there is no such import.
    UndoRefused
        When it is already undone, or a later import relies on it
        (`describe_import` shows the same reason beforehand).
    models.access.NotAllowedError
        When `actor` is a viewer; nothing is changed.
    """
    require(actor, Role.editor, "undo an import")
    with session_scope(engine) as session:
        row = get_import(session, import_id)
        reason = blockers(session, row)
        if reason is not None:
            raise UndoRefused(reason)
        removed = {}
        for table in IMPORT_TABLES:
            deleted = session.execute(
                text(f"DELETE FROM {table} WHERE import_id = :i"),
                {"i": import_id},
            )
            removed[table] = int(deleted.rowcount or 0)  # type: ignore[attr-defined]
        info = undo_info(row)
        restored = []
        for item in info["updated"]:
            product = session.get(Product, int(item["id"]))
            if product is not None:
                _restore(product, item["before"])
                restored.append(product.name)
        session.flush()
        deleted_products = _delete_products(session, [int(i) for i in info["created"]])
        _delete_vendors(session, [int(i) for i in info["vendors_created"]])
        row.status = ImportStatus.undone
        row.undone_at = utc_now()
        log_activity(
            session,
            actor,
            "undo",
            subject=row.file_name,
            detail=f"{sum(removed.values()):,} rows removed",
            import_id=import_id,
        )
        bump_data_version(session=session)
        return UndoResult(
            import_id=import_id,
            file=row.file_name,
            removed=removed,
            products_restored=sorted(restored),
            products_deleted=deleted_products,
        )
