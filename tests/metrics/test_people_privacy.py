"""Privacy of reach by org unit (DESIGN.md, "People roster"): no figure lets a reader work out
a group of 1 to LP_MIN_GROUP_SIZE - 1 people, not even through a ratio. Hand-computed."""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics.people import headcount, learner_org_units, reach_by_org_unit
from metrics.schema import USAGE, frame

ON = date(2026, 11, 23)


def test_a_reach_over_a_hidden_headcount_is_hidden_too() -> None:
    # Legal: l1, l2 in post (headcount 2, hidden under 5) and l3-l6 who left on 30 Jun; all six
    # were active in March. 6 active is shown (6 people), but 6 / 2 = 3.0 would tell the
    # headcount, so reach is null. Ops: 5 in post, 5 active: 5 / 5 = 1.0, nothing hidden.
    legal = [(f"k-l{i}", "Legal", None, None if i <= 2 else date(2026, 6, 30)) for i in range(1, 7)]
    ops = [(f"k-o{i}", "Ops", None, None) for i in range(1, 6)]
    roster = pl.DataFrame(legal + ops, schema=["learner_key", "org_unit", "start_date",
                                               "end_date"], orient="row")  # fmt: skip
    keys = [r[0] for r in legal + ops]
    learners = pl.DataFrame({"learner_id": list(range(1, 12)), "key": keys})
    usage_units = pl.DataFrame(
        schema={
            "learner_id": pl.Int64,
            "org_unit": pl.String,
            "day": pl.Date,
            "import_id": pl.Int64,
        }
    )
    units = learner_org_units(learners, roster, usage_units)
    usage = frame(USAGE, [{"product_id": 1, "learner_id": i, "date": date(2026, 3, 2),
                           "minutes": 10.0} for i in range(1, 12)])  # fmt: skip
    got = reach_by_org_unit(
        usage, units, headcount(roster, on=ON),
        product_ids=[1], start=date(2026, 1, 1), end=date(2026, 12, 31), min_group=5,
    )  # fmt: skip
    rows = {(r[0], r[1]): r[2:] for r in got.rows()}
    assert rows[(1, "Legal")] == (None, 6, None, False)
    assert rows[(1, "Ops")] == (5, 5, 1.0, False)
