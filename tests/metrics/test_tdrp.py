from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from metrics.tdrp import TDRP_COLUMNS, TDRP_MEASURES, tdrp_report
from tests.metrics import factories as f
from tests.metrics.factories import AMBER, AS_OF, RED, YEAR

# 1 Jan .. 23 Nov 2026 = 304 (Jan-Oct) + 23 = 327 days of 365
ELAPSED, DAYS = 327, 365


def m(month: int, year: int = YEAR) -> date:
    return date(year, month, 1)


@pytest.fixture
def frames() -> dict[str, pl.DataFrame]:
    """Two products, 2026, as of 23 Nov 2026.

    1 Academy: plan 1,000.00 every month, actual 1,000.00 Jan-Oct (Nov not posted); 2025 actual
      9,000.00. 10 seats. Learners 1-3 active in March (60, 30, 90 min), learner 1 completes;
      learner 4 enrolled only; learner 6 active on 10 Dec (after as_of); learner 9 active in
      2025. NPS 40 (n 50, Jun 2026) and 30 (n 20, Dec 2025); 70 % applying (n 40); a level-4
      row worth 400.00. Targets (forecast rows): 4 active learners, NPS 50, 80 % applying, and
      a level-4 forecast worth 800.00.
    2 Library: plan 600.00 in Jan, actual 660.00. Learners 1 and 5 active in May (120 min each),
      learner 5 completes. NPS 20 (n 150, Sep); score gain 15 (n 30).
    """
    products = f.products(
        {"product_id": 1, "product": "Academy", "strategic_fit": 3},
        {"product_id": 2, "product": "Library", "strategic_fit": 3},
    )
    budgets = f.budgets(
        *({"month": m(k), "plan_minor": 1_000_00, "actual_minor": 1_000_00 if k <= 10 else None}
          for k in range(1, 13)),
        {"month": m(6, 2025), "actual_minor": 9_000_00},
        {"product_id": 2, "month": m(1), "plan_minor": 600_00, "actual_minor": 660_00},
    )  # fmt: skip
    contracts = f.contracts({"seats": 10, "price_per_seat_minor": 100_00})
    usage = f.usage(
        {"learner_id": 1, "date": date(2026, 3, 1), "minutes": 60.0, "completed": True},
        {"learner_id": 2, "date": date(2026, 3, 2), "minutes": 30.0, "completed": False},
        {"learner_id": 3, "date": date(2026, 3, 3), "minutes": 90.0, "completed": False},
        {"learner_id": 4, "date": date(2026, 4, 1), "minutes": 0.0, "completed": False},
        {"learner_id": 6, "date": date(2026, 12, 10), "minutes": 10.0, "completed": False},
        {"learner_id": 9, "date": date(2025, 5, 1), "minutes": 30.0, "completed": False},
        {"product_id": 2, "learner_id": 1, "content_id": 2, "date": date(2026, 5, 1),
         "minutes": 120.0, "completed": False},
        {"product_id": 2, "learner_id": 5, "content_id": 2, "date": date(2026, 5, 2),
         "minutes": 120.0, "completed": True},
    )  # fmt: skip
    outcomes = f.outcomes(
        {"level": 1, "measure": "Learner NPS", "value": 40.0, "n": 50, "period": m(6)},
        {"level": 1, "measure": "Learner NPS", "value": 30.0, "n": 20, "period": m(12, 2025)},
        {"level": 3, "measure": "Applying on the job (%)", "value": 70.0, "n": 40, "period": m(6)},
        f.monetised(period=m(6)),
        {"level": 1, "measure": "Active learners", "value": 4.0, "kind": "forecast",
         "period": m(1)},
        {"level": 1, "measure": "Learner NPS", "value": 50.0, "kind": "forecast", "period": m(1)},
        {"level": 3, "measure": "Applying on the job (%)", "value": 80.0, "kind": "forecast",
         "period": m(1)},
        f.monetised(kind="forecast", value=120.0, period=m(1)),
        {"product_id": 2, "level": 1, "measure": "Learner NPS", "value": 20.0, "n": 150,
         "period": m(9)},
        {"product_id": 2, "level": 2, "measure": "Score gain (pts)", "value": 15.0, "n": 30,
         "period": m(9)},
    )  # fmt: skip
    return {"products": products, "budgets": budgets, "contracts": contracts, "usage": usage,
            "outcomes": outcomes}  # fmt: skip


