"""Suggested mappings score columns on their values, so a header's words cannot mislead them."""

from __future__ import annotations

import polars as pl

from loaders.mapping_suggest import THRESHOLD, profile, score, suggest_mapping
from loaders.mappings import suggest_columns
from loaders.reading import read_table


def _file(data: bytes) -> tuple[list[str], pl.DataFrame]:
    table = read_table(data)
    return list(table.headers), table.frame.drop("__row")


# An in-house export: "Coursename" holds the course (few titles, repeated), "Participant" the
# person (a name per row, mostly distinct), "Notes" free text that is nothing the form asks for.
COURSES = b"""Coursename,Participant,Team,Finished,Spent,Notes
Fire safety,Zoe Moss,Finance,2026-03-02,25,called back twice
Fire safety,Ian Ross,Sales,2026-03-04,10,
Fire safety,Ann Lee,Finance,,5,asked for a certificate
Data protection,Zoe Moss,Finance,2026-03-05,40,
Data protection,Bob Ray,Sales,,12,left early on the first day
"""


def test_learner_name_is_the_person_column_not_coursename() -> None:
    headers, cells = _file(COURSES)
    guess = suggest_columns(headers, cells)
    # By header words alone "Coursename" contains "name"; its values are 2 titles repeated.
    assert guess["name"] == "Participant"
    assert guess["content_title"] == "Coursename"
    assert guess["org_unit"] == "Team"
    assert guess["completed_date"] == "Finished"  # a date column named like a completion
    assert guess["minutes"] == "Spent"  # 25, 10, 5, 40, 12: numbers, so time spent
    assert "Notes" not in guess.values()  # nothing fits free text well: left for the person
    assert "learner" not in guess  # no e-mail or id column in this file


def test_coursename_scores_under_the_threshold_for_the_name() -> None:
    _, cells = _file(COURSES)
    # computed by hand: Participant has 4 distinct people, Coursename 2 titles (half as many)
    most = cells["Participant"].n_unique()
    assert most == 4
    assert score("name", "Coursename", cells["Coursename"], most_distinct_names=most) < THRESHOLD
    assert score("name", "Participant", cells["Participant"], most_distinct_names=most) >= THRESHOLD


def test_without_values_only_whole_header_words_count() -> None:
    assert suggest_columns(["Coursename", "Participant", "Team"]) == {"org_unit": "Team"}


def test_dates_by_value_and_status_by_value() -> None:
    # "Completed" holds dates and "Result" statuses: header words alone would put the dates
    # into the yes/no completion field.
    headers, cells = _file(
        b"User,Name,Completed,Result\n"
        b"ann@x.example,Fire safety,2026-03-02,Passed\n"
        b"bob@x.example,Fire safety,2026-03-04,Failed\n"
        b"cy@x.example,Data protection,05/03/2026,Passed\n"
    )
    guess = suggest_columns(headers, cells)
    assert guess["learner"] == "User"  # e-mails
    assert guess["completed_date"] == "Completed"
    assert guess["completed"] == "Result"
    # "Name" holds course titles; with an e-mail column the weak name key is not suggested.
    assert "name" not in guess


def test_minutes_and_progress_by_value() -> None:
    headers, cells = _file(
        b"Email,Course ID,Hours,Progress,Minutes\n"
        b"ann@x.example,C-101,1:10:00,35%,\n"
        b"bob@x.example,C-102,0:40:00,100%,\n"
    )
    guess = suggest_mapping(headers, cells)
    assert guess["minutes"] == "Hours"  # "1:10:00" reads as a duration
    assert guess["progress"] == "Progress"
    assert guess["content_id"] == "Course ID"
    assert "Minutes" not in guess.values()  # an empty column is never suggested


def test_nothing_suggested_when_nothing_fits() -> None:
    headers, cells = _file(
        b"Comment,Remark\nvery useful session,would recommend to my team\n"
        b"too long for a Friday,the room was cold\n"
    )
    assert suggest_mapping(headers, cells) == {}


def test_profile_counts_hand_checked() -> None:
    p = profile(pl.Series(["ann@x.example", "bob@x.example", None, "ann@x.example", "N/A"]))
    # computed by hand: 3 filled cells (None and N/A are blank), 2 distinct, all e-mails
    assert (p.filled, p.distinct, p.emails) == (3, 2, 1.0)
    assert p.dates == 0.0 and p.numbers == 0.0
