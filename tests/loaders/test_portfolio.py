"""products.csv, budgets.csv, contracts.csv, outcomes.csv: imports and every rejection."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from loaders import import_file, template_csv
from models import DataImport, Product, Vendor, session_scope
from models.frames import budgets_frame, contracts_frame, outcomes_frame
from tests.actors import EDITOR
from tests.loaders.conftest import counts, fk_violations


def imp(engine: Engine, text_: str, name: str = "file.csv", **kwargs: object):
    return import_file(text_.encode("utf-8"), file_name=name, engine=engine, actor=EDITOR, **kwargs)


def test_products_upsert_with_vendors(portfolio: Engine) -> None:
    with session_scope(portfolio) as s:
        products = {p.name: p for p in s.exec(select(Product)).all()}
        vendors = {v.name_key: v.name for v in s.exec(select(Vendor)).all()}
    assert products["Udemy Seats"].category == "content_library"  # "content library" accepted
    assert products["Udemy Seats"].strategic_fit == 5
    assert products["Leadership Academy"].vendor_id is None
    assert vendors == {"linkedin": "LinkedIn", "udemy": "Udemy",
                       "cornerstoneondemand": "Cornerstone OnDemand"}  # fmt: skip
    assert fk_violations(portfolio) == []


def test_products_optional_columns_and_extra_columns(engine: Engine) -> None:
    csv = (
        "Product,Category,Core,Target_Audience_Size,Business_Problem,Budget Code\n"
        "Coaching,coaching,yes,120,Managers quit,BC-7\n"
    )
    result = imp(engine, csv)
    assert result.status == "imported", result.errors
    with session_scope(engine) as s:
        p = s.exec(select(Product)).one()
    assert (p.is_core, p.target_audience_size, p.business_problem) == (True, 120, "Managers quit")
    assert p.lifecycle_stage == "mature"  # the default when the column is absent


def test_products_update_keeps_previous_values_for_undo(portfolio: Engine) -> None:
    result = imp(portfolio, "product,category,strategic_fit\nudemy seats,academy,2\n")
    assert result.status == "imported"
    with session_scope(portfolio) as s:
        p = s.exec(select(Product).where(Product.name == "Udemy Seats")).one()
        row = s.get(DataImport, result.import_id)
        undo = json.loads(row.undo_data)
    assert (p.category, p.strategic_fit, p.owner) == ("academy", 2, "Ben")  # owner untouched
    before = undo["updated"][0]["before"]
    assert before["category"] == "content_library" and before["strategic_fit"] == 5


def test_budgets_contracts_outcomes(portfolio: Engine) -> None:
    budgets = (
        "product;month;cost_category;plan;actual\n"
        "Linked Library;2026-01;Licence;1.200,50;1.200\n"
        "Linked Library;2026-02-14;licence;1.200,50;\n"
        "Udemy Seats;2026-01;Design / development;300;0\n"
    )
    assert imp(portfolio, budgets).status == "imported"
    contracts = (
        "product,vendor,start,end,seats,price_per_seat,currency\n"
        'Linked Library,LinkedIn Learning,01/01/2026,31/12/2026,500,"£1,200.00",gbp\n'
    )
    assert imp(portfolio, contracts).status == "imported"
    outcomes = (
        "product,period,level,measure,value,n,baseline,unit_value,attribution_pct,"
        "confidence_pct,direction,kind\n"
        "Udemy Seats,2026-06,4,Tickets per week,120,30,100,50,50%,80%,lower,forecast\n"
        "Udemy Seats,2026-06,1,NPS,42,88,,,,,,\n"
    )
    assert imp(portfolio, outcomes).status == "imported"
    with portfolio.connect() as conn:
        b = budgets_frame(conn).sort("month", "plan_minor")
        c = contracts_frame(conn)
        o = outcomes_frame(conn).sort("level")
    assert b["plan_minor"].to_list() == [30000, 120050, 120050]
    assert b["actual_minor"].to_list() == [0, 120000, None]  # blank actual = not yet known
    assert b["cost_category"].to_list()[0] == "design_development"
    row = c.row(0, named=True)
    assert (row["start"], row["end"], row["seats"], row["price_per_seat_minor"]) == (
        date(2026, 1, 1), date(2026, 12, 31), 500, 120000,
    )  # fmt: skip
    assert row["vendor"] == "LinkedIn Learning"
    assert o["direction"].to_list() == ["higher", "lower"]
    assert o["kind"].to_list() == ["actual", "forecast"]
    assert o["attribution_pct"].to_list() == [None, 50.0]
    assert o["unit_value_minor"].to_list() == [None, 5000]


def test_latest_budget_import_wins(portfolio: Engine) -> None:
    imp(portfolio, "product,month,cost_category,plan\nLinked Library,2026-01,licence,100\n")
    imp(portfolio, "product,month,cost_category,plan\nLinked Library,2026-01,licence,250\n")
    with portfolio.connect() as conn:
        assert budgets_frame(conn)["plan_minor"].to_list() == [25000]


REJECTIONS = [
    pytest.param("product,category\nX,library-ish\n", "category", "is not one of: content_library",
                 id="bad-enum"),
    pytest.param("product,category,strategic_fit\nX,other,7\n", "strategic_fit",
                 "is not a whole number from 1 to 5", id="fit-out-of-range"),
    pytest.param("product,category\nX,other\nx ,academy\n", None, "repeats row 2", id="repeat"),
    pytest.param("product,month,cost_category,plan\nNope,2026-01,licence,10\n", "product",
                 "product 'Nope' does not exist", id="unknown-product"),
    pytest.param("product,month,cost_category,plan\nLinked Library,2026-01,licence,ten\n",
                 "plan", "'ten' is not an amount of money", id="non-numeric-cost"),
    pytest.param("product,month,cost_category,plan\nLinked Library,2026-01,licence,-5\n",
                 "plan", "is negative", id="negative-cost"),
    pytest.param("product,month,cost_category,plan\nLinked Library,Jan,licence,5\n", "month",
                 "is not a month", id="bad-month"),
    pytest.param("product,month,cost_category,plan\nLinked Library,2026-01,travel,5\n",
                 "cost_category", "'travel' is not one of", id="bad-category"),
    pytest.param("product,month,cost_category,plan\nLinked Library,2026-01,licence,5\n"
                 "Linked Library,2026-01-31,Licence,6\n", None, "repeats row 2",
                 id="repeated-budget-key"),
    pytest.param("product,vendor,start,end,seats,price_per_seat\n"
                 "Linked Library,LinkedIn,2026-01-01,2026-12-31,-3,100\n", "seats",
                 "is not a whole number of 0 or more", id="negative-seats"),
    pytest.param("product,vendor,start,end,seats,price_per_seat,currency\n"
                 "Linked Library,LinkedIn,2026-01-01,2026-12-31,3,100,EUR\n", "currency",
                 "currency EUR differs from the reporting currency GBP; exchange rates are not "
                 "supported yet", id="wrong-currency"),
    pytest.param("product,vendor,start,end,seats,price_per_seat\n"
                 "Linked Library,LinkedIn,2026-12-31,2026-01-01,3,100\n", "end",
                 "is before the start", id="end-before-start"),
    # Found by the fuzz test: punctuation alone matches no vendor (it crashed the import).
    pytest.param("product,vendor,start,end,seats,price_per_seat\n"
                 "Linked Library,',2026-01-01,2026-12-31,3,100\n", "vendor",
                 "vendor ''' has no letter or digit", id="punctuation-vendor"),
    pytest.param("product,period,level,measure,value\nUdemy Seats,2026-06,5,NPS,1\n", "level",
                 "from 1 to 4", id="bad-level"),
    pytest.param("product,period,level,measure,value,confidence_pct\n"
                 "Udemy Seats,2026-06,4,Sales,1,120\n", "confidence_pct",
                 "between 0 and 100", id="bad-pct"),
    pytest.param("product,period,level,measure,value,kind\nUdemy Seats,2026-06,4,Sales,1,guess\n",
                 "kind", "'guess' is not one of: actual, forecast", id="bad-kind"),
    pytest.param("product,category,lifecycle_stage\nX,other,pilot\nY,other,launched\n",
                 "lifecycle_stage",
                 "'launched' is not one of: discovery, pilot, growth, mature, decline, retiring",
                 id="bad-stage"),
    pytest.param("product,period,level,measure,value\nUdemy Seats,2026-06,4,Sales,\n",
                 "value", "is empty; a value is required", id="missing-value"),
    pytest.param("product,vendor,start,seats\nLinked Library,LinkedIn,2026-01-01,3\n", None,
                 "missing required column 'end'", id="missing-required-column"),
]  # fmt: skip


@pytest.mark.parametrize(("csv", "column", "words"), REJECTIONS)
def test_rejections_change_nothing(
    portfolio: Engine, csv: str, column: str | None, words: str
) -> None:
    before = counts(portfolio)
    result = imp(portfolio, csv)
    assert result.status == "rejected"
    assert result.rows_imported == 0 and result.import_id is None
    assert result.rows_rejected >= 1
    assert any(words in e["message"] for e in result.errors), result.errors
    if column is not None:
        assert any(e["column"] == column for e in result.errors)
    assert counts(portfolio) == before


def test_lifecycle_stages_and_their_synonyms(engine: Engine) -> None:
    # DESIGN.md: idea/exploration -> discovery, beta/mvp -> pilot, sunset/retire -> retiring,
    # any case; a blank cell is the default stage, mature.
    csv = (
        "product,category,lifecycle_stage\n"
        "A,other,Discovery\nB,other,idea\nC,other,Exploration\nD,other,BETA\nE,other,mvp\n"
        "F,other,Sunset\nG,other,retire\nH,other,Growth\nI,other,decline\nJ,other,\n"
    )
    result = imp(engine, csv)
    assert result.status == "imported", result.errors
    with session_scope(engine) as s:
        stages = {p.name: p.lifecycle_stage for p in s.exec(select(Product)).all()}
    assert stages == {
        "A": "discovery", "B": "discovery", "C": "discovery", "D": "pilot", "E": "pilot",
        "F": "retiring", "G": "retiring", "H": "growth", "I": "decline", "J": "mature",
    }  # fmt: skip


def test_an_unknown_stage_names_its_row_and_column(engine: Engine) -> None:
    result = imp(engine, "product,category,Lifecycle_Stage\nA,other,idea\nB,other,launched\n")
    assert result.status == "rejected"
    assert [(e["row"], e["column"], e["message"]) for e in result.errors] == [
        (
            3,
            "Lifecycle_Stage",
            "'launched' is not one of: discovery, pilot, growth, mature, decline, retiring",
        )
    ]


def test_rejection_counts_offending_rows_and_names_rows(portfolio: Engine) -> None:
    csv = (
        "product,month,cost_category,plan,actual\n"
        "Linked Library,2026-01,licence,10,x\n"
        "Linked Library,2026-02,licence,10,10\n"
        "Nope,2026-03,licence,-1,10\n"
    )
    result = imp(portfolio, csv)
    assert (result.rows_read, result.rows_rejected, result.errors_total) == (3, 2, 3)
    assert [e["row"] for e in result.errors] == [2, 4, 4]


def test_templates_round_trip(engine: Engine) -> None:
    header = template_csv("products").decode()
    assert header.startswith("product,category,vendor,owner,sponsor,target_audience,")
    result = imp(engine, header + "Mentoring,programme,,,,,,,,,,no\n", name="products.csv")
    assert result.status == "imported", result.errors
    for name in ("budgets.csv", "contracts.csv", "outcomes.csv", "usage.csv"):
        assert template_csv(name).endswith(b"\n")
    with pytest.raises(KeyError):
        template_csv("nope")


def test_import_row_records_notes(portfolio: Engine) -> None:
    with portfolio.connect() as conn:
        notes = conn.execute(text("SELECT notes, kind, format FROM data_import")).one()
    decisions = json.loads(notes[0])["decisions"]
    assert {d["topic"] for d in decisions} >= {"encoding", "delimiter", "header_row"}
    assert (notes[1], notes[2]) == ("products", "products")