def report(frames: dict, **kw: object) -> dict[str, dict]:
    df = tdrp_report(
        **frames, **{"year": YEAR, "as_of": AS_OF, "amber": AMBER, "red": RED, **kw}, currency="GBP"
    )
    return {row["key"]: row for row in df.iter_rows(named=True)}


def cols(row: dict, *names: str) -> tuple:
    return tuple(row[name] for name in names)


def test_shape_order_and_types(frames: dict) -> None:
    df = tdrp_report(**frames, year=YEAR, as_of=AS_OF, amber=AMBER, red=RED, currency="GBP")
    assert tuple(df.columns) == TDRP_COLUMNS
    assert df.get_column("key").to_list() == [m.key for m in TDRP_MEASURES]
    assert (
        df.get_column("type").to_list()
        == ["Efficiency"] * 8 + ["Effectiveness"] * 3 + ["Outcome"] * 3
    )
    units = dict(zip(df["key"], df["unit"], strict=True))
    assert units["spend"] == "GBP" and units["unique_learners"] == "people"
    assert units["seat_utilisation"] == "%" and units["learning_hours"] == "hours"
    assert units["bcr"] == "ratio"
    lower = set(df.filter(~pl.col("higher_is_better")).get_column("key"))
    assert lower == {"spend", "cost_per_active_learner", "cost_per_completion"}


def test_spend_of_one_product(frames: dict) -> None:
    spend = report(frames, product_ids=[1])["spend"]
    # computed by hand: last year 9,000.00; plan 12 x 1,000 = 12,000.00; YTD Jan-Nov actuals
    # 10 x 1,000 = 10,000.00 against the Jan-Nov plan 11,000.00 = 0.90909; forecast 10,000 +
    # plan of Nov and Dec 2,000 = 12,000.00 = 100 % of plan -> green
    assert cols(spend, "last_year", "plan", "ytd_actual", "forecast", "forecast_pct_of_plan") == (
        9_000.0, 12_000.0, 10_000.0, 12_000.0, 1.0,
    )  # fmt: skip
    assert spend["ytd_pct_of_plan"] == pytest.approx(10_000 / 11_000)
    assert (spend["rag"], spend["plan_basis"]) == ("green", "budget plan")


def test_spend_of_the_portfolio_is_summed_exactly(frames: dict) -> None:
    spend = report(frames)["spend"]
    # computed by hand: plan 12,000 + 600 = 12,600.00; YTD 10,000 + 660 = 10,660.00 against
    # 11,000 + 600 = 11,600.00; forecast 12,000 + 660 = 12,660.00 (+0.48 % -> green)
    assert cols(spend, "last_year", "plan", "ytd_actual", "forecast") == (
        9_000.0, 12_600.0, 10_660.0, 12_660.0,
    )  # fmt: skip
    assert spend["ytd_pct_of_plan"] == pytest.approx(10_660 / 11_600)
    assert spend["rag"] == "green"
    # Product 2 alone: 660 on a plan of 600 is exactly 10 % over -> amber, not red
    assert report(frames, product_ids=[2])["spend"]["rag"] == "amber"


def test_usage_measures_of_one_product(frames: dict) -> None:
    got = report(frames, product_ids=[1])
    # computed by hand, up to 23 Nov (learner 6 on 10 Dec is not counted yet):
    # unique {1, 2, 3, 4} = 4; active {1, 2, 3} = 3; 1 completion; (60 + 30 + 90 + 0) / 60 = 3 h;
    # last year: learner 9 only. Run-rate = YTD x 365 / 327.
    assert cols(got["unique_learners"], "last_year", "ytd_actual", "forecast") == (
        1.0, 4.0, pytest.approx(4 * DAYS / ELAPSED),
    )  # fmt: skip
    assert cols(got["completions"], "ytd_actual", "plan") == (1.0, None)
    assert got["learning_hours"]["ytd_actual"] == 3.0
    assert got["unique_learners"]["plan_basis"] == "no plan set"
    assert got["unique_learners"]["forecast_basis"].startswith("run-rate")
    # Target of 4 active learners: YTD plan 4 x 327/365 = 3.5836; YTD 3 -> 0.83716;
    # forecast 3 x 365/327 = 3.3486 is 83.7 % of plan (16.3 % short) -> red
    active = got["active_learners"]
    assert cols(active, "plan", "ytd_actual", "plan_basis") == (
        4.0, 3.0, "target (forecast outcome row)",
    )  # fmt: skip
    assert active["ytd_pct_of_plan"] == pytest.approx(3 / (4 * ELAPSED / DAYS))
    assert active["forecast_pct_of_plan"] == pytest.approx(3 * DAYS / ELAPSED / 4)
    assert active["rag"] == "red"


