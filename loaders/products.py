"""products.csv: an upsert of products by name, undoable.

Columns present in the file are authoritative for the products it names (a
blank cell clears the value, or sets the default category/stage); columns
absent keep what each product had. The values an update replaced are kept
in `DataImport.undo_data`, so undo restores them exactly.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from pydantic import ValidationError
from sqlmodel import Session, select

from loaders.checks import parse_enum_column, repeated_keys, report, required_text
from loaders.errors import ROW, ErrorLog, Rejected
from loaders.formats import vendor_key
from loaders.job import Job
from loaders.values import blank_missing, parse_bool, parse_int
from loaders.vendors import upsert_vendors
from loaders.writer import dumps, utc_now
from models.enums import LifecycleStage, ProductCategory
from models.tables import Product, ProductBase

__all__ = ["run_products"]

_TEXT = {
    "owner": "owner",
    "sponsor": "sponsor",
    "target_audience": "target_audience",
    "business_goal": "business_goal",
    "business_problem": "business_problem",
}
_ENUMS = {
    "category": (ProductCategory, ProductCategory.other),
    "lifecycle_stage": (LifecycleStage, LifecycleStage.mature),
}
_INTS = {"strategic_fit": (1, 5), "target_audience_size": (0, None)}


def _typed(job: Job, frame: pl.DataFrame, src: dict[str, str], errors: ErrorLog) -> pl.DataFrame:
    """Product attributes, by model field name, for the columns the file has."""
    rows = frame.get_column(ROW)
    out: dict[str, pl.Series] = {}
    for column, (enum_type, default) in _ENUMS.items():
        if column in src:
            out[column] = parse_enum_column(errors, frame, column, src[column], enum_type, default)
    for column, (low, high) in _INTS.items():
        if column in src:
            parsed = parse_int(
                frame.get_column(column), column=src[column], minimum=low, maximum=high
            )
            report(errors, frame.get_column(column), rows, parsed, src[column])
            out[column] = parsed.values
    if "core" in src:
        parsed = parse_bool(frame.get_column("core"), column=src["core"])
        report(errors, frame.get_column("core"), rows, parsed, src["core"])
        out["is_core"] = parsed.values
    for column, field in _TEXT.items():
        if column in src:
            out[field] = blank_missing(frame.get_column(column))
    return pl.DataFrame(out) if out else pl.DataFrame({"__none": [None] * frame.height})


def _validate_models(
    frame: pl.DataFrame, typed: pl.DataFrame, src: dict[str, str], errors: ErrorLog
) -> None:
    """Lengths and ranges as the model declares them (STYLE.md: typed rows go through it)."""
    fields = [c for c in typed.columns if c != "__none"]
    names = frame.get_column("product").str.strip_chars().to_list()
    back = {"is_core": "core"}
    for row, name, values in zip(
        frame.get_column(ROW), names, typed.select(fields).iter_rows(), strict=True
    ):
        data = {k: v for k, v in zip(fields, values, strict=True) if v is not None}
        try:
            ProductBase.model_validate({"name": name or "?", **data})
        except ValidationError as exc:
            for problem in exc.errors():
                field = str(problem["loc"][0])
                column = src.get(back.get(field, field)) or src["product"]
                errors.add(problem["msg"], row=int(row), column=column)


def run_products(job: Job, *, session: Session) -> None:
    """Validate products.csv and upsert it into `Product` (and `Vendor`)."""
    mapped = job.format.canonical(job.table)
    frame, src = mapped.frame, mapped.sources
    errors = ErrorLog()
    required_text(errors, frame, "product", src["product"])
    keyed = frame.with_columns(pl.col("product").str.strip_chars().str.to_lowercase().alias("__k"))
    repeated_keys(errors, keyed, ["__k"], "product", shown=["product"])
    typed = _typed(job, frame, src, errors)
    if not errors:
        _validate_models(frame, typed, src, errors)
    if errors:
        raise Rejected(errors)
    vendor_names = blank_missing(frame.get_column("vendor")) if "vendor" in src else None
    vendor_ids, vendors_created = upsert_vendors(
        session, vendor_names.drop_nulls().to_list() if vendor_names is not None else []
    )
    import_id = job.record(session=session)
    undo = _upsert(job, frame, typed, vendor_names, vendor_ids, import_id, session=session)
    undo["vendors_created"] = vendors_created
    assert job.record_row is not None
    job.record_row.undo_data = dumps(undo)
    job.result.products = [str(n).strip() for n in frame.get_column("product").to_list()]
    job.finish(frame.height)


def _upsert(
    job: Job,
    frame: pl.DataFrame,
    typed: pl.DataFrame,
    vendor_names: pl.Series | None,
    vendor_ids: dict[str, int],
    import_id: int,
    *,
    session: Session,
) -> dict[str, Any]:
    fields = [c for c in typed.columns if c != "__none"]
    names = [str(n).strip() for n in frame.get_column("product").to_list()]
    existing = {p.name.strip().lower(): p for p in session.exec(select(Product)).all()}
    created: list[int] = []
    updated: list[dict[str, Any]] = []
    vendors = vendor_names.to_list() if vendor_names is not None else [None] * len(names)
    for name, values, vendor in zip(names, typed.select(fields).iter_rows(), vendors, strict=True):
        attrs: dict[str, Any] = dict(zip(fields, values, strict=True))
        for column, (enum_type, _) in _ENUMS.items():
            if column in attrs and attrs[column] is not None:
                attrs[column] = enum_type(attrs[column])
        if vendor_names is not None:
            attrs["vendor_id"] = vendor_ids.get(vendor_key(vendor)) if vendor else None
        product = existing.get(name.lower())
        if product is None:
            product = Product(name=name, import_id=import_id, **attrs)
            session.add(product)
            session.flush()
            assert product.id is not None
            created.append(product.id)
            continue
        before = {k: _plain(getattr(product, k)) for k in [*attrs, "updated_at"]}
        updated.append({"id": product.id, "name": product.name, "before": before})
        for key, value in attrs.items():
            setattr(product, key, value)
        product.updated_at = utc_now()
    session.flush()
    return {"created": created, "updated": updated}


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a product attribute (enums as values, times as ISO text)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value
