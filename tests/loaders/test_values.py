"""Cell values: every shape the issue lists, and the per-column decisions."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from loaders import import_file
from loaders.dates import parse_date_columns, parse_dates, parse_months
from loaders.durations import parse_duration, unit_from_header
from loaders.values import (
    blank_missing,
    parse_bool,
    parse_int,
    parse_money,
    parse_number,
    parse_percent,
)
from tests.actors import EDITOR
from tests.loaders.conftest import counts


def s(*values: str | None) -> pl.Series:
    return pl.Series("x", list(values), dtype=pl.String)


def test_missing_tokens() -> None:
    out = blank_missing(s("", "N/A", "NA", "n/a", "-", "—", "null", "None", "NULL", "x", None))
    assert out.to_list() == [None] * 9 + ["x", None]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1.234,5", "12,5"], [1234.5, 12.5]),  # decimal comma with thousands dots
        (["1,234.5", "12"], [1234.5, 12.0]),  # thousands commas
        (["£1,200", "$3.50", "€ 4"], [1200.0, 3.5, 4.0]),  # currency signs
        (["1 234,5", "0,75"], [1234.5, 0.75]),  # space as thousands separator
        (["N/A", "-", "7"], [None, None, 7.0]),
    ],
)
def test_numbers(values: list[str], expected: list[float | None]) -> None:
    assert parse_number(s(*values), column="n").values.to_list() == expected


def test_ambiguous_thousands_follow_the_file_default() -> None:
    comma_file = parse_number(s("1,234", "5"), column="n", comma_default=True)
    point_file = parse_number(s("1,234", "5"), column="n")
    assert comma_file.values.to_list() == [1.234, 5.0]
    assert point_file.values.to_list() == [1234.0, 5.0]
    assert comma_file.decision is not None and comma_file.decision["ambiguous"]


def test_mixed_decimal_separators_are_a_column_problem() -> None:
    assert "mixes decimal commas" in parse_number(s("12,5", "3.25"), column="n").column_problem


def test_not_a_number() -> None:
    parsed = parse_number(s("12", "twelve"), column="n")
    assert parsed.problem.to_list() == [None, "is not a number"]


def test_money_is_exact_minor_units() -> None:
    parsed = parse_money(s("£1,234.56", "0.1", "12.340"), column="m", currency="GBP")
    # 0.1 + 0.2 style float error impossible: Decimal all the way; a trailing 0 is only writing.
    assert parsed.values.to_list() == [123456, 10, 1234]
    assert parsed.problem.to_list() == [None, None, None]
    assert parse_money(s("1.000,05"), column="m", currency="GBP").values.to_list() == [100005]


def test_money_takes_the_minor_unit_of_the_currency() -> None:
    # ISO 4217 minor units: yen 0 decimals, dinar 3. Computed by hand:
    # ¥15,000 = 15,000 minor units (not 1,500,000); 3600.00 yen = 3,600; KWD 1.234 = 1,234 fils.
    jpy = parse_money(s("15000", "3600.00", "¥1,500"), column="m", currency="JPY")
    assert jpy.values.to_list() == [15_000, 3_600, 1_500]
    kwd = parse_money(s("1.234", "0.5", "150000"), column="m", currency="KWD")
    assert kwd.values.to_list() == [1_234, 500, 150_000_000]
    assert parse_money(s("1500"), column="m", currency="jpy").values.to_list() == [1500]
    with pytest.raises(ValueError, match="'XYZ' is not an ISO 4217 currency code"):
        parse_money(s("1"), column="m", currency="XYZ")


def test_money_with_more_decimals_than_the_currency_is_refused_not_rounded() -> None:
    jpy = parse_money(s("3600.5", "3600.0", "10.50"), column="plan", currency="JPY")
    assert jpy.problem.to_list() == [
        "has more decimals than JPY allows (0)",
        None,
        "has more decimals than JPY allows (0)",
    ]
    assert jpy.values.to_list()[1] == 3600
    gbp = parse_money(s("12.345", "12.3450"), column="m", currency="GBP")
    assert gbp.problem.to_list() == ["has more decimals than GBP allows (2)"] * 2
    kwd = parse_money(s("1.2345", "1.2340"), column="m", currency="KWD")
    assert kwd.problem.to_list() == ["has more decimals than KWD allows (3)", None]
    assert kwd.values.to_list()[1] == 1_234


def test_money_rejects_negative_and_text() -> None:
    parsed = parse_money(s("-5", "abc", "5"), column="m", currency="GBP")
    assert parsed.problem.to_list() == [
        "is negative; amounts must be 0 or more",
        "is not an amount of money",
        None,
    ]


def _money(currency: str, *values: str) -> list[tuple[int | None, str | None]]:
    parsed = parse_money(s(*values), column="plan", currency=currency)
    return list(zip(parsed.values.to_list(), parsed.problem.to_list(), strict=True))


def _elsewhere(mark: str, other: str, code: str) -> str:
    return (
        f"is in {other} ('{mark}'), not the reporting currency {code}; "
        "exchange rates are not supported yet"
    )


def test_gbp_takes_its_own_sign_and_code_and_refuses_any_other() -> None:
    # Written by hand: £1,200.50 = 120,050 pence whichever way GBP is marked.
    assert (
        _money("GBP", "£1,200.50", "GBP 1,200.50", "1,200.50 gbp", "1200.50")
        == [(120_050, None)] * 4
    )
    assert _money("GBP", "$100", "USD 100", "100 USD", "€100", "¥100", "CA$100") == [
        (None, _elsewhere("$", "USD", "GBP")),
        (None, _elsewhere("USD", "USD", "GBP")),
        (None, _elsewhere("USD", "USD", "GBP")),
        (None, _elsewhere("€", "EUR", "GBP")),
        (None, _elsewhere("¥", "JPY", "GBP")),
        (None, _elsewhere("CA$", "CAD", "GBP")),
    ]


def test_usd_takes_a_bare_dollar_sign_and_refuses_pounds() -> None:
    assert _money("USD", "$100.25", "US$100.25", "USD 100.25", "100.25 $") == [(10_025, None)] * 4
    assert _money("USD", "£5", "EUR 5") == [
        (None, _elsewhere("£", "GBP", "USD")),
        (None, _elsewhere("EUR", "EUR", "USD")),
    ]


def test_a_bare_dollar_is_usd_only_so_other_dollars_are_told_how_to_write_theirs() -> None:
    hint = " (a bare '$' is read as USD: write 'CA$' or 'CAD' for CAD)"
    assert _money("CAD", "$100", "CA$100", "CAD 100") == [
        (None, _elsewhere("$", "USD", "CAD") + hint),
        (10_000, None),
        (10_000, None),
    ]


def test_jpy_takes_yen_and_refuses_pounds_and_dollars() -> None:
    # ¥15,000 is 15,000 minor units (the yen has none smaller).
    assert _money("JPY", "¥15,000", "JPY 15000", "15000 JPY", "15000") == [(15_000, None)] * 4
    assert _money("JPY", "£15,000", "USD 15000", "¥3600.5") == [
        (None, _elsewhere("£", "GBP", "JPY")),
        (None, _elsewhere("USD", "USD", "JPY")),
        (None, "has more decimals than JPY allows (0)"),
    ]


def test_kwd_takes_its_code_and_fils_and_refuses_dollars() -> None:
    # KWD has no sign of its own in the table: it is written with its code; 1.234 = 1,234 fils.
    assert _money("KWD", "KWD 1.234", "1.234 KWD", "kwd1.234", "1.234") == [(1_234, None)] * 4
    assert _money("KWD", "$1.234", "£1", "GBP 1") == [
        (None, _elsewhere("$", "USD", "KWD")),
        (None, _elsewhere("£", "GBP", "KWD")),
        (None, _elsewhere("GBP", "GBP", "KWD")),
    ]


def test_a_mark_that_names_no_currency_is_not_money() -> None:
    # "kr" is several currencies' sign; a bare code or sign has no amount; blanks stay blank.
    assert _money("GBP", "kr 100", "GBP", "£", "N/A", "-£5") == [
        (None, "is not an amount of money"),
        (None, "is not an amount of money"),
        (None, "is not an amount of money"),
        (None, None),
        (-500, "is negative; amounts must be 0 or more"),
    ]


def test_other_number_columns_still_read_signs_as_before() -> None:
    # Seats, minutes and percents are not money: a sign there is only noise, as it was.
    assert parse_number(s("$3.50", "USD"), column="minutes").values.to_list() == [3.5, None]
    assert parse_int(s("1,500", "£20"), column="seats").values.to_list() == [1500, 20]
    assert parse_percent(s("75%", "$5"), column="p").values.to_list() == [75.0, 5.0]


def test_a_budget_in_another_currency_is_rejected_naming_row_column_and_both(
    portfolio: Engine,
) -> None:
    before = counts(portfolio)
    body = (
        "product,month,cost_category,plan,actual\n"
        "Linked Library,2026-01,licence,£1200,£1200\n"
        "Linked Library,2026-02,licence,$1200,\n"
    )
    result = import_file(body.encode(), file_name="budgets.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "rejected"
    assert result.errors == [
        {"row": 3, "column": "plan", "message": "'$1200' " + _elsewhere("$", "USD", "GBP")}
    ]
    assert counts(portfolio) == before


@pytest.mark.parametrize(
    ("values", "expected", "scale"),
    [
        (["75%", "100 %", "0%"], [75.0, 100.0, 0.0], "0-100"),
        (["0.75", "1", "0"], [75.0, 100.0, 0.0], "0-1"),
        (["75", "1", "0.5"], [75.0, 1.0, 0.5], "0-100"),  # 75 > 1: already 0-100
        (["1", "0", "1"], [1.0, 0.0, 1.0], "0-100"),  # no fraction: not a share
        (["12,5", "50"], [12.5, 50.0], "0-100"),
    ],
)
def test_percent_scale_per_column(values: list[str], expected: list[float], scale: str) -> None:
    parsed = parse_percent(s(*values), column="p")
    assert parsed.values.to_list() == expected
    assert parsed.decision is not None and parsed.decision["value"] == scale


def test_percent_out_of_range() -> None:
    parsed = parse_percent(s("50", "120", "-1"), column="p")
    assert parsed.problem.to_list()[1:] == ["is not a percentage between 0 and 100"] * 2


def test_integers_and_booleans() -> None:
    fit = parse_int(s("1", "5", "6", "2.5", "x"), column="f", minimum=1, maximum=5)
    assert fit.values.to_list()[:2] == [1, 5]
    assert fit.problem.to_list()[2:] == [
        "is not a whole number from 1 to 5",
        "is not a whole number from 1 to 5",
        "is not a number",
    ]
    flags = parse_bool(s("yes", "No", "TRUE", "false", "1", "0", "y", "N", "maybe"), column="b")
    assert flags.values.to_list() == [True, False, True, False, True, False, True, False, None]
    assert flags.problem.to_list()[-1].startswith("is not yes/no")


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        ("1:23:45", 83.75),
        ("1284:12:55", 1284 * 60 + 12 + 55 / 60),
        ("0:45", 45.0),  # H:MM
        ("PT1H23M12S", 83.2),
        ("PT45S", 0.75),
        ("1h 23m", 83.0),
        ("2 hours 5 min", 125.0),
        ("90", 90.0),
        ("1,234.5", 1234.5),
    ],
)
def test_durations(value: str, minutes: float) -> None:
    parsed = parse_duration(s(value, None), column="Minutes", plain_unit="minutes")
    assert parsed.values.to_list()[0] == pytest.approx(minutes)


def test_duration_units_from_header_and_decision() -> None:
    assert unit_from_header("Usage in seconds", "minutes") == "seconds"
    assert unit_from_header("Content Hours Viewed", "minutes") == "hours"
    parsed = parse_duration(s("90", "30"), column="Usage in seconds", plain_unit="seconds")
    assert parsed.values.to_list() == [1.5, 0.5]
    assert parsed.decision["value"] == "seconds"
    assert parse_duration(s("soon"), column="t", plain_unit="minutes").problem[0] == (
        "is not a duration"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-05", date(2026, 1, 5)),
        ("2025-01-15T10:30:00.000Z", date(2025, 1, 15)),
        ("2025-01-15T23:30:00-08:00", date(2025, 1, 15)),  # the date in its own offset
        ("01/05/2026", date(2026, 1, 5)),
        ("1/5/26", date(2026, 1, 5)),
        ("3/15/2024 8:02 AM", date(2024, 3, 15)),
        ("Jan 5, 2026", date(2026, 1, 5)),
        ("5 Jan 2026", date(2026, 1, 5)),
        ("September 9th, 2025", date(2025, 9, 9)),
        ("20260105", date(2026, 1, 5)),
        ("2026/01/05", date(2026, 1, 5)),
    ],
)
def test_date_shapes_month_first(value: str, expected: date) -> None:
    assert parse_dates(s(value), order="mdy").values.to_list() == [expected]


def test_day_first_with_time() -> None:
    assert parse_dates(s("04/03/24, 09:15"), order="dmy").values.to_list() == [date(2024, 3, 4)]


def test_not_a_date() -> None:
    parsed = parse_dates(s("31/02/2026", "soon", None), order="dmy")
    assert parsed.problem.to_list() == ["is not a date", "is not a date", None]


def test_date_order_decided_per_column() -> None:
    out = parse_date_columns(
        {"A": s("13/01/2026", "02/03/2026"), "B": s("01/13/2026"), "C": s("2026-01-05")},
        default="mdy",
    )
    assert out["A"].values.to_list() == [date(2026, 1, 13), date(2026, 3, 2)]
    assert out["A"].decision["value"] == "dmy" and not out["A"].decision["ambiguous"]
    assert out["B"].values.to_list() == [date(2026, 1, 13)]
    assert out["C"].decision is None  # ISO dates need no order


def test_undecidable_column_uses_the_default_and_says_so() -> None:
    out = parse_date_columns({"D": s("02/03/2026")}, default="mdy")
    assert out["D"].values.to_list() == [date(2026, 2, 3)]
    assert out["D"].decision["ambiguous"] is True


def test_undecidable_column_follows_a_decided_one() -> None:
    out = parse_date_columns({"A": s("25/12/2025"), "B": s("02/03/2026")}, default="mdy")
    assert out["B"].values.to_list() == [date(2026, 3, 2)]
    assert "follows column A" in out["B"].decision["message"]


def test_conflicting_orders_in_one_column() -> None:
    out = parse_date_columns({"D": s("13/01/2026", "01/13/2026")}, default="mdy")
    assert "mixes day-first" in out["D"].column_problem


def test_override_beats_the_values() -> None:
    out = parse_date_columns({"D": s("02/03/2026")}, default="mdy", override="dmy")
    assert out["D"].values.to_list() == [date(2026, 3, 2)]
    assert out["D"].decision["value"] == "dmy"


def test_months() -> None:
    parsed = parse_months(s("2026-03", "2026-3", "2026-03-17", "17/03/2026", "2026-13"),
                          column="month", default="dmy")  # fmt: skip
    assert parsed.values.to_list()[:4] == [date(2026, 3, 1)] * 4
    assert parsed.problem.to_list()[4] == "is not a month (YYYY-MM)"


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)), st.booleans())
def test_fast_and_general_paths_agree(day: date, dmy: bool) -> None:
    # "1/2/2026" alone takes the one-strptime fast path; with an ISO value beside it,
    # the general path. Both must read it the same way.
    text = f"{day.day}/{day.month}/{day.year}" if dmy else f"{day.month}/{day.day}/{day.year}"
    order = "dmy" if dmy else "mdy"
    fast = parse_dates(s(text), order=order).values.to_list()
    general = parse_dates(s(text, "2026-01-01"), order=order).values.to_list()
    assert fast == [day]
    assert general == [day, date(2026, 1, 1)]
