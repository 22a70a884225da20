"""Which product a file feeds.

The generic usage template names its product in every row. A vendor report
feeds `--product` if given, else the one product whose contract or products
row names the report's vendor (any of the detector's aliases, compared
ignoring case, spaces and punctuation); none or several distinct products
reject the file with a message asking for `--product` (DESIGN.md, "Routing").
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlmodel import Session

from loaders.errors import Rejected
from loaders.formats import Detection, Format, vendor_key

__all__ = ["product_lookup", "route_vendor_report"]


def product_lookup(session: Session) -> dict[str, tuple[int, str]]:
    """Lower-cased, trimmed product name -> (id, name as stored), as polars lower-cases."""
    rows = session.execute(text("SELECT id, name FROM product")).all()
    return {name.strip().lower(): (pid, name) for pid, name in rows}


def _vendor_products(session: Session, keys: set[str]) -> dict[int, str]:
    sql = text(
        """
        SELECT p.id, p.name, v.name_key FROM product p JOIN vendor v ON v.id = p.vendor_id
        UNION
        SELECT p.id, p.name, v.name_key FROM contract c
        JOIN data_import i ON i.id = c.import_id AND i.status = 'imported'
        JOIN product p ON p.id = c.product_id JOIN vendor v ON v.id = c.vendor_id
        """
    )
    rows = session.execute(sql).all()
    return {pid: name for pid, name, key in rows if key in keys}


def route_vendor_report(
    session: Session,
    detection: Detection,
    *,
    product: str | None,
    formats: Sequence[Format] = (),
) -> tuple[int, str]:
    """The (id, name) of the product a vendor report feeds.

    A vendor named with `--vendor` is matched under every alias of the
    registered formats that serve it (`formats`), so `--vendor linkedin` on a
    format without a vendor of its own (xAPI statements) finds the product
    whose row says "LinkedIn Learning".

    Raises
    ------
    Rejected
        When `product` names no product, or without it when no product or
        several name the vendor, or the format has no vendor and none was given.
    """
    products = product_lookup(session)
    if product is not None:
        found = products.get(product.strip().lower())
        if found is None:
            msg = f"product '{product}' does not exist; add it with products.csv first"
            raise Rejected.single(msg)
        return found
    fmt = detection.format
    vendor = detection.vendor or fmt.vendor or ""
    if not vendor_key(vendor):
        msg = (
            f"{fmt.title}: the file names no vendor to route it by; "
            "pass --product NAME (or --vendor NAME) to say which product it feeds"
        )
        raise Rejected.single(msg)
    names = [vendor]
    for served in (fmt, *formats):
        if served.vendor and served.serves(vendor):
            names.extend((*served.aliases, served.vendor))
    keys = {vendor_key(n) for n in names if vendor_key(n)}
    matches = _vendor_products(session, keys)
    if not matches:
        msg = (
            f"no product names the vendor {vendor} in products.csv or contracts.csv; "
            "pass --product NAME to say which product this report feeds"
        )
        raise Rejected.single(msg)
    if len(matches) > 1:
        listed = ", ".join(sorted(matches.values()))
        msg = (
            f"several products name the vendor {vendor} ({listed}); "
            "pass --product NAME to say which one this report feeds"
        )
        raise Rejected.single(msg)
    pid, name = next(iter(matches.items()))
    return pid, name
