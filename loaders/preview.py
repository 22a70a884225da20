"""Preview a file before importing it: what it is, where it goes, its first rows as stored.

A preview is a dry run of the real import on the file's first rows, read
back from the database inside the transaction and then rolled back, so
what the page shows is exactly what the import would store, never a second
interpretation of the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from sqlalchemy import Engine, text
from sqlmodel import Session

from loaders.archives import upload_kind
from loaders.dates import DateOrder
from loaders.errors import ROW, Rejected
from loaders.formats import FORMATS, Format, header_test
from loaders.formats.base import resolve
from loaders.pipeline import import_file
from loaders.reading import normalise_header
from loaders.result import ImportResult
from loaders.sniff import read_upload
from metrics.currency import minor_per_major
from metrics.investment import COST_CATEGORY_LABELS
from models.access import Actor
from models.tables import DataImport
from settings import get_settings

__all__ = [
    "HEAD_SLACK",
    "Preview",
    "column_labels",
    "converted_from",
    "file_head",
    "preview_file",
    "readable_rows",
]

HEAD_SLACK = 200
"""Lines read beyond the rows shown: title lines, blank lines and summary rows before them."""
_BOMS_16 = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}

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
        SELECT p.name AS product, a.period_start, a.period_end, a.measure, a.value
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


# Plain-English names of the stored columns, for those no column of the file gave.
_PLAIN = {
    "product": "Product",
    "learner_known_by": "Learner identified by",
    "content_id": "Content id",
    "content_title": "Content title",
    "activity_date": "Activity date",
    "minutes": "Minutes",
    "progress_pct": "Progress (%)",
    "completed": "Completed",
    "completed_date": "Completion date",
    "org_unit": "Org unit",
    "period_start": "Period start",
    "period_end": "Period end",
    "measure": "Measure",
    "value": "Value",
    "month": "Month",
    "cost_category": "Cost category",
    "plan": "Plan",
    "actual": "Actual",
    "start": "Start",
    "end": "End",
    "seats": "Seats",
    "price_per_seat": "Price per seat",
    "currency": "Currency",
    "period": "Period",
    "level": "Level",
    "n": "Learners measured",
    "baseline": "Baseline",
    "unit_value": "Value per unit",
    "attribution_pct": "Attribution (%)",
    "confidence_pct": "Confidence (%)",
    "direction": "Direction",
    "category": "Category",
    "lifecycle_stage": "Lifecycle stage",
    "owner": "Owner",
    "sponsor": "Sponsor",
    "target_audience_size": "Target audience",
    "strategic_fit": "Strategic fit",
}
# Stored column -> the `UsageMap` field whose file column it came from.
_USAGE_SOURCE = {
    "product": "product",
    "content_id": "content_id",
    "content_title": "content_title",
    "activity_date": "activity_date",
    "minutes": "minutes",
    "progress_pct": "progress",
    "completed": "completed",
    "completed_date": "completed_date",
    "org_unit": "org_unit",
}
# Stored enum values as a person reads them (the rest: underscores become spaces).
_VALUES = {
    "learner_known_by": {"email": "e-mail", "user_id": "user id", "name": "name (weak key)"},
    "cost_category": COST_CATEGORY_LABELS,
}
_ENUM_COLUMNS = (
    "learner_known_by",
    "cost_category",
    "category",
    "lifecycle_stage",
    "direction",
    "measure",
)


def column_labels(fmt: Format | None, headers: list[str], columns: list[str]) -> dict[str, str]:
    """Stored column -> what the preview calls it: the file's header, else a plain label.

    Why: the person importing knows their file's columns ("Content Hours
    Viewed", "Completed on"), not the tables' (`progress_pct`). A value
    converted on the way in keeps the plain name ("Minutes", not "Content
    Hours Viewed", which would be wrong for its figures); `converted_from`
    says where it came from.
    Labels are unique (a file column feeding two stored ones gets the
    plain name added).
    """
    written = {normalise_header(h): h for h in reversed(headers)}  # first column wins
    out: dict[str, str] = {}
    for col in columns:
        plain = _PLAIN.get(col, col.replace("_", " ").capitalize())
        if fmt is not None and fmt.usage is not None:
            field = _USAGE_SOURCE.get(col)
            source = resolve(getattr(fmt.usage, field), written) if field else None
        else:
            source = written.get(normalise_header(col)) or written.get(
                normalise_header(col.replace("_", " "))
            )
        label = source or plain
        if source and col == "minutes" and normalise_header(source) != "minutes":
            label = plain
        if label in out.values():
            label = f"{label} ({plain.lower()})"
        out[col] = label
    return out


def converted_from(fmt: Format | None, headers: list[str]) -> dict[str, str]:
    """Stored column -> the file's column it was converted from (time spent, to minutes).

    For the preview's column help: "Minutes" computed from "Content Hours Viewed".
    """
    if fmt is None or fmt.usage is None:
        return {}
    written = {normalise_header(h): h for h in reversed(headers)}
    source = resolve(fmt.usage.minutes, written)
    if source is None or normalise_header(source) == "minutes":
        return {}
    return {"minutes": source}


def readable_rows(rows: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """`rows` with plain values for stored codes and columns renamed by `labels`.

    Numbers, dates and booleans keep their types (the table sorts them as
    such); only enum codes such as ``design_development`` become words.
    """
    words = [
        pl.col(c).replace(_VALUES.get(c, {})).str.replace_all("_", " ").alias(c)
        for c in _ENUM_COLUMNS
        if c in rows.columns and rows.schema[c] == pl.String
    ]
    return rows.with_columns(words).rename({c: labels.get(c, c) for c in rows.columns})


@dataclass(frozen=True)
class Preview:
    """A file's dry run.

    `result` is what importing would say (status, format, vendor, product,
    period, decisions, problems in the previewed rows); `rows` the first rows
    as they would be stored; `headers` the file's columns as written; and
    `unknown` is true when no format comes close, so the page offers a
    column mapping; `partial` is true when only the file's head was read
    (its `rows_read` then counts the head's rows, not the file's);
    `labels` names each column of `rows` as the person knows it
    (`column_labels`; `readable_rows` applies them) and `sources` the file
    columns converted on the way in (`converted_from`); `cells` holds the
    head's cells as text, by header, for `loaders.suggest` to score columns on.
    """

    result: ImportResult
    rows: pl.DataFrame | None
    headers: list[str]
    unknown: bool
    partial: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    cells: pl.DataFrame | None = None
    sources: dict[str, str] = field(default_factory=dict)


def _line_end(data: bytes) -> tuple[bytes, int]:
    """The line separator's bytes and the code unit width, from the file's start."""
    codec = _BOMS_16.get(data[:2])
    if codec is not None:
        return "\n".encode(codec), 2
    start = data[: 1 << 16]
    if b"\n" not in start and b"\r" in start:  # classic Mac line ends
        return b"\r", 1
    return b"\n", 1


def file_head(data: bytes, *, rows: int) -> bytes | None:
    """The file's first `rows` + `HEAD_SLACK` records, cut after a line end; None if that is all.

    Why: a preview shows 20 rows, so it must not parse a 250 MB upload.
    The cut is made only where every quote opened has closed (a quoted field
    may span lines), at a whole code unit (UTF-16 files keep their pairs),
    and after a line end, which no UTF-8 or single-byte character contains.
    """
    sep, unit = _line_end(data)
    quote = (
        '"'.encode("utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be") if unit == 2 else b'"'
    )
    pos, records, quotes = 0, 0, 0
    while records < rows + HEAD_SLACK:
        found = data.find(sep, pos)
        while found != -1 and found % unit:
            found = data.find(sep, found + 1)
        if found == -1:
            return None
        quotes += data.count(quote, pos, found)
        pos = found + len(sep)
        if quotes % 2 == 0:
            records += 1
    return data[:pos] if pos < len(data) else None


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


def _headers(
    data: bytes, formats: tuple[Format, ...]
) -> tuple[list[str], bool, pl.DataFrame | None]:
    """The file's headers, whether no format has half of its required ones, its text cells."""
    try:
        table = read_upload(data, is_header=header_test(formats))
    except Rejected:
        return [], False, None
    present = {normalise_header(h) for h in table.headers}
    close = any(
        len(f.required) - len(f.missing(present)) >= max(2, len(f.required) / 2) for f in formats
    )
    cells = table.frame.select(c for c in table.frame.columns if c != ROW)
    return list(table.headers), not close, cells


def preview_file(
    data: bytes,
    *,
    file_name: str,
    engine: Engine,
    actor: Actor,
    formats: tuple[Format, ...] = FORMATS,
    vendor: str | None = None,
    product: str | None = None,
    period: str | tuple[date, date] | None = None,
    date_order: DateOrder | None = None,
    limit: int = 20,
) -> Preview:
    """Dry-run the import of `data` on its first `limit` rows; nothing is kept.

    A dry run goes through the import's writes (rolled back), so it takes the
    acting user and refuses a viewer like the import itself.

    Only a text file's head is read (`file_head`); the duplicate check still
    compares the whole file's hash. A workbook is read whole: its bytes are
    compressed, so no head of them is a workbook.
    """
    head = file_head(data, rows=limit) if upload_kind(data) == "text" else None
    sample = data if head is None else head
    headers, unknown, cells = _headers(sample, formats)

    def capture(session: Session, import_id: int) -> object:
        return _read_back(session, import_id, limit)

    outcome = import_file(
        sample,
        content_hash=None if head is None else hashlib.sha256(data).hexdigest(),
        file_name=file_name,
        engine=engine,
        actor=actor,
        vendor=vendor,
        product=product,
        period=period,
        date_order=date_order,
        formats=formats,
        dry_run=(limit, capture),
    )
    rows = outcome.preview if isinstance(outcome.preview, pl.DataFrame) else None
    fmt = next((f for f in formats if f.name == outcome.format), None)
    labels = column_labels(fmt, headers, rows.columns) if rows is not None else {}
    return Preview(
        outcome,
        rows,
        headers,
        unknown and outcome.status == "rejected",
        partial=head is not None,
        labels=labels,
        cells=cells,
        sources=converted_from(fmt, headers),
    )
