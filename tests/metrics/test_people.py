"""People roster and reach by org unit (DESIGN.md, "People roster"), hand-computed.

Roster on 23 Nov 2026: Sales s1-s7 in post and s8 who left on 30 Jun (headcount 7; s8 still
counts as Sales when active); Ops o1-o6 (6); Legal l1-l2 (2: a headcount under 5, hidden).
Usage in 2026, product 1: s1-s6 and s8 (Sales 7), o1-o2 (Ops 2: hidden), l1 (Legal 1:
hidden), x (not on the roster; usage puts them in Finance), y (no unit: unassigned).
Product 2: o1-o6 (Ops 6). The portfolio: Sales 7, Ops 6, Legal 1, Finance 1, unassigned 1.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import polars as pl
import pytest

from metrics.people import (
    UNASSIGNED,
    UnitFigures,
    count_hidden,
    figures_in_units,
    headcount,
    learner_org_units,
    org_unit_choices,
    people_in_units,
    reach_by_org_unit,
    usage_in_units,
    year_figures_in_units,
)
from metrics.schema import USAGE, frame
from metrics.scorecard import product_scorecard
from metrics.usage import learning_hours
from tests.metrics import factories as f

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


# --- The org-unit filter (issue 19) ----------------------------------------------------------
# The same people and units as above (Sales 7, Ops 6, Legal 2 in post; x in Finance by usage;
# y unassigned). Product 1 (actual 14,000.00): s1-s6, s8, o1, o2, l1, x, y, 10 minutes each
# on 2 Apr 2026, s1-s5 and o1 completing. Product 2 (actual 600.00, no completion field):
# o1-o6 5 minutes each, s1 a 0-minute row (a learner, not active), s2 a 2025 row.


def _filter_usage() -> pl.DataFrame:
    done = {"s1", "s2", "s3", "s4", "s5", "o1"}
    return _usage().with_columns(
        pl.when(pl.col("product_id") == 1)
        .then(pl.col("learner_id").is_in([IDS[n] for n in done]))
        .alias("completed")
    )


def _scorecard(usage: pl.DataFrame) -> pl.DataFrame:
    products = f.products(
        {"product_id": 1, "product": "Library", "category": "content_library",
         "lifecycle_stage": "mature", "strategic_fit": 4},
        {"product_id": 2, "product": "Coaching", "category": "coaching",
         "lifecycle_stage": "growth", "strategic_fit": 4},
    )  # fmt: skip
    budgets = f.budgets(
        {"month": date(2026, 3, 1), "plan_minor": 1_400_000, "actual_minor": 1_400_000},
        {"product_id": 2, "month": date(2026, 3, 1), "plan_minor": 60_000, "actual_minor": 60_000},
    )
    card = product_scorecard(
        products, budgets, f.contracts().clear(), usage, f.outcomes().clear(),
        year=2026, currency="GBP", thresholds=f.HEALTH,
    )  # fmt: skip
    hours = learning_hours(usage, start=date(2026, 1, 1), end=date(2026, 12, 31))
    return card.join(hours, on="product_id", how="left", maintain_order="left")


def _in_units(units: list[str]) -> pl.DataFrame:
    usage, placed = _filter_usage(), _units()
    heads = headcount(_roster(), on=ON)
    return figures_in_units(
        _scorecard(usage),
        _scorecard(usage_in_units(usage, placed, units)),
        people=people_in_units(placed, heads, units),
        min_group=5,
    )


def test_usage_in_units_keeps_the_rows_of_the_units_learners() -> None:
    usage, placed = _filter_usage(), _units()
    sales = usage_in_units(usage, placed, ["Sales"])
    # Product 1: s1-s6 and s8 (7 rows); product 2: s1's 0-minute row and s2's 2025 row.
    assert sales.height == 9
    assert set(sales["learner_id"]) == {IDS[n] for n in NAMES[:6]} | {IDS["s8"]}
    assert sales.equals(usage.filter(pl.col("learner_id").is_in(sales["learner_id"].to_list())))
    assert usage_in_units(usage, placed, ["Finance", UNASSIGNED])["learner_id"].to_list() == [
        IDS["x"],
        IDS["y"],
    ]
    assert usage_in_units(usage, placed, []).is_empty()


def test_a_learner_no_list_places_is_unassigned() -> None:
    stranger = frame(USAGE, [{"product_id": 1, "learner_id": 99, "date": ON, "minutes": 5.0}])
    assert usage_in_units(stranger, _units(), [UNASSIGNED]).height == 1
    assert usage_in_units(stranger, _units(), ["Sales"]).is_empty()


def test_the_choices_are_by_headcount_then_name_unassigned_last() -> None:
    heads = headcount(_roster(), on=ON)
    assert org_unit_choices(_units(), heads) == ["Sales", "Ops", "Legal", "Finance", UNASSIGNED]
    # No roster and nobody placed by usage: nothing to filter by.
    nobody = pl.DataFrame({"learner_id": [1], "org_unit": [UNASSIGNED]})
    assert org_unit_choices(nobody, heads.clear()) == []


def test_people_in_units_is_headcount_else_distinct_learners() -> None:
    placed, heads = _units(), headcount(_roster(), on=ON)
    assert people_in_units(placed, heads, ["Sales", "Finance"]) == 7 + 1  # x placed by usage
    assert people_in_units(placed, heads, ["Legal"]) == 2
    assert people_in_units(placed, heads, [UNASSIGNED]) == 1  # y


def test_figures_in_sales_are_the_sales_learners() -> None:
    rows = {r["product_id"]: r for r in _in_units(["Sales"]).iter_rows(named=True)}
    library = rows[1]
    # Computed by hand: s1-s6 and s8 active, s1-s5 completing, 7 × 10 minutes.
    assert (library["unique_learners"], library["active_learners"], library["completions"]) == (
        7,
        7,
        5,
    )
    assert library["learning_hours"] == pytest.approx(70 / 60)
    assert library["cost_per_active_learner"] == pytest.approx(14_000 / 7)  # 2,000.00
    assert library["cost_per_completion"] == pytest.approx(14_000 / 5)  # 2,800.00
    assert library["hidden"] == []
    # The rest stays the product's: its cost and reach of 12 active learners.
    assert library["actual_cost"] == pytest.approx(14_000.0)
    # Coaching's Sales learners are s1 alone (0 minutes): every figure is about one person.
    coaching = rows[2]
    assert coaching["hidden"] == ["unique_learners", "active_learners", "learning_hours",
                                  "cost_per_active_learner"]  # fmt: skip
    assert coaching["unique_learners"] is None and coaching["active_learners"] is None
    assert coaching["completions"] is None  # not tracked (no completion field), not hidden


def test_a_unit_with_no_learner_of_a_tracked_product_counts_zero() -> None:
    rows = {r["product_id"]: r for r in _in_units(["Ops"]).iter_rows(named=True)}
    # Ops: o1, o2 on the library (2 people: hidden); o1-o6 on coaching, 6 × 5 minutes.
    assert rows[1]["active_learners"] is None and "active_learners" in rows[1]["hidden"]
    assert (rows[2]["unique_learners"], rows[2]["active_learners"]) == (6, 6)
    assert rows[2]["learning_hours"] == pytest.approx(30 / 60)
    assert rows[2]["cost_per_active_learner"] == pytest.approx(600 / 6)  # 100.00
    finance = _in_units(["Finance"]).row(1, named=True)  # x used the library only
    assert finance["hidden"] == ["unique_learners", "active_learners", "learning_hours",
                                 "cost_per_active_learner"]  # fmt: skip


def test_a_group_under_five_hides_every_figure_even_zero() -> None:
    legal = _in_units(["Legal"])  # headcount 2
    assert legal["active_learners"].to_list() == [None, None]
    assert legal["hidden"].to_list()[1][:2] == ["unique_learners", "active_learners"]
    # Sales and Legal together are 9 people: coaching's 0 of Legal no longer stands alone.
    assert count_hidden(0, people=9, min_group=5) is False
    assert count_hidden(0, people=2, min_group=5) is True
    assert count_hidden(4, people=900, min_group=5) is True
    assert count_hidden(None, people=2, min_group=5) is False


def _year_frames() -> SimpleNamespace:
    """The frames `year_figures_in_units` reads, as `models.frames.YearFrames` holds them."""
    usage = _filter_usage()
    card_inputs = {
        "products": f.products(
            {"product_id": 1, "product": "Library", "category": "content_library",
             "lifecycle_stage": "mature", "strategic_fit": 4},
            {"product_id": 2, "product": "Coaching", "category": "coaching",
             "lifecycle_stage": "growth", "strategic_fit": 4},
        ),
        "budgets": f.budgets(
            {"month": date(2026, 3, 1), "plan_minor": 1_400_000, "actual_minor": 1_400_000},
            {"product_id": 2, "month": date(2026, 3, 1), "plan_minor": 60_000,
             "actual_minor": 60_000},
        ),
    }  # fmt: skip
    return SimpleNamespace(
        **card_inputs,
        contracts=f.contracts().clear(),
        usage=usage,
        outcomes=f.outcomes().clear(),
        currency="GBP",
        learner_keys=pl.DataFrame(
            {"learner_id": list(IDS.values()), "key": [f"k-{n}" for n in IDS]}
        ),
        roster=_roster(),
        usage_units=pl.DataFrame(
            {
                "learner_id": [IDS["x"], IDS["x"], IDS["s8"]],
                "org_unit": ["Finance", "HR", "Marketing"],
                "day": [date(2026, 5, 1), date(2026, 3, 1), date(2026, 9, 1)],
                "import_id": [1, 2, 2],
            }
        ),
    )


def test_a_year_in_units_counts_each_active_learner_once() -> None:
    def figures(units: list[str]) -> UnitFigures:
        return year_figures_in_units(
            _year_frames(), units, year=2026, as_of=ON, min_group=5, thresholds=f.HEALTH
        )

    sales = figures(["Sales"])
    # s1-s6 and s8 active on the library; s1's 0 minutes on coaching is no activity: 7.
    assert (sales.people, sales.active_learners, sales.active_hidden) == (7, 7, False)
    assert sales.scorecard["active_learners"].to_list() == [7, None]  # coaching: s1 alone
    assert sales.scorecard.equals(_in_units(["Sales"]))  # the same as by hand, step by step
    both = figures(["Sales", "Ops"])  # 7 + o1-o6 (o1, o2 on both products, counted once)
    assert (both.people, both.active_learners) == (13, 13)
    few = figures(["Finance", UNASSIGNED])  # x and y: two people
    assert (few.people, few.active_learners, few.active_hidden) == (2, None, True)
