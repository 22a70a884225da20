"""A survey tool's own export (Microsoft Forms' columns) mapped once onto survey.csv, saved,
and next month's export recognised and aggregated like the template (DESIGN.md, Survey
evidence), hand-computed here."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine

from loaders import import_file
from loaders.mappings import (
    MappingSpec,
    all_formats,
    likely_target,
    save_mapping,
    saved_mappings,
    suggest_columns,
)
from models.access import NotAllowedError
from models.frames import outcomes_frame
from tests.actors import EDITOR, VIEWER

HEADERS = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "How likely are you to recommend this course to a colleague?",
    "How relevant was the course to your job?",
    "Have you applied what you learned?",
]
# March: recommend 10, 6, 9 -> 2 promoters, 1 detractor of 3: NPS 100 x (2 - 1) / 3 = 33.33;
# relevance 4, 2, 5 -> mean 11 / 3; applied Yes, No, N/A -> 1 of 2: 0.5.
MARCH = [
    ["1", "3/2/2026 9:01", "3/2/2026 9:04", "ann@x.example", "Ann Lee", "10 - Extremely likely",
     "4", "Yes"],
    ["2", "3/3/2026 9:01", "3/3/2026 9:05", "bob@x.example", "Bob Ray", "6", "2", "No"],
    ["3", "3/9/2026 9:01", "3/9/2026 9:05", "cy@x.example", "Cy Diaz", "9", "5", "N/A"],
]  # fmt: skip
# April: one answer, 0 - Not at all likely (NPS -100), relevance 1, applied Yes (1.0).
APRIL = [
    ["4", "4/7/2026 10:00", "4/7/2026 10:02", "di@x.example", "Di Fox", "0 - Not at all likely",
     "1", "Yes"],
]  # fmt: skip


def _csv(rows: list[list[str]]) -> bytes:
    return pl.DataFrame(rows, schema=HEADERS, orient="row").write_csv().encode()


def _cells(rows: list[list[str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=HEADERS, orient="row")


def _measures(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = outcomes_frame(conn).select("period", "level", "measure", "value", "n").rows()
    return sorted((p, lvl, m, round(v, 4), n) for p, lvl, m, v, n in rows)


def test_the_form_guesses_a_survey_and_its_columns() -> None:
    cells = _cells(MARCH)
    assert likely_target(HEADERS, cells) == "survey"
    assert suggest_columns(HEADERS, cells, target="survey") == {
        "date": "Completion time",
        "respondent": "Email",
        "recommend": HEADERS[5],
        "relevance": HEADERS[6],
        "applied": HEADERS[7],
    }


def test_a_mapped_survey_export_imports_then_next_month_is_recognised(portfolio: Engine) -> None:
    columns = suggest_columns(HEADERS, _cells(MARCH), target="survey")
    spec = MappingSpec(name="Forms feedback", columns=columns, target="survey", date_order="mdy")
    assert spec.problems() == []
    save_mapping(spec, engine=portfolio, actor=EDITOR)
    assert [s.target for s in saved_mappings(engine=portfolio)] == ["survey"]
    formats = all_formats(engine=portfolio)

    no_product = import_file(_csv(MARCH), file_name="m.csv", engine=portfolio, actor=EDITOR,
                             formats=formats)  # fmt: skip
    assert no_product.status == "rejected"
    assert "no product column" in no_product.errors[0]["message"]

    for rows, name in ((MARCH, "march.csv"), (APRIL, "april.csv")):
        result = import_file(_csv(rows), file_name=name, engine=portfolio, actor=EDITOR,
                             formats=formats, product="Leadership Academy")  # fmt: skip
        assert result.status == "imported", result.errors
        assert (result.format, result.kind) == ("mapping:Forms feedback", "survey")
    march, april = date(2026, 3, 1), date(2026, 4, 1)
    assert _measures(portfolio) == sorted(
        [
            (march, 1, "learner NPS", 33.3333, 3),
            (march, 1, "relevance (1-5)", round(11 / 3, 4), 3),
            (march, 3, "application rate", 0.5, 2),
            (april, 1, "learner NPS", -100.0, 1),
            (april, 1, "relevance (1-5)", 1.0, 1),
            (april, 3, "application rate", 1.0, 1),
        ]
    )


def test_a_survey_mapping_needs_an_answer_column_and_an_editor(portfolio: Engine) -> None:
    spec = MappingSpec(name="x", columns={"date": "Completion time"}, target="survey")
    assert spec.problems() == [
        "choose the column for 'How likely to recommend (0-10)' or 'Relevance to the job "
        "(1-5)' or 'Applied what was learned (yes/no)'"
    ]
    allowed = MappingSpec(name="y", columns={"date": "Completion time", "applied": "A"},
                          target="survey")  # fmt: skip
    with pytest.raises(NotAllowedError, match="cannot save a column mapping"):
        save_mapping(allowed, engine=portfolio, actor=VIEWER)
    assert saved_mappings(engine=portfolio) == []
