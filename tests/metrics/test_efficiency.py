import polars as pl
import pytest

from metrics.efficiency import (
    cost_per_active_learner,
    cost_per_completion,
    cost_per_hour,
    cost_per_learner,
)


@pytest.fixture
def costs() -> pl.DataFrame:
    """Row 0 has everything; row 1 a zero denominator; row 2 no cost; row 3 no counts."""
    return pl.DataFrame(
        {
            "actual_cost": [41_250.0, 41_250.0, None, 1_000.0],
            "unique_learners": [330, 0, 10, None],
            "active_learners": [250, 0, 10, None],
            "completions": [125, 0, 10, None],
            "learning_hours": [1_650.0, 0.0, 10.0, None],
        },
        schema_overrides={
            name: pl.Int64() for name in ("unique_learners", "active_learners", "completions")
        },
    )


def test_cost_per_figures(costs: pl.DataFrame) -> None:
    got = costs.select(
        cost_per_learner(), cost_per_active_learner(), cost_per_completion(), cost_per_hour()
    ).row(0, named=True)
    # computed by hand: 41,250 / 330 = 125.00; / 250 = 165.00; / 125 = 330.00; / 1,650 = 25.00
    assert got == {
        "cost_per_learner": 125.0,
        "cost_per_active_learner": 165.0,
        "cost_per_completion": 330.0,
        "cost_per_hour": 25.0,
    }


@pytest.mark.parametrize("row", [1, 2, 3], ids=["zero denominator", "no cost", "not tracked"])
def test_cost_per_figures_are_null_without_inputs(costs: pl.DataFrame, row: int) -> None:
    got = costs.select(
        cost_per_learner(), cost_per_active_learner(), cost_per_completion(), cost_per_hour()
    ).row(row)
    assert got == (None, None, None, None)


def test_columns_can_be_named_or_expressions() -> None:
    df = pl.DataFrame({"spend": [900.0], "people": [3]})
    got = df.select(cost_per_learner("spend", pl.col("people") * 2))
    # computed by hand: 900 / 6 = 150.00
    assert got.item() == 150.0
