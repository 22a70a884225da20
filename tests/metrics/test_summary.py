"""The plain-language product line and the highest level of a chain of evidence."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from metrics.summary import highest_chain_level, product_summary

BASE: dict[str, Any] = {
    "actual_cost": None,
    "budget_plan": None,
    "seats": None,
    "seat_utilisation": None,
    "active_learners": None,
    "roi": None,
}


@pytest.mark.parametrize(
    ("card", "level", "expected"),
    [
        # the module's example: 41,250 of 96,000; 1 - 0.38 = 62% idle; no level 3
        (
            {"actual_cost": 41_250.0, "budget_plan": 96_000.0, "seats": 500,
             "seat_utilisation": 0.38},
            2,
            "£41k of £96k spent; 62% of seats idle; no level-3 evidence yet",
        ),
        # no plan; seats but usage not tracked; level-3 evidence without ROI
        (
            {"actual_cost": 16_207.55, "seats": 150},
            3,
            "£16k spent (no plan); 150 seats, usage not tracked; "
            "level-3 evidence, no monetised level-4 yet",
        ),
        # a plan of 0 counts as no plan; learners without seats; ROI 0.36
        (
            {"actual_cost": 950.0, "budget_plan": 0.0, "active_learners": 1_234, "roi": 0.36},
            4,
            "£950 spent (no plan); 1,234 active learners; ROI 36% on level-4 evidence",
        ),
        # nothing known: only the evidence clause
        ({}, None, "no level-3 evidence yet"),
        # £1.24m and £4.5k short forms
        (
            {"actual_cost": 4_500.0, "budget_plan": 1_240_000.0},
            None,
            "£4.5k of £1.24m spent; no level-3 evidence yet",
        ),
    ],
)  # fmt: skip
def test_product_summary(card: dict[str, Any], level: int | None, expected: str) -> None:
    assert product_summary({**BASE, **card}, level, "GBP") == expected


def test_other_currencies_use_their_symbol_or_code() -> None:
    card = {**BASE, "actual_cost": 41_250.0, "budget_plan": 96_000.0}
    assert product_summary(card, 3, "EUR").startswith("€41k of €96k spent")
    assert product_summary(card, 3, "CHF").startswith("CHF 41k of CHF 96k spent")


def test_negative_roi_keeps_its_sign() -> None:
    assert (
        product_summary({**BASE, "roi": -0.4}, 4, "GBP") == "ROI −40% on level-4 evidence"
    )  # a true minus (metrics.text)


def chain(*rows: tuple[int, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"level": pl.Int64(), "strength": pl.String()}, orient="row")


def test_highest_chain_level_ignores_empty_links_reach_and_roi() -> None:
    # reach (0) and ROI (5) have values, level 3 has none: the highest is 2
    evidence = chain((0, "moderate"), (1, "weak"), (2, "moderate"), (3, "none"), (5, "strong"))
    assert highest_chain_level(evidence) == 2
    assert highest_chain_level(chain((0, "moderate"), (4, "none"))) is None
    assert highest_chain_level(chain()) is None
    assert highest_chain_level(chain((4, "weak"), (1, "moderate"))) == 4
