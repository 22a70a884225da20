from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from metrics.engagement import (
    average_retention,
    funnel,
    hours_per_active_learner,
    retention_by_month,
    stickiness_by_month,
)
from metrics.usage import active_learners, completions, unique_learners
from tests.metrics import factories as f
from tests.metrics.factories import END, START, YEAR


def day(month: int, d: int) -> date:
    return date(YEAR, month, d)


@pytest.fixture
def cohort() -> pl.DataFrame:
    """Product 1: learners 1-4 have rows in March; 1-3 watched 60, 30 and 90 minutes;
    1 and 2 completed course 1 (1 completed it twice); learner 4 is enrolled only.
    Product 2: a format with no completion field, learner 7 watched 45 minutes."""
    return f.usage(
        {"learner_id": 1, "date": day(3, 2), "minutes": 60.0, "completed": True},
        {"learner_id": 1, "content_id": 2, "date": day(3, 9), "completed": True},
        {"learner_id": 2, "date": day(3, 3), "minutes": 30.0, "completed": True},
        {"learner_id": 3, "date": day(3, 4), "minutes": 90.0, "completed": False},
        {"learner_id": 4, "date": day(3, 5), "minutes": 0.0, "completed": False},
        {"product_id": 2, "learner_id": 7, "date": day(4, 1), "minutes": 45.0},
    )


def test_hours_per_active_learner(cohort: pl.DataFrame) -> None:
    got = hours_per_active_learner(cohort, start=START, end=END)
    # computed by hand: product 1 (60 + 30 + 90 + 0) / 60 = 3.0 h over 3 active = 1.0;
    # product 2: 0.75 h over 1 = 0.75
    assert got.rows() == [(1, 3.0, 3, 1.0), (2, 0.75, 1, 0.75)]


def test_hours_per_active_learner_is_null_without_minutes_or_activity() -> None:
    rows = f.usage(
        {"learner_id": 1, "date": day(2, 1), "progress_pct": 40.0},  # active, no minutes
        {"product_id": 2, "learner_id": 2, "date": day(2, 1), "minutes": 0.0},  # nobody active
    )
    got = hours_per_active_learner(rows, start=START, end=END)
    assert f.as_dict(got, "hours_per_active_learner") == {1: None, 2: None}


def test_funnel_enrolled_started_completed(cohort: pl.DataFrame) -> None:
    got = funnel(cohort, start=START, end=END).row(0, named=True)
    # computed by hand: enrolled {1, 2, 3, 4} = 4; started {1, 2, 3} = 3; completed {1, 2} = 2
    # (learner 1's two completions count once); rates 3/4 = 0.75 and 2/4 = 0.5
    assert got == {
        "product_id": 1,
        "enrolled": 4,
        "started": 3,
        "completed": 2,
        "started_rate": 0.75,
        "completion_rate": 0.5,
    }


def test_funnel_completed_is_null_for_a_format_without_completions(cohort: pl.DataFrame) -> None:
    got = funnel(cohort, start=START, end=END).row(1, named=True)
    assert got["enrolled"] == got["started"] == 1
    assert got["completed"] is None and got["completion_rate"] is None


def test_funnel_of_a_product_without_usage_is_absent(
    cohort: pl.DataFrame, empty_usage: pl.DataFrame
) -> None:
    assert funnel(empty_usage, start=START, end=END).is_empty()
    assert funnel(cohort, start=date(2025, 1, 1), end=date(2025, 12, 31)).is_empty()


def test_a_completion_dated_after_the_window_does_not_count() -> None:
    rows = f.usage(
        {"learner_id": 1, "date": day(12, 20), "minutes": 5.0, "completed": True,
         "completed_date": date(2027, 1, 4)},
    )  # fmt: skip
    got = funnel(rows, start=START, end=END).row(0, named=True)
    # computed by hand: active in 2026 (minutes on 20 Dec) but completed in 2027
    assert (got["enrolled"], got["started"], got["completed"]) == (1, 1, 0)


@pytest.fixture
def months() -> pl.DataFrame:
    """March: learners 1, 2, 3, 4 active. April: 2, 4 and the new learner 5 active.
    May: learner 6 enrolled only. July: learner 1 active (June has no row at all).
    January: learner 9 active."""
    return f.usage(
        *({"learner_id": i, "date": day(3, i), "minutes": 10.0} for i in (1, 2, 3, 4)),
        *({"learner_id": i, "date": day(4, i), "minutes": 10.0} for i in (2, 4, 5)),
        {"learner_id": 6, "date": day(5, 1), "minutes": 0.0},
        {"learner_id": 1, "date": day(7, 1), "minutes": 10.0},
        {"learner_id": 9, "date": day(1, 9), "minutes": 10.0},
    )


def test_retention_by_month(months: pl.DataFrame) -> None:
    got = retention_by_month(months, year=YEAR).drop("product_id").rows()
    # computed by hand:
    # Jan: the first month of the year -> null. Mar: Feb has no row (not tracked) -> null.
    # Apr: |{1,2,3,4} & {2,4,5}| = 2 of 4 = 0.5. May: nobody active; of April's 3, 0 retained.
    # Jul: June has no row -> null.
    assert got == [
        (day(1, 1), 1, None, None, None),
        (day(3, 1), 4, None, None, None),
        (day(4, 1), 3, 4, 2, 0.5),
        (day(5, 1), 0, 3, 0, 0.0),
        (day(7, 1), 1, None, None, None),
    ]


def test_average_retention_leaves_out_months_without_one(months: pl.DataFrame) -> None:
    got = average_retention(retention_by_month(months, year=YEAR))
    # computed by hand from the months above: April 0.5 and May 0.0 have a retention,
    # January, March and July none: (0.5 + 0.0) / 2 = 0.25 (not / 5).
    assert got.rows() == [(1, 0.25)]


