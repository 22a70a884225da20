"""`python -m exports`: the JSON funding pack, run as a real subprocess on the sample portfolio."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from exports.cli import main
from loaders import import_paths
from metrics.health import HEALTH_LABELS
from metrics.scorecard import portfolio_summary, product_scorecard
from models import make_engine
from models.frames import year_frames
from settings import DEFAULT_HEALTH
from tests.actors import EDITOR
from tests.exports.conftest import (
    by_name,
    decimal_sum,
    export_json,
    run_export,
    sample_csv,
)

# The export contract (DESIGN, "Funding-pack export") plus the scorecard columns the brief adds.
CONTRACT_KEYS = [
    "product", "budget_plan", "actual_cost", "forecast_cost", "unique_learners",
    "active_learners", "seats", "seat_utilisation", "idle_seats", "idle_spend", "completions",
    "cost_per_active_learner", "cost_per_completion", "benefits", "bcr", "roi",
    "payback_months", "health",
]  # fmt: skip
EXTRA_KEYS = [
    "category", "lifecycle_stage", "vendor", "reach", "target_audience_size",
    "over_subscribed_by", "usage_tracked", "health_reasons",
]  # fmt: skip
MONEY = [
    "budget_plan", "actual_cost", "forecast_cost", "idle_spend", "cost_per_active_learner",
    "cost_per_completion", "benefits",
]  # fmt: skip
COUNTS = [
    "unique_learners", "active_learners", "seats", "idle_seats", "completions",
    "target_audience_size", "over_subscribed_by",
]  # fmt: skip
RATIOS = ["seat_utilisation", "reach", "bcr", "roi", "payback_months"]
PORTFOLIO_KEYS = [
    "budget_plan", "actual_cost", "forecast_cost", "active_learners", "seats",
    "seat_utilisation", "idle_seats", "idle_spend", "benefits", "bcr", "roi", "products",
    "products_by_health",
]  # fmt: skip
FORMULA_NAME = '=HYPERLINK("http://x","y")'
# Issue 19: the Suppliers page's figures in the pack.
SUPPLIER_PRODUCT_KEYS = [
    "seats_to_reclaim", "reclaim_value", "reclaim_reconciliation", "renewal_to_decide",
]  # fmt: skip
VENDOR_KEYS = [
    "vendor", "contracts", "seats", "contract_value", "actual_cost", "active_learners",
    "completions", "cost_per_active_learner", "cost_per_completion", "seat_utilisation",
    "idle_spend",
]  # fmt: skip
VENDOR_MONEY = [
    "contract_value", "actual_cost", "cost_per_active_learner", "cost_per_completion",
    "idle_spend",
]  # fmt: skip
RENEWAL_KEYS = [
    "product", "vendor", "renewal_date", "days_to_renewal", "reason", "seat_utilisation",
    "idle_spend", "seats",
]  # fmt: skip


def exit_status(*args: str) -> int:
    """`exports.cli.main` in process, for argument errors that stop before the database."""
    try:
        return main(list(args))
    except SystemExit as stop:  # argparse's own errors
        return int(stop.code or 0)


def decimals(value: float) -> int:
    """Digits after the point in the value's JSON form (16207.55 -> 2)."""
    exponent = Decimal(repr(value)).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(-exponent, 0)


def is_count(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def is_number(value: object) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


@pytest.fixture(scope="module")
def in_process(shared_url: str) -> dict[str, Any]:
    """The figures the pages compute for 2026 on the same database (see pages/readers.py)."""
    engine = make_engine(shared_url)
    with engine.connect() as conn:
        frames = year_frames(conn, year=2026, currency="GBP")
    engine.dispose()
    card = product_scorecard(
        frames.products, frames.budgets, frames.contracts, frames.usage, frames.outcomes,
        year=2026, thresholds=DEFAULT_HEALTH, currency="GBP",
    )  # fmt: skip
    return {"card": card, "usage": frames.usage}


# --- the schema -----------------------------------------------------------------------------


def test_top_level_keys_and_their_values(pack: dict[str, Any]) -> None:
    assert list(pack) == [
        "generated_at", "year", "as_of", "currency", "products", "portfolio", "assumptions",
        "scenario",
    ]  # fmt: skip
    made = datetime.fromisoformat(pack["generated_at"])
    assert made.utcoffset() is not None and made.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - made).total_seconds()) < 600
    # --year defaults to the year of LP_AS_OF
    assert (pack["year"], pack["as_of"], pack["currency"]) == (2026, "2026-11-23", "GBP")
    # the 16 products of sample_data/files/products.csv, in name order
    names = sample_csv("products.csv")["product"].to_list()
    assert [p["product"] for p in pack["products"]] == sorted(names)


