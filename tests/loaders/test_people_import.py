"""people.csv: the roster imported as learner keys, refused with row and column, replaced by
the next roster and restored by undo; reach by org unit in the JSON pack, hand-counted
(DESIGN.md, "People roster")."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import Engine, text

from loaders import import_file, undo_import
from loaders.mappings import MappingSpec, all_formats, likely_target, save_mapping, suggest_columns
from models.frames import roster_frame
from tests.actors import EDITOR
from tests.loaders.conftest import assert_refused_at, year_pack_of

HEADER = b"learner,org_unit,manager,cost_centre,start_date,end_date\n"
# Sales: s1-s6 in post (6); s7 left on 30/06/2026 (not in post on 23 Nov, still Sales).
# Ops: employee ids 1001-1005 in post (5). Legal: l1 (1: a headcount under 5).
ROSTER = HEADER + b"".join(
    [
        *(b"S%d@North.example,Sales,boss@north.example,CC-10,01/01/2025,\n" % i
          for i in range(1, 7)),
        b"s7@north.example,Sales,boss@north.example,CC-10,01/01/2025,30/06/2026\n",
        *(b"%d,Ops,,CC-20,,\n" % i for i in range(1001, 1006)),
        b"l1@north.example,Legal,,,,\n",
    ]
)  # fmt: skip
# Leadership Academy in 2026: s1-s5 and s7 active (Sales 6), 1001 and 1002 active (Ops 2:
# hidden), l1 (Legal 1: hidden), x@ not on the roster whose row says Finance, 1003 with 0 min.
USAGE = b"product,learner,content_id,date,minutes,progress_pct,completed,org_unit\n" + b"".join(
    [
        *(b"Leadership Academy,s%d@north.example,m1,2026-03-0%d,20,,no,\n" % (i, i)
          for i in (1, 2, 3, 4, 5, 7)),
        b"Leadership Academy,1001,m1,2026-04-01,15,,no,\n",
        b"Leadership Academy,1002,m1,2026-04-02,15,,no,\n",
        b"Leadership Academy,l1@north.example,m1,2026-04-03,15,,no,\n",
        b"Leadership Academy,x@north.example,m1,2026-04-04,15,,no,Finance\n",
        b"Leadership Academy,1003,m1,2026-04-05,0,0,no,\n",
    ]
)  # fmt: skip


def test_the_roster_is_stored_as_keys_and_reach_by_org_unit_is_counted(
    portfolio: Engine,
) -> None:
    result = import_file(ROSTER, file_name="people.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    assert (result.format, result.kind, result.rows_imported) == ("people", "people", 13)
    with portfolio.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM person")) for v in row)
        roster = roster_frame(conn)
    assert "@" not in stored and "1001" not in stored.split()  # keys, never identities
    assert roster.group_by("org_unit").len().sort("org_unit").rows() == [
        ("Legal", 1), ("Ops", 5), ("Sales", 7),
    ]  # fmt: skip
    assert import_file(USAGE, file_name="usage.csv", engine=portfolio, actor=EDITOR).status == (
        "imported"
    )
    product = year_pack_of(portfolio, "Leadership Academy")
    assert product["reach_by_org_unit"] == [
        {"org_unit": "Sales", "headcount": 6, "active_learners": 6, "reach": 1.0,
         "suppressed": False},
        {"org_unit": "Ops", "headcount": 5, "active_learners": None, "reach": None,
         "suppressed": True},
        {"org_unit": "Legal", "headcount": None, "active_learners": None, "reach": None,
         "suppressed": True},
        {"org_unit": "Finance", "headcount": None, "active_learners": None, "reach": None,
         "suppressed": True},
    ]  # fmt: skip
    portfolio_rows = product["_pack"]["portfolio"]["reach_by_org_unit"]
    assert [r["org_unit"] for r in portfolio_rows] == ["Sales", "Ops", "Legal", "Finance"]
    assert product["_pack"]["assumptions"]["min_group_size"] == 5


def test_the_next_roster_replaces_it_and_undo_brings_it_back(portfolio: Engine) -> None:
    first = import_file(ROSTER, file_name="people.csv", engine=portfolio, actor=EDITOR)
    later = HEADER + b"s1@north.example,Marketing,,,,\n"
    second = import_file(later, file_name="people (2).csv", engine=portfolio, actor=EDITOR)
    assert second.status == "imported", second.errors
    with portfolio.connect() as conn:
        assert roster_frame(conn)["org_unit"].to_list() == ["Marketing"]
    undo_import(second.import_id, engine=portfolio, actor=EDITOR)
    with portfolio.connect() as conn:
        assert roster_frame(conn).height == 13
    again = import_file(ROSTER, file_name="people (3).csv", engine=portfolio, actor=EDITOR)
    assert (again.status, again.duplicate_of) == ("duplicate", first.import_id)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (b"S1@NORTH.example,Ops,,,,\n", None, "repeats row 2"),  # the same key, other case
        (b"b@north.example,Ops,,,01/05/2026,01/04/2026\n", "end_date", "before it starts"),
        (b"b@north.example,,,,,\n", "org_unit", "is empty"),
        (b"b@north.example,Ops,,,31/02/2026,\n", "start_date", "not a date"),
    ],
)
def test_a_bad_roster_row_is_refused_naming_row_and_column(
    portfolio: Engine, row: bytes, column: str | None, message: str
) -> None:
    data = HEADER + b"s1@north.example,Sales,,,,\n" + row
    if column is None:
        result = import_file(data, file_name="people.csv", engine=portfolio, actor=EDITOR)
        assert result.status == "rejected"
        assert any(e["row"] == 3 and message in e["message"] for e in result.errors)
    else:
        assert_refused_at(portfolio, data, row=3, column=column, message=message)


def test_an_hr_export_maps_onto_people_csv_and_imports(portfolio: Engine) -> None:
    headers = ["Employee ID", "Work Email", "Department", "Line Manager", "Cost Center",
               "Hire Date", "Termination Date"]  # fmt: skip
    rows = [
        ["1001", "ann@x.example", "Sales", "boss@x.example", "CC10", "2021-03-01", ""],
        ["1002", "bob@x.example", "Sales", "boss@x.example", "CC10", "2022-05-09", "2026-06-30"],
        ["1003", "cy@x.example", "Ops", "chief@x.example", "CC20", "2019-11-11", ""],
    ]
    cells = pl.DataFrame(rows, schema=headers, orient="row")
    assert likely_target(headers, cells) == "people"
    columns = suggest_columns(headers, cells, target="people")
    assert columns == {"learner": "Work Email", "org_unit": "Department",
                       "manager": "Line Manager", "cost_centre": "Cost Center",
                       "start_date": "Hire Date", "end_date": "Termination Date"}  # fmt: skip
    save_mapping(MappingSpec(name="Workday export", columns=columns, target="people"),
                 engine=portfolio, actor=EDITOR)  # fmt: skip
    result = import_file(cells.write_csv().encode(), file_name="hr.csv", engine=portfolio,
                         actor=EDITOR, formats=all_formats(engine=portfolio))  # fmt: skip
    assert (result.status, result.format, result.rows_imported) == (
        "imported", "mapping:Workday export", 3,
    ), result.errors  # fmt: skip
    with portfolio.connect() as conn:
        roster = roster_frame(conn)
    assert roster.select("org_unit", "cost_centre").sort("org_unit", "cost_centre").rows() == [
        ("Ops", "CC20"), ("Sales", "CC10"), ("Sales", "CC10"),
    ]  # fmt: skip
