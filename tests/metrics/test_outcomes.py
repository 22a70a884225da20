from datetime import date

import polars as pl
import pytest

from metrics.outcomes import (
    application_rate,
    bcr,
    benefits,
    highest_evidence_level,
    latest_by_level,
    learner_nps,
    payback_months,
    roi,
    scrap_learning_cost,
)
from tests.metrics import factories as f
from tests.metrics.factories import AS_OF, YEAR


def test_benefit_of_one_level_4_row() -> None:
    # computed by hand: (110 - 100) x 100.00 x 50% x 80% = 400.00
    rows = f.outcomes(f.monetised())
    assert f.as_dict(benefits(rows, year=YEAR, currency="GBP"), "benefits") == {1: 400.0}


def test_direction_lower_flips_the_sign() -> None:
    # Errors per month fell from 40 to 30, each worth 250.00, 60% attributed, 80% confidence.
    # computed by hand: -(30 - 40) x 250 x 0.6 x 0.8 = 1,200.00
    rows = f.outcomes(
        f.monetised(
            value=30.0,
            baseline=40.0,
            unit_value_minor=250_00,
            attribution_pct=60.0,
            confidence_pct=80.0,
            direction="lower",
        )
    )
    assert f.as_dict(benefits(rows, year=YEAR, currency="GBP"), "benefits") == {
        1: pytest.approx(1200.0)
    }


def test_the_years_level_4_rows_are_summed_and_other_rows_ignored() -> None:
    rows = f.outcomes(
        f.monetised(period=date(2026, 3, 1)),
        f.monetised(period=date(2026, 9, 1), value=105.0),
        f.monetised(period=date(2025, 9, 1)),  # another year
        f.monetised(level=3),  # not level 4
        f.monetised(kind="forecast"),  # not a measured result
    )
    # computed by hand: 400.00 + (105 - 100) x 100 x 0.5 x 0.8 = 400 + 200 = 600.00
    assert f.as_dict(benefits(rows, year=YEAR, currency="GBP"), "benefits") == {
        1: pytest.approx(600.0)
    }


def test_a_measure_that_moved_the_wrong_way_gives_negative_benefits() -> None:
    # computed by hand: (90 - 100) x 100 x 0.5 x 0.8 = -400.00
    rows = f.outcomes(f.monetised(value=90.0))
    assert f.as_dict(benefits(rows, year=YEAR, currency="GBP"), "benefits") == {
        1: pytest.approx(-400.0)
    }


def test_no_level_4_row_means_absent_not_zero() -> None:
    rows = f.outcomes(f.monetised(level=1), f.monetised(level=3))
    assert benefits(rows, year=YEAR, currency="GBP").is_empty()


@pytest.mark.parametrize(
    "missing", ["baseline", "unit_value_minor", "attribution_pct", "confidence_pct"]
)
def test_an_unmonetisable_row_adds_nothing(missing: str) -> None:
    rows = f.outcomes(f.monetised(), f.monetised(measure="errors", **{missing: None}))
    # computed by hand: only the complete row counts, 400.00
    assert f.as_dict(benefits(rows, year=YEAR, currency="GBP"), "benefits") == {
        1: pytest.approx(400.0)
    }


def test_benefits_are_null_when_every_level_4_row_is_unmonetisable() -> None:
    rows = f.outcomes(f.monetised(baseline=None), f.monetised(measure="x", unit_value_minor=None))
    assert f.as_dict(benefits(rows, year=YEAR, currency="GBP"), "benefits") == {1: None}


@pytest.fixture
def money() -> pl.DataFrame:
    """Row 0: 60,000 benefits for 20,000 cost; then zero cost, no cost, no benefits,
    negative and zero benefits."""
    return pl.DataFrame(
        {
            "benefits": [60_000.0, 5_000.0, 5_000.0, None, -1_000.0, 0.0],
            "actual_cost": [20_000.0, 0.0, None, 20_000.0, 20_000.0, 20_000.0],
        }
    )


def test_bcr_roi_and_payback(money: pl.DataFrame) -> None:
    got = money.select(bcr(), roi(), payback_months()).row(0)
    # computed by hand: 60,000 / 20,000 = 3.0; (60,000 - 20,000) / 20,000 = 2.0;
    # 20,000 / (60,000 / 12) = 20,000 / 5,000 = 4.0 months
    assert got == (3.0, 2.0, 4.0)


def test_zero_or_missing_cost_makes_every_ratio_null(money: pl.DataFrame) -> None:
    got = money.select(bcr(), roi(), payback_months())
    assert got.row(1) == (None, None, None)
    assert got.row(2) == (None, None, None)


def test_missing_benefits_make_every_ratio_null(money: pl.DataFrame) -> None:
    assert money.select(bcr(), roi(), payback_months()).row(3) == (None, None, None)


def test_benefits_not_above_zero_never_pay_back(money: pl.DataFrame) -> None:
    got = money.select(bcr(), roi(), payback_months())
    # computed by hand: -1,000 / 20,000 = -0.05; (-1,000 - 20,000) / 20,000 = -1.05
    assert got.row(4) == (-0.05, -1.05, None)
    assert got.row(5) == (0.0, -1.0, None)


def test_highest_evidence_level() -> None:
    rows = f.outcomes(
        {"product_id": 1, "level": 1, "value": 4.2},
        {"product_id": 1, "level": 3, "value": 0.6},
        {"product_id": 2, "level": 4, "value": 1.0, "period": date(2025, 6, 1)},
        {"product_id": 3, "level": 4, "value": 1.0, "kind": "forecast"},
    )
    assert f.as_dict(highest_evidence_level(rows, year=YEAR), "evidence_level") == {1: 3}


