"""Preview a file before importing it: what it is, where it goes, its first rows as stored.

A preview is a dry run of the real import on the file's first rows, read
back from the database inside the transaction and then rolled back, so
what the page shows is exactly what the import would store, never a second
interpretation of the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Engine, text
from sqlmodel import Session

from loaders.dates import DateOrder
from loaders.decoding import decode
from loaders.errors import Rejected
from loaders.formats import FORMATS, Format, header_test
from loaders.pipeline import import_file
from loaders.reading import normalise_header, read_table
from loaders.result import ImportResult
from metrics.currency import minor_per_major
from models.tables import DataImport
from settings import get_settings

__all__ = ["Preview", "preview_file"]

# Per kind of import: the rows to show, newest facts of the dry-run import only.
_QUERIES = {
    "usage": """
        SELECT p.name AS product, l.key_kind AS learner_known_by, ci.external_id AS content_id,
               ci.title AS content_title, u.activity_date, u.minutes, u.progress_pct,
               u.completed, u.completed_date, l.org_unit
        FROM usage_record u JOIN learner l ON l.id = u.learner_id
        JOIN content_item ci ON ci.id = u.content_item_id JOIN product p ON p.id = u.product_id
        WHERE u.import_id = :i ORDER BY u.id LIMIT :n""",
    "aggregate": """
        SELECT p.name AS product, a.learner_id, a.period_start, a.period_end, a.measure, a.value
        FROM aggregate_usage a JOIN product p ON p.id = a.product_id
        WHERE a.import_id = :i ORDER BY a.id LIMIT :n""",
    "budgets": """
        SELECT p.name AS product, b.month, b.cost_category, b.plan_minor, b.actual_minor
        FROM budget_line b JOIN product p ON p.id = b.product_id
        WHERE b.import_id = :i ORDER BY b.id LIMIT :n""",
    "contracts": """
        SELECT p.name AS product, c.start, c."end", c.seats, c.price_per_seat_minor, c.currency
        FROM contract c JOIN product p ON p.id = c.product_id
        WHERE c.import_id = :i ORDER BY c.id LIMIT :n""",
    "outcomes": """
        SELECT p.name AS product, o.period, o.level, o.measure, o.value, o.n, o.baseline,
               o.unit_value_minor, o.attribution_pct, o.confidence_pct, o.direction
        FROM outcome_measure o JOIN product p ON p.id = o.product_id
        WHERE o.import_id = :i ORDER BY o.id LIMIT :n""",
    "products": """
        SELECT name AS product, category, lifecycle_stage, owner, sponsor, target_audience_size,
               strategic_fit FROM product WHERE import_id = :i ORDER BY id LIMIT :n""",
}


@dataclass(frozen=True)
class Preview:
    """A file's dry run.

    `result` is what importing would say (status, format, vendor, product,
    period, decisions, problems in the previewed rows); `rows` the first rows
    as they would be stored; `headers` the file's columns as written; and
    `unknown` is true when no format comes close, so the page offers a
    column mapping.
    """

    result: ImportResult
    rows: pl.DataFrame | None
    headers: list[str]
    unknown: bool


def _read_back(session: Session, import_id: int, limit: int) -> pl.DataFrame:
    """The first rows the dry-run import wrote, money in major units of the reporting currency."""
    record = session.get(DataImport, import_id)
    kind = getattr(record.kind, "value", record.kind) if record else ""
    sql = _QUERIES.get(str(kind), "")
    if not sql:
        return pl.DataFrame()
    result = session.execute(text(sql), {"i": import_id, "n": limit})
    cols = list(result.keys())
    rows = result.fetchall()
    data = {c: [r[i] for r in rows] for i, c in enumerate(cols)}
    frame = pl.DataFrame(data, infer_schema_length=None, strict=False)
    money = [c for c in frame.columns if c.endswith("_minor")]
    if "completed" in frame.columns:  # SQLite hands booleans back as 0/1
        frame = frame.with_columns(pl.col("completed").cast(pl.Boolean))
    per = minor_per_major(get_settings().reporting_currency)
    return frame.with_columns(
        (pl.col(c) / per).alias(c.removesuffix("_minor")) for c in money
    ).drop(money)


def _headers(data: bytes, formats: tuple[Format, ...]) -> tuple[list[str], bool]:
    """The file's headers and whether any format has at least half of its required ones."""
    try:
        decode(data)
        table = read_table(data, is_header=header_test(formats))
    except Rejected:
        return [], False
    present = {normalise_header(h) for h in table.headers}
    close = any(
        len(f.required) - len(f.missing(present)) >= max(2, len(f.required) / 2) for f in formats
    )
    return list(table.headers), not close


def preview_file(
    data: bytes,
    *,
    file_name: str,
    engine: Engine,
    formats: tuple[Format, ...] = FORMATS,
    vendor: str | None = None,
    product: str | None = None,
    period: str | tuple[date, date] | None = None,
    date_order: DateOrder | None = None,
    limit: int = 20,
) -> Preview:
    """Dry-run the import of `data` on its first `limit` rows; nothing is kept."""
    headers, unknown = _headers(data, formats)

    def capture(session: Session, import_id: int) -> object:
        return _read_back(session, import_id, limit)

    outcome = import_file(
        data,
        file_name=file_name,
        engine=engine,
        vendor=vendor,
        product=product,
        period=period,
        date_order=date_order,
        formats=formats,
        dry_run=(limit, capture),
    )
    rows = outcome.preview if isinstance(outcome.preview, pl.DataFrame) else None
    return Preview(outcome, rows, headers, unknown and outcome.status == "rejected")
