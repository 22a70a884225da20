from collections.abc import Callable
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from metrics import common
from metrics.periods import month_bounds
from metrics.usage import (
    active_learners,
    active_learners_by_month,
    completions,
    learning_hours,
    portfolio_active_learners,
    portfolio_learners,
    unique_learners,
    unique_learners_by_month,
    usage_figures,
)
from tests.metrics import factories as f
from tests.metrics.factories import END, START, YEAR

Q1_REPORT = {"period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31)}


@pytest.fixture
def cohort() -> pl.DataFrame:
    """Product 1: learner 1 watches 30 min of course 1 and 45 min of course 2 (completes it);
    learner 2 is enrolled with no activity; learner 3 has 10% progress in an undated Q1 row.
    Product 2: learner 1 again, active, and learner 4 with a 2025 row only.
    """
    return f.usage(
        {"learner_id": 1, "content_id": 1, "date": date(2026, 3, 1), "minutes": 30.0},
        {
            "learner_id": 1,
            "content_id": 2,
            "date": date(2026, 3, 5),
            "minutes": 45.0,
            "completed": True,
            "completed_date": date(2026, 3, 5),
        },
        {
            "learner_id": 2,
            "content_id": 1,
            "date": date(2026, 4, 1),
            "minutes": 0.0,
            "progress_pct": 0.0,
            "completed": False,
        },
        {"learner_id": 3, "content_id": 1, "progress_pct": 10.0, "completed": False, **Q1_REPORT},
        {
            "product_id": 2,
            "learner_id": 1,
            "content_id": 7,
            "date": date(2026, 6, 1),
            "minutes": 105.0,
            "completed": False,
        },
        {
            "product_id": 2,
            "learner_id": 4,
            "content_id": 7,
            "date": date(2025, 6, 1),
            "minutes": 20.0,
            "completed": False,
        },
    )


def test_unique_learners_count_enrolled_learners_too(cohort: pl.DataFrame) -> None:
    # computed by hand: product 1 has learners 1, 2, 3; product 2 only learner 1 in 2026
    got = unique_learners(cohort, start=START, end=END)
    assert f.as_dict(got, "unique_learners") == {1: 3, 2: 1}


def test_active_learners_need_minutes_progress_or_a_completion(cohort: pl.DataFrame) -> None:
    # computed by hand: learner 1 (minutes) and 3 (progress) are active, 2 is only enrolled
    got = active_learners(cohort, start=START, end=END)
    assert f.as_dict(got, "active_learners") == {1: 2, 2: 1}


def test_a_completion_alone_makes_a_learner_active() -> None:
    rows = f.usage({"learner_id": 1, "date": date(2026, 2, 1), "completed": True})
    assert f.as_dict(active_learners(rows, start=START, end=END), "active_learners") == {1: 1}


def test_tracked_product_with_nobody_active_reports_zero_not_null() -> None:
    rows = f.usage({"learner_id": 1, "date": date(2026, 2, 1), "minutes": 0.0})
    assert f.as_dict(active_learners(rows, start=START, end=END), "active_learners") == {1: 0}


def test_no_usage_means_the_product_is_absent(empty_usage: pl.DataFrame) -> None:
    for measure in (unique_learners, active_learners, completions, learning_hours):
        assert measure(empty_usage, start=START, end=END).is_empty()


def test_usage_outside_the_window_means_absent(cohort: pl.DataFrame) -> None:
    got = unique_learners(cohort, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert f.as_dict(got, "unique_learners") == {2: 1}


def test_completions_are_distinct_learner_content_pairs() -> None:
    # Learner 1 completes course 1 in March and again in May, and the March row arrives twice
    # (overlapping reports); learner 2 completes course 1 once; learner 1 also course 2.
    # computed by hand: pairs (1, 1), (2, 1), (1, 2) -> 3
    march = {"learner_id": 1, "content_id": 1, "date": date(2026, 3, 1), "completed": True}
    rows = f.usage(
        march,
        march,
        {"learner_id": 1, "content_id": 1, "date": date(2026, 5, 1), "completed": True},
        {"learner_id": 2, "content_id": 1, "date": date(2026, 6, 1), "completed": True},
        {"learner_id": 1, "content_id": 2, "date": date(2026, 6, 1), "completed": True},
    )
    assert f.as_dict(completions(rows, start=START, end=END), "completions") == {1: 3}


def test_completions_count_in_the_window_of_the_completed_date() -> None:
    # Started in 2025, completed 4 Jan 2026: a 2026 completion, not a 2025 one.
    rows = f.usage(
        {
            "learner_id": 1,
            "date": date(2025, 12, 20),
            "completed": True,
            "completed_date": date(2026, 1, 4),
        },
    )
    assert f.as_dict(completions(rows, start=START, end=END), "completions") == {1: 1}
    last_year = completions(rows, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert f.as_dict(last_year, "completions") == {1: 0}


def test_completions_without_a_completion_field_are_null() -> None:
    # A vendor format with no completion field: completed and completed_date are never set.
    rows = f.usage({"learner_id": 1, "date": date(2026, 2, 1), "minutes": 30.0})
    assert f.as_dict(completions(rows, start=START, end=END), "completions") == {1: None}


def test_completions_tracked_but_none_is_zero(cohort: pl.DataFrame) -> None:
    # computed by hand: product 2 says "not completed" in 2026 -> 0; product 1 -> 1
    got = completions(cohort, start=START, end=END)
    assert f.as_dict(got, "completions") == {1: 1, 2: 0}


def test_learning_hours(cohort: pl.DataFrame) -> None:
    # computed by hand: product 1: (30 + 45 + 0) / 60 = 1.25 h; product 2: 105 / 60 = 1.75 h
    got = learning_hours(cohort, start=START, end=END)
    assert f.as_dict(got, "learning_hours") == {1: 1.25, 2: 1.75}


def test_learning_hours_are_null_when_no_minutes_are_recorded() -> None:
    rows = f.usage({"learner_id": 1, "date": date(2026, 2, 1), "progress_pct": 50.0})
    assert f.as_dict(learning_hours(rows, start=START, end=END), "learning_hours") == {1: None}


def test_active_learners_by_month(cohort: pl.DataFrame) -> None:
    got = active_learners_by_month(cohort, year=YEAR).filter(pl.col("product_id") == 1)
    # computed by hand: Jan, Feb: learner 3 (undated Q1 row); Mar: learners 1 and 3;
    # Apr: learner 2's row only, not active -> 0
    assert got.select("month", "active_learners").rows() == [
        (date(2026, 1, 1), 1),
        (date(2026, 2, 1), 1),
        (date(2026, 3, 1), 2),
        (date(2026, 4, 1), 0),
    ]


def test_unique_learners_by_month_count_enrolled_learners_too(cohort: pl.DataFrame) -> None:
    got = unique_learners_by_month(cohort, year=YEAR)
    # computed by hand, product 1: Jan, Feb: learner 3 (undated Q1 row); Mar: learners 1 and 3;
    # Apr: learner 2, enrolled with no activity, still counts. Product 2: June, learner 1.
    assert got.rows() == [
        (1, date(2026, 1, 1), 1),
        (1, date(2026, 2, 1), 1),
        (1, date(2026, 3, 1), 2),
        (1, date(2026, 4, 1), 1),
        (2, date(2026, 6, 1), 1),
    ]
    assert got.columns == ["product_id", "month", "unique_learners"]


def test_unique_learners_by_month_without_usage_is_empty(empty_usage: pl.DataFrame) -> None:
    assert unique_learners_by_month(empty_usage, year=YEAR).is_empty()


def test_portfolio_counts_a_learner_of_two_products_once(cohort: pl.DataFrame) -> None:
    # computed by hand: product 1 has active 1 and 3, product 2 active 1 -> {1, 3} = 2
    assert portfolio_active_learners(cohort, start=START, end=END) == 2


def test_portfolio_without_usage_is_none(empty_usage: pl.DataFrame) -> None:
    assert portfolio_active_learners(empty_usage, start=START, end=END) is None


ROW_FIELDS = {
    "product_id": st.integers(1, 3),
    "learner_id": st.integers(1, 8),
    "content_id": st.integers(1, 3),
    "date": st.none() | st.dates(date(2025, 11, 1), date(2027, 2, 1)),
    "period_start": st.just(date(2025, 12, 1)),
    "period_end": st.just(date(2026, 2, 28)),
    "minutes": st.none() | st.floats(0, 600),
    "completed": st.none() | st.booleans(),
}
usage_rows = st.lists(st.fixed_dictionaries(ROW_FIELDS), max_size=25)


@settings(max_examples=40, deadline=None)
@given(rows=usage_rows, seed=st.integers(0, 1000))
def test_row_order_changes_no_usage_figure(rows: list[dict], seed: int) -> None:
    df = f.usage(*rows)
    for measure in (unique_learners, active_learners, completions):
        got = measure(f.shuffled(df, seed), start=START, end=END)
        assert got.equals(measure(df, start=START, end=END))


@settings(max_examples=40, deadline=None)
@given(rows=usage_rows)
def test_active_never_exceeds_unique_and_portfolio_never_exceeds_the_sum(rows: list[dict]) -> None:
    df = f.usage(*rows)
    unique = f.as_dict(unique_learners(df, start=START, end=END), "unique_learners")
    active = f.as_dict(active_learners(df, start=START, end=END), "active_learners")
    assert unique.keys() == active.keys()
    assert all(active[p] <= unique[p] for p in unique)
    portfolio = portfolio_active_learners(df, start=START, end=END)
    assert portfolio is None or max(active.values(), default=0) <= portfolio <= sum(active.values())


@settings(max_examples=30, deadline=None)
@given(rows=usage_rows)
def test_monthly_unique_learners_never_fall_below_monthly_active(rows: list[dict]) -> None:
    df = f.usage(*rows)
    unique = unique_learners_by_month(df, year=YEAR)
    active = active_learners_by_month(df, year=YEAR)
    assert unique.select("product_id", "month").equals(active.select("product_id", "month"))
    assert (unique["unique_learners"] >= active["active_learners"]).all()


def test_usage_figures_in_one_pass(cohort: pl.DataFrame) -> None:
    # By hand from `cohort`: product 1 has learners 1, 2, 3 (unique 3), 1 and 3 active (2),
    # one completion (learner 1, course 2) and 30 + 45 + 0 minutes (learner 3's row has none);
    # product 2 in 2026 has learner 1 only: 105 minutes, nothing completed (0, tracked).
    # Together: learners {1, 2, 3} (4's row is 2025), active {1, 3}.
    got = usage_figures(cohort, start=START, end=END)
    assert got.rows() == [(1, 3, 2, 1, 75.0), (2, 1, 1, 0, 105.0)]
    assert portfolio_learners(cohort, start=START, end=END) == (3, 2)


def test_usage_figures_without_usage_are_empty(empty_usage: pl.DataFrame) -> None:
    assert usage_figures(empty_usage, start=START, end=END).is_empty()
    assert portfolio_learners(empty_usage, start=START, end=END) == (None, None)


def _completions_over_window_or_placed(usage: pl.DataFrame) -> pl.DataFrame:
    """`completions` as first written: rows in the window or whose completion is placed in it."""
    counted = common.completion_in_window(START, END)
    pairs = pl.struct("learner_id", "content_id").filter(counted).n_unique().cast(pl.Int64)
    tracked = common.is_completed().is_not_null().any()
    return (
        usage.filter(common.row_in_window(START, END) | counted)
        .group_by("product_id")
        .agg(pl.when(tracked).then(pairs).otherwise(None).alias("completions"))
        .sort("product_id")
    )


# `usage_rows` with completion dates, progress and a period missing its start.
dated_rows = st.lists(
    st.fixed_dictionaries(
        {
            **ROW_FIELDS,
            "completed_date": st.none() | st.dates(date(2025, 11, 1), date(2027, 2, 1)),
            "period_start": st.none() | st.just(date(2025, 12, 1)),
            "progress_pct": st.none() | st.floats(0, 100),
        }
    ),
    max_size=30,
)


@settings(max_examples=80, deadline=None)
@given(rows=dated_rows)
def test_usage_figures_are_the_single_measures(rows: list[dict]) -> None:
    """One pass gives each measure's own figure, for any mix of dates, periods and flags."""
    df = f.usage(*rows)
    got = usage_figures(df, start=START, end=END)
    for measure, column in (
        (unique_learners, "unique_learners"),
        (active_learners, "active_learners"),
        (completions, "completions"),
    ):
        assert_frame_equal(got.select("product_id", column), measure(df, start=START, end=END))
    assert_frame_equal(
        got.select("product_id", "completions"), _completions_over_window_or_placed(df)
    )
    hours = learning_hours(df, start=START, end=END)
    assert got["product_id"].to_list() == hours["product_id"].to_list()
    for minutes, hour in zip(got["minutes"], hours["learning_hours"], strict=True):
        assert (minutes is None and hour is None) or minutes / 60 == pytest.approx(hour)
    unique, active = portfolio_learners(df, start=START, end=END)
    assert active == portfolio_active_learners(df, start=START, end=END)
    everyone = df.with_columns(pl.lit(0, dtype=pl.Int64()).alias("product_id"))
    alone = unique_learners(everyone, start=START, end=END)["unique_learners"].to_list()
    assert [unique] == (alone or [None])


def _month_by_month(
    measure: Callable[..., pl.DataFrame], name: str, usage: pl.DataFrame
) -> pl.DataFrame:
    """The monthly counts as first computed: the measure over each month's window in turn."""
    months = []
    for month in range(1, 13):
        start, end = month_bounds(YEAR, month)
        got = measure(usage, start=start, end=end)
        months.append(got.select("product_id", pl.lit(start).alias("month"), name))
    return pl.concat(months).sort("product_id", "month")


@settings(max_examples=80, deadline=None)
@given(rows=dated_rows)
def test_monthly_counts_in_one_pass_are_each_months_window(rows: list[dict]) -> None:
    """Each row is placed in the months its dates (or, undated, its period) fall in."""
    df = f.usage(*rows)
    for by_month, measure, name in (
        (active_learners_by_month, active_learners, "active_learners"),
        (unique_learners_by_month, unique_learners, "unique_learners"),
    ):
        assert_frame_equal(by_month(df, year=YEAR), _month_by_month(measure, name, df))
