"""One import in progress: its inputs, what it has learnt so far, and its import row.

Handlers (one per `ImportKind`) receive a `Job`, validate, and either raise
`Rejected` or call `Job.record` to insert the `DataImport` row before writing
their facts. What the job learnt before a rejection (format, vendor, rows
read, decisions) still reaches the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from loaders.dates import DateOrder
from loaders.formats import Detection, Format
from loaders.progress import Progress, report
from loaders.reading import Table
from loaders.result import ImportResult
from loaders.writer import dumps
from models.enums import Grain
from models.tables import DataImport
from settings import Settings

__all__ = ["Job", "Options"]


@dataclass(frozen=True)
class Options:
    """What the user said on the command line or the upload page."""

    vendor: str | None = None
    product: str | None = None
    period: tuple[date, date] | None = None
    date_order: DateOrder | None = None


@dataclass
class Job:
    """An import under way (see module docstring)."""

    table: Table
    detection: Detection
    options: Options
    settings: Settings
    result: ImportResult
    content_hash: str
    formats: tuple[Format, ...]
    record_row: DataImport | None = field(default=None)
    progress: Progress | None = field(default=None)

    @property
    def format(self) -> Format:
        """The detected format."""
        return self.detection.format

    def report(self, fraction: float, message: str) -> None:
        """Tell the caller's progress callback, if any, how far the import has got."""
        report(self.progress, fraction, message)

    def note(self, *decisions: dict[str, Any] | None) -> None:
        """Add decisions (None ignored) to the result."""
        self.result.decisions.extend(d for d in decisions if d is not None)

    def record(
        self,
        *,
        session: Session,
        product_id: int | None = None,
        grain: Grain | None = None,
        period: tuple[date, date] | None = None,
        undo_data: dict[str, Any] | None = None,
    ) -> int:
        """Insert the `DataImport` row and return its id; facts then point to it."""
        row = DataImport(
            file_name=self.result.file[:500],
            content_hash=self.content_hash,
            kind=self.format.kind,
            format=self.format.name,
            vendor=self.detection.vendor,
            product_id=product_id,
            grain=grain,
            period_start=period[0] if period else None,
            period_end=period[1] if period else None,
            rows_read=self.result.rows_read,
            notes=dumps({"decisions": self.result.decisions}),
            undo_data=dumps(undo_data) if undo_data is not None else None,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        self.record_row = row
        return row.id

    def finish(self, rows_imported: int) -> None:
        """Set the written count on the result and the import row (flushed at commit)."""
        self.result.rows_imported = rows_imported
        if self.record_row is not None:
            self.record_row.rows_imported = rows_imported
            self.record_row.notes = dumps({"decisions": self.result.decisions})
