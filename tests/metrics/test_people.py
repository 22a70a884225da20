"""People roster and reach by org unit (DESIGN.md, "People roster"), hand-computed.

Roster on 23 Nov 2026: Sales s1-s7 in post and s8 who left on 30 Jun (headcount 7; s8 still
counts as Sales when active); Ops o1-o6 (6); Legal l1-l2 (2: a headcount under 5, hidden).
Usage in 2026, product 1: s1-s6 and s8 (Sales 7), o1-o2 (Ops 2: hidden), l1 (Legal 1:
hidden), x (not on the roster; usage puts them in Finance), y (no unit: unassigned).
Product 2: o1-o6 (Ops 6). The portfolio: Sales 7, Ops 6, Legal 1, Finance 1, unassigned 1.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics.people import UNASSIGNED, headcount, learner_org_units, reach_by_org_unit
from metrics.schema import USAGE, frame

ON = date(2026, 11, 23)
NAMES = [f"s{i}" for i in range(1, 9)] + [f"o{i}" for i in range(1, 7)] + ["l1", "l2", "x", "y"]
IDS = {name: i for i, name in enumerate(NAMES, start=1)}


def _roster() -> pl.DataFrame:
    rows = [(f"k-{n}", "Sales", None, date(2026, 6, 30) if n == "s8" else None) for n in NAMES[:8]]
    rows += [(f"k-{n}", "Ops", date(2025, 1, 1), None) for n in NAMES[8:14]]
    rows += [(f"k-{n}", "Legal", None, None) for n in ("l1", "l2")]
    return pl.DataFrame(rows, schema=["learner_key", "org_unit", "start_date", "end_date"],
                        orient="row")  # fmt: skip


def _units() -> pl.DataFrame:
    learners = pl.DataFrame({"learner_id": list(IDS.values()), "key": [f"k-{n}" for n in IDS]})
    usage_units = pl.DataFrame(
        {
            "learner_id": [IDS["x"], IDS["x"], IDS["s8"]],
            "org_unit": ["Finance", "HR", "Marketing"],
            "day": [date(2026, 5, 1), date(2026, 3, 1), date(2026, 9, 1)],
            "import_id": [1, 2, 2],
        }
    )
    return learner_org_units(learners, _roster(), usage_units)


def _usage() -> pl.DataFrame:
    product_1 = [*NAMES[:6], "s8", "o1", "o2", "l1", "x", "y"]
    rows = [
        {"product_id": 1, "learner_id": IDS[n], "date": date(2026, 4, 2), "minutes": 10.0}
        for n in product_1
    ]
    rows += [
        {"product_id": 2, "learner_id": IDS[n], "date": date(2026, 8, 3), "minutes": 5.0}
        for n in NAMES[8:14]
    ]
    # Not activity: a 0-minute row, and a row of another year.
    rows += [
        {"product_id": 2, "learner_id": IDS["s1"], "date": date(2026, 8, 3), "minutes": 0.0},
        {"product_id": 2, "learner_id": IDS["s2"], "date": date(2025, 8, 3), "minutes": 9.0},
    ]
    return frame(USAGE, rows)  # fmt: skip


def test_headcount_counts_people_in_post_on_the_day() -> None:
    assert headcount(_roster(), on=ON).rows() == [("Legal", 2), ("Ops", 6), ("Sales", 7)]
    # The day before Ops started (1 Jan 2025) and s8 still in post.
    assert headcount(_roster(), on=date(2024, 12, 31)).rows() == [("Legal", 2), ("Sales", 8)]


def test_the_roster_wins_then_the_latest_usage_row_then_unassigned() -> None:
    units = dict(_units().rows())
    assert units[IDS["s8"]] == "Sales"  # the roster, though usage said Marketing
    assert units[IDS["x"]] == "Finance"  # 1 May is later than HR's 1 Mar
    assert units[IDS["y"]] == UNASSIGNED


def test_reach_by_org_unit_with_small_groups_hidden() -> None:
    got = reach_by_org_unit(
        _usage(), _units(), headcount(_roster(), on=ON),
        product_ids=[1, 2], start=date(2026, 1, 1), end=date(2026, 12, 31), min_group=5,
    )  # fmt: skip
    assert got.rows() == [
        (1, "Sales", 7, 7, 1.0, False),
        (1, "Ops", 6, None, None, True),
        (1, "Legal", None, None, None, True),
        (1, "Finance", None, None, None, True),
        (1, UNASSIGNED, None, None, None, True),
        (2, "Sales", 7, 0, 0.0, False),
        (2, "Ops", 6, 6, 1.0, False),
        (2, "Legal", None, 0, 0.0, False),  # none active: 0, though the headcount is hidden
        (None, "Sales", 7, 7, 1.0, False),
        (None, "Ops", 6, 6, 1.0, False),
        (None, "Legal", None, None, None, True),
        (None, "Finance", None, None, None, True),
        (None, UNASSIGNED, None, None, None, True),
    ]


def test_a_smaller_minimum_shows_more() -> None:
    got = reach_by_org_unit(
        _usage(), _units(), headcount(_roster(), on=ON),
        product_ids=[1], start=date(2026, 1, 1), end=date(2026, 12, 31), min_group=2,
    )  # fmt: skip
    rows = {(r[0], r[1]): r[2:] for r in got.rows()}
    assert rows[(1, "Ops")] == (6, 2, 2 / 6, False)
    assert rows[(1, "Legal")] == (2, None, None, True)  # 1 active: still under 2


def test_a_product_without_usage_is_not_tracked_not_zero() -> None:
    got = reach_by_org_unit(
        _usage(), _units(), headcount(_roster(), on=ON),
        product_ids=[1, 2, 3], start=date(2026, 1, 1), end=date(2026, 12, 31), min_group=5,
    )  # fmt: skip
    assert 3 not in got.get_column("product_id").to_list()
