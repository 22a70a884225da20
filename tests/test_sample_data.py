"""The sample portfolio: deterministic, well-formed, and telling the stories it promises.

Every story is checked on the raw CSV files with polars, the way a reader of
the files (or an importer) would see them, not through the generator's
internals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import polars as pl
import pytest

from sample_data import FILES_DIR, generate, seed_files
from sample_data.__main__ import main

AS_OF = date(2026, 11, 23)
YEARS = ("2025", "2026")
LINKEDIN, UDEMY, COMPLIANCE = (
    "LinkedIn Learning",
    "Udemy Tech Skills",
    "Code of Conduct & Data Protection",
)
FLAGSHIP, ONBOARDING, COACHING = (
    "Leading at Northwind",
    "Onboarding Academy",
    "Pocketwise Coaching App",
)
PILOT, SUNSET, NOT_TRACKED = "AI at Work Pilot", "Excel Classroom Courses", "Language Learning App"
DISCOVERY = "Skills Marketplace"
TEMPLATES = [
    "products.csv",
    "contracts.csv",
    "budgets.csv",
    "outcomes.csv",
    "usage.csv",
    "people.csv",
]

# Headers exactly as in the shared vendor samples (column names and order).
LINKEDIN_HEADER = (
    "First Name,Last Name,Email,Unique User ID,Groups,Content Title,Content Type,Content ID,"
    "Content Provider,Percent Completed,Completion Date,Last Viewed Date,Content Hours Viewed"
)
UDEMY_HEADER = (
    "User First Name,User Last Name,User Email,External ID,User Groups,Course ID,Course Title,"
    "Course Duration,% Marked Completed,Minutes Video Consumed,Date Enrolled,Date Started,"
    "First Date Completed,Date Completed,Date Last Accessed,Course Category,Assigned,Assigned By,"
    "User Is Deactivated"
)
CSOD_HEADER = (
    # the sample's report layout adds User Email, so learners match across products
    "User ID,User Full Name,User Email,Training Title,Training Type,Transcript Status,"
    "Transcript Assigned Date,Transcript Completed Date"
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    generate(AS_OF, folder)
    return folder


def read(folder: Path, name: str, *, skip_rows: int = 0) -> pl.DataFrame:
    """Every column as text, exactly as written."""
    return pl.read_csv(folder / name, infer_schema_length=0, skip_rows=skip_rows)


def linkedin(folder: Path, year: str) -> pl.DataFrame:
    return read(folder, f"linkedin_learning_learner_detail_{year}.csv")


def udemy(folder: Path, year: str) -> pl.DataFrame:
    return read(folder, f"udemy_user_course_progress_{year}.csv")


def csod(folder: Path, year: str) -> pl.DataFrame:
    return read(folder, f"csod_transcript_report_{year}.csv", skip_rows=3)


def seats(folder: Path, product: str, year: str) -> int:
    contracts = read(folder, "contracts.csv")
    row = contracts.filter((pl.col("product") == product) & pl.col("start").str.starts_with(year))
    return int(row["seats"].cast(pl.Int64).sum())


def actual_cost(folder: Path, product: str, year: str) -> float:
    budgets = read(folder, "budgets.csv")
    rows = budgets.filter((pl.col("product") == product) & pl.col("month").str.starts_with(year))
    return float(rows["actual"].cast(pl.Float64).sum())


def benefits(folder: Path, product: str, year: str) -> float:
    """DESIGN.md: (value - baseline) x unit value x attribution% x confidence%, flipped if lower."""
    outcomes = read(folder, "outcomes.csv").filter(
        (pl.col("product") == product)
        & (pl.col("level") == "4")
        & pl.col("period").str.starts_with(year)
    )
    num = {
        c: pl.col(c).cast(pl.Float64)
        for c in ("value", "baseline", "unit_value", "attribution_pct", "confidence_pct")
    }
    sign = pl.when(pl.col("direction") == "lower").then(-1.0).otherwise(1.0)
    benefit = (
        (num["value"] - num["baseline"])
        * sign
        * num["unit_value"]
        * num["attribution_pct"]
        / 100
        * num["confidence_pct"]
        / 100
    )
    return float(outcomes.select(benefit.sum()).item())


# --- determinism, files, formats -------------------------------------------------------


def test_same_as_of_and_seed_give_identical_bytes(sample: Path, tmp_path: Path) -> None:
    again = generate(AS_OF, tmp_path)
    names = sorted(p.name for p in sample.glob("*.csv"))
    assert names == sorted(f.path.name for f in again)
    for name in names:
        assert (sample / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_another_seed_gives_other_data(sample: Path, tmp_path: Path) -> None:
    generate(AS_OF, tmp_path, seed=8)
    assert (sample / "usage.csv").read_bytes() != (tmp_path / "usage.csv").read_bytes()


def test_committed_files_are_the_generator_output(sample: Path) -> None:
    """The files in sample_data/files/ were generated as of 2026-11-23 with the default seed."""
    committed = sorted(p.name for p in FILES_DIR.glob("*.csv"))
    assert committed == sorted(p.name for p in sample.glob("*.csv"))
    for name in committed:
        assert (FILES_DIR / name).read_bytes() == (sample / name).read_bytes(), f"regenerate {name}"


def test_seed_files_lists_templates_then_reports_oldest_first(sample: Path) -> None:
    names = [p.name for p in seed_files(sample)]
    assert names[:6] == TEMPLATES
    reports = names[6:]
    assert len(reports) == 6
    years = [re.search(r"(\d{4})", n).group(1) for n in reports]  # type: ignore[union-attr]
    assert years == sorted(years) == ["2025"] * 3 + ["2026"] * 3


def test_seed_files_of_an_empty_folder_is_empty(tmp_path: Path) -> None:
    assert seed_files(tmp_path) == []


def test_all_files_together_stay_under_4_mb(sample: Path) -> None:
    assert sum(p.stat().st_size for p in sample.glob("*.csv")) <= 4 * 1024 * 1024


def test_vendor_reports_have_the_exact_vendor_headers_and_quirks(sample: Path) -> None:
    for year in YEARS:
        li = (sample / f"linkedin_learning_learner_detail_{year}.csv").read_bytes()
        assert li.split(b"\r\n")[0].decode() == LINKEDIN_HEADER
        assert b"\r\n" in li and b"\n" not in li.replace(b"\r\n", b"")
        ud = (sample / f"udemy_user_course_progress_{year}.csv").read_bytes()
        assert ud.startswith(b"\xef\xbb\xbf")
        assert ud[3:].split(b"\n")[0].decode() == UDEMY_HEADER
        lines = (sample / f"csod_transcript_report_{year}.csv").read_text().splitlines()
        assert lines[0] == "Compliance Training Transcript Status Report"
        assert lines[1].startswith("Report run: ")
        assert lines[2] == ",,,,,,,"
        assert lines[3] == CSOD_HEADER


def test_vendor_date_and_duration_shapes(sample: Path) -> None:
    li = linkedin(sample, "2026")
    assert li["Last Viewed Date"].drop_nulls().str.contains(r"^\d{2}/\d{2}/\d{4}$").all()
    assert li["Content Hours Viewed"].str.contains(r"^\d+:\d{2}:\d{2}$").all()
    cs = csod(sample, "2026")
    assert cs["Transcript Assigned Date"].str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$").all()
    assert cs["User ID"].str.contains(r"^E1\d{4}$").all()
    assert set(cs["Transcript Status"]) <= {"Completed", "In Progress", "Registered"}
    ud = udemy(sample, "2026")
    assert ud["Date Enrolled"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert set(ud["Assigned"]) <= {"true", "false"}


def test_template_columns(sample: Path) -> None:
    assert read(sample, "products.csv").columns[:9] == [
        "product", "category", "vendor", "owner", "sponsor", "target_audience",
        "lifecycle_stage", "business_goal", "strategic_fit",
    ]  # fmt: skip
    assert {"target_audience_size", "business_problem", "core"} <= set(
        read(sample, "products.csv").columns
    )
    assert read(sample, "budgets.csv").columns == [
        "product",
        "month",
        "cost_category",
        "plan",
        "actual",
    ]
    assert read(sample, "contracts.csv").columns == [
        "product", "vendor", "start", "end", "seats", "price_per_seat", "currency",
    ]  # fmt: skip
    assert read(sample, "outcomes.csv").columns == [
        "product", "period", "level", "measure", "value", "n", "baseline", "unit_value",
        "attribution_pct", "confidence_pct", "direction", "kind",
    ]  # fmt: skip
    assert read(sample, "usage.csv").columns == [
        "product", "learner", "content_id", "content_title", "date", "minutes", "progress_pct",
        "completed", "completed_date", "org_unit",
    ]  # fmt: skip


def test_products_use_the_closed_vocabularies(sample: Path) -> None:
    products = read(sample, "products.csv")
    assert products.height >= 12
    assert products["product"].is_unique().all()
    assert set(products["category"]) <= {
        "content_library", "academy", "programme", "compliance", "coaching", "platform", "other",
    }  # fmt: skip
    # every stage but retiring shows in the sample (DESIGN.md's six, discovery included)
    assert set(products["lifecycle_stage"]) == {"discovery", "pilot", "growth", "mature", "decline"}
    assert products["strategic_fit"].cast(pl.Int64).is_between(1, 5).all()
    assert set(products["core"]) == {"yes", "no"}
    assert products["target_audience_size"].cast(pl.Int64).min() > 0


# --- referential integrity and routing -------------------------------------------------


def test_every_referenced_product_exists(sample: Path) -> None:
    known = set(read(sample, "products.csv")["product"])
    for name in ("budgets.csv", "contracts.csv", "outcomes.csv", "usage.csv"):
        assert set(read(sample, name)["product"]) <= known, name


def test_each_vendor_routes_to_exactly_one_product(sample: Path) -> None:
    products = read(sample, "products.csv").filter(pl.col("vendor").is_not_null())
    assert products["vendor"].is_unique().all()
    vendor_of = dict(zip(products["product"], products["vendor"], strict=True))
    contracts = read(sample, "contracts.csv")
    for product, vendor in zip(contracts["product"], contracts["vendor"], strict=True):
        assert vendor_of[product] == vendor
    assert vendor_of[LINKEDIN] == "LinkedIn Learning"
    assert vendor_of[UDEMY] == "Udemy Business"
    assert vendor_of[COMPLIANCE] == "Cornerstone"


def test_contracts_are_calendar_year_gbp_terms(sample: Path) -> None:
    contracts = read(sample, "contracts.csv")
    assert set(contracts["currency"]) == {"GBP"}
    assert contracts["start"].str.contains(r"^\d{4}-01-01$").all()
    assert contracts["end"].str.contains(r"^\d{4}-12-31$").all()
    assert contracts["price_per_seat"].str.contains(r"^\d+\.\d{2}$").all()


def test_the_roster_lists_every_learner_with_a_manager_of_their_unit(sample: Path) -> None:
    people = read(sample, "people.csv")
    assert people.columns == [
        "learner", "org_unit", "manager", "cost_centre", "start_date", "end_date",
    ]  # fmt: skip
    assert people["learner"].is_unique().all()
    learners = set(read(sample, "usage.csv")["learner"])
    for year in YEARS:
        learners |= set(linkedin(sample, year)["Email"]) | set(udemy(sample, year)["User Email"])
        learners |= set(csod(sample, year)["User Email"])
    assert learners <= set(people["learner"])  # everyone who learns is on the roster
    unit_of = dict(zip(people["learner"], people["org_unit"], strict=True))
    assert all(unit_of[m] == u for m, u in zip(people["manager"], people["org_unit"], strict=True))
    assert (people["manager"] != people["learner"]).all()
    assert people["cost_centre"].str.starts_with("CC-").all()
    centres = people.group_by("org_unit").agg(pl.col("cost_centre").n_unique())
    assert centres["cost_centre"].max() == 1  # one cost centre per unit
    # In post on the as-of date: about 4,000 (DESIGN: start blank or on/before, end blank or after).
    on = AS_OF.isoformat()
    in_post = people.filter(
        (pl.col("start_date") <= on) & (pl.col("end_date").is_null() | (pl.col("end_date") >= on))
    )
    assert 3_900 <= in_post.height <= 4_100
    assert (people["end_date"].drop_nulls() < on).all()  # the window's leavers, all gone


def test_learners_come_from_one_staff_list(sample: Path) -> None:
    usage = read(sample, "usage.csv")
    emails = set(usage["learner"])
    for year in YEARS:
        emails |= set(linkedin(sample, year)["Email"]) | set(udemy(sample, year)["User Email"])
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\d+@northwind\.example", e) for e in emails)
    # The number in the e-mail is the employee number: E10042 <-> ...42@
    ud = udemy(sample, "2025").filter(pl.col("External ID").is_not_null())
    for email, user_id in zip(ud["User Email"], ud["External ID"], strict=True):
        assert int(re.search(r"(\d+)@", email).group(1)) + 10000 == int(user_id[1:])  # type: ignore[union-attr]


def test_usage_keys_are_unique(sample: Path) -> None:
    usage = read(sample, "usage.csv")
    assert not usage.select(["product", "learner", "content_id", "date"]).is_duplicated().any()
    assert set(usage["completed"]) == {"yes", "no"}
    done = usage.filter(pl.col("completed") == "yes")
    assert (done["completed_date"] == done["date"]).all()
    assert usage.filter(pl.col("completed") == "no")["completed_date"].null_count() == len(
        usage.filter(pl.col("completed") == "no")
    )


# --- dates ---------------------------------------------------------------------------


def _dates(sample: Path) -> Iterator[tuple[str, date]]:
    """Every activity date in every file, parsed from its own format."""
    usage = read(sample, "usage.csv")
    for column in ("date", "completed_date"):
        for text in usage[column].drop_nulls():
            yield "usage.csv", date.fromisoformat(text)
    years = sorted({p.stem[-4:] for p in sample.glob("csod_transcript_report_*.csv")})
    for year in years:
        li = linkedin(sample, year)
        for column in ("Completion Date", "Last Viewed Date"):
            for text in li[column].drop_nulls():
                m, d, y = map(int, text.split("/"))
                yield f"linkedin {year}", date(y, m, d)
        ud = udemy(sample, year)
        for column in ("Date Enrolled", "Date Started", "Date Completed", "Date Last Accessed"):
            for text in ud[column].drop_nulls():
                yield f"udemy {year}", date.fromisoformat(text)
        cs = csod(sample, year)
        for column in ("Transcript Assigned Date", "Transcript Completed Date"):
            for text in cs[column].drop_nulls():
                m, d, y = map(int, text.split("/"))
                yield f"csod {year}", date(y, m, d)


def test_no_activity_date_after_as_of(sample: Path) -> None:
    late = [(where, day) for where, day in _dates(sample) if day > AS_OF]
    assert late == []
    for year in YEARS:
        run = (sample / f"csod_transcript_report_{year}.csv").read_text().splitlines()[1]
        m, d, y = map(int, run.split()[2].split("/"))
        assert date(y, m, d) <= AS_OF


def test_outcome_periods_and_actuals_are_in_the_past(sample: Path) -> None:
    outcomes = read(sample, "outcomes.csv")
    assert outcomes["period"].max() <= "2026-10"
    budgets = read(sample, "budgets.csv")
    known = budgets.filter(pl.col("actual").is_not_null())
    assert known["month"].max() == "2026-10"
    assert budgets.filter(pl.col("month") > "2026-10")["actual"].null_count() == len(
        budgets.filter(pl.col("month") > "2026-10")
    )


def test_history_is_the_24_months_ending_in_the_as_of_month(sample: Path) -> None:
    usage = read(sample, "usage.csv")
    months = sorted(set(usage["date"].str.slice(0, 7)))
    assert months[0] == "2024-12"
    assert months[-1] == "2026-11"
    assert len(months) == 24


# --- budgets ------------------------------------------------------------------------


def test_budgets_cover_24_months_of_plan(sample: Path) -> None:
    budgets = read(sample, "budgets.csv").filter(pl.col("month").str.slice(0, 4).is_in(YEARS))
    expected = [f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)]
    assert sorted(set(budgets["month"])) == expected
    per_product = budgets.group_by("product").agg(pl.col("month").n_unique())
    full = per_product.filter(pl.col("product") != PILOT)
    assert (full["month"] == 24).all(), per_product
    assert budgets["plan"].null_count() == 0


def test_next_year_holds_plans_only_the_ask(sample: Path) -> None:
    budgets = read(sample, "budgets.csv")
    ask = budgets.filter(pl.col("month").str.starts_with("2027"))
    assert ask["actual"].null_count() == ask.height  # a plan, nothing spent yet
    plans = {
        (product, year): float(sum(float(v) for v in rows["plan"]))
        for (product, year), rows in budgets.with_columns(
            pl.col("month").str.slice(0, 4).alias("year")
        ).group_by("product", "year")
    }
    # The stories: the pilot scales up, the idle library is cut, the classroom winds down.
    assert plans["AI at Work Pilot", "2027"] == pytest.approx(
        4 * plans["AI at Work Pilot", "2026"], rel=1e-3
    )
    assert plans["LinkedIn Learning", "2027"] < 0.7 * plans["LinkedIn Learning", "2026"]
    assert plans["Excel Classroom Courses", "2027"] < 0.3 * plans["Excel Classroom Courses", "2026"]


def test_budget_money_shape_and_known_zero(sample: Path) -> None:
    budgets = read(sample, "budgets.csv")
    assert budgets["plan"].str.contains(r"^\d+\.\d{2}$").all()
    assert budgets["actual"].drop_nulls().str.contains(r"^\d+\.\d{2}$").all()
    assert set(budgets["cost_category"]) <= {
        "licence", "design_development", "delivery", "participant_time", "evaluation",
        "overhead", "other",
    }  # fmt: skip
    zero = budgets.filter((pl.col("actual") == "0.00") & (pl.col("plan") != "0.00"))
    assert zero.height >= 1  # a known zero, distinct from a blank (not yet known)
    assert budgets["actual"].null_count() > 0


def test_licence_lines_match_contracts(sample: Path) -> None:
    budgets = read(sample, "budgets.csv").filter(
        (pl.col("cost_category") == "licence") & pl.col("month").str.slice(0, 4).is_in(YEARS)
    )
    contracts = read(sample, "contracts.csv").with_columns(
        (pl.col("seats").cast(pl.Float64) * pl.col("price_per_seat").cast(pl.Float64)).alias(
            "total"
        ),
        pl.col("start").str.slice(0, 4).alias("year"),
    )
    for product, year, total in contracts.select("product", "year", "total").iter_rows():
        plan = budgets.filter(
            (pl.col("product") == product) & pl.col("month").str.starts_with(year)
        )
        assert plan["plan"].cast(pl.Float64).sum() == pytest.approx(total, abs=12), (product, year)


def test_annual_spend_is_realistic_for_4000_staff(sample: Path) -> None:
    budgets = read(sample, "budgets.csv")
    plan_2025 = (
        budgets.filter(pl.col("month").str.starts_with("2025"))["plan"].cast(pl.Float64).sum()
    )
    assert 1_500_000 <= plan_2025 <= 3_000_000


# --- the stories ----------------------------------------------------------------------


def test_content_library_has_many_idle_seats(sample: Path) -> None:
    """LinkedIn Learning: 1,500 seats, well under 40% of them active."""
    for year in YEARS:
        li = linkedin(sample, year)
        active = li.filter(
            (pl.col("Percent Completed").cast(pl.Int64) > 0)
            | (pl.col("Content Hours Viewed") != "0:00:00")
            | pl.col("Completion Date").is_not_null()
        )["Email"].n_unique()
        assert seats(sample, LINKEDIN, year) == 1500
        assert 0.2 < active / 1500 < 0.4, (year, active)
        assert li["Email"].n_unique() > active  # some only had content assigned


def test_tech_library_is_well_used(sample: Path) -> None:
    for year in YEARS:
        ud = udemy(sample, year)
        active = ud.filter(
            (pl.col("% Marked Completed").cast(pl.Int64) > 0)
            | (pl.col("Minutes Video Consumed").cast(pl.Float64) > 0)
        )["User Email"].n_unique()
        assert 0.75 <= active / seats(sample, UDEMY, year) <= 0.9, (year, active)


def test_compliance_is_completed_by_at_least_95_percent(sample: Path) -> None:
    products = read(sample, "products.csv").filter(pl.col("product") == COMPLIANCE)
    audience = int(products["target_audience_size"][0])
    assert products["category"][0] == "compliance"
    for year in YEARS:
        cs = csod(sample, year)
        done = cs.filter(pl.col("Transcript Status") == "Completed")["User ID"].n_unique()
        assert done / audience >= 0.95, (year, done, audience)
        assert done / cs["User ID"].n_unique() >= 0.95


def test_flagship_has_level_4_evidence_and_clearly_positive_roi(sample: Path) -> None:
    outcomes = read(sample, "outcomes.csv").filter(pl.col("product") == FLAGSHIP)
    impact = outcomes.filter(pl.col("level") == "4")
    assert impact.height >= 4
    for column in ("baseline", "unit_value", "attribution_pct", "confidence_pct", "n"):
        assert impact[column].null_count() == 0, column
    assert set(impact["direction"]) == {"lower"}
    assert {"1", "2", "3", "4"} <= set(outcomes["level"])
    for year in YEARS:
        cost = actual_cost(sample, FLAGSHIP, year)
        assert benefits(sample, FLAGSHIP, year) > 1.4 * cost, year


def test_another_level_4_product_roughly_breaks_even(sample: Path) -> None:
    ratio = benefits(sample, ONBOARDING, "2025") / actual_cost(sample, ONBOARDING, "2025")
    assert 0.85 <= ratio <= 1.2


def test_popular_product_is_unproven(sample: Path) -> None:
    usage = read(sample, "usage.csv").filter(pl.col("product") == COACHING)
    per_year = usage.group_by(pl.col("date").str.slice(0, 4)).agg(pl.col("learner").n_unique())
    assert per_year["learner"].max() >= 1000
    outcomes = read(sample, "outcomes.csv").filter(pl.col("product") == COACHING)
    assert set(outcomes["level"]) == {"1"}
    nps = outcomes.filter(pl.col("measure") == "Learner NPS")["value"].cast(pl.Float64)
    assert nps.min() >= 50
    category = read(sample, "products.csv").filter(pl.col("product") == COACHING)["category"][0]
    assert category == "coaching"


def test_pilot_has_little_data_yet(sample: Path) -> None:
    product = read(sample, "products.csv").filter(pl.col("product") == PILOT)
    assert product["lifecycle_stage"][0] == "pilot"
    usage = read(sample, "usage.csv").filter(pl.col("product") == PILOT)
    assert usage["date"].str.slice(0, 7).n_unique() <= 3
    assert date.fromisoformat(usage["date"].min()) >= AS_OF - timedelta(days=80)
    outcomes = read(sample, "outcomes.csv").filter(pl.col("product") == PILOT)
    assert outcomes.height == 1
    assert outcomes["level"][0] == "1"
    assert int(outcomes["n"][0]) < 30


def test_the_product_in_discovery_has_nothing_to_judge_yet(sample: Path) -> None:
    product = read(sample, "products.csv").filter(pl.col("product") == DISCOVERY)
    assert product.select("lifecycle_stage", "category", "vendor").row(0) == (
        "discovery",
        "platform",
        None,
    )
    for name in ("budgets.csv", "contracts.csv", "outcomes.csv", "usage.csv"):
        assert DISCOVERY not in set(read(sample, name)["product"]), name


def test_sunset_product_declines_and_runs_over_budget(sample: Path) -> None:
    product = read(sample, "products.csv").filter(pl.col("product") == SUNSET)
    assert product["lifecycle_stage"][0] == "decline"
    usage = read(sample, "usage.csv").filter(pl.col("product") == SUNSET)
    per_year = usage.group_by(pl.col("date").str.slice(0, 4).alias("y")).agg(pl.len()).sort("y")
    counts = dict(per_year.iter_rows())
    assert counts["2026"] < 0.8 * counts["2025"]
    budgets = read(sample, "budgets.csv").filter(
        (pl.col("product") == SUNSET) & pl.col("actual").is_not_null()
    )
    for year in YEARS:
        closed = budgets.filter(pl.col("month").str.starts_with(year))
        assert closed["actual"].cast(pl.Float64).sum() > 1.1 * closed["plan"].cast(pl.Float64).sum()
    outcomes = read(sample, "outcomes.csv").filter(
        (pl.col("product") == SUNSET) & (pl.col("measure") == "Learner NPS")
    )
    assert float(outcomes.sort("period")["value"][-1]) < 0


def test_one_licensed_product_has_no_usage(sample: Path) -> None:
    assert seats(sample, NOT_TRACKED, "2026") > 0
    usage = read(sample, "usage.csv")
    assert NOT_TRACKED not in set(usage["product"])
    vendor = read(sample, "products.csv").filter(pl.col("product") == NOT_TRACKED)["vendor"][0]
    assert not re.search(r"linkedin|udemy|cornerstone|csod", vendor, re.IGNORECASE)


def test_every_survey_row_has_its_n_and_percents_are_percents(sample: Path) -> None:
    outcomes = read(sample, "outcomes.csv")
    assert outcomes["n"].null_count() == 0
    assert outcomes["n"].cast(pl.Int64).min() >= 5
    assert set(outcomes["level"]) == {"1", "2", "3", "4"}
    impact = outcomes.filter(pl.col("level") == "4")
    for column in ("attribution_pct", "confidence_pct"):
        assert impact[column].cast(pl.Float64).is_between(0, 100).all()
    nps = outcomes.filter(pl.col("measure") == "Learner NPS")["value"].cast(pl.Float64)
    assert nps.is_between(-100, 100).all()
    assert set(outcomes["direction"].drop_nulls()) <= {"higher", "lower"}


# --- other as-of dates and the command line ---------------------------------------------


@pytest.mark.parametrize("as_of", [date(2027, 3, 10), date(2026, 1, 15)])
def test_other_as_of_dates_hold_the_same_rules(tmp_path: Path, as_of: date) -> None:
    generate(as_of, tmp_path)
    late = [(where, day) for where, day in _dates(tmp_path) if day > as_of]
    assert late == []
    budgets = read(tmp_path, "budgets.csv")
    assert budgets["month"].n_unique() == 36  # 24 budget months + next year's plan (the ask)
    closed = budgets.filter(pl.col("actual").is_not_null())["month"].max()
    assert closed < f"{as_of:%Y-%m}"
    assert read(tmp_path, "outcomes.csv")["period"].max() < f"{as_of:%Y-%m}"


def test_regenerating_removes_other_years_reports(tmp_path: Path) -> None:
    generate(date(2027, 3, 10), tmp_path)
    generate(AS_OF, tmp_path)
    assert len(seed_files(tmp_path)) == 12  # 6 templates (the roster among them), 6 reports
    assert not list(tmp_path.glob("*2027.csv"))


def test_command_line_prints_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--as-of", "2026-11-23", "--out", str(tmp_path), "--seed", "7"]) == 0
    out = capsys.readouterr().out
    for name in TEMPLATES:
        assert name in out
    assert "rows" in out and "KiB" in out
    assert (tmp_path / "usage.csv").read_bytes() == (FILES_DIR / "usage.csv").read_bytes()


# Money columns of the templates; every other column (and every other file) is currency-free.
MONEY = {"contracts.csv": ["price_per_seat"], "budgets.csv": ["plan", "actual"]}
MONEY["outcomes.csv"] = ["unit_value"]


def _rounded(text: str | None, places: int) -> str | None:
    """A pounds amount as another currency writes it, rounded half to even (a ledger's rule)."""
    if text is None:
        return None
    return f"{Decimal(text).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):f}"


@pytest.mark.parametrize(("currency", "places"), [("JPY", 0), ("KWD", 3), ("USD", 2)])
def test_sample_in_another_currency_keeps_the_figures_with_its_decimals(
    sample: Path, tmp_path: Path, currency: str, places: int
) -> None:
    generate(AS_OF, tmp_path, currency=currency)
    for path in seed_files(sample):
        if path.name not in MONEY:
            assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
            continue
        pounds, other = read(sample, path.name), read(tmp_path, path.name)
        for column in MONEY[path.name]:
            expected = [_rounded(v, places) for v in pounds[column].to_list()]
            assert other[column].to_list() == expected, (path.name, column)
        rest = [c for c in pounds.columns if c not in MONEY[path.name] and c != "currency"]
        assert other.select(rest).equals(pounds.select(rest))
    assert set(read(tmp_path, "contracts.csv")["currency"]) == {currency}


def test_sample_amounts_by_hand_in_yen_and_dinars(tmp_path: Path) -> None:
    # The committed files' first lines: LinkedIn seats at 110.00 in 2025, January overhead
    # 500.00 planned and 499.13 spent. Written by hand: ¥110, ¥500, ¥499 (0.13 rounds down);
    # KWD 110.000, 500.000, 499.130 (fils pad the pence).
    for currency, seat, plan, actual in (
        ("JPY", "110", "500", "499"),
        ("KWD", "110.000", "500.000", "499.130"),
    ):
        folder = tmp_path / currency
        generate(AS_OF, folder, currency=currency)
        contract = read(folder, "contracts.csv").row(0, named=True)
        assert (contract["price_per_seat"], contract["currency"]) == (seat, currency)
        overhead = read(folder, "budgets.csv").filter(
            (pl.col("product") == LINKEDIN)
            & (pl.col("month") == "2025-01")
            & (pl.col("cost_category") == "overhead")
        )
        assert overhead.select("plan", "actual").row(0) == (plan, actual)


def test_command_line_takes_a_currency(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--as-of", "2026-11-23", "--out", str(tmp_path), "--currency", "jpy"]) == 0
    assert "JPY" in capsys.readouterr().out
    assert set(read(tmp_path, "contracts.csv")["currency"]) == {"JPY"}
    with pytest.raises(SystemExit) as stop:
        main(["--out", str(tmp_path), "--currency", "XYZ"])
    assert stop.value.code == 2
    assert "'XYZ' is not an ISO 4217 currency code" in capsys.readouterr().err
