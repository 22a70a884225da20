"""Vendors named by products.csv and contracts.csv, found or created by loose name."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from loaders.formats import vendor_key
from models.tables import Vendor

__all__ = ["upsert_vendors"]


def upsert_vendors(session: Session, names: Iterable[str]) -> tuple[dict[str, int], list[int]]:
    """Map each vendor name's key (`vendor_key`) to a vendor id, creating missing vendors.

    Returns
    -------
    tuple
        (name key -> vendor id, ids of the vendors created), so undo can
        remove what this import added.
    """
    wanted: dict[str, str] = {}
    for name in names:
        key = vendor_key(name)  # capped at the stored key's length
        if key:
            wanted.setdefault(key, name.strip())
    if not wanted:
        return {}, []
    found = session.exec(select(Vendor).where(Vendor.name_key.in_(list(wanted)))).all()  # type: ignore[attr-defined]
    ids = {v.name_key: v.id for v in found if v.id is not None}
    created: list[int] = []
    for key, name in wanted.items():
        if key not in ids:
            vendor = Vendor(name=name[:200], name_key=key)
            session.add(vendor)
            session.flush()
            assert vendor.id is not None
            ids[key] = vendor.id
            created.append(vendor.id)
    return ids, created