def test_every_product_has_every_contract_key_with_json_types(pack: dict[str, Any]) -> None:
    for product in pack["products"]:
        missing = [k for k in [*CONTRACT_KEYS, *EXTRA_KEYS] if k not in product]
        assert not missing, (product["product"], missing)
        assert "product_id" not in product  # the database id is internal
        assert isinstance(product["product"], str)
        assert all(is_count(product[k]) for k in COUNTS), product
        assert all(is_number(product[k]) for k in MONEY + RATIOS), product
        assert product["health"] in HEALTH_LABELS
        assert isinstance(product["health_reasons"], list)
        assert all(isinstance(r, str) for r in product["health_reasons"])
        assert isinstance(product["usage_tracked"], bool)


def test_every_product_carries_reach_by_org_unit_and_its_sponsors_units(
    pack: dict[str, Any],
) -> None:
    # DESIGN.md, People roster: reach_by_org_unit [{org_unit, headcount, active_learners,
    # reach, suppressed}]; issue 19: sponsor_units, the roster's units the audience names.
    unit_keys = ["org_unit", "headcount", "active_learners", "reach", "suppressed"]
    whole_keys = ["headcount", "active_learners", "reach", "suppressed"]
    scopes = [*pack["products"], pack["portfolio"]]
    for scope in scopes:
        for row in scope["reach_by_org_unit"]:
            assert list(row) == unit_keys, row
            assert isinstance(row["org_unit"], str) and isinstance(row["suppressed"], bool)
            assert is_count(row["headcount"]) and is_count(row["active_learners"]), row
            assert is_number(row["reach"]), row
            assert row["headcount"] not in range(1, 5) and row["active_learners"] not in range(
                1, 5
            ), row  # LP_MIN_GROUP_SIZE 5: a figure about 1-4 people is hidden
        whole = scope["organisation_reach"]
        assert whole is None or list(whole) == whole_keys, whole
    for product in pack["products"]:
        units = product["sponsor_units"]
        assert isinstance(units, list) and all(isinstance(u, str) for u in units)
    if pack["portfolio"]["organisation_reach"] is not None:  # a roster is imported
        named = {p["product"]: p["sponsor_units"] for p in pack["products"]}
        assert named["Sales Academy"] == ["Sales"]  # target audience "Sales team"
        assert named["Onboarding Academy"] == []  # "New joiners"


def test_every_product_and_the_portfolio_carry_the_suppliers_figures(
    pack: dict[str, Any],
) -> None:
    # Issue 19: seats to reclaim, renewals to decide and the vendors compared, as on the
    # Suppliers page; money to the cent, rates as fractions, never a person.
    for product in pack["products"]:
        missing = [k for k in SUPPLIER_PRODUCT_KEYS if k not in product]
        assert not missing, (product["product"], missing)
        assert is_count(product["seats_to_reclaim"]), product["product"]
        assert is_number(product["reclaim_value"]), product["product"]
        assert (product["seats_to_reclaim"] is None) == (product["reclaim_value"] is None)
        assert (product["seats_to_reclaim"] is None) == (product["reclaim_reconciliation"] is None)
        assert product["reclaim_reconciliation"] is None or isinstance(
            product["reclaim_reconciliation"], str
        )
        assert isinstance(product["renewal_to_decide"], bool), product["product"]
    portfolio = pack["portfolio"]
    assert is_count(portfolio["seats_to_reclaim"]) and is_number(portfolio["reclaim_value"])
    assert portfolio["vendors"] and portfolio["renewals_to_decide"]  # the sample has both
    for row in portfolio["vendors"]:
        assert list(row) == VENDOR_KEYS, row
        assert isinstance(row["vendor"], str)
        counts = ("contracts", "seats", "active_learners", "completions")
        assert all(is_count(row[k]) for k in counts), row
        assert all(is_number(row[k]) for k in VENDOR_MONEY), row
        assert is_number(row["seat_utilisation"]) and 0 <= (row["seat_utilisation"] or 0) <= 1
    for row in portfolio["renewals_to_decide"]:
        assert list(row) == RENEWAL_KEYS, row
        assert isinstance(row["product"], str) and isinstance(row["vendor"], str)
        assert date.fromisoformat(row["renewal_date"]).isoformat() == row["renewal_date"]
        assert is_count(row["days_to_renewal"]) and is_count(row["seats"]), row
        assert row["reason"] in ("low utilisation", "usage not tracked")
        assert is_number(row["seat_utilisation"]) and is_number(row["idle_spend"]), row
    flagged = {r["product"] for r in portfolio["renewals_to_decide"]}
    assert {p["product"] for p in pack["products"] if p["renewal_to_decide"]} == flagged
    assert pack["assumptions"]["reclaim_after_days"] == 60  # LP_RECLAIM_AFTER_DAYS