def test_seat_utilisation_and_cost_per_figures_of_one_product(frames: dict) -> None:
    got = report(frames, product_ids=[1])
    # computed by hand: 3 active learners on 10 seats = 0.3; 10,000.00 / 3 = 3,333.33;
    # forecast 12,000.00 / (3 x 365/327) = 3,583.56; 10,000.00 / 1 completion
    assert got["seat_utilisation"]["ytd_actual"] == pytest.approx(0.3)
    assert got["seat_utilisation"]["forecast"] == pytest.approx(0.3)
    cpal = got["cost_per_active_learner"]
    assert cpal["ytd_actual"] == pytest.approx(10_000 / 3)
    assert cpal["forecast"] == pytest.approx(12_000 / (3 * DAYS / ELAPSED))
    assert got["cost_per_completion"]["ytd_actual"] == 10_000.0


def test_effectiveness_and_outcomes_of_one_product(frames: dict) -> None:
    got = report(frames, product_ids=[1])
    nps = got["learner_nps"]
    # computed by hand: NPS 40 (n 50) against a target of 50: 0.8 -> 20 % short -> red;
    # last year's latest NPS 30
    assert cols(nps, "last_year", "plan", "ytd_actual", "n", "forecast", "rag") == (
        30.0, 50.0, 40.0, 50, 40.0, "red",
    )  # fmt: skip
    assert nps["ytd_pct_of_plan"] == pytest.approx(0.8)
    # 70 % applying against 80 %: 0.875 -> 12.5 % short -> red
    applying = got["application_rate"]
    assert cols(applying, "plan", "ytd_actual", "n") == (pytest.approx(0.8), 0.7, 40)
    assert applying["rag"] == "red"
    assert got["score_gain"]["ytd_actual"] is None
    # Benefits: realised 400.00 vs forecast 800.00 (forecast row (120 - 100) x 100 x 0.4);
    # YTD plan 800 x 327/365; forecast = YTD (not projected): 0.5 of plan -> red
    benefits = got["benefits"]
    assert cols(benefits, "plan", "ytd_actual", "forecast", "forecast_pct_of_plan", "rag") == (
        800.0, 400.0, 400.0, 0.5, "red",
    )  # fmt: skip
    assert benefits["ytd_pct_of_plan"] == pytest.approx(400 / (800 * ELAPSED / DAYS))
    # ROI: plan (800 - 12,000) / 12,000; YTD (400 - 10,000) / 10,000 = -0.96
    roi = got["roi"]
    assert roi["plan"] == pytest.approx((800 - 12_000) / 12_000)
    assert roi["ytd_actual"] == pytest.approx(-0.96)
    assert got["bcr"]["ytd_actual"] == pytest.approx(0.04)
    assert got["bcr"]["plan"] == pytest.approx(800 / 12_000)


def test_the_portfolio_counts_learners_once_and_weights_surveys_by_n(frames: dict) -> None:
    got = report(frames)
    # computed by hand: unique {1, 2, 3, 4} + {1, 5} = {1, 2, 3, 4, 5} = 5 (not 6);
    # active {1, 2, 3} + {1, 5} = 4; completions 1 + 1 = 2; hours 3 + 4 = 7
    assert got["unique_learners"]["ytd_actual"] == 5.0
    assert got["active_learners"]["ytd_actual"] == 4.0
    assert got["completions"]["ytd_actual"] == 2.0
    assert got["learning_hours"]["ytd_actual"] == 7.0
    # NPS: (40 x 50 + 20 x 150) / 200 = 25, n 200; last year: product 1 only, 30 (n 20)
    assert cols(got["learner_nps"], "ytd_actual", "n", "last_year") == (25.0, 200, 30.0)
    # cost per active learner 10,660 / 4 = 2,665.00; per completion 10,660 / 2 = 5,330.00
    assert got["cost_per_active_learner"]["ytd_actual"] == pytest.approx(2_665.0)
    assert got["cost_per_completion"]["ytd_actual"] == pytest.approx(5_330.0)
    # Seats: only product 1 has a contract: 3 / 10
    assert got["seat_utilisation"]["ytd_actual"] == pytest.approx(0.3)
    # ROI over the portfolio: (400 - 10,660) / 10,660 (product 2 adds cost, no benefit)
    assert got["roi"]["ytd_actual"] == pytest.approx((400 - 10_660) / 10_660)


