"""kpis.csv: a level-4 KPI series imported, turned into benefits, refused with row and column,
re-imported as a duplicate and undone (DESIGN.md, isolated benefit = Δ KPI × unit value ×
attribution % × confidence %), hand-computed here."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from loaders import import_file, undo_import
from models.frames import outcomes_frame
from tests.actors import EDITOR
from tests.loaders.conftest import assert_refused_at, counts, year_pack_of

HEADER = b"product,month,kpi,value,baseline,unit_value,attribution_pct,confidence_pct,n\n"
# Deals closed per rep, baseline 10. March 12 -> 2 more x 500 x 50% x 80% = 400;
# April 13 -> 3 x 500 x 0.5 x 0.8 = 600; May (no unit value) is evidence but not money.
# Benefits for 2026 = 400 + 600 = 1,000.
SERIES = HEADER + (
    b"Leadership Academy,2026-03,deals per rep,12,10,500,50,80,40\n"
    b"Leadership Academy,2026-04,deals per rep,13,10,500,50,80,41\n"
    b"Leadership Academy,2026-05,deals per rep,14,10,,,,42\n"
)


def test_a_kpi_series_is_level_4_evidence_and_its_money_feeds_benefits(portfolio: Engine) -> None:
    result = import_file(SERIES, file_name="kpis.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert (result.format, result.kind, result.rows_imported) == ("kpis", "outcomes", 3)
    with portfolio.connect() as conn:
        rows = outcomes_frame(conn).select("period", "level", "measure", "value", "n").rows()
    assert sorted(rows) == [
        (date(2026, 3, 1), 4, "deals per rep", 12.0, 40),
        (date(2026, 4, 1), 4, "deals per rep", 13.0, 41),
        (date(2026, 5, 1), 4, "deals per rep", 14.0, 42),
    ]
    product = year_pack_of(portfolio, "Leadership Academy")
    assert product["benefits"] == pytest.approx(1000.0)
    assert [(o["period"], o["source"]) for o in product["outcomes"]] == [
        ("2026-03", "kpi series"),
        ("2026-04", "kpi series"),
        ("2026-05", "kpi series"),
    ]


def test_the_same_series_again_is_a_duplicate_and_undo_takes_it_away(portfolio: Engine) -> None:
    first = import_file(SERIES, file_name="kpis.csv", engine=portfolio, actor=EDITOR)
    again = import_file(SERIES, file_name="kpis (1).csv", engine=portfolio, actor=EDITOR)
    assert (again.status, again.duplicate_of) == ("duplicate", first.import_id)
    undo_import(first.import_id, engine=portfolio, actor=EDITOR)
    assert counts(portfolio)["outcome_measure"] == 0
    with portfolio.connect() as conn:
        assert outcomes_frame(conn).is_empty()
    assert year_pack_of(portfolio, "Leadership Academy")["benefits"] is None


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (b"Leadership Academy,2026-13,deals per rep,12,10,,,,\n", "month", ""),
        (b"Leadership Academy,2026-03,deals per rep,many,10,,,,\n", "value", "not a number"),
        (b"Leadership Academy,2026-03,deals per rep,12,10,500,150,80,\n", "attribution_pct", ""),
        (b"Nowhere,2026-03,deals per rep,12,10,,,,\n", "product", "does not exist"),
    ],
)
def test_a_bad_kpi_row_is_refused_naming_row_and_column(
    portfolio: Engine, row: bytes, column: str, message: str
) -> None:
    data = HEADER + b"Leadership Academy,2026-02,deals per rep,11,10,,,,\n" + row
    assert_refused_at(portfolio, data, row=3, column=column, message=message)


def test_a_kpi_repeated_for_a_month_names_both_rows(portfolio: Engine) -> None:
    data = HEADER + (
        b"Leadership Academy,2026-03,deals per rep,12,10,,,,\n"
        b"Leadership Academy,2026-03,deals per rep,13,10,,,,\n"
    )
    result = import_file(data, file_name="kpis.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "rejected"
    assert any("repeats row 2" in e["message"] and "month" in e["message"] for e in result.errors)