def test_latest_by_level_gives_the_newest_value_its_n_and_age() -> None:
    rows = f.outcomes(
        {"level": 1, "measure": "relevance", "value": 4.1, "n": 40, "period": date(2026, 3, 1)},
        {"level": 1, "measure": "relevance", "value": 4.4, "n": 25, "period": date(2026, 9, 1)},
        {"level": 1, "measure": "relevance", "value": 9.9, "n": 9, "period": date(2026, 12, 1)},
        {"level": 2, "measure": "score gain", "value": 12.0, "n": 30, "period": date(2026, 5, 1)},
        {"level": 2, "measure": "pass rate", "value": 0.9, "n": 31, "period": date(2026, 5, 1)},
    )
    got = latest_by_level(rows, year=YEAR, as_of=AS_OF).to_dicts()
    # computed by hand: September is the newest level-1 row on or before 23 Nov (December is
    # after as_of); 1 Sep .. 23 Nov = 30 (Sep) + 31 (Oct) + 22 = 83 days.
    # Level 2: two rows in May, the larger n (31) wins;
    # 1 May .. 23 Nov = 31 + 30 + 31 + 31 + 30 + 31 (May..Oct) + 22 = 206 days.
    assert got == [
        {
            "product_id": 1,
            "level": 1,
            "measure": "relevance",
            "value": 4.4,
            "n": 25,
            "period": date(2026, 9, 1),
            "age_days": 83,
        },
        {
            "product_id": 1,
            "level": 2,
            "measure": "pass rate",
            "value": 0.9,
            "n": 31,
            "period": date(2026, 5, 1),
            "age_days": 206,
        },
    ]


def test_learner_nps_is_the_latest_level_1_nps_row() -> None:
    rows = f.outcomes(
        {"level": 1, "measure": "Learner NPS", "value": 30.0, "n": 50, "period": date(2026, 4, 1)},
        {
            "level": 1,
            "measure": "Net Promoter Score",
            "value": 42.0,
            "n": 88,
            "period": date(2026, 10, 1),
        },
        {"level": 1, "measure": "relevance", "value": 4.5, "n": 90, "period": date(2026, 11, 1)},
    )
    got = learner_nps(rows, year=YEAR, as_of=AS_OF).to_dicts()
    # computed by hand: October's 42 (n 88); 1 Oct .. 23 Nov = 31 + 22 = 53 days
    assert got == [
        {
            "product_id": 1,
            "learner_nps": 42.0,
            "n": 88,
            "period": date(2026, 10, 1),
            "age_days": 53,
        },
    ]


def level_3(measure: str, value: float, month: int, n: int | None = 40, **row: object) -> dict:
    return {
        "level": 3,
        "measure": measure,
        "value": value,
        "n": n,
        "period": date(2026, month, 1),
        **row,
    }


def test_application_rate_is_the_latest_level_3_percent_as_a_fraction() -> None:
    rows = f.outcomes(
        level_3("Applying on the job (%)", 58.0, 1),
        level_3("Applying on the job (%)", 64.0, 6, n=46),
        level_3("Manager observation score", 4.1, 9),  # not a percent of people
        level_3("Applying on the job (%)", 90.0, 12),  # after as_of
        level_3("Applying on the job (%)", 99.0, 10, kind="forecast"),  # a target, not a result
    )
    got = application_rate(rows, year=YEAR, as_of=AS_OF).to_dicts()
    # computed by hand: June's 64 % -> 0.64, n 46; 1 Jun .. 23 Nov = 30+31+31+30+31 + 22 = 175 days
    assert got == [
        {
            "product_id": 1,
            "application_rate": 0.64,
            "measure": "Applying on the job (%)",
            "n": 46,
            "period": date(2026, 6, 1),
            "age_days": 175,
        }
    ]


@pytest.mark.parametrize(
    ("measure", "counts"),
    [
        ("Application rate", True),
        ("Rate of use on the job", True),
        ("% using the new process", True),
        ("Applying it weekly", True),
        ("Accelerated onboarding score", False),  # "rate" inside a word is not the word
        ("Manager rating (1-5)", False),
    ],
)
def test_which_level_3_measures_are_application_rates(measure: str, counts: bool) -> None:
    rows = f.outcomes(level_3(measure, 50.0, 5))
    got = application_rate(rows, year=YEAR, as_of=AS_OF)
    assert f.as_dict(got, "application_rate") == ({1: 0.5} if counts else {})


def test_a_value_outside_0_100_is_not_a_percent_and_is_skipped() -> None:
    rows = f.outcomes(
        level_3("Application rate", 70.0, 3),
        level_3("Application rate", 140.0, 8),
        level_3("Application rate", -5.0, 9),
    )
    # computed by hand: only March's 70 % is a percent -> 0.70
    assert f.as_dict(application_rate(rows, year=YEAR, as_of=AS_OF), "application_rate") == {1: 0.7}


def test_no_level_3_rate_means_absent(empty_outcomes: pl.DataFrame) -> None:
    assert application_rate(empty_outcomes, year=YEAR, as_of=AS_OF).is_empty()
    rows = f.outcomes(level_3("Application rate", 70.0, 3, period=date(2025, 3, 1)))
    assert application_rate(rows, year=YEAR, as_of=AS_OF).is_empty()


def test_scrap_learning_cost() -> None:
    df = pl.DataFrame(
        {
            "actual_cost": [41_250.0, 41_250.0, None, 10_000.0],
            "application_rate": [0.64, None, 0.5, 1.0],
        }
    )
    got = df.select(scrap_learning_cost()).get_column("scrap_learning_cost").to_list()
    # computed by hand: 41,250 x (1 - 0.64) = 14,850.00; unknown rate or cost -> null;
    # everyone applying -> no scrap, 0.00
    assert got == [pytest.approx(14_850.0), None, None, 0.0]