def test_portfolio_plans_only_where_they_add_up(frames: dict) -> None:
    got = report(frames)
    # Learner counts and rates: product targets do not add up across products.
    assert got["active_learners"]["plan"] is None
    assert got["active_learners"]["plan_basis"].startswith("no portfolio plan")
    assert got["learner_nps"]["plan"] is None and got["learner_nps"]["rag"] is None
    # Benefits: the forecast rows are summed (product 2 forecasts none); ROI on the summed plan
    assert got["benefits"]["plan"] == 800.0
    assert got["roi"]["plan"] == pytest.approx((800 - 12_600) / 12_600)


def test_additive_targets_are_summed_only_when_every_product_has_one(frames: dict) -> None:
    target = {"level": 1, "measure": "Completions", "kind": "forecast", "period": m(1)}
    one = pl.concat([frames["outcomes"], f.outcomes({**target, "value": 5.0})])
    assert report({**frames, "outcomes": one})["completions"]["plan"] is None
    both = pl.concat([one, f.outcomes({**target, "product_id": 2, "value": 3.0})])
    got = report({**frames, "outcomes": both})["completions"]
    # computed by hand: 5 + 3 = 8; YTD plan 8 x 327/365; YTD 2
    assert cols(got, "plan", "plan_basis") == (8.0, "targets of 2 products summed")
    assert got["ytd_pct_of_plan"] == pytest.approx(2 / (8 * ELAPSED / DAYS))


def test_target_names_ignore_case_punctuation_and_brackets(frames: dict) -> None:
    target = {"level": 1, "measure": "SEAT UTILIZATION (%)", "value": 60.0, "kind": "forecast"}
    outcomes = pl.concat([frames["outcomes"], f.outcomes(target)])
    got = report({**frames, "outcomes": outcomes}, product_ids=[1])["seat_utilisation"]
    # computed by hand: 60 % -> 0.6 target; 0.3 used -> 0.5 of plan -> red
    assert cols(got, "plan", "forecast_pct_of_plan", "rag") == (
        pytest.approx(0.6), pytest.approx(0.5), "red",
    )  # fmt: skip


def test_a_closed_year_reports_its_whole_year(frames: dict) -> None:
    got = report(frames, year=2025, product_ids=[1])
    # 2025 seen from Nov 2026: YTD is the whole of 2025; the counts' forecast is the actual
    assert cols(got["spend"], "ytd_actual", "forecast", "plan", "last_year") == (
        9_000.0, 9_000.0, None, None,
    )  # fmt: skip
    assert cols(got["unique_learners"], "ytd_actual", "forecast") == (1.0, 1.0)
    assert got["unique_learners"]["forecast_basis"] == "year closed: the full-year actual"
    assert cols(got["learner_nps"], "ytd_actual", "n") == (30.0, 20)


def test_a_year_not_started_has_no_ytd(frames: dict) -> None:
    budgets = pl.concat([frames["budgets"], f.budgets({"month": m(3, 2027), "plan_minor": 500_00})])
    got = report({**frames, "budgets": budgets}, year=2027, product_ids=[1])
    assert got["spend"]["ytd_actual"] is None and got["spend"]["ytd_pct_of_plan"] is None
    # the default forecast of a year not started is its plan
    assert cols(got["spend"], "plan", "forecast", "rag") == (500.0, 500.0, "green")
    assert got["unique_learners"]["forecast"] is None
    assert got["unique_learners"]["forecast_basis"] == "year not started"
    # last year is 2026 in full: 5 learners of product 1 including learner 6 in December
    assert got["unique_learners"]["last_year"] == 5.0


