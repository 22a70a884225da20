"""loaders.mappings.suggest_columns: a first guess for an unknown file, by names and values.

Issue 15: a suggested mapping mapped learner name <- "Coursename" (the word "name"
inside it). Columns are now judged by whole words, then by their values.
"""

from __future__ import annotations

import polars as pl

from loaders.mappings import suggest_columns

# An in-house LMS export no format knows (made up here, with the traps in it).
HEADERS = [
    "Coursename",
    "Participant",
    "User Name",
    "Email Address",
    "When",
    "Time (min)",
    "Result",
]
SAMPLE = pl.DataFrame(
    {
        "Coursename": ["Fire safety", "Fire safety", "GDPR basics", "Fire safety"],
        "Participant": ["ana@example.com", "bo@example.com", "cy@example.com", "dee@example.com"],
        "User Name": ["Ana Lima", "Bo Berg", "Cy Ode", "Dee Ray"],
        "Email Address": ["ana@example.com", "bo@example.com", "cy@example.com", "dee@example.com"],
        "When": ["03/11/2026", "04/11/2026", "25/11/2026", "not yet"],
        "Time (min)": ["30", "45", "12", ""],
        "Result": ["Passed", "Failed", "Passed", "In progress"],
    }
)


def test_a_word_inside_another_word_is_not_a_match() -> None:
    got = suggest_columns(HEADERS)
    assert got.get("name") == "User Name"  # not "Coursename"
    assert got.get("content_title") == "Coursename"  # "course…" starts the word


def test_values_decide_between_columns_a_name_alone_cannot() -> None:
    got = suggest_columns(HEADERS, SAMPLE)
    assert got["learner"] == "Email Address"
    assert got["name"] == "User Name"
    assert got["content_title"] == "Coursename"
    assert got["minutes"] == "Time (min)"
    # No header names a date ("When"): nothing is guessed rather than a wrong column.
    assert "activity_date" not in got


def test_a_column_whose_values_do_not_fit_is_not_suggested() -> None:
    # "Duration" holds words, not numbers: not minutes. "Date" holds dates: a date.
    sample = pl.DataFrame(
        {"Course": ["A", "B"], "Duration": ["long", "short"], "Date": ["2026-11-03", "2026-11-04"]}
    )
    got = suggest_columns(list(sample.columns), sample)
    assert "minutes" not in got
    assert got["activity_date"] == "Date"
