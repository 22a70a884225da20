"""Builders of messy vendor files, written from scratch (never copies of the samples).

Each builder returns text; tests choose the encoding, delimiter and mess.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

LINKEDIN_HEADER = [
    "First Name", "Last Name", "Email", "Unique User ID", "Groups", "Content Title",
    "Content Type", "Content ID", "Content Provider", "Percent Completed", "Completion Date",
    "Last Viewed Date", "Content Hours Viewed",
]  # fmt: skip

UDEMY_HEADER = [
    "User First Name", "User Last Name", "User Email", "External ID", "User Groups",
    "Course ID", "Course Title", "Course Duration", "% Marked Completed",
    "Minutes Video Consumed", "Date Enrolled", "Date Started", "First Date Completed",
    "Date Completed", "Date Last Accessed", "Course Category", "Assigned", "Assigned By",
    "User Is Deactivated",
]  # fmt: skip

CSOD_HEADER = [
    "User ID", "User Full Name", "Training Title", "Training Type", "Transcript Status",
    "Transcript Assigned Date", "Transcript Completed Date",
]  # fmt: skip


def to_csv(rows: Sequence[Sequence[object]], *, delimiter: str = ",", eol: str = "\n") -> str:
    """Rows as CSV text, quoting only where needed (as spreadsheets export)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=eol)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def linkedin_rows(n: int = 3, *, start: int = 0, viewed: str = "10/14/2026") -> list[list[object]]:
    """LinkedIn learner-detail rows: learner i views course i % 2."""
    rows: list[list[object]] = []
    for i in range(start, start + n):
        done = i % 3 == 0
        rows.append([
            f"Learner{i}", "Tester", f"learner{i}@acme.example", f"U{i:04d}", "Sales, EMEA",
            f"Negotiation {i % 2}", "Course", f"LL{i % 2}", "LinkedIn", 100 if done else 35,
            viewed if done else None, viewed, f"{i % 4}:{(7 * i) % 60:02d}:30",
        ])  # fmt: skip
    return rows


def linkedin_csv(n: int = 3, **kwargs: object) -> str:
    return to_csv([LINKEDIN_HEADER, *linkedin_rows(n, **kwargs)])  # type: ignore[arg-type]


def udemy_rows() -> list[list[object]]:
    return [
        ["Zoë", "Müller", "Zoe.Mueller@Acme.example", "E1", "Data, Berlin", "9001",
         "SQL from scratch", "9.5", "100", "1,234.5", "2026-02-01", "2026-02-02",
         "2026-03-01", "2026-03-01", "2026-03-04", "Development", "true", "Maria", "false"],
        ["Ben", "Ode", "ben@acme.example", "E2", "Managers", "9002", "Leading teams", "4",
         "22", "61.25", "2026-03-19", "2026-03-20", None, None, "2026-04-02", "Business",
         "false", None, "false"],
        ["Chi", "Wu", None, "E3", None, "9003", "Python basics", "56", "0", "0",
         "2026-01-10", None, None, None, None, "Development", "true", "Maria", "true"],
    ]  # fmt: skip


def csod_rows() -> list[list[object]]:
    return [
        ["E1", "Müller, Zoë", "Code of Conduct 2026", "Online Course", "Completed",
         "1/8/2026", "1/19/2026"],
        ["E2", "Ode, Ben", "Code of Conduct 2026", "Online Course", "In Progress",
         "1/8/2026", None],
        ["E3", "Wu, Chi", "Fire Safety", "Classroom", "Registered", "2/1/2026", None],
    ]  # fmt: skip
