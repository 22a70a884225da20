"""A people.csv for the sample portfolio, so reach by org unit has headcounts in the packs.

Everyone the sample's usage files name is on it, in the org unit their own rows give
(Udemy's "Engineering, Data Guild" is Engineering; the compliance report, which has no
org unit, spreads its people over the units in turn), plus 150 people per unit who learn
nothing (so reach is a share, not 100 %), and three people in "R&D (UK)" (a unit whose
headcount is under 5, and whose name holds regex metacharacters). Three active learners of
the Data Literacy Bootcamp (target audience "Analysts and team leads") are in "Analysts", a
unit of 23, so that product's sponsor's unit has a hidden figure: "fewer than 5".
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
from sqlalchemy import create_engine

from loaders import import_file
from tests.actors import EDITOR

SAMPLE_FILES = Path(__file__).resolve().parents[2] / "sample_data" / "files"
STAFF_PER_UNIT = 150
SMALL_UNIT = "R&D (UK)"
ANALYSTS = "Analysts"
ANALYST_STAFF = 20


def _learners() -> pl.DataFrame:
    """Each sample learner's e-mail and org unit (the last file naming them wins)."""
    rows = pl.read_csv(SAMPLE_FILES / "usage.csv", infer_schema=False)
    usage = rows.select(pl.col("learner"), pl.col("org_unit"))
    analysts = (
        rows.filter(
            (pl.col("product") == "Data Literacy Bootcamp")
            & pl.col("date").str.starts_with("2026")
            & (pl.col("minutes").cast(pl.Float64) > 0)
        )
        .get_column("learner")
        .unique()
        .sort()
        .head(3)
    )
    frames = []
    units = sorted(set(usage["org_unit"].drop_nulls().to_list()))
    for name in ("csod_transcript_report_2025.csv", "csod_transcript_report_2026.csv"):
        lines = (SAMPLE_FILES / name).read_text(encoding="utf-8-sig").splitlines()
        header = next(i for i, line in enumerate(lines) if "User Email" in line)
        emails = (
            pl.read_csv(io.StringIO("\n".join(lines[header:])), infer_schema=False)
            .get_column("User Email")
            .drop_nulls()
            .unique()
            .sort()
        )
        frames.append(
            pl.DataFrame(
                {
                    "learner": emails,
                    "org_unit": [units[i % len(units)] for i in range(emails.len())],
                }
            )
        )
    frames.append(usage)  # later files win: a unit a usage row gives beats the one in turn
    for name, email, group in (
        ("linkedin_learning_learner_detail_2025.csv", "Email", "Groups"),
        ("linkedin_learning_learner_detail_2026.csv", "Email", "Groups"),
        ("udemy_user_course_progress_2025.csv", "User Email", "User Groups"),
        ("udemy_user_course_progress_2026.csv", "User Email", "User Groups"),
    ):
        report = pl.read_csv(SAMPLE_FILES / name, infer_schema=False)
        frames.append(
            report.select(
                pl.col(email).alias("learner"),
                pl.col(group).str.split(",").list.first().str.strip_chars().alias("org_unit"),
            )
        )
    frames.append(pl.DataFrame({"learner": analysts, "org_unit": [ANALYSTS] * analysts.len()}))
    return (
        pl.concat(frames)
        .drop_nulls()
        .with_columns(pl.col("learner").str.strip_chars().str.to_lowercase())
        .filter(pl.col("learner").str.contains("@"))
        .unique("learner", keep="last", maintain_order=True)
        .sort("learner")
    )


def sample_roster() -> bytes:
    """people.csv text: the sample's learners, staff who learn nothing, a unit of three."""
    learners = _learners()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "org_unit", "manager", "cost_centre", "start_date", "end_date"])
    for learner, unit in learners.iter_rows():
        writer.writerow([learner, unit, "", "", "", ""])
    for unit in sorted(set(learners["org_unit"].to_list())):
        slug = unit.lower().replace(" ", "-")
        for i in range(ANALYST_STAFF if unit == ANALYSTS else STAFF_PER_UNIT):
            writer.writerow([f"staff{i}.{slug}@northwind.example", unit, "", "", "", ""])
    for i in range(3):
        writer.writerow([f"rnd{i}@northwind.example", SMALL_UNIT, "", "", "", ""])
    return out.getvalue().encode("utf-8")


def import_roster(url: str) -> None:
    """Import `sample_roster` into the database at `url` (through the real import)."""
    engine = create_engine(url)
    try:
        result = import_file(sample_roster(), file_name="people.csv", engine=engine, actor=EDITOR)
    finally:
        engine.dispose()
    assert result.status == "imported", result.errors