def test_portfolio_has_the_summary_keys_and_health_counts(pack: dict[str, Any]) -> None:
    portfolio = pack["portfolio"]
    assert list(portfolio) == [
        *PORTFOLIO_KEYS,
        "forecast_pct_of_plan",
        "tdrp",
        "monthly",
        "reach_by_org_unit",
        "organisation_reach",
        "seats_to_reclaim",
        "reclaim_value",
        "vendors",
        "renewals_to_decide",
    ]
    # forecast ÷ plan, placed by the pack from metrics.share_of_plan
    share = portfolio["forecast_cost"] / portfolio["budget_plan"]
    assert portfolio["forecast_pct_of_plan"] == pytest.approx(share, abs=1e-6)
    assert portfolio["products"] == len(pack["products"]) == 16
    counted = {label: 0 for label in HEALTH_LABELS}
    for product in pack["products"]:
        counted[product["health"]] += 1
    assert portfolio["products_by_health"] == counted
    assert all(is_count(portfolio[k]) for k in ("active_learners", "seats", "idle_seats"))


def test_money_is_to_the_cent_without_float_noise(pack: dict[str, Any]) -> None:
    money = [p[k] for p in pack["products"] for k in MONEY if p[k] is not None]
    money += [pack["portfolio"][k] for k in MONEY if pack["portfolio"].get(k) is not None]
    money += [p["reclaim_value"] for p in [*pack["products"], pack["portfolio"]]
              if p["reclaim_value"] is not None]  # fmt: skip
    money += [v[k] for v in pack["portfolio"]["vendors"] for k in VENDOR_MONEY
              if v[k] is not None]  # fmt: skip
    money += [r["idle_spend"] for r in pack["portfolio"]["renewals_to_decide"]
              if r["idle_spend"] is not None]  # fmt: skip
    assert money
    assert max(decimals(v) for v in money) <= 2


# --- the same numbers as the pages ------------------------------------------------------------


def test_products_equal_the_scorecard_computed_in_process(
    pack: dict[str, Any], in_process: dict[str, Any]
) -> None:
    expected = {row["product"]: row for row in in_process["card"].iter_rows(named=True)}
    assert set(by_name(pack)) == set(expected)
    for name, product in by_name(pack).items():
        row = expected[name]
        for key in [*CONTRACT_KEYS, *EXTRA_KEYS]:
            want = row[key]
            if key in MONEY and want is not None:
                want = round(want, 2)
            assert product[key] == want, (name, key)


def test_portfolio_equals_the_summary_computed_in_process(
    pack: dict[str, Any], in_process: dict[str, Any]
) -> None:
    summary = asdict(
        portfolio_summary(in_process["card"], in_process["usage"], year=2026, currency="GBP")
    )
    for key, want in summary.items():
        if key in MONEY and want is not None:
            want = round(want, 2)
        assert pack["portfolio"][key] == want, key


# --- figures checked against the sample CSV files ---------------------------------------------