def test_average_retention_is_null_when_no_month_has_one() -> None:
    rows = f.usage({"learner_id": 1, "date": day(1, 5), "minutes": 5.0})
    # computed by hand: January only, which has no previous month in the year.
    assert average_retention(retention_by_month(rows, year=YEAR)).rows() == [(1, None)]


def test_retention_is_null_when_the_previous_month_had_nobody_active() -> None:
    rows = f.usage(
        {"learner_id": 1, "date": day(5, 1), "minutes": 0.0},
        {"learner_id": 1, "date": day(6, 1), "minutes": 5.0},
    )
    got = retention_by_month(rows, year=YEAR).filter(pl.col("month") == day(6, 1)).row(0)
    # computed by hand: May tracked with 0 active -> previous_active 0, retention null
    assert got == (1, day(6, 1), 1, 0, None, None)


def test_undated_rows_count_in_every_month_of_their_report() -> None:
    rows = f.usage(
        {"learner_id": 1, "minutes": 30.0, "period_start": day(1, 1), "period_end": day(3, 31)}
    )
    got = retention_by_month(rows, year=YEAR).get_column("retention").to_list()
    assert got == [None, 1.0, 1.0]


def test_stickiness_is_average_daily_over_monthly_active() -> None:
    rows = f.usage(
        *({"learner_id": 1, "date": day(4, d), "minutes": 5.0} for d in range(1, 11)),
        *({"learner_id": 2, "date": day(4, d), "minutes": 5.0} for d in range(1, 6)),
        {"learner_id": 2, "content_id": 2, "date": day(4, 1), "minutes": 5.0},  # same day again
        {"learner_id": 3, "date": day(4, 20), "minutes": 0.0},  # enrolled only
    )
    got = stickiness_by_month(rows, year=YEAR).row(0)
    # computed by hand: learner-days 10 + 5 = 15 over 2 learners x 30 days = 0.25
    assert got == (1, day(4, 1), 2, 15, 0.25)


def test_stickiness_is_null_for_undated_rows() -> None:
    rows = f.usage(
        {"learner_id": 1, "minutes": 30.0, "period_start": day(2, 1), "period_end": day(2, 28)}
    )
    assert stickiness_by_month(rows, year=YEAR).rows() == [(1, day(2, 1), None, None, None)]


def test_engagement_without_usage_is_empty(empty_usage: pl.DataFrame) -> None:
    assert retention_by_month(empty_usage, year=YEAR).is_empty()
    assert stickiness_by_month(empty_usage, year=YEAR).is_empty()
    assert hours_per_active_learner(empty_usage, start=START, end=END).is_empty()


usage_rows = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 2),
            "learner_id": st.integers(1, 6),
            "content_id": st.integers(1, 3),
            "date": st.none() | st.dates(date(2025, 12, 1), date(2027, 1, 31)),
            "period_start": st.just(date(2026, 1, 1)),
            "period_end": st.just(date(2026, 3, 31)),
            "minutes": st.none() | st.floats(0, 120),
            "progress_pct": st.none() | st.sampled_from([0.0, 50.0]),
            "completed": st.none() | st.booleans(),
            "completed_date": st.none() | st.dates(date(2025, 12, 1), date(2027, 1, 31)),
        }
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(rows=usage_rows)
def test_funnel_never_widens_and_agrees_with_the_usage_counts(rows: list[dict]) -> None:
    df = f.usage(*rows)
    got = funnel(df, start=START, end=END)
    assert f.as_dict(got, "enrolled") == f.as_dict(
        unique_learners(df, start=START, end=END), "unique_learners"
    )
    assert f.as_dict(got, "started") == f.as_dict(
        active_learners(df, start=START, end=END), "active_learners"
    )
    done = f.as_dict(completions(df, start=START, end=END), "completions")
    for row in got.iter_rows(named=True):
        assert row["enrolled"] >= row["started"]
        if row["completed"] is None:
            assert done[row["product_id"]] is None
        else:
            assert row["started"] >= row["completed"] >= 0
            assert row["completed"] <= done[row["product_id"]]
        for rate in (row["started_rate"], row["completion_rate"]):
            assert rate is None or 0 <= rate <= 1


@settings(max_examples=60, deadline=None)
@given(rows=usage_rows, seed=st.integers(0, 1000))
def test_retention_and_stickiness_stay_in_range_whatever_the_row_order(
    rows: list[dict], seed: int
) -> None:
    df = f.usage(*rows)
    retention = retention_by_month(df, year=YEAR)
    assert retention.equals(retention_by_month(f.shuffled(df, seed), year=YEAR))
    for row in retention.iter_rows(named=True):
        if row["retention"] is not None:
            assert 0 <= row["retention"] <= 1
            assert row["retained"] <= min(row["previous_active"], row["active_learners"])
        if row["month"].month == 1:
            assert row["previous_active"] is None
    sticky = stickiness_by_month(df, year=YEAR)
    assert sticky.equals(stickiness_by_month(f.shuffled(df, seed), year=YEAR))
    assert sticky.select("product_id", "month").equals(retention.select("product_id", "month"))
    values = sticky.get_column("stickiness").drop_nulls()
    assert ((values > 0) & (values <= 1)).all()
    assert funnel(f.shuffled(df, seed), start=START, end=END).equals(
        funnel(df, start=START, end=END)
    )
    # Minutes are floats: summed in another order, hours may differ in the last bit.
    assert_frame_equal(
        hours_per_active_learner(f.shuffled(df, seed), start=START, end=END),
        hours_per_active_learner(df, start=START, end=END),
        rel_tol=1e-12,
        abs_tol=1e-9,
    )
