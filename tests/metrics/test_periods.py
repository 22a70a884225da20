from datetime import date

import polars as pl
import pytest

from metrics.periods import completion_in_window, in_window, month_bounds, year_bounds
from tests.metrics import factories as f
from tests.metrics.factories import END, START

NOV_25_TO_JAN_26 = {"period_start": date(2025, 11, 1), "period_end": date(2026, 1, 31)}


def learners(df: pl.DataFrame) -> list[int]:
    return sorted(df.get_column("learner_id").to_list())


def test_year_bounds_are_the_calendar_year() -> None:
    assert year_bounds(2026) == (date(2026, 1, 1), date(2026, 12, 31))


def test_year_bounds_refuse_a_year_out_of_range() -> None:
    with pytest.raises(ValueError, match="year 0"):
        year_bounds(0)


def test_month_bounds_know_february_and_december() -> None:
    assert month_bounds(2026, 2) == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_bounds(2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))
    assert month_bounds(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))


def test_a_window_ending_before_it_starts_is_refused(empty_usage: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="before its start"):
        in_window(empty_usage, END, START)


def test_a_frame_missing_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="period_start"):
        in_window(pl.DataFrame({"date": [date(2026, 1, 1)]}), START, END)


def test_a_dated_row_counts_by_its_own_date_whatever_its_report_period() -> None:
    # Learner 1's row is dated 2025-12-30 although its report covers Nov 2025 .. Jan 2026.
    rows = f.usage(
        {"learner_id": 1, "date": date(2025, 12, 30), **NOV_25_TO_JAN_26},
        {"learner_id": 2, "date": date(2026, 1, 5), **NOV_25_TO_JAN_26},
    )
    assert learners(in_window(rows, START, END)) == [2]
    assert learners(in_window(rows, date(2025, 1, 1), date(2025, 12, 31))) == [1]


def test_a_row_without_a_date_takes_its_report_period() -> None:
    # The undated row's report overlaps both 2025 and 2026, so it counts in both years.
    rows = f.usage({"learner_id": 1, **NOV_25_TO_JAN_26})
    assert learners(in_window(rows, START, END)) == [1]
    assert learners(in_window(rows, date(2025, 1, 1), date(2025, 12, 31))) == [1]
    assert in_window(rows, date(2026, 2, 1), date(2026, 2, 28)).is_empty()


def test_window_ends_are_included() -> None:
    rows = f.usage(
        {"learner_id": 1, "date": date(2026, 1, 1)},
        {"learner_id": 2, "date": date(2026, 12, 31)},
        {"learner_id": 3, "date": date(2027, 1, 1)},
    )
    assert learners(in_window(rows, START, END)) == [1, 2]


def test_a_completion_date_in_the_window_is_a_date_of_the_row() -> None:
    # Learner 1 started in December 2025 and completed on 4 Jan 2026: activity in 2026.
    # Learner 2 has no activity date and completed in 2025, though the report runs into 2026.
    rows = f.usage(
        {"learner_id": 1, "date": date(2025, 12, 20), "completed_date": date(2026, 1, 4)},
        {"learner_id": 2, "completed_date": date(2025, 12, 1), **NOV_25_TO_JAN_26},
    )
    assert learners(in_window(rows, START, END)) == [1]


def test_an_undated_row_without_a_period_counts_nowhere() -> None:
    assert in_window(f.usage({"learner_id": 1}), START, END).is_empty()


def test_filtering_twice_changes_nothing() -> None:
    rows = f.usage(
        {"learner_id": 1, "date": date(2026, 3, 1)},
        {"learner_id": 2, **NOV_25_TO_JAN_26},
        {"learner_id": 3, "date": date(2025, 3, 1)},
    )
    once = in_window(rows, START, END)
    assert in_window(once, START, END).equals(once)


def test_a_completion_counts_in_the_window_of_its_completed_date() -> None:
    rows = f.usage(
        {
            "learner_id": 1,
            "date": date(2025, 12, 20),
            "completed": True,
            "completed_date": date(2026, 1, 4),
        },
        {
            "learner_id": 2,
            "date": date(2026, 1, 10),
            "completed": True,
            "completed_date": date(2025, 12, 28),
        },
    )
    assert learners(completion_in_window(rows, START, END)) == [1]


def test_a_completion_without_completed_date_uses_the_date_then_the_period() -> None:
    rows = f.usage(
        {"learner_id": 1, "date": date(2026, 2, 1), "completed": True},
        {"learner_id": 2, "completed": True, **NOV_25_TO_JAN_26},
        {"learner_id": 3, "date": date(2025, 2, 1), "completed": True},
    )
    assert learners(completion_in_window(rows, START, END)) == [1, 2]


def test_only_completed_rows_are_completions() -> None:
    # A completed_date with no flag is a completion; an explicit False is not.
    rows = f.usage(
        {"learner_id": 1, "date": date(2026, 2, 1), "completed": False},
        {"learner_id": 2, "completed_date": date(2026, 2, 1)},
        {"learner_id": 3, "date": date(2026, 2, 1), "minutes": 30.0},
    )
    assert learners(completion_in_window(rows, START, END)) == [2]