def test_linkedin_2026_budget_and_seats_from_the_csv_files(pack: dict[str, Any]) -> None:
    budgets = sample_csv("budgets.csv").filter(
        (pl.col("product") == "LinkedIn Learning") & pl.col("month").str.starts_with("2026-")
    )
    linkedin = by_name(pack)["LinkedIn Learning"]
    # budget plan = sum of the 2026 `plan` rows; actual = sum of the non-blank `actual` rows
    assert Decimal(repr(linkedin["budget_plan"])) == decimal_sum(budgets["plan"].to_list())
    assert Decimal(repr(linkedin["actual_cost"])) == decimal_sum(budgets["actual"].to_list())
    # contracts.csv: LinkedIn Learning 2026-01-01..2026-12-31, 1500 seats
    assert linkedin["seats"] == 1500


def test_contract_without_usage_has_seats_and_null_usage(pack: dict[str, Any]) -> None:
    # Language Learning App: a Babbel contract of 150 seats in 2026, no usage report imported
    app = by_name(pack)["Language Learning App"]
    assert app["seats"] == 150
    assert app["usage_tracked"] is False
    for key in ("active_learners", "unique_learners", "completions", "seat_utilisation",
                "idle_seats", "idle_spend", "cost_per_active_learner"):  # fmt: skip
        assert app[key] is None, key
    # its 2026 actuals in budgets.csv sum to 16,207.55 (a float sum gives 16207.550000000001)
    budgets = sample_csv("budgets.csv").filter(
        (pl.col("product") == "Language Learning App") & pl.col("month").str.starts_with("2026-")
    )
    assert decimal_sum(budgets["actual"].to_list()) == Decimal("16207.55")
    assert app["actual_cost"] == 16207.55


def test_products_without_level_4_outcomes_have_null_benefits(pack: dict[str, Any]) -> None:
    outcomes = sample_csv("outcomes.csv")
    level4 = outcomes.filter(
        (pl.col("level") == "4")
        & pl.col("period").str.starts_with("2026-")
        & (pl.col("kind").fill_null("actual") != "forecast")
    )
    with_evidence = set(level4["product"].to_list())
    assert "Sales Academy" in with_evidence
    assert "LinkedIn Learning" not in with_evidence
    for name, product in by_name(pack).items():
        money = [product[k] for k in ("benefits", "bcr", "roi", "payback_months")]
        if name in with_evidence:
            assert all(v is not None for v in money), name
        else:
            assert money == [None] * 4, name


def test_idle_spend_is_idle_seats_times_the_contract_price(pack: dict[str, Any]) -> None:
    contracts = sample_csv("contracts.csv").filter(pl.col("start").str.starts_with("2026-"))
    price = dict(zip(contracts["product"], contracts["price_per_seat"], strict=True))
    checked = 0
    for name, product in by_name(pack).items():
        if product["idle_seats"] is None:
            continue
        # e.g. Udemy Tech Skills: idle seats x 290.00
        assert Decimal(repr(product["idle_spend"])) == product["idle_seats"] * Decimal(price[name])
        checked += 1
    assert checked == 4  # LinkedIn, Udemy, Cornerstone, Pocketwise (Babbel has no usage)


def test_roi_and_rates_are_fractions(pack: dict[str, Any]) -> None:
    sales = by_name(pack)["Sales Academy"]
    # roi = (benefits - cost) / cost, a fraction: about 0.36 here, not 36
    expected = (sales["benefits"] - sales["actual_cost"]) / sales["actual_cost"]
    assert sales["roi"] == pytest.approx(expected, rel=1e-9)
    assert sales["roi"] == pytest.approx(sales["bcr"] - 1, rel=1e-9)
    assert 0 < sales["roi"] < 1
    for product in pack["products"]:
        for key in ("seat_utilisation", "reach"):
            assert product[key] is None or 0 <= product[key] <= 1, (product["product"], key)


# --- options ------------------------------------------------------------------------------------