def test_an_empty_scope_reports_nothing_tracked(frames: dict) -> None:
    empty = {name: df.clear() for name, df in frames.items()}
    df = tdrp_report(**empty, year=YEAR, as_of=AS_OF, amber=AMBER, red=RED, currency="GBP")
    values = df.select("last_year", "plan", "ytd_actual", "forecast", "rag")
    assert all(values.get_column(c).null_count() == df.height for c in values.columns)


def test_unknown_product_ids_are_refused(frames: dict) -> None:
    with pytest.raises(ValueError, match="42"):
        tdrp_report(
            **frames,
            year=YEAR,
            as_of=AS_OF,
            product_ids=[1, 42],
            amber=AMBER,
            red=RED,
            currency="GBP",
        )


budget_lines = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 3),
            "month": st.builds(date, st.integers(2025, 2026), st.integers(1, 12), st.just(1)),
            "cost_category": st.sampled_from(["licence", "delivery"]),
            "plan_minor": st.none() | st.integers(0, 1_000_000),
            "actual_minor": st.none() | st.integers(0, 1_000_000),
        }
    ),
    max_size=20,
)
usage_rows = st.lists(
    st.fixed_dictionaries(
        {
            "product_id": st.integers(1, 3),
            "learner_id": st.integers(1, 6),
            "content_id": st.integers(1, 2),
            "date": st.dates(date(2025, 6, 1), date(2026, 12, 31)),
            "minutes": st.none() | st.floats(0, 100),
            "completed": st.none() | st.booleans(),
        }
    ),
    max_size=20,
)
three = f.products(*({"product_id": p, "product": f"P{p}", "strategic_fit": 3} for p in (1, 2, 3)))


@settings(max_examples=15, deadline=None)
@given(lines=budget_lines, rows=usage_rows, seed=st.integers(0, 1000))
def test_portfolio_spend_is_the_exact_sum_and_row_order_changes_nothing(
    lines: list[dict], rows: list[dict], seed: int
) -> None:
    frames = {"products": three, "budgets": f.budgets(*lines), "contracts": f.contracts(),
              "usage": f.usage(*rows), "outcomes": f.outcomes()}  # fmt: skip
    whole = tdrp_report(**frames, year=YEAR, as_of=AS_OF, amber=AMBER, red=RED, currency="GBP")
    shuffled = {k: f.shuffled(v, seed) for k, v in frames.items()}
    # Minutes are floats: summed in another order, hours may differ in the last bit.
    assert_frame_equal(
        whole,
        tdrp_report(**shuffled, year=YEAR, as_of=AS_OF, amber=AMBER, red=RED, currency="GBP"),
        rel_tol=1e-12,
        abs_tol=1e-9,
    )
    spend = whole.filter(pl.col("key") == "spend")
    assert spend.equals(
        tdrp_report(
            **shuffled, year=YEAR, as_of=AS_OF, amber=AMBER, red=RED, currency="GBP"
        ).filter(pl.col("key") == "spend")
    )
    singles = [
        {r["key"]: r for r in tdrp_report(
            **frames, year=YEAR, as_of=AS_OF, product_ids=[p], amber=AMBER, red=RED, currency="GBP"
         ).iter_rows(named=True)}
        for p in (1, 2, 3)
    ]  # fmt: skip
    portfolio = {r["key"]: r for r in whole.iter_rows(named=True)}
    for column in ("last_year", "plan", "ytd_actual", "forecast"):
        parts = [s["spend"][column] for s in singles if s["spend"][column] is not None]
        expected = round(sum(round(p * 100) for p in parts)) / 100 if parts else None
        assert portfolio["spend"][column] == expected
    for key in ("unique_learners", "active_learners"):
        parts = [s[key]["ytd_actual"] for s in singles if s[key]["ytd_actual"] is not None]
        got = portfolio[key]["ytd_actual"]
        assert (got is None) == (not parts)
        if parts:
            assert max(parts) <= got <= sum(parts)
    for key in ("completions", "learning_hours"):
        parts = [s[key]["ytd_actual"] for s in singles if s[key]["ytd_actual"] is not None]
        got = portfolio[key]["ytd_actual"]
        assert got == (pytest.approx(sum(parts)) if parts else None)
