"""experiments.csv: imported like any template, refused with row and column, undone cleanly,
and carried into the JSON pack with scipy's statistics (DESIGN.md, Experiments)."""

from __future__ import annotations

import polars as pl
import pytest
from scipy import stats
from sqlalchemy import Engine

from loaders import import_file, undo_import
from models.frames import experiments_frame
from settings import get_settings
from tests.actors import EDITOR
from tests.loaders.conftest import assert_refused_at, year_pack_of

HEADER = b"product,experiment,variant,participants,conversions,mean,sd,metric,hoped_effect\n"
GOOD = HEADER + (
    b"Leadership Academy,Reminder nudge,control,400,120,,,completion,0.05\n"
    b"Leadership Academy,Reminder nudge,nudge,400,144,,,completion,0.05\n"
    b"Leadership Academy,Reminder nudge,nudge + manager,380,152,,,completion,0.05\n"
    b"Leadership Academy,Quiz length,long,50,,7.1,1.2,score,\n"
    b"Leadership Academy,Quiz length,short,52,,7.6,1.4,score,\n"
)


def _import(engine: Engine, data: bytes, name: str = "experiments.csv") -> object:
    return import_file(data, file_name=name, engine=engine, actor=EDITOR)


def test_variants_are_stored_with_the_first_as_control(portfolio: Engine) -> None:
    result = _import(portfolio, GOOD)
    assert result.status == "imported", result.errors
    assert (result.format, result.rows_imported) == ("experiments", 5)
    with portfolio.connect() as conn:
        frame = experiments_frame(conn)
    assert frame.select("experiment", "variant", "position").rows() == [
        ("Quiz length", "long", 0),
        ("Quiz length", "short", 1),
        ("Reminder nudge", "control", 0),
        ("Reminder nudge", "nudge", 1),
        ("Reminder nudge", "nudge + manager", 2),
    ]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (b"Leadership Academy,A,c,100,120,,,,\nLeadership Academy,A,t,100,5,,,,\n", "conversions",
         "120 conversions is more than the 100 participants"),
        (b"Leadership Academy,B,c,100,,,,,\nLeadership Academy,B,t,100,5,,,,\n", "conversions",
         "give conversions (a rate) or a mean and an sd"),
        (b"Leadership Academy,C,c,10,5,,,,\nLeadership Academy,C,t,10,,3,1,,\n", "experiment",
         "mixes rates and means"),
        (b"Leadership Academy,D,only,10,5,,,,\n", "variant", "has one variant"),
        (b"Nowhere,E,c,10,5,,,,\nNowhere,E,t,10,6,,,,\n", "product", "does not exist"),
        (b"Leadership Academy,F,c,-1,0,,,,\nLeadership Academy,F,t,10,6,,,,\n", "participants",
         "0 or more"),
    ],
)  # fmt: skip
def test_a_bad_row_is_refused_with_row_and_column_and_nothing_changes(
    portfolio: Engine, row: bytes, column: str, message: str
) -> None:
    assert_refused_at(portfolio, HEADER + row, row=2, column=column, message=message)


def test_the_newest_import_of_an_experiment_wins_whole_and_undo_restores_it(
    portfolio: Engine,
) -> None:
    first = _import(portfolio, GOOD)
    fewer = HEADER + (
        b"Leadership Academy,Reminder nudge,control,500,150,,,completion,\n"
        b"Leadership Academy,Reminder nudge,nudge,500,190,,,completion,\n"
    )
    second = _import(portfolio, fewer, "experiments_final.csv")
    assert second.status == "imported", second.errors
    with portfolio.connect() as conn:
        nudge = experiments_frame(conn).filter(experiment="Reminder nudge")
    assert nudge.select("variant", "participants").rows() == [("control", 500), ("nudge", 500)]
    undo_import(second.import_id or 0, engine=portfolio, actor=EDITOR)
    with portfolio.connect() as conn:
        nudge = experiments_frame(conn).filter(experiment="Reminder nudge")
    assert nudge.height == 3  # the first import's three variants count again
    undo_import(first.import_id or 0, engine=portfolio, actor=EDITOR)
    with portfolio.connect() as conn:
        assert experiments_frame(conn).is_empty()


