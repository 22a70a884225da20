"""Customer vs user: each rule fires on hand-made evidence, and missing data never fires one."""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics.divergence import customer_user_gaps


def _outcomes(rows: list[tuple[int, int, str, float, str]]) -> pl.DataFrame:
    """(product, month of 2026, measure, value, "l1" or "l4") as actual outcome rows."""
    return pl.DataFrame(
        [
            (pid, date(2026, month, 1), 4 if level == "l4" else 1, measure, value, "actual")
            for pid, month, measure, value, level in rows
        ],
        schema=["product_id", "period", "level", "measure", "value", "kind"],
        orient="row",
    )


def test_the_latest_nps_of_the_year_decides_and_each_rule_has_its_sentence() -> None:
    card = pl.DataFrame({"product_id": [1, 2, 3, 4, 5], "roi": [0.25, -0.4, None, 0.1, None]})
    out = _outcomes(
        [
            (1, 3, "Learner NPS", 20.0, "l1"),
            (1, 9, "Learner NPS", -5.0, "l1"),  # the latest: below 0 while ROI is 25%
            (1, 6, "Win rate", 3.0, "l4"),
            (2, 5, "learner NPS", 36.0, "l1"),  # above 30, ROI −40%, level-4 present
            (2, 5, "Repeat contacts", 2.0, "l4"),
            (3, 5, "learner NPS", 31.0, "l1"),  # above 30, no level-4 evidence
            (4, 5, "learner NPS", 30.0, "l1"),  # exactly 30: not above, no rule
        ]
    )
    gaps = dict(customer_user_gaps(card, out, year=2026).select("product_id", "gap").rows())
    assert gaps == {
        1: "The sponsor's case holds (ROI 25%) but learners would not recommend it (NPS −5).",
        2: "Learners recommend it (NPS +36) but the money case fails (ROI −40%).",
        3: "Learners recommend it (NPS +31) but there is no business evidence for the sponsor "
        "(no level-4 measure in 2026).",
    }


def test_no_nps_or_another_year_fires_nothing() -> None:
    card = pl.DataFrame({"product_id": [1, 2], "roi": [0.5, -0.9]})
    out = _outcomes([(2, 5, "Win rate", 1.0, "l4")])
    assert customer_user_gaps(card, out, year=2026).is_empty()
    assert customer_user_gaps(card, _outcomes([(1, 5, "NPS", -50.0, "l1")]), year=2025).is_empty()


def test_a_sponsor_rating_and_voluntary_use_are_read_too() -> None:
    card = pl.DataFrame(
        {
            "product_id": [1, 2, 3, 4, 5],
            "roi": [None, 0.1, None, None, None],
            "seat_utilisation": [0.5, 0.22, None, 0.9, 0.1],
        }
    )
    out = _outcomes(
        [
            (1, 4, "Sponsor rating (1-5)", 4.5, "l4"),  # content sponsor, NPS −20
            (1, 5, "learner NPS", -20.0, "l1"),
            (2, 5, "learner NPS", 10.0, "l1"),  # ROI 10%, only 22% of seats used
            (3, 5, "learner NPS", 45.0, "l1"),  # learners content, sponsor rates it 2
            (3, 6, "sponsor rating (1-5)", 2.0, "l4"),
            (4, 5, "learner NPS", 45.0, "l1"),  # a rating of 9 is off the 1-5 scale: not read,
            (4, 6, "sponsor rating (1-5)", 9.0, "l4"),  # but it is a level-4 row
        ]
    )
    found = customer_user_gaps(card, out, year=2026).select("product_id", "gap", "reason").rows()
    assert found == [
        (1, "The sponsor rates it 4.5 of 5 but learners would not recommend it (NPS −20).",
         "sponsor yes (rated 4.5 of 5), learners no (NPS −20)"),
        (2, "The sponsor's case holds (ROI 10%) but few use it of their own accord (22% of seats "
         "in use).", "sponsor yes (ROI 10%), learners no (22% of seats used)"),
        (3, "Learners recommend it (NPS +45) but the sponsor rates it 2 of 5.",
         "learners yes (NPS +45), sponsor no (2 of 5)"),
    ]  # fmt: skip
    # Product 5 uses 10% of its seats but nothing says the sponsor is content: no gap.
