"""Vendor-format writers: the exact headers and export quirks of each vendor's report.

Headers match the samples in the shared vendor_samples folder column for
column. The quirks are the ones those exports are known for, so that the
sample exercises the importers the way real files would:

* LinkedIn Learning learner detail: CRLF line ends, MM/DD/YYYY dates, hours
  viewed as H:MM:SS, an empty Unique User ID, never-opened items with no dates.
* Udemy Business user course progress: a UTF-8 byte-order mark, ISO dates,
  decimal minutes, true/false flags, a comma inside some User Groups.
* Cornerstone transcript: title lines and an empty `,,,,,,` line above the
  header, M/D/YYYY dates, "Last, First" names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import polars as pl

from sample_data.compliance import Transcript
from sample_data.libraries import LibraryRecord

__all__ = [
    "CSOD_COLUMNS",
    "LINKEDIN_COLUMNS",
    "UDEMY_COLUMNS",
    "write_csod",
    "write_csv",
    "write_linkedin",
    "write_udemy",
]

Row = dict[str, str | None]

LINKEDIN_COLUMNS = (
    "First Name",
    "Last Name",
    "Email",
    "Unique User ID",
    "Groups",
    "Content Title",
    "Content Type",
    "Content ID",
    "Content Provider",
    "Percent Completed",
    "Completion Date",
    "Last Viewed Date",
    "Content Hours Viewed",
)
UDEMY_COLUMNS = (
    "User First Name",
    "User Last Name",
    "User Email",
    "External ID",
    "User Groups",
    "Course ID",
    "Course Title",
    "Course Duration",
    "% Marked Completed",
    "Minutes Video Consumed",
    "Date Enrolled",
    "Date Started",
    "First Date Completed",
    "Date Completed",
    "Date Last Accessed",
    "Course Category",
    "Assigned",
    "Assigned By",
    "User Is Deactivated",
)
CSOD_COLUMNS = (
    "User ID",
    "User Full Name",
    "User Email",
    "Training Title",
    "Training Type",
    "Transcript Status",
    "Transcript Assigned Date",
    "Transcript Completed Date",
)


def write_csv(
    path: Path,
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    preamble: Sequence[str] = (),
    line_end: str = "\n",
    bom: bool = False,
) -> None:
    """Write text cells as given (None = empty cell), quoting only where CSV needs it.

    Every value is already a string, so nothing is reformatted on the way
    out and the bytes depend only on the rows.
    """
    frame = pl.DataFrame(
        {c: [row.get(c) for row in rows] for c in columns},
        schema=dict.fromkeys(columns, pl.String()),
    )
    body = frame.write_csv(line_terminator=line_end)
    head = "".join(line + line_end for line in preamble)
    text = ("\ufeff" if bom else "") + head + body
    path.write_bytes(text.encode("utf-8"))


def _mdy(day: date | None, *, padded: bool) -> str | None:
    """US dates: 03/07/2026 (LinkedIn) or 3/7/2026 (Cornerstone)."""
    if day is None:
        return None
    return f"{day:%m/%d/%Y}" if padded else f"{day.month}/{day.day}/{day.year}"


def _hms(seconds: int) -> str:
    """LinkedIn's hours viewed: H:MM:SS, hours unbounded."""
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _minutes(value: float) -> str:
    """Udemy's decimal minutes: 541.5, 61.25, 0."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def write_linkedin(path: Path, records: Sequence[LibraryRecord]) -> int:
    """LinkedIn Learning learner detail: one row per learner x content, as of the report end."""
    rows = [
        {
            "First Name": r.person.first_name,
            "Last Name": r.person.last_name,
            "Email": r.person.email,
            "Unique User ID": None,
            "Groups": r.person.org_unit,
            "Content Title": r.content.title,
            "Content Type": r.content.kind,
            "Content ID": r.content.content_id,
            "Content Provider": "Northwind Group" if "Northwind" in r.content.title else "LinkedIn",
            "Percent Completed": str(r.percent),
            "Completion Date": _mdy(r.completed, padded=True),
            "Last Viewed Date": _mdy(r.last_seen, padded=True),
            "Content Hours Viewed": _hms(r.seconds),
        }
        for r in sorted(records, key=lambda r: (r.person.email, r.content.content_id))
    ]
    write_csv(path, LINKEDIN_COLUMNS, rows, line_end="\r\n")
    return len(rows)


def _udemy_groups(record: LibraryRecord) -> str:
    """Engineers also sit in a guild, exported as one comma-separated cell."""
    unit = record.person.org_unit
    if unit != "Engineering":
        return unit
    guild = ("", "", "Platform Guild", "Data Guild")[int(record.person.employee_id[1:]) % 4]
    return f"{unit}, {guild}" if guild else unit


def write_udemy(path: Path, records: Sequence[LibraryRecord], report_end: date) -> int:
    """Udemy Business user course progress: one row per user x course."""
    rows = []
    for r in sorted(records, key=lambda r: (r.person.email, r.content.content_id)):
        left = r.person.leave_date is not None and r.person.leave_date <= report_end
        number = int(r.person.employee_id[1:])
        rows.append(
            {
                "User First Name": r.person.first_name,
                "User Last Name": r.person.last_name,
                "User Email": r.person.email,
                "External ID": None if number % 17 == 0 else r.person.employee_id,
                "User Groups": _udemy_groups(r),
                "Course ID": r.content.content_id,
                "Course Title": r.content.title,
                "Course Duration": f"{r.content.minutes / 60:.1f}",
                "% Marked Completed": str(r.percent),
                "Minutes Video Consumed": _minutes(round(r.seconds / 15) / 4),
                "Date Enrolled": r.enrolled.isoformat(),
                "Date Started": r.started.isoformat() if r.started else None,
                "First Date Completed": r.completed.isoformat() if r.completed else None,
                "Date Completed": r.completed.isoformat() if r.completed else None,
                "Date Last Accessed": r.last_seen.isoformat() if r.last_seen else None,
                "Course Category": r.content.category,
                "Assigned": "true" if r.assigned else "false",
                "Assigned By": ("Priya Nair" if number % 3 else "Marcus Reed")
                if r.assigned
                else None,
                "User Is Deactivated": "true" if left else "false",
            }
        )
    write_csv(path, UDEMY_COLUMNS, rows, bom=True)
    return len(rows)


def write_csod(path: Path, transcripts: Sequence[Transcript], run_on: date) -> int:
    """Cornerstone transcript status report, with its title lines above the header."""
    rows = [
        {
            "User ID": t.person.employee_id,
            "User Full Name": f"{t.person.last_name}, {t.person.first_name}",
            # The report is configured to carry the e-mail, so the compliance course's
            # learners are the same people as in every other product's reports.
            "User Email": t.person.email,
            "Training Title": t.title,
            "Training Type": "Online Course",
            "Transcript Status": t.status,
            "Transcript Assigned Date": _mdy(t.assigned, padded=False),
            "Transcript Completed Date": _mdy(t.completed, padded=False),
        }
        for t in sorted(transcripts, key=lambda t: t.person.employee_id)
    ]
    preamble = (
        "Compliance Training Transcript Status Report",
        f"Report run: {_mdy(run_on, padded=False)} 7:02 AM (UTC)",
        "," * (len(CSOD_COLUMNS) - 1),
    )
    write_csv(path, CSOD_COLUMNS, rows, preamble=preamble)
    return len(rows)
