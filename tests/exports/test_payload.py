"""The payload and name matching, in process: small frames with hand-checked numbers."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import polars as pl
import pytest

from exports import (
    FORMATS,
    PORTFOLIO_KEYS,
    PRODUCT_KEYS,
    ProductSelectionError,
    funding_pack,
    pack_from_scorecard,
    render_json,
    resolve_products,
    writer_for,
)
from exports.payload import (
    ASSUMPTION_KEYS,
    BENEFIT_ASSUMPTION_KEYS,
    EVIDENCE_KEYS,
    MONTHLY_KEYS,
    PORTFOLIO_DETAIL_KEYS,
    PRODUCT_DETAIL_KEYS,
    PROFILE_KEYS,
    RISK_KEYS,
    TDRP_KEYS,
    stamped,
)
from exports.xlsx_writer import render_xlsx
from metrics.risks import RISK_KINDS
from metrics.scorecard import SCORECARD_COLUMNS, PortfolioSummary, product_scorecard
from metrics.tdrp import TDRP_MEASURES
from models.frames import YearFrames
from settings import Settings
from tests.metrics import factories as f
from tests.metrics.factories import AMBER, AS_OF, HEALTH, MIN_N, RED, STALE_AFTER_DAYS, YEAR

GENERATED = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
# The assumptions the hand-checked figures below use: the shipped defaults, written out.
ASSUMED: dict[str, Any] = {
    "thresholds": HEALTH,
    "amortisation_years": 2,
    "loaded_hourly_rate": 45.0,
    "rag_amber": AMBER,
    "rag_red": RED,
    "evidence_min_n": MIN_N,
    "evidence_stale_after_days": STALE_AFTER_DAYS,
    "min_group_size": 5,
    "stale_after_days": 45,
    "reclaim_after_days": 60,
}


@pytest.fixture
def frames() -> YearFrames:
    """Two products.

    1 Library: plan 120.00 and actual 100.00 (licence) in January, 3 active
      learners in March (10 minutes and one completion each) of an audience of
      12, 10 seats at 20.00 for 2026, level-4 benefits 1,000.00 (June).
    2 Coaching: a 5-seat contract, no usage, no budget, no outcomes.
    """
    return YearFrames(
        products=f.products(
            {
                "product_id": 1,
                "product": "Library",
                "lifecycle_stage": "mature",
                "strategic_fit": 4,
                "owner": "Ana",
                "sponsor": "Sales Director",
                "target_audience": "Account managers",
                "target_audience_size": 12,
                "business_problem": "New account managers take months to sell",
                "business_goal": "Faster ramp-up",
            },
            {
                "product_id": 2,
                "product": "Coaching",
                "lifecycle_stage": "growth",
                "strategic_fit": 3,
            },
        ),
        budgets=f.budgets(
            {"month": date(2026, 1, 1), "plan_minor": 120_00, "actual_minor": 100_00}
        ),
        contracts=f.contracts(
            {"seats": 10, "price_per_seat_minor": 20_00},
            {"product_id": 2, "vendor": "CoachCo", "seats": 5, "price_per_seat_minor": 50_00},
        ),
        usage=f.usage(
            *(
                {
                    "learner_id": i,
                    "date": date(2026, 3, i),
                    "minutes": 10.0,
                    "completed": True,
                    "completed_date": date(2026, 3, i),
                }
                for i in (1, 2, 3)
            )
        ),
        # (110 - 100) x 250.00 x 50% x 80% = 1,000.00
        outcomes=f.outcomes(f.monetised(unit_value_minor=250_00)),
        currency="GBP",
    )


def make_pack(frames: YearFrames, **kw: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"year": YEAR, "as_of": AS_OF, **ASSUMED}
    options["generated_at"] = GENERATED
    return dict(funding_pack(frames, **{**options, **kw}))


def test_hand_checked_figures(frames: YearFrames) -> None:
    pack = make_pack(frames)
    library, coaching = pack["products"]
    assert library["product"] == "Library"
    assert list(library) == [*PRODUCT_KEYS, *PRODUCT_DETAIL_KEYS]
    assert list(PRODUCT_KEYS) == list(SCORECARD_COLUMNS[1:])
    # 100.00 / 3 active learners = 33.333... -> 33.33 to the cent
    assert library["cost_per_active_learner"] == 33.33
    # 10 seats - 3 active = 7 idle x 20.00 = 140.00; 3 / 10 = 0.3 used
    assert (library["idle_seats"], library["idle_spend"], library["seat_utilisation"]) == (
        7,
        140.0,
        0.3,
    )
    # bcr 1,000 / 100 = 10; roi (1,000 - 100) / 100 = 9.0 (a fraction: 900%)
    assert library["benefits"] == 1000.0
    assert library["roi"] == pytest.approx(9.0)
    # payback 100 / (1,000 / 12) = 1.2 months
    assert library["payback_months"] == pytest.approx(1.2)
    # Coaching: seats from its contract, usage not tracked
    assert coaching["seats"] == 5
    assert coaching["usage_tracked"] is False
    assert coaching["active_learners"] is coaching["idle_spend"] is coaching["actual_cost"] is None


def test_header_fields(frames: YearFrames) -> None:
    pack = make_pack(frames)
    assert pack["generated_at"] == "2026-11-23T09:30:00+00:00"
    assert (pack["year"], pack["as_of"], pack["currency"]) == (2026, "2026-11-23", "GBP")
    # a time in another zone is given in UTC; a naive one is taken as UTC
    paris = datetime(2026, 11, 23, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert make_pack(frames, generated_at=paris)["generated_at"] == "2026-11-23T09:30:00+00:00"
    naive = datetime(2026, 11, 23, 9, 30)
    assert make_pack(frames, generated_at=naive)["generated_at"] == "2026-11-23T09:30:00+00:00"


def test_an_unstamped_pack_is_stamped_when_its_file_is_made(frames: YearFrames) -> None:
    # A page caches the pack unstamped (generated_at null) and stamps each download.
    cached = make_pack(frames, generated_at=None)
    assert cached["generated_at"] is None
    later = datetime(2026, 11, 24, 8, 15, tzinfo=timezone(timedelta(hours=1)))
    download = stamped(cached, later)  # type: ignore[arg-type]
    assert download["generated_at"] == "2026-11-24T07:15:00+00:00"
    assert {**download, "generated_at": None} == cached  # nothing else changes
    assert cached["generated_at"] is None  # the cached pack itself is left as it was


def test_portfolio_is_the_summary_as_a_dict(frames: YearFrames) -> None:
    pack = make_pack(frames)
    assert list(pack["portfolio"]) == [*PORTFOLIO_KEYS, *PORTFOLIO_DETAIL_KEYS]
    assert list(PortfolioSummary.__dataclass_fields__) == list(PORTFOLIO_KEYS)
    # seats 10 + 5 = 15; only Library's are measured: 3 used of 10
    assert (pack["portfolio"]["seats"], pack["portfolio"]["seat_utilisation"]) == (15, 0.3)
    assert pack["portfolio"]["active_learners"] == 3
    assert isinstance(pack["portfolio"]["idle_seats"], int)
    labels = [p["health"] for p in pack["products"]]
    assert sum(pack["portfolio"]["products_by_health"].values()) == len(labels) == 2
    for label in labels:
        assert pack["portfolio"]["products_by_health"][label] == labels.count(label)


def test_selecting_products_recomputes_the_portfolio(frames: YearFrames) -> None:
    pack = make_pack(frames, products=["Coaching"])
    assert [p["product"] for p in pack["products"]] == ["Coaching"]
    portfolio = pack["portfolio"]
    assert (portfolio["products"], portfolio["seats"], portfolio["actual_cost"]) == (1, 5, None)
    assert portfolio["active_learners"] is None  # Library's learners are not Coaching's


def test_an_unknown_exact_name_is_refused(frames: YearFrames) -> None:
    with pytest.raises(ValueError, match="'library'"):
        make_pack(frames, products=["library"])


def test_float_noise_nan_and_negative_zero_are_cleaned(frames: YearFrames) -> None:
    card = product_scorecard(
        frames.products, frames.budgets, frames.contracts, frames.usage, frames.outcomes,
        year=YEAR, thresholds=HEALTH, currency="GBP",
    )  # fmt: skip
    noisy = card.with_columns(
        pl.when(pl.col("product_id") == 1).then(0.1 + 0.2).otherwise(None).alias("actual_cost"),
        pl.lit(-0.001).alias("idle_spend"),
        pl.lit(math.nan).alias("bcr"),
    )
    pack = pack_from_scorecard(
        noisy, frames.usage, year=YEAR, as_of=AS_OF, currency="GBP", generated_at=GENERATED
    )
    library = pack["products"][0]
    assert library["actual_cost"] == 0.3  # not 0.30000000000000004
    assert math.copysign(1, library["idle_spend"]) == 1.0  # -0.00 is written 0.0
    assert library["bcr"] is None  # NaN is not JSON
    assert pack["portfolio"]["actual_cost"] == 0.3
    text = render_json(pack).decode("utf-8")
    assert "0.30000000000000004" not in text
    assert "NaN" not in text


def test_render_json_keeps_names_and_non_ascii_as_written() -> None:
    pack = {"products": [{"product": 'Café =HYPERLINK("x")'}]}
    text = render_json(pack).decode("utf-8")  # type: ignore[arg-type]
    assert 'Café =HYPERLINK(\\"x\\")' in text
    assert text.endswith("}\n")
    assert json.loads(text) == pack


def test_every_format_has_its_writer() -> None:
    assert FORMATS == ("json", "xlsx", "html", "pdf")
    assert writer_for("json", settings=Settings()) is render_json
    assert writer_for("xlsx", settings=Settings()) is render_xlsx
    with pytest.raises(ValueError, match="unknown export format 'csv'"):
        writer_for("csv", settings=Settings())  # type: ignore[arg-type]


# --- the one-pager's details (issue 6) ------------------------------------------------------------


def test_top_level_carries_the_assumptions_and_no_scenario(frames: YearFrames) -> None:
    pack = make_pack(frames, amortisation_years=3, loaded_hourly_rate=50.0)
    assert list(pack) == [
        "generated_at", "year", "as_of", "currency", "products", "portfolio", "assumptions",
        "scenario",
    ]  # fmt: skip
    assert pack["scenario"] is None
    assumptions = pack["assumptions"]
    assert list(assumptions) == list(ASSUMPTION_KEYS)
    assert (assumptions["amortisation_years"], assumptions["loaded_hourly_rate"]) == (3, 50.0)
    assert assumptions["currency"] == "GBP"
    assert assumptions["health_thresholds"]["utilisation_fix_below"] == 0.5
    assert assumptions["risk_thresholds"]["renewal_within_days"] == 90
    assert json.loads(render_json(pack)) == pack


def test_profile_and_summary_line(frames: YearFrames) -> None:
    library, coaching = make_pack(frames)["products"]
    assert library["profile"] == {
        "owner": "Ana",
        "sponsor": "Sales Director",
        "target_audience": "Account managers",
        "business_problem": "New account managers take months to sell",
        "business_goal": "Faster ramp-up",
        "strategic_fit": 4,
    }
    assert list(coaching["profile"]) == list(PROFILE_KEYS)
    assert coaching["profile"]["owner"] is None
    # 100 of 120 spent; 1 - 3/10 = 70% of seats idle; ROI (1,000 - 100) / 100 = 900%
    assert library["summary"] == (
        "£100 of £120 spent; 70% of seats idle; ROI 900% on level-4 evidence"
    )
    # no spend; 5 seats without usage; no evidence at all
    assert coaching["summary"] == "5 seats, usage not tracked; no level-3 evidence yet"


def test_cost_as_an_investment(frames: YearFrames) -> None:
    library, coaching = make_pack(frames)["products"]
    # licence 100.00 + participant time 3 x 10 min = 0.5 h x 45.00 = 22.50 -> 122.50
    assert library["fully_loaded_cost"] == 122.5
    assert library["cost_by_category"] == [{"category": "licence", "plan": 120.0, "actual": 100.0}]
    assert (coaching["fully_loaded_cost"], coaching["cost_by_category"]) == (None, [])
    # the hourly rate is the caller's: 0.5 h x 60.00 = 30.00 -> 130.00
    repriced = make_pack(frames, loaded_hourly_rate=60.0)["products"][0]
    assert repriced["fully_loaded_cost"] == 130.0


def test_twelve_months_of_plan_actual_and_active_learners(frames: YearFrames) -> None:
    pack = make_pack(frames)
    library, coaching = pack["products"]
    assert [m["month"] for m in library["monthly"]] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert list(library["monthly"][0]) == list(MONTHLY_KEYS)
    january, _, march, *rest = library["monthly"]
    assert january == {"month": "2026-01", "plan": 120.0, "actual": 100.0, "active_learners": None}
    assert march["active_learners"] == 3
    assert all(m["plan"] is m["actual"] is m["active_learners"] is None for m in rest)
    assert all(
        m["plan"] is m["actual"] is m["active_learners"] is None for m in coaching["monthly"]
    )
    # Coaching adds nothing: the portfolio's months are Library's
    assert pack["portfolio"]["monthly"] == library["monthly"]


def test_portfolio_months_sum_money_and_count_a_learner_once(frames: YearFrames) -> None:
    coaching_budget = f.budgets(
        {"product_id": 2, "month": date(2026, 1, 1), "plan_minor": 30_05, "actual_minor": 0}
    )
    coaching_usage = f.usage(
        {"product_id": 2, "learner_id": 1, "date": date(2026, 3, 9), "minutes": 5.0}
    )
    both = replace(
        frames,
        budgets=pl.concat([frames.budgets, coaching_budget]),
        usage=pl.concat([frames.usage, coaching_usage]),
    )
    pack = make_pack(both)
    january, _, march, *_ = pack["portfolio"]["monthly"]
    # plans 120.00 + 30.05 = 150.05; actuals 100.00 + a known 0.00 = 100.00
    assert (january["plan"], january["actual"]) == (150.05, 100.0)
    # learner 1 is active in both products in March: 3 learners, not 4
    assert march["active_learners"] == 3
    assert [p["monthly"][2]["active_learners"] for p in pack["products"]] == [3, 1]


def test_chain_of_evidence_rows(frames: YearFrames) -> None:
    library = make_pack(frames)["products"][0]
    chain = library["evidence"]
    assert [e["link"] for e in chain] == [
        "reach", "reaction", "learning", "behaviour", "results", "roi",
    ]  # fmt: skip
    assert all(list(e) == list(EVIDENCE_KEYS) for e in chain)
    reach, reaction, _, _, results, roi = chain
    # 3 active learners / 12 in the audience; n 3 < 30 makes it weak
    assert (reach["label"], reach["value"], reach["unit"], reach["n"]) == ("Reach", 0.25, "%", 3)
    assert (reach["as_of"], reach["strength"]) == ("2026-03", "weak")
    assert (reaction["value"], reaction["strength"]) == (None, "none")
    # the level-4 row of June 2026: 175 days before 23 November; n unknown -> weak
    assert (results["label"], results["level"], results["value"]) == ("Results (L4)", 4, 110.0)
    assert (results["as_of"], results["age_days"], results["strength"]) == ("2026-06", 175, "weak")
    assert roi["value"] == pytest.approx(9.0)


def test_benefit_assumptions_rows(frames: YearFrames) -> None:
    library, coaching = make_pack(frames)["products"]
    [row] = library["assumptions"]
    assert list(row) == list(BENEFIT_ASSUMPTION_KEYS)
    # (110 - 100) x 250.00 x 50% x 80% = 1,000.00
    assert row == {
        "measure": "sales", "period": "2026-06", "value": 110.0, "baseline": 100.0,
        "delta": 10.0, "direction": "higher", "unit_value": 250.0, "attribution_pct": 50.0,
        "confidence_pct": 80.0, "n": None, "benefit": 1000.0, "missing": [],
    }  # fmt: skip
    assert coaching["assumptions"] == []


def test_tdrp_rows_for_a_product_and_the_portfolio(frames: YearFrames) -> None:
    pack = make_pack(frames)
    library = pack["products"][0]
    assert [r["measure"] for r in library["tdrp"]] == [m.measure for m in TDRP_MEASURES]
    assert all(list(r) == list(TDRP_KEYS) for r in library["tdrp"])
    spend = library["tdrp"][0]
    # plan 120.00; YTD actual 100.00 of a YTD plan of 120.00 (all planned in January);
    # forecast = January's actual 100.00 (no other month planned); under plan: green
    assert (spend["group"], spend["unit"], spend["plan"], spend["ytd"]) == (
        "Efficiency", "GBP", 120.0, 100.0,
    )  # fmt: skip
    assert spend["ytd_pct_of_plan"] == pytest.approx(100 / 120)
    assert (spend["forecast"], spend["status"]) == (100.0, "green")
    assert spend["forecast_pct_of_plan"] == pytest.approx(100 / 120)
    active = next(r for r in library["tdrp"] if r["key"] == "active_learners")
    assert (active["ytd"], active["last_year"], active["plan"]) == (3, None, None)
    # a count is a figure like any other, written 3.0 as the report's frame holds it
    figures = ("last_year", "plan", "ytd", "ytd_pct_of_plan", "forecast", "forecast_pct_of_plan")
    for row in [*library["tdrp"], *pack["portfolio"]["tdrp"]]:
        assert all(row[k] is None or type(row[k]) is float for k in figures), row
    assert '"ytd": 3.0' in render_json(pack).decode()
    portfolio_spend = pack["portfolio"]["tdrp"][0]
    assert (portfolio_spend["plan"], portfolio_spend["ytd"]) == (120.0, 100.0)
    # money rows carry the pack's currency as their unit
    euro = make_pack(replace(frames, currency="EUR"))["products"][0]["tdrp"][0]
    assert euro["unit"] == "EUR"


def test_the_ask_for_next_year(frames: YearFrames) -> None:
    library = make_pack(frames)["products"][0]
    assert library["ask"] == {"year": 2027, "plan": None, "change": None, "source": "not set"}
    next_year = f.budgets(
        {"month": date(2027, 1, 1), "plan_minor": 100_00},
        {"month": date(2027, 2, 1), "cost_category": "delivery", "plan_minor": 50_00},
    )
    grown = replace(frames, budgets=pl.concat([frames.budgets, next_year]))
    library, coaching = make_pack(grown)["products"]
    # 100.00 + 50.00 = 150.00 for 2027, against 120.00 in 2026: +25%
    assert library["ask"] == {"year": 2027, "plan": 150.0, "change": 0.25, "source": "budgets"}
    # the 2027 lines change no 2026 figure
    assert library["budget_plan"] == 120.0
    assert coaching["ask"]["source"] == "not set"


def test_the_four_risks(frames: YearFrames) -> None:
    library, coaching = make_pack(frames)["products"]
    assert [r["kind"] for r in library["risks"]] == list(RISK_KINDS)
    assert all(list(r) == list(RISK_KEYS) for r in library["risks"])
    risks = {r["kind"]: (r["level"], r["reason"]) for r in library["risks"]}
    assert risks == {
        # level-4 evidence with benefits and a positive ROI
        "value": ("low", "no warning signs"),
        # 3 of 10 seats in use (high); reach 3 / 12 = 25% (medium)
        "usability": ("high", "30% of seats in use; reach 25% of the target audience"),
        "feasibility": ("low", "no warning signs"),
        # idle spend 140.00 / actual 100.00 = 140%; the contract ends 31 Dec: 38 days
        "viability": (
            "high",
            "idle seats cost 140% of the actual spend; "
            "licence renews in 38 days with 30% of seats in use",
        ),
    }
    risks = {r["kind"]: (r["level"], r["reason"]) for r in coaching["risks"]}
    assert risks == {
        "value": ("high", "no level-3/4 evidence"),
        # no usage imported: usability cannot be judged (no level), never "low"
        "usability": (None, "usage not tracked: nothing to judge use by"),
        "feasibility": ("high", "usage not tracked for 5 licensed seats"),
        "viability": ("medium", "licence renews in 38 days, usage not tracked"),
    }


def test_a_product_s_details_do_not_depend_on_the_selection(frames: YearFrames) -> None:
    everything = make_pack(frames)
    only = make_pack(frames, products=["Coaching"])
    assert only["products"] == everything["products"][1:]


def test_a_scenario_is_carried_as_given(frames: YearFrames) -> None:
    scenario = {
        "name": "Cap at 100", "cap": 100.0,
        "rows": [{"product": "Library", "budget": 120.0, "scenario_budget": 100.0,
                  "change": -1 / 6, "funded": True}],
        "totals": {"budget": 120.0, "scenario_budget": 100.0, "cap": 100.0, "gap": 0.0},
        "added": [], "dropped": ["Coaching"], "notes": "trimmed to the cap",
    }  # fmt: skip
    pack = make_pack(frames, scenario=scenario)
    assert pack["scenario"] == scenario
    assert json.loads(render_json(pack))["scenario"] == scenario


def test_a_pack_from_a_scorecard_alone_has_empty_details(frames: YearFrames) -> None:
    card = product_scorecard(
        frames.products, frames.budgets, frames.contracts, frames.usage, frames.outcomes,
        year=YEAR, thresholds=HEALTH, currency="GBP",
    )  # fmt: skip
    pack = pack_from_scorecard(
        card, frames.usage, year=YEAR, as_of=AS_OF, currency="GBP", generated_at=GENERATED
    )
    library = pack["products"][0]
    assert list(library) == [*PRODUCT_KEYS, *PRODUCT_DETAIL_KEYS]
    assert library["profile"] == dict.fromkeys(PROFILE_KEYS)
    assert (library["summary"], library["evidence"], library["risks"]) == (None, [], [])
    assert library["ask"] == {"year": 2027, "plan": None, "change": None, "source": "not set"}
    assert (pack["portfolio"]["tdrp"], pack["portfolio"]["monthly"]) == ([], [])
    assert (pack["assumptions"], pack["scenario"]) == ({"currency": "GBP"}, None)


# --- resolve_products ---------------------------------------------------------------------------

STORED = ["LinkedIn Learning", "Udemy Tech Skills", "Sales Academy", "sales academy"]


def test_exact_then_case_insensitive_matches_in_the_order_given() -> None:
    got = resolve_products(
        ["udemy tech skills", "LinkedIn Learning", " linkedin learning "], STORED
    )
    assert got == ["Udemy Tech Skills", "LinkedIn Learning"]


def test_an_exact_name_wins_over_names_differing_in_case() -> None:
    assert resolve_products(["sales academy"], STORED) == ["sales academy"]


def test_a_name_matching_several_products_by_case_is_refused() -> None:
    with pytest.raises(ProductSelectionError, match="several products"):
        resolve_products(["SALES ACADEMY"], STORED)


def test_unknown_names_are_all_reported_with_close_matches() -> None:
    with pytest.raises(ProductSelectionError) as caught:
        resolve_products(
            ["Udemy Tech Skill", "LinkedIn Learning", "Quantum Basket Weaving"], STORED
        )
    assert len(caught.value.problems) == 2
    assert "'Udemy Tech Skill' (did you mean 'Udemy Tech Skills'?)" in str(caught.value)
    assert "'Quantum Basket Weaving' (no similar name among the 4 products)" in str(caught.value)