def test_product_filter_limits_products_and_portfolio(
    shared_url: str, pack: dict[str, Any]
) -> None:
    # several names after one --product, a repeated --product, a case-insensitive match
    chosen = export_json(
        shared_url, "--product", "linkedin learning", "Udemy Tech Skills",
        "--product", "LinkedIn Learning",
    )  # fmt: skip
    names = [p["product"] for p in chosen["products"]]
    assert names == ["LinkedIn Learning", "Udemy Tech Skills"]
    everything = by_name(pack)
    assert chosen["products"] == [everything[n] for n in names]
    portfolio = chosen["portfolio"]
    assert portfolio["products"] == 2
    # totals over the two products only: 1500 + 360 seats (contracts.csv, 2026)
    assert portfolio["seats"] == 1500 + 360
    for key in ("budget_plan", "actual_cost", "idle_spend"):
        total = sum(Decimal(repr(everything[n][key])) for n in names)
        assert Decimal(repr(portfolio[key])) == total, key
    assert portfolio["actual_cost"] < pack["portfolio"]["actual_cost"]
    # a learner of both libraries counts once
    assert portfolio["active_learners"] <= sum(everything[n]["active_learners"] for n in names)
    # neither has level-4 evidence: no portfolio benefits or ROI
    assert (portfolio["benefits"], portfolio["roi"]) == (None, None)
    health = {label: 0 for label in HEALTH_LABELS}
    for n in names:
        health[everything[n]["health"]] += 1
    assert portfolio["products_by_health"] == health


def test_unknown_product_is_a_usage_error_with_close_matches(shared_url: str) -> None:
    done = run_export(shared_url, "--format", "json", "--product", "Linkedin Learnin")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "'Linkedin Learnin'" in done.stderr
    assert "did you mean 'LinkedIn Learning'" in done.stderr
    assert "Traceback" not in done.stderr


def test_year_2025(shared_url: str) -> None:
    last_year = export_json(shared_url, "--year", "2025")
    assert (last_year["year"], last_year["as_of"]) == (2025, "2026-11-23")
    linkedin = by_name(last_year)["LinkedIn Learning"]
    budgets = sample_csv("budgets.csv").filter(
        (pl.col("product") == "LinkedIn Learning") & pl.col("month").str.starts_with("2025-")
    )
    assert Decimal(repr(linkedin["budget_plan"])) == decimal_sum(budgets["plan"].to_list())
    assert linkedin["seats"] == 1500  # the 2025 contract
    # contracts.csv, 2025: Udemy Tech Skills had 300 seats (360 in 2026)
    assert by_name(last_year)["Udemy Tech Skills"]["seats"] == 300


def test_year_defaults_to_the_as_of_year(shared_url: str) -> None:
    mid_2025 = export_json(shared_url, as_of="2025-06-30")
    assert (mid_2025["year"], mid_2025["as_of"]) == (2025, "2025-06-30")


def test_a_year_without_data_still_gives_a_valid_pack(shared_url: str) -> None:
    empty = export_json(shared_url, "--year", "1999")
    assert empty["year"] == 1999
    assert len(empty["products"]) == 16
    for product in empty["products"]:
        for key in ("budget_plan", "actual_cost", "active_learners", "seats", "benefits", "roi"):
            assert product[key] is None, (product["product"], key)
    assert empty["portfolio"]["actual_cost"] is None
    assert empty["portfolio"]["products"] == 16


