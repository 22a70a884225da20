"""What an import, an undo and the history table hand back.

Plain dataclasses, so the command line, the upload page and the tests read
the same thing; `ImportResult.to_json()` is the object of DESIGN.md's
`python -m loaders --json` contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

__all__ = [
    "ImportDescription",
    "ImportResult",
    "ImportStatusText",
    "ImportSummary",
    "UndoResult",
    "decision",
]

ImportStatusText = Literal["imported", "duplicate", "rejected"]


def decision(
    topic: str, message: str, *, column: str | None = None, **extra: Any
) -> dict[str, Any]:
    """One parsing decision, worded for a person and keyed for a program.

    Examples
    --------
    >>> decision("date_order", "read as day/month/year", column="Date", value="dmy")["value"]
    'dmy'
    """
    return {"topic": topic, "column": column, "message": message, **extra}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class ImportResult:
    """The outcome of importing one file.

    `rows_read` counts data rows (title, blank and total rows excluded);
    `rows_imported` counts facts or products written (repeated keys kept
    once); a rejected file has `rows_imported == 0` and `rows_rejected`
    offending rows. `errors` holds the first 50 `{row, column, message}`
    objects and `errors_total` how many there were.
    """

    file: str
    status: ImportStatusText
    vendor: str | None = None
    format: str | None = None
    kind: str | None = None
    grain: str | None = None
    product: str | None = None
    products: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)
    errors_total: int = 0
    # Problems that do not reject the file (a bad date in a column the format does not read).
    warnings: list[dict[str, object]] = field(default_factory=list)
    warnings_total: int = 0
    period_start: date | None = None
    period_end: date | None = None
    decisions: list[dict[str, Any]] = field(default_factory=list)
    import_id: int | None = None
    duplicate_of: int | None = None
    # A dry run's read-back of the first rows as they would be stored (not in the JSON).
    preview: Any = None

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready object (dates as ISO text) printed by `python -m loaders --json`."""
        return {
            "file": self.file,
            "vendor": self.vendor,
            "status": self.status,
            "format": self.format,
            "kind": self.kind,
            "grain": self.grain,
            "product": self.product,
            "products": self.products,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_rejected": self.rows_rejected,
            "errors": self.errors,
            "errors_total": self.errors_total,
            "warnings": self.warnings,
            "warnings_total": self.warnings_total,
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            "decisions": self.decisions,
            "import_id": self.import_id,
            "duplicate_of": self.duplicate_of,
        }

    def error_lines(self) -> list[str]:
        """Errors as sentences: "row 14, column Completion Date: '31/02/2026' is not a date"."""
        return _lines(self.errors)

    def warning_lines(self) -> list[str]:
        """Warnings as sentences, worded like `error_lines`."""
        return _lines(self.warnings)


def _lines(problems: list[dict[str, object]]) -> list[str]:
    lines = []
    for err in problems:
        place = []
        if err.get("row") is not None:
            place.append(f"row {err['row']}")
        if err.get("column"):
            place.append(f"column {err['column']}")
        prefix = ", ".join(place)
        lines.append(f"{prefix}: {err['message']}" if prefix else str(err["message"]))
    return lines


@dataclass(frozen=True)
class ImportSummary:
    """One line of the import history table."""

    import_id: int
    file: str
    kind: str
    format: str
    vendor: str | None
    product: str | None
    grain: str | None
    period_start: date | None
    period_end: date | None
    rows_read: int
    rows_imported: int
    status: str
    created_at: datetime
    undone_at: datetime | None
    content_hash: str
    created_by: str | None = None  # who imported it (None: before roles were recorded)


@dataclass(frozen=True)
class ImportDescription:
    """What undoing an import would remove or restore, shown before the user confirms.

    `blocked` is the reason undo is refused (None when it may go ahead).
    """

    import_id: int
    file: str
    kind: str
    status: str
    facts: dict[str, int]
    products_created: list[str]
    products_updated: list[str]
    blocked: str | None


@dataclass(frozen=True)
class UndoResult:
    """What an undo removed and restored."""

    import_id: int
    file: str
    removed: dict[str, int]
    products_restored: list[str]
    products_deleted: list[str]
