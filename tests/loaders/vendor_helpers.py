"""Helpers for the vendor-format tests: write a report into tmp_path, import it, read it back.

Reports are built by each test from its own rows (never copies of the vendor
samples); `add_products` adds products naming the newer vendors to the
`portfolio` fixture's four.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, text

from loaders import ImportResult, import_file, import_paths
from models.frames import usage_frame
from tests.actors import EDITOR
from tests.loaders.factories import to_csv

PRODUCTS = [
    ["product", "category", "vendor", "owner"],
    ["Coursera Academy", "content_library", "Coursera", "Ana"],
    ["Tech Skills", "content_library", "Pluralsight Skills", "Ben"],
    ["Skillsoft Library", "content_library", "Skillsoft", "Cy"],
    ["Degreed Pathways", "content_library", "Degreed", "Di"],
    ["Induction xAPI", "academy", None, "Ed"],
]


# Headers of the newer vendors' reports, in the order their documentation gives.
COURSERA_ACTIVITY_HEADER = [
    "Name", "Email", "External ID", "Course", "Course ID", "Course Slug", "University",
    "Enrollment Time", "Class Start Time", "Class End Time", "Last Course Activity Time",
    "Overall Progress", "Total Estimated Learning Hours (since enrolled)", "Completed",
    "Removed From Program", "Program Slug", "Program Name", "Collection Name", "Collection ID",
    "Completion Time", "Course Grade", "Course Certificate URL", "Contract",
    "Is Enterprise Contract Active", "Learning Hours",
]  # fmt: skip

COURSERA_USAGE_HEADER = [
    "Name", "Email", "External Id", "Course", "Course ID", "Course Slug", "University",
    "Enrollment Time", "Class Start Time", "Class End Time", "Last Course Activity Time",
    "Overall Progress", "Estimated Learning Hours", "Completed", "Removed From Program",
    "Program Slug", "Program Name", "Enrollment Source", "Completion Time", "Course Grade",
    "Course Certificate URL", "For Credit", "Course Type", "Job Title", "Job Type",
    "Location City", "Location Region", "Location Country",
]  # fmt: skip

PLURALSIGHT_HEADER = [
    "User ID", "First name", "Last name", "Email", "Team name", "Note", "Is on account",
    "Course ID", "Course name", "View date", "Usage in seconds",
]  # fmt: skip

PERCIPIO_HEADER = [
    "userId", "firstName", "lastName", "audience", "contentUuid", "contentId", "contentTitle",
    "contentType", "status", "completedDate", "duration", "firstAccess", "lastAccess",
    "totalAccesses", "firstScore", "highScore", "lastScore", "assessmentAttempts",
]  # fmt: skip

DEGREED_HEADER = ["UserID", "CourseID", "CompletionDate", "ContentType", "Provider"]

XAPI_HEADER = [
    "timestamp", "stored", "actor_name", "actor_mbox", "actor_type", "verb_id", "verb_display",
    "object_id", "object_type", "object_name", "object_description", "result_score_scaled",
    "result_success", "result_completion", "duration", "context_instructor", "context_team",
    "context_platform", "context_language", "statement_id",
]  # fmt: skip


def add_products(engine: Engine, rows: Sequence[Sequence[object]] = PRODUCTS) -> None:
    """Import a products.csv (the house template) with the given rows."""
    result = import_file(
        to_csv(rows).encode(), file_name="products.csv", engine=engine, actor=EDITOR
    )
    assert result.status == "imported", result.errors


def add_contract(engine: Engine, product: str, vendor: str) -> None:
    """A contracts.csv naming `vendor` for `product` (routing reads contracts too)."""
    rows = [
        ["product", "vendor", "start", "end", "seats", "price_per_seat"],
        [product, vendor, "2024-01-01", "2026-12-31", 50, 120],
    ]
    result = import_file(
        to_csv(rows).encode(), file_name="contracts.csv", engine=engine, actor=EDITOR
    )
    assert result.status == "imported", result.errors


def write(tmp_path: Path, name: str, body: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write a report as a user's download would be (BOM kept when given)."""
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode(encoding))
    return path


def bom(body: str) -> bytes:
    return codecs.BOM_UTF8 + body.encode("utf-8")


def imp(
    engine: Engine, tmp_path: Path, body: str | bytes, name: str = "report.csv", **kwargs: object
) -> ImportResult:
    """Write `body` into tmp_path and import the file as `python -m loaders FILE` would."""
    (result,) = import_paths([write(tmp_path, name, body)], engine=engine, actor=EDITOR, **kwargs)  # type: ignore[arg-type]
    return result


def usage(engine: Engine) -> pl.DataFrame:
    with engine.connect() as conn:
        return usage_frame(conn)


def topics(result: ImportResult) -> dict[tuple[str, str | None], dict]:
    return {(d["topic"], d["column"]): d for d in result.decisions}


def learners(engine: Engine) -> list[str]:
    """Key kinds of the stored learners, sorted (identities are not stored)."""
    with engine.connect() as conn:
        return sorted(conn.execute(text("SELECT key_kind FROM learner")).scalars())


def content(engine: Engine) -> dict[str, tuple[str | None, str | None]]:
    """Content items: external id -> (title, content type)."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT external_id, title, content_type FROM content_item"))
        return {r[0]: (r[1], r[2]) for r in rows}


def by_content(engine: Engine) -> pl.DataFrame:
    """The counted usage joined to its content's external id, sorted by it and date."""
    with engine.connect() as conn:
        ids = pl.DataFrame(
            conn.execute(text("SELECT id AS content_id, external_id FROM content_item")).all(),
            schema={"content_id": pl.Int64, "external_id": pl.String},
            orient="row",
        )
        df = usage_frame(conn)
    return df.join(ids, on="content_id").sort("external_id", "date", "learner_id")


def render(
    header: Sequence[str],
    rows: Sequence[dict[str, object]],
    *,
    delimiter: str = ",",
    quote_all: bool = False,
    eol: str = "\n",
) -> str:
    """Rows given as {column: value} in the order of `header` (absent or None: empty)."""
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(out, delimiter=delimiter, lineterminator=eol, quoting=quoting)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row[h] for h in header])
    return out.getvalue()