@pytest.mark.parametrize("year", ["26", "20266", "abcd", "0000", "2026.0"])
def test_a_year_that_is_not_four_digits_is_a_usage_error(
    year: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # argparse rejects these before anything is read, so in process is enough (and quick)
    assert exit_status("--format", "json", "--year", year) == 2
    assert f"--year: {year!r} is not a four-digit year" in capsys.readouterr().err


def test_a_bad_year_exits_two_from_the_shell(shared_url: str) -> None:
    done = run_export(shared_url, "--format", "json", "--year", "26")
    assert done.returncode == 2
    assert "--year" in done.stderr
    assert "Traceback" not in done.stderr


def test_out_writes_the_file_and_nothing_to_stdout(
    shared_url: str, pack: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "funding pack.json"
    done = run_export(shared_url, "--format", "json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["products"] == pack["products"]
    assert written["portfolio"] == pack["portfolio"]
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no partial file left behind


def test_out_in_a_missing_folder_is_a_usage_error(shared_url: str, tmp_path: Path) -> None:
    done = run_export(shared_url, "--format", "json", "--out", str(tmp_path / "no" / "x.json"))
    assert done.returncode == 2
    assert "--out" in done.stderr


@pytest.mark.parametrize("args", [[], ["--format", "csv"], ["--format", "json", "--product"]])
def test_format_is_required_and_checked(args: list[str]) -> None:
    assert exit_status(*args) == 2


# --- errors -------------------------------------------------------------------------------------


def test_an_unreadable_database_exits_one_without_a_traceback(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database\n" * 100)
    done = run_export(f"sqlite:///{garbage}", "--format", "json")
    assert done.returncode == 1
    assert "cannot read the database" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_missing_database_file_exits_one_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite"
    done = run_export(f"sqlite:///{missing}", "--format", "json")
    assert done.returncode == 1
    assert str(missing) in done.stderr
    assert not missing.exists()


def test_a_password_in_the_database_url_is_not_printed() -> None:
    url = "postgresql+psycopg://lp:s3cret-pw@127.0.0.1:1/lp"  # port 1: nothing listens
    done = run_export(url, "--format", "json")
    assert done.returncode == 1
    assert "s3cret-pw" not in done.stderr
    assert "Traceback" not in done.stderr


# --- export safety --------------------------------------------------------------------------------


def test_a_formula_like_name_is_kept_verbatim(seeded_url: str, tmp_path: Path) -> None:
    products_csv = tmp_path / "products.csv"
    with products_csv.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["product", "category", "vendor", "owner", "sponsor", "target_audience",
                         "lifecycle_stage", "business_goal", "strategic_fit"])  # fmt: skip
        writer.writerow([FORMULA_NAME, "other", "", "Ana", "CFO", "All staff", "pilot", "Fun", 3])
    engine = make_engine(seeded_url)
    [result] = import_paths([products_csv], engine=engine, actor=EDITOR)
    engine.dispose()
    assert result.status == "imported", result.to_json()

    done = run_export(seeded_url, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.dumps(FORMULA_NAME) in done.stdout  # no quote, prefix or escape added
    assert FORMULA_NAME in by_name(json.loads(done.stdout))

    only = export_json(seeded_url, "--product", FORMULA_NAME)
    assert [p["product"] for p in only["products"]] == [FORMULA_NAME]
    assert only["portfolio"]["products"] == 1


def test_a_saved_scenario_is_carried_in_the_pack(seeded_url: str) -> None:
    from sqlalchemy import create_engine

    from models.db import session_scope
    from models.scenarios import save_scenario
    from planning.scenarios import Scenario

    plan = export_json(seeded_url)
    engine = create_engine(seeded_url)
    with engine.connect() as conn:
        linkedin = conn.exec_driver_sql(
            "SELECT id FROM product WHERE name = 'LinkedIn Learning'"
        ).scalar_one()
    scenario = Scenario(
        name="Cut the idle library", year=2026, budget_changes={linkedin: -1.0}, cap=1_500_000.0
    )
    with session_scope(engine) as session:
        save_scenario(
            session=session, name=scenario.name, year=2026, payload=scenario.to_dict(), actor=EDITOR
        )
    engine.dispose()

    pack = export_json(seeded_url, "--scenario", "Cut the idle library")
    block = pack["scenario"]
    assert block["name"] == "Cut the idle library" and block["dropped"] == ["LinkedIn Learning"]
    row = next(r for r in block["rows"] if r["product"] == "LinkedIn Learning")
    assert (row["scenario_budget"], row["change"], row["funded"]) == (0.0, -1.0, False)
    # computed from the pack itself: the scenario removes LinkedIn's plan from the total
    linkedin_plan = by_name(plan)["LinkedIn Learning"]["budget_plan"]
    assert block["totals"]["budget"] == pytest.approx(plan["portfolio"]["budget_plan"])
    assert block["totals"]["change"] == pytest.approx(-linkedin_plan)
    assert plan["scenario"] is None

    unknown = run_export(seeded_url, "--format", "json", "--scenario", "Nope")
    assert unknown.returncode == 2 and "Cut the idle library" in unknown.stderr
