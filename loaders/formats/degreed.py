"""Degreed completions files.

The completions file (`UserID, CourseID, CompletionDate, ContentType,
Provider`, Degreed's own inbound template, shared/research/
vendor_report_formats.md section 8) lists completions only: one row per
learner x content x completion date (event grain), and every row is a
completion.

* Learner: `UserID`, an e-mail when it holds "@", else the user id.
* Content: `CourseID`, the customer's content id or the content's URL (the
  file has no title); `ContentType` blank means Course, as Degreed reads it.
  `Provider` is not imported.
* Date: `CompletionDate`, `YYYYMMDD` with the day optional: a `YYYYMM`
  value means "some day in that month" and is read as the month's first day
  (reported as a decision), so the completion counts in that month. A row
  without a date belongs to the report period.
* The detector needs Degreed's own spelling of the three key headers
  (`UserID`, `CourseID`, `CompletionDate`, any case): looser spellings such
  as "User ID, Course ID, Completion date" are also how other vendors'
  completion reports begin, and must not be routed to Degreed.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from loaders.formats.base import Format, Mapped, UsageMap
from loaders.reading import Table
from models.enums import Grain, ImportKind

__all__ = ["COMPLETIONS", "VENDOR", "VENDOR_ALIASES"]

VENDOR = "Degreed"
VENDOR_ALIASES = ("Degreed",)


def _every_row_completed(table: Table, fmt: Format) -> Mapped:
    """Declarative mapping plus `completed` = yes on every row; blank types are courses."""
    mapped = replace(fmt, to_canonical=None).canonical(table)
    frame = mapped.frame.with_columns(pl.lit("yes").alias("completed"))
    if "content_type" in frame.columns:
        frame = frame.with_columns(pl.col("content_type").fill_null("Course"))
    date_column = mapped.sources.get("completed_date", "CompletionDate")
    return Mapped(frame, {**mapped.sources, "completed": date_column}, mapped.notes)


COMPLETIONS = Format(
    name="degreed_completions",
    title="Degreed completions file",
    kind=ImportKind.usage,
    vendor=VENDOR,
    aliases=VENDOR_ALIASES,
    grain=Grain.event,
    date_order="mdy",
    required=("userid", "courseid", "completiondate"),
    optional=("contenttype", "provider"),
    key_headers=("userid", "courseid"),
    usage=UsageMap(
        learner="userid",
        content_id="courseid",
        content_type="contenttype",
        completed_date="completiondate",
        activity_from_completion=True,
    ),
    to_canonical=_every_row_completed,
)