def test_the_json_pack_carries_each_treatment_with_scipys_statistics(portfolio: Engine) -> None:
    _import(portfolio, GOOD)
    pack = year_pack_of(portfolio, "Leadership Academy")["_pack"]
    (product,) = pack["products"]
    found = {(e["experiment"], e["variant"]): e for e in product["experiments"]}
    assert set(found) == {
        ("Quiz length", "short"),
        ("Reminder nudge", "nudge"),
        ("Reminder nudge", "nudge + manager"),
    }
    nudge = found[("Reminder nudge", "nudge")]
    p1, p2 = 120 / 400, 144 / 400
    pooled = 264 / 800
    z = (p2 - p1) / (pooled * (1 - pooled) * (2 / 400)) ** 0.5
    half = stats.norm.ppf(0.975) * (p1 * (1 - p1) / 400 + p2 * (1 - p2) / 400) ** 0.5
    assert nudge["effect"] == pytest.approx(0.06, abs=1e-12)
    assert nudge["p_value"] == pytest.approx(2 * stats.norm.sf(z), abs=1e-3)
    assert (nudge["ci_low"], nudge["ci_high"]) == pytest.approx((0.06 - half, 0.06 + half))
    assert nudge["powered"] is False  # 5 points hoped for, 9.1 detectable
    assert nudge["verdict"].startswith("nudge raised completion by 6.0 points")
    quiz = found[("Quiz length", "short")]
    welch = stats.ttest_ind_from_stats(7.6, 1.4, 52, 7.1, 1.2, 50, equal_var=False)
    assert quiz["effect"] == pytest.approx(0.5)
    assert quiz["p_value"] == pytest.approx(welch.pvalue, abs=1e-3)
    assert quiz["powered"] is None  # no effect hoped for was given


def test_the_excel_and_html_packs_show_the_experiments(portfolio: Engine) -> None:
    import io

    from openpyxl import load_workbook

    from exports.html_writer import render_html
    from exports.xlsx_writer import render_xlsx

    _import(portfolio, GOOD)
    pack = year_pack_of(portfolio, "Leadership Academy")["_pack"]
    book = load_workbook(io.BytesIO(render_xlsx(pack)))
    sheet = book[next(n for n in book.sheetnames if n.startswith("Leadership"))]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    nudge = next(r for r in cells if r[:2] == ["Reminder nudge", "nudge"])
    assert nudge[3] == pytest.approx(0.06) and nudge[6] == pytest.approx(0.0711, abs=1e-4)
    assert sheet.cell(cells.index(nudge) + 1, 4).number_format == "0.0%"
    html = render_html(pack).decode("utf-8")
    assert "Experiments (each treatment against its control)" in html
    assert "nudge raised completion by 6.0 points (95 % CI −0.5 to 12.5)" in html


def test_a_significant_experiment_earns_impact_credit_in_prioritise(portfolio: Engine) -> None:
    from models.frames import pack_frames
    from planning.criteria import criterion_scores, score_notes, year_planning_inputs

    _import(portfolio, GOOD)  # "nudge + manager": +10 points, p = 0.0034
    settings = get_settings()
    with portfolio.connect() as conn:
        frames = pack_frames(conn, year=2026, currency=settings.reporting_currency)
    inputs = year_planning_inputs(frames, year=2026, thresholds=settings.health)
    academy = inputs.filter(product="Leadership Academy")
    assert academy["proven_by"].to_list() == ["Reminder nudge"]
    assert inputs.filter(pl.col("product") != "Leadership Academy")["proven_by"].null_count() == (
        inputs.height - 1
    )
    pid = academy["product_id"][0]
    score = criterion_scores(academy).row(0, named=True)["impact_evidence"]
    assert score >= 0.375  # the evidence half at level 3 at least
    assert any("significant experiment (Reminder nudge)" in n for n in score_notes(academy)[pid])
