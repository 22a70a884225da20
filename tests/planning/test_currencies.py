"""Planning in the currency's own minor unit: the what-if rounds to it, the optimiser counts in it.

ISO 4217 (`metrics.currency`): GBP has 2 decimals (pence), JPY none, KWD 3
(fils). A cap and costs are chosen here so that they fit only when counted
in the right unit: a plan worth ¥1,101 + ¥1,101 fits a ¥2,202 cap, while
the same figures read as pounds (£1,101.10 each) do not fit £2,202.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from planning.selection import (
    compare_selections,
    default_caps,
    explain,
    funding_line,
    funding_options,
    optimise,
)
from planning.whatif import apply_amounts, project, totals
from tests.planning import WHATIF_SCHEMA

SCHEMA = WHATIF_SCHEMA


def inputs(*budgets: float) -> pl.DataFrame:
    """Products with a budget only: no licence, usage not tracked, no benefits measured."""
    rows: list[dict[str, Any]] = [
        {"product_id": i + 1, "product": f"P{i + 1}", "budget": b} for i, b in enumerate(budgets)
    ]
    return pl.DataFrame(rows, schema=SCHEMA)


SCORES = pl.DataFrame({"product_id": [1, 2], "score": [50.0, 40.0]})


@pytest.mark.parametrize(
    ("currency", "budget", "new_budget"),
    [
        # computed by hand: 1,001 × 1.1 = 1,101.1, rounded to the currency's minor unit
        ("GBP", 1_001.0, 1_101.1),
        ("JPY", 1_001.0, 1_101.0),
        # 1.001 × 1.1 = 1.1011 dinars = 1,101.1 fils, rounded to 1,101 fils
        ("KWD", 1.001, 1.101),
    ],
)
def test_the_what_if_rounds_to_the_minor_unit(
    currency: str, budget: float, new_budget: float
) -> None:
    projection = project(inputs(budget, budget), {1: 0.1, 2: 0.1}, currency=currency)
    assert projection["new_budget"].to_list() == [new_budget, new_budget]
    assert projection["spend"].to_list() == [new_budget, new_budget]
    t = totals(projection, cap=2 * new_budget, currency=currency)
    assert (t.spend, t.gap, t.over_cap) == (round(2 * new_budget, 3), 0.0, False)


def test_typed_amounts_are_refused_in_the_currency() -> None:
    with pytest.raises(ValueError, match=r"new budget ¥3,000 for product 1 .* its ¥1,001 budget"):
        apply_amounts(inputs(1_001.0), {1: 3_000.0}, currency="JPY")
    with pytest.raises(ValueError, match=r"\(it is KWD 0\.000\), so KWD 1\.500 cannot"):
        apply_amounts(inputs(0.0), {1: 1.5}, currency="KWD")


def test_a_yen_cap_fits_what_pounds_would_not() -> None:
    levels = (0.0, 1.0, 1.1)
    jpy = funding_options(inputs(1_001.0, 1_001.0), SCORES, currency="JPY", levels=levels)
    gbp = funding_options(inputs(1_001.0, 1_001.0), SCORES, currency="GBP", levels=levels)
    # level 1.1 costs ¥1,101 (whole yen) but £1,101.10 (whole pence)
    assert jpy.filter(pl.col("level") == 1.1)["cost"].to_list() == [1_101.0, 1_101.0]
    assert gbp.filter(pl.col("level") == 1.1)["cost"].to_list() == [1_101.1, 1_101.1]
    best = optimise(jpy, cap=2_202.0, currency="JPY")
    # ¥1,101 + ¥1,101 = ¥2,202 ≤ ¥2,202: both at 1.1
    assert (best.levels, best.cost) == ({1: 1.1, 2: 1.1}, 2_202.0)
    assert best.message == (
        f"Funds 2 of 2 products for ¥2.2k of the ¥2.2k cap: {50 * 1.1**0.6 + 40 * 1.1**0.6:.0f} "
        "value points."
    )
    # the same figures in pounds: £1,101.10 × 2 = £2,202.20 > £2,202, so only the
    # higher-scoring product goes to 1.1: £1,101.10 + £1,001.00 = £2,102.10
    pounds = optimise(gbp, cap=2_202.0, currency="GBP")
    assert (pounds.levels, pounds.cost) == ({1: 1.1, 2: 1.0}, 2_102.1)


def test_fils_decide_what_a_dinar_cap_buys() -> None:
    # two products at 0.005 dinars (5 fils) each; a cap of 0.009 (9 fils) fits one.
    # Counted in pence (0.5 → 0 of them) both would "fit" for nothing.
    rows = [(1, 0.0, 0.0, 0.0), (2, 0.0, 0.0, 0.0), (1, 1.0, 0.005, 10.0), (2, 1.0, 0.005, 9.0)]
    options = pl.DataFrame(
        rows, schema={"product_id": pl.Int64, "level": pl.Float64, "cost": pl.Float64,
                      "value": pl.Float64}, orient="row",
    )  # fmt: skip
    best = optimise(options, cap=0.009, currency="KWD")
    assert (best.funded, best.cost, best.value) == (frozenset({1}), 0.005, 10.0)
    assert (
        best.message == "Funds 1 of 2 products for KWD 0.005 of the KWD 0.009 cap: 10 value points."
    )
    line = funding_line(options, [2, 1], cap=0.009, currency="KWD")
    assert (line.funded, line.cost) == (frozenset({2}), 0.005)
    text = explain(compare_selections(best, line, {1: "A", 2: "B"}), currency="KWD")
    assert text.startswith("The best set adds A and drops B: for the same KWD 0.009 it buys 1.0")
    # 10 caps from 0 to 0.010 dinars, each a whole number of fils
    caps = default_caps(options, n=11, currency="KWD")
    assert caps == [i / 1_000 for i in range(11)]
