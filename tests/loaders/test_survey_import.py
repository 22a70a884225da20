"""survey.csv: answers aggregated per product and month into learner NPS, relevance and
application rate with their n (DESIGN.md, Survey evidence), hand-computed here."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from loaders import import_file, undo_import
from models.frames import outcomes_frame
from tests.actors import EDITOR
from tests.loaders.conftest import assert_refused_at, year_pack_of

HEADER = b"product,date,respondent,recommend,relevance,applied\n"
# March: recommend 10, 9, 7, 3, 10 - Extremely likely, N/A -> 5 answers: 3 promoters (10, 9,
# 10), 1 passive (7), 1 detractor (3): NPS = 100 x (3 - 1) / 5 = 40.
# relevance 5, 4, blank, 2, 4, 3 -> 5 answers, mean 18 / 5 = 3.6.
# applied yes, no, yes, N/A, y, blank -> 4 answers, 3 yes: 0.75.
# April: one answer each: recommend 6 (NPS −100), relevance 1, applied no (0.0).
MARCH_APRIL = HEADER + (
    b"Leadership Academy,02/03/2026,r1,10,5,yes\n"
    b"Leadership Academy,03/03/2026,r2,9,4,no\n"
    b"Leadership Academy,04/03/2026,r3,7,,yes\n"
    b"Leadership Academy,05/03/2026,r4,3,2,N/A\n"
    b"Leadership Academy,06/03/2026,r5,10 - Extremely likely,4,y\n"
    b"Leadership Academy,07/03/2026,r6,N/A,3,\n"
    b"Leadership Academy,01/04/2026,r7,6,1,no\n"
)


def _measures(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = outcomes_frame(conn).select("period", "level", "measure", "value", "n").rows()
    return [(p, lvl, m, round(v, 6), n) for p, lvl, m, v, n in rows]


def test_answers_become_the_months_measures_with_their_n(portfolio: Engine) -> None:
    result = import_file(MARCH_APRIL, file_name="survey.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert (result.format, result.rows_imported) == ("survey", 7)
    march, april = date(2026, 3, 1), date(2026, 4, 1)
    assert sorted(_measures(portfolio)) == sorted(
        [
            (march, 1, "learner NPS", 40.0, 5),
            (march, 1, "relevance (1-5)", 3.6, 5),
            (march, 3, "application rate", 0.75, 4),
            (april, 1, "learner NPS", -100.0, 1),
            (april, 1, "relevance (1-5)", 1.0, 1),
            (april, 3, "application rate", 0.0, 1),
        ]
    )


def test_the_newest_survey_import_wins_for_a_month_and_undo_restores_it(
    portfolio: Engine,
) -> None:
    import_file(MARCH_APRIL, file_name="survey.csv", engine=portfolio, actor=EDITOR)
    redo = HEADER + b"Leadership Academy,15/03/2026,r9,9,5,yes\n"
    later = import_file(redo, file_name="survey_fix.csv", engine=portfolio, actor=EDITOR)
    march = [m for m in _measures(portfolio) if m[0] == date(2026, 3, 1)]
    assert sorted(march) == sorted(
        [
            (date(2026, 3, 1), 1, "learner NPS", 100.0, 1),
            (date(2026, 3, 1), 1, "relevance (1-5)", 5.0, 1),
            (date(2026, 3, 1), 3, "application rate", 1.0, 1),
        ]
    )
    undo_import(later.import_id or 0, engine=portfolio, actor=EDITOR)
    assert (date(2026, 3, 1), 1, "learner NPS", 40.0, 5) in _measures(portfolio)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (b"Leadership Academy,02/03/2026,r1,11,3,yes\n", "recommend", "from 0 to 10"),
        (b"Leadership Academy,02/03/2026,r1,Very likely,3,yes\n", "recommend", "from 0 to 10"),
        (b"Leadership Academy,02/03/2026,r1,9,6,yes\n", "relevance", "from 1 to 5"),
        (b"Leadership Academy,02/03/2026,r1,9,3,maybe\n", "applied", "yes/no"),
        (b"Leadership Academy,31/02/2026,r1,9,3,yes\n", "date", "not a date"),
        (b"Nowhere,02/03/2026,r1,9,3,yes\n", "product", "does not exist"),
    ],
)
def test_a_bad_answer_is_refused_with_row_and_column(
    portfolio: Engine, row: bytes, column: str, message: str
) -> None:
    assert_refused_at(portfolio, HEADER + row, row=2, column=column, message=message)


def test_the_json_pack_lists_the_years_outcomes_with_their_source(portfolio: Engine) -> None:
    template = (
        b"product,period,level,measure,value,n\nLeadership Academy,2026-02,2,score gain,12,40\n"
    )
    assert import_file(
        template, file_name="outcomes.csv", engine=portfolio, actor=EDITOR
    ).status == ("imported")
    import_file(MARCH_APRIL, file_name="survey.csv", engine=portfolio, actor=EDITOR)
    product = year_pack_of(portfolio, "Leadership Academy")
    got = [(o["period"], o["measure"], o["n"], o["source"]) for o in product["outcomes"]]
    assert got == [
        ("2026-02", "score gain", 40, "template"),
        ("2026-03", "learner NPS", 5, "survey"),
        ("2026-03", "relevance (1-5)", 5, "survey"),
        ("2026-03", "application rate", 4, "survey"),
        ("2026-04", "learner NPS", 1, "survey"),
        ("2026-04", "relevance (1-5)", 1, "survey"),
        ("2026-04", "application rate", 1, "survey"),
    ]
    nps = next(o for o in product["outcomes"] if o["measure"] == "learner NPS")
    assert (nps["level"], nps["value"]) == (1, 40.0)
