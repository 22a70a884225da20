import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.rag import RAG_STATUSES, rag_status, rag_status_expr
from tests.metrics.factories import AMBER, RED

SEVERITY = {"green": 0, "amber": 1, "red": 2}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (9_000.0, "green"),  # under plan: good for a cost
        (10_500.0, "green"),  # exactly 5 % over: within tolerance
        (10_800.0, "amber"),  # computed by hand: (10,800 - 10,000) / 10,000 = 8 % over
        (11_000.0, "amber"),  # exactly 10 % over: still amber
        (11_000.01, "red"),  # just over 10 %
    ],
)
def test_cost_over_plan_is_bad(value: float, expected: str) -> None:
    assert rag_status(value, 10_000.0, higher_is_better=False, amber=AMBER, red=RED) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12_000.0, "green"),  # above plan: good for completions
        (9_500.0, "green"),  # exactly 5 % short
        (9_200.0, "amber"),  # 8 % short
        (9_000.0, "amber"),  # exactly 10 % short
        (8_999.0, "red"),
    ],
)
def test_higher_is_better_under_plan_is_bad(value: float, expected: str) -> None:
    assert rag_status(value, 10_000.0, higher_is_better=True, amber=AMBER, red=RED) == expected


def test_a_negative_plan_keeps_the_direction() -> None:
    # ROI target -20 %: -10 % beats it (green); -25 % misses it by 0.05 / 0.20 = 25 % (red)
    assert rag_status(-0.10, -0.20, higher_is_better=True, amber=AMBER, red=RED) == "green"
    assert rag_status(-0.25, -0.20, higher_is_better=True, amber=AMBER, red=RED) == "red"


@pytest.mark.parametrize(
    ("value", "plan"),
    [(None, 100.0), (100.0, None), (None, None), (100.0, 0.0), (math.nan, 1.0), (1.0, math.inf)],
)
def test_missing_value_or_plan_or_a_zero_plan_gives_none(
    value: float | None, plan: float | None
) -> None:
    assert rag_status(value, plan, higher_is_better=True, amber=AMBER, red=RED) is None
    df = pl.DataFrame({"v": [value], "p": [plan]}, schema={"v": pl.Float64, "p": pl.Float64})
    assert (
        df.select(rag_status_expr("v", "p", higher_is_better=True, amber=AMBER, red=RED)).item()
        is None
    )


def test_custom_tolerances() -> None:
    # computed by hand: 3 % over plan is amber with a 2 % amber band, red with a 2.5 % red one
    assert rag_status(103.0, 100.0, higher_is_better=False, amber=0.02, red=0.05) == "amber"
    assert rag_status(103.0, 100.0, higher_is_better=False, amber=0.02, red=0.025) == "red"
    assert rag_status(103.0, 100.0, higher_is_better=False, amber=0.0, red=0.0) == "red"


@pytest.mark.parametrize(("amber", "red"), [(0.2, 0.1), (-0.01, 0.1)])
def test_tolerances_must_be_ordered(amber: float, red: float) -> None:
    with pytest.raises(ValueError, match="amber"):
        rag_status(1.0, 1.0, higher_is_better=True, amber=amber, red=red)
    with pytest.raises(ValueError, match="amber"):
        rag_status_expr("v", "p", higher_is_better=True, amber=amber, red=red)


def test_statuses_are_exactly_the_three() -> None:
    assert RAG_STATUSES == ("green", "amber", "red")


finite = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)
bands = st.tuples(st.floats(0, 0.5), st.floats(0, 0.5)).map(sorted)


@settings(max_examples=200, deadline=None)
@given(value=finite, plan=finite, band=bands)
def test_rag_is_symmetric_for_higher_and_lower_is_better(
    value: float, plan: float, band: list[float]
) -> None:
    # Being v against plan p when more is better is the same as -v against -p when less is.
    amber, red = band
    up = rag_status(value, plan, higher_is_better=True, amber=amber, red=red)
    down = rag_status(-value, -plan, higher_is_better=False, amber=amber, red=red)
    assert up == down


@settings(max_examples=200, deadline=None)
@given(value=finite, plan=finite, step=st.floats(0, 1e6), higher=st.booleans())
def test_moving_the_right_way_never_worsens_the_status(
    value: float, plan: float, step: float, higher: bool
) -> None:
    better = value + step if higher else value - step
    before = rag_status(value, plan, higher_is_better=higher, amber=AMBER, red=RED)
    after = rag_status(better, plan, higher_is_better=higher, amber=AMBER, red=RED)
    if before is None:
        assert after is None
    else:
        assert SEVERITY[after] <= SEVERITY[before]


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.none() | finite, st.none() | finite), max_size=20),
    higher=st.booleans(),
    band=bands,
)
def test_the_expression_agrees_with_the_scalar(
    pairs: list[tuple[float | None, float | None]], higher: bool, band: list[float]
) -> None:
    amber, red = band
    df = pl.DataFrame(
        {"v": [v for v, _ in pairs], "p": [p for _, p in pairs]},
        schema={"v": pl.Float64, "p": pl.Float64},
    )
    got = df.select(rag_status_expr("v", "p", higher_is_better=higher, amber=amber, red=red))
    expected = [rag_status(v, p, higher_is_better=higher, amber=amber, red=red) for v, p in pairs]
    assert got.get_column("rag").to_list() == expected
