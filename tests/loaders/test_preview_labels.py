"""The preview names stored columns by the file's headers and shows stored codes in words."""

from __future__ import annotations

from datetime import date

import polars as pl

from loaders.formats import FORMATS
from loaders.preview import column_labels, converted_from, readable_rows

LINKEDIN = next(f for f in FORMATS if f.name == "linkedin_learning_learner_detail")
HEADERS = [
    "First Name",
    "Email",
    "Content Title",
    "Content ID",
    "Percent Completed",
    "Completion Date",
    "Last Viewed Date",
    "Content Hours Viewed",
]
STORED = [
    "product",
    "learner_known_by",
    "content_id",
    "content_title",
    "activity_date",
    "minutes",
    "progress_pct",
    "completed",
    "completed_date",
]


def test_usage_columns_take_the_files_headers() -> None:
    labels = column_labels(LINKEDIN, HEADERS, STORED)
    assert labels == {
        "product": "Product",  # routed from the vendor: no column in the file
        "learner_known_by": "Learner identified by",
        "content_id": "Content ID",
        "content_title": "Content Title",
        "activity_date": "Last Viewed Date",
        "minutes": "Minutes",  # hours in the file, minutes stored: the plain name
        "progress_pct": "Percent Completed",
        "completed": "Completed",
        "completed_date": "Completion Date",
    }
    assert converted_from(LINKEDIN, HEADERS) == {"minutes": "Content Hours Viewed"}


def test_template_columns_keep_the_files_spelling() -> None:
    budgets = next(f for f in FORMATS if f.name == "budgets")
    labels = column_labels(budgets, ["Product", "Month", "Cost Category", "Plan", "Actual"],
                           ["product", "month", "cost_category", "plan", "actual"])  # fmt: skip
    assert labels == {
        "product": "Product",
        "month": "Month",
        "cost_category": "Cost Category",
        "plan": "Plan",
        "actual": "Actual",
    }


def test_codes_become_words_and_numbers_stay_numbers() -> None:
    rows = pl.DataFrame(
        {
            "cost_category": ["design_development", "licence"],
            "month": [date(2026, 12, 1), date(2026, 11, 1)],
            "plan": [1200.0, 15000.0],
            "actual": [None, 14800.5],
        }
    )
    shown = readable_rows(rows, {"cost_category": "Cost category", "plan": "Plan"})
    assert shown.columns == ["Cost category", "month", "Plan", "actual"]
    assert shown["Cost category"].to_list() == ["Design & development", "Licences"]
    assert shown.schema["Plan"] == pl.Float64 and shown.schema["actual"] == pl.Float64
    assert shown["actual"].to_list() == [None, 14800.5]  # blank stays missing, not "None"
    measures = readable_rows(pl.DataFrame({"measure": ["minutes_viewed/Data Program"]}), {})
    assert measures["measure"].to_list() == ["minutes viewed/Data Program"]
