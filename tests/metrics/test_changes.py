"""metrics.changes: the deltas the pages show beside their headline figures."""

from __future__ import annotations

import pytest

from metrics.changes import difference, relative_change


def test_difference_is_value_minus_base() -> None:
    # Computed by hand: a scenario spending 450,000.00 against a plan of 500,000.00.
    assert difference(450_000.0, 500_000.0) == -50_000.0
    # 1,340 projected learners against 1,200 today: 140 more.
    assert difference(1_340.0, 1_200.0) == 140.0
    assert difference(0.0, 0.0) == 0.0


@pytest.mark.parametrize(("value", "base"), [(None, 1.0), (1.0, None), (None, None)])
def test_a_change_from_or_to_an_unknown_figure_is_unknown(
    value: float | None, base: float | None
) -> None:
    assert difference(value, base) is None
    assert relative_change(value, base) is None


def test_relative_change_is_the_fraction_over_the_base() -> None:
    # Computed by hand: forecast 10,500.00 on a plan of 10,000.00 = 5 % over plan.
    assert relative_change(10_500.0, 10_000.0) == pytest.approx(0.05)
    # 9,000.00 on 10,000.00 = 10 % under.
    assert relative_change(9_000.0, 10_000.0) == pytest.approx(-0.10)
    assert relative_change(0.0, 10_000.0) == -1.0


def test_no_fraction_of_a_zero_base() -> None:
    assert relative_change(500.0, 0.0) is None
