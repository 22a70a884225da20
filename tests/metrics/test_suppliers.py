"""metrics.suppliers: contracts by vendor, vendors compared, renewals to decide, history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import polars as pl
import pytest
from sqlalchemy import Engine, text

from loaders import import_file
from metrics.schema import frame
from metrics.scorecard import product_scorecard
from metrics.suppliers import (
    CONTRACT_COLUMNS,
    HISTORY_COLUMNS,
    VENDOR_COLUMNS,
    contract_history,
    contract_positions,
    renewal_rule,
    renewals_summary,
    renewals_to_decide,
    vendor_comparison,
)
from models.frames import CONTRACT_VERSIONS, contract_versions_frame, contracts_frame
from settings import get_settings
from tests.actors import EDITOR
from tests.metrics import factories as f
from tests.metrics.factories import AS_OF, HEALTH, YEAR


def _active(product_id: int, learner_id: int, *, completed: bool = False) -> dict[str, object]:
    return {
        "product_id": product_id,
        "learner_id": learner_id,
        "content_id": product_id * 100,
        "date": date(2026, 3, 2),
        "minutes": 30.0,
        "completed": completed,
        "completed_date": date(2026, 3, 2) if completed else None,
    }


@pytest.fixture
def portfolio() -> dict[str, pl.DataFrame]:
    """Five products, numbers chosen to be checked by hand (as of 23 Nov 2026).

    1 Library (Acme): 10 seats at 100.00 for 2026 and a 5-seat top-up at 120.00
      from 1 Jul 2026; learners 1-6 active, 1 and 2 complete; licence actual
      1,600.00, delivery actual 400.00.
    2 Coaching (CoachCo): 20 seats at 50.00 to 31 Mar 2027; no usage; licence 1,000.00.
    3 Skills (Acme): 4 seats at 200.00 for 2026; learners 5, 6, 7 active, 7 completes;
      licence actual 800.00.
    4 Classroom (TrainCo): no contract; learners 8 and 9 active and complete; 900.00.
    5 Mentoring (in-house, no vendor): learner 10 active; 500.00.
    """
    names = ["Library", "Coaching", "Skills", "Classroom", "Mentoring"]
    vendors = ["Acme", "CoachCo", "Acme", "TrainCo", None]
    products = f.products(
        *(
            {
                "product_id": i,
                "product": name,
                "category": "content_library",
                "lifecycle_stage": "mature",
                "vendor": vendor,
                "strategic_fit": 3,
            }
            for i, (name, vendor) in enumerate(zip(names, vendors, strict=True), start=1)
        )
    )
    contracts = f.contracts(
        {"seats": 10, "price_per_seat_minor": 100_00},
        {"start": date(2026, 7, 1), "seats": 5, "price_per_seat_minor": 120_00},
        {"product_id": 2, "vendor": "CoachCo", "end": date(2027, 3, 31), "seats": 20,
         "price_per_seat_minor": 50_00},
        {"product_id": 3, "seats": 4, "price_per_seat_minor": 200_00},
        # Ended before 2026: not in force, not counted.
        {"start": date(2025, 1, 1), "end": date(2025, 12, 31), "seats": 8,
         "price_per_seat_minor": 90_00},
    )  # fmt: skip
    jan, feb = date(2026, 1, 1), date(2026, 2, 1)
    budgets = f.budgets(
        {"month": jan, "actual_minor": 1_600_00},
        {"month": feb, "cost_category": "delivery", "actual_minor": 400_00},
        {"product_id": 2, "month": jan, "actual_minor": 1_000_00},
        {"product_id": 3, "month": jan, "actual_minor": 800_00},
        {"product_id": 4, "month": jan, "cost_category": "delivery", "actual_minor": 900_00},
        {"product_id": 5, "month": jan, "cost_category": "delivery", "actual_minor": 500_00},
    )
    usage = f.usage(
        *(_active(1, i, completed=i <= 2) for i in range(1, 7)),
        *(_active(3, i, completed=i == 7) for i in (5, 6, 7)),
        *(_active(4, i, completed=True) for i in (8, 9)),
        _active(5, 10),
    )
    card = product_scorecard(
        products, budgets, contracts, usage, f.outcomes(), year=YEAR, currency="GBP",
        thresholds=HEALTH,
    )  # fmt: skip
    return {"contracts": contracts, "budgets": budgets, "usage": usage, "card": card}


def _positions(p: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return contract_positions(
        p["contracts"], p["card"], p["budgets"], year=YEAR, as_of=AS_OF, currency="GBP"
    )


def test_each_contract_in_force_with_its_share_of_the_products_idle_seats(portfolio) -> None:
    out = _positions(portfolio)
    assert out.columns == list(CONTRACT_COLUMNS)
    rows = {(r["product_id"], r["start"]): r for r in out.iter_rows(named=True)}
    assert len(rows) == 4  # the 2025 term is not in force in 2026
    base, top_up = rows[(1, date(2026, 1, 1))], rows[(1, date(2026, 7, 1))]
    # Library: 15 seats, 6 active -> utilisation 6 / 15 = 0.4, 9 idle seats; value
    # 10 x 100 + 5 x 120 = 1,600.00, so idle spend 9 x 1,600 / 15 = 960.00.
    assert base["seat_utilisation"] == top_up["seat_utilisation"] == pytest.approx(0.4)
    # Idle seats by seats: 9 x 10/15 = 6 and 9 x 5/15 = 3; idle spend by value:
    # 960 x 1,000/1,600 = 600.00 (= 6 x 100) and 960 x 600/1,600 = 360.00 (= 3 x 120).
    assert (base["idle_seats"], top_up["idle_seats"]) == (pytest.approx(6), pytest.approx(3))
    assert (base["idle_spend"], top_up["idle_spend"]) == (pytest.approx(600), pytest.approx(360))
    # Licence actual 1,600.00 shared by value: 1,000.00 and 600.00.
    assert (base["licence_spend"], top_up["licence_spend"]) == (1000.0, 600.0)
    assert (base["contract_value"], base["price_per_seat"], top_up["contract_value"]) == (
        1000.0, 100.0, 600.0,
    )  # fmt: skip
    # 23 Nov 2026 -> 31 Dec 2026: 7 + 31 = 38 days.
    assert base["days_to_renewal"] == 38 and not base["renewed"]
    coaching = rows[(2, date(2026, 1, 1))]
    # Not tracked: no usage, so null, never 0; 38 + 31 + 28 + 31 = 128 days to 31 Mar 2027.
    assert (coaching["seat_utilisation"], coaching["idle_seats"], coaching["idle_spend"]) == (
        None, None, None,
    )  # fmt: skip
    assert (coaching["usage_tracked"], coaching["days_to_renewal"]) == (False, 128)
    assert coaching["licence_spend"] == 1000.0


def test_a_products_shares_add_up_to_its_scorecard_figures(portfolio) -> None:
    out = _positions(portfolio)
    per_product = out.group_by("product_id").agg(pl.col("idle_seats", "idle_spend").sum())
    card = portfolio["card"].select("product_id", "idle_seats", "idle_spend")
    joined = per_product.join(card, on="product_id", suffix="_card").sort("product_id")
    tracked = joined.filter(pl.col("idle_seats_card").is_not_null())
    assert tracked["idle_seats"].to_list() == pytest.approx(tracked["idle_seats_card"].to_list())
    assert tracked["idle_spend"].to_list() == pytest.approx(tracked["idle_spend_card"].to_list())


def test_a_contract_followed_by_a_later_term_is_renewed_and_not_to_decide(portfolio) -> None:
    later = f.contracts({"start": date(2027, 1, 1), "end": date(2027, 12, 31), "seats": 8,
                         "price_per_seat_minor": 100_00})  # fmt: skip
    contracts = pl.concat([portfolio["contracts"], later])
    out = contract_positions(
        contracts, portfolio["card"], portfolio["budgets"], year=YEAR, as_of=AS_OF, currency="GBP"
    )
    assert out.filter(pl.col("product_id") == 1)["renewed"].to_list() == [True, True]
    assert renewals_to_decide(out, below=0.5).is_empty()


def test_vendors_compared(portfolio) -> None:
    p = portfolio
    out = vendor_comparison(_positions(p), p["card"], p["usage"], year=YEAR, currency="GBP")
    assert out.columns == list(VENDOR_COLUMNS)
    # Largest contract value first; TrainCo has none; the in-house product has no vendor.
    assert out["vendor"].to_list() == ["Acme", "CoachCo", "TrainCo"]
    acme, coach, train = out.rows(named=True)
    # Acme: Library + Skills; contracts 3, seats 10 + 5 + 4 = 19, value 1,000 + 600 + 800.
    assert (acme["products"], acme["contracts"], acme["seats"]) == (2, 3, 19)
    assert (acme["contract_value"], acme["licence_spend"]) == (2400.0, 2400.0)
    # Actual 2,000 + 800 = 2,800.00; learners 1-6 and 5-7 are 7 distinct, not 6 + 3 = 9;
    # completions 2 + 1 = 3.
    assert (acme["actual_cost"], acme["active_learners"], acme["completions"]) == (2800.0, 7, 3)
    assert acme["cost_per_active_learner"] == pytest.approx(2800 / 7)  # 400.00
    assert acme["cost_per_completion"] == pytest.approx(2800 / 3)  # 933.33
    # Seats in use: (10 - 6) + (5 - 3) + (4 - 1) = 9 of 19 = 0.4737; idle 600 + 360 + 200.
    assert acme["seat_utilisation"] == pytest.approx(9 / 19)
    assert acme["idle_spend"] == 1160.0
    # CoachCo: a contract, no usage: learners and every usage figure null (not tracked).
    assert (coach["contracts"], coach["seats"], coach["actual_cost"]) == (1, 20, 1000.0)
    for name in ("active_learners", "completions", "cost_per_active_learner",
                 "cost_per_completion", "seat_utilisation", "idle_spend"):  # fmt: skip
        assert coach[name] is None, name
    # TrainCo: no contract, but cost and use: 900 / 2 = 450.00 per learner and per completion.
    assert (train["contracts"], train["seats"], train["contract_value"]) == (None, None, None)
    assert (train["cost_per_active_learner"], train["cost_per_completion"]) == (450.0, 450.0)


def test_a_one_product_vendor_reads_as_its_products_scorecard(portfolio) -> None:
    p = portfolio
    out = vendor_comparison(_positions(p), p["card"], p["usage"], year=YEAR, currency="GBP")
    train = out.filter(pl.col("vendor") == "TrainCo").row(0, named=True)
    card = p["card"].filter(pl.col("product_id") == 4).row(0, named=True)
    for name in ("actual_cost", "active_learners", "completions", "cost_per_active_learner",
                 "cost_per_completion"):  # fmt: skip
        assert train[name] == card[name], name


def test_renewals_to_decide(portfolio) -> None:
    positions = _positions(portfolio)
    soon = renewals_to_decide(positions, below=0.5)
    # Library's two contracts (0.4 < 0.5, 38 days), most idle spend first; Skills is at 0.75,
    # and Coaching renews in 128 days.
    assert soon["product"].to_list() == ["Library", "Library"]
    assert soon["idle_spend"].to_list() == pytest.approx([600.0, 360.0])
    assert soon["reason"].to_list() == ["low utilisation"] * 2
    assert renewals_summary(soon, currency="GBP") == (
        "2 contracts to decide: £960 of idle spend at stake."
    )
    later = renewals_to_decide(positions, below=0.5, within_days=130)
    coaching = later.filter(pl.col("product") == "Coaching").row(0, named=True)
    assert (coaching["reason"], coaching["idle_spend"]) == ("usage not tracked", None)
    assert renewals_summary(later, currency="GBP").endswith("(1 with usage not tracked).")
    assert renewals_to_decide(positions, below=0.3).is_empty()  # 0.4 is not under 0.3


def test_the_rule_in_words() -> None:
    assert renewal_rule(0.5) == (
        "Flagged: renewing within 90 days and under 50% of seats in use, or with usage not tracked."
    )
    assert renewals_summary(pl.DataFrame(), currency="GBP").startswith("No contract to decide")


def _versions(*rows: dict[str, object]) -> pl.DataFrame:
    defaults = {"product_id": 1, "vendor": "Acme", "currency": "GBP"}
    return frame(CONTRACT_VERSIONS, [{**defaults, **row} for row in rows])


def test_contract_history_says_what_changed() -> None:
    y25, y26 = (date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 12, 31))
    contracts = f.contracts(
        {"start": y25[0], "end": y25[1], "seats": 8, "price_per_seat_minor": 90_00},
        {"start": y26[0], "end": y26[1], "seats": 10, "price_per_seat_minor": 100_00},
        {"start": date(2026, 7, 1), "end": y26[1], "seats": 5, "price_per_seat_minor": 120_00},
        {"start": date(2027, 1, 1), "end": date(2027, 12, 31), "seats": 12,
         "price_per_seat_minor": 105_00},
        {"product_id": 2, "vendor": "CoachCo", "start": y25[0], "end": y25[1], "seats": 20,
         "price_per_seat_minor": 50_00},
        {"product_id": 2, "vendor": "NewCoach", "start": y26[0], "end": y26[1], "seats": 25,
         "price_per_seat_minor": 40_00},
        {"product_id": 3, "start": y25[0], "end": date(2025, 6, 30), "seats": 3,
         "price_per_seat_minor": 10_00},
        {"product_id": 3, "start": date(2025, 9, 1), "end": date(2026, 8, 31), "seats": 3,
         "price_per_seat_minor": 10_00},
    )  # fmt: skip
    # The 2026 term was imported with 8 seats, restated with 10 on 12 Jul 2026, then
    # imported again unchanged (no restatement).
    versions = _versions(
        {"import_id": 1, "imported_at": datetime(2026, 1, 5, 10), "start": y26[0],
         "end": y26[1], "seats": 8, "price_per_seat_minor": 100_00},
        {"import_id": 2, "imported_at": datetime(2026, 7, 12, 9), "start": y26[0],
         "end": y26[1], "seats": 10, "price_per_seat_minor": 100_00},
        {"import_id": 3, "imported_at": datetime(2026, 8, 1, 9), "start": y26[0],
         "end": y26[1], "seats": 10, "price_per_seat_minor": 100_00},
    )  # fmt: skip
    out = contract_history(contracts.reverse(), versions, currency="GBP")  # order is irrelevant
    assert out.columns == list(HISTORY_COLUMNS)
    said = out.select("product_id", "change", "what_changed", "restated").rows()
    assert said == [
        (1, "first term", "First term: 8 seats at £90.00 a seat", None),
        (1, "renewal", "8 → 10 seats, price £90.00 → £100.00",
         "restated: 8 → 10 seats (import of 12 Jul 2026)"),
        (1, "mid-term change", "Top-up: +5 seats from 1 Jul 2026 at £120.00 a seat", None),
        # Held when 2026 ended: 10 + 5 = 15 seats at (1,000 + 600) / 15 = 106.67.
        (1, "renewal", "15 → 12 seats, price £106.67 → £105.00", None),
        (2, "first term", "First term: 20 seats at £50.00 a seat", None),
        (2, "new vendor", "New vendor, after CoachCo: 25 seats at £40.00 a seat", None),
        (3, "first term", "First term: 3 seats at £10.00 a seat", None),
        # 1 Jul to 31 Aug 2025 uncovered: 31 + 31 = 62 days.
        (3, "renewal", "3 seats, unchanged, price £10.00, unchanged, after a gap of 62 days",
         None),
    ]  # fmt: skip
    assert out["contract_value"].to_list()[:4] == [720.0, 1000.0, 600.0, 1260.0]


@pytest.fixture
def gbp(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("LP_CURRENCY", raising=False)
    monkeypatch.setenv("LP_AS_OF", "2026-11-23")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _import(engine: Engine, body: str, name: str) -> int:
    result = import_file(body.encode(), file_name=name, engine=engine, actor=EDITOR)
    assert result.status == "imported", result.errors
    return int(result.import_id)


def test_history_from_a_real_database(db_engine: Engine, gbp: None) -> None:
    """contracts.csv imported, then restated by a second file with a mid-term top-up.

    On SQLite and on PostgreSQL (`db_engine`): the import times come back as datetimes.
    """
    engine = db_engine
    _import(engine, "product,category,vendor\nLibrary,content_library,Acme\n", "products.csv")
    header = "product,vendor,start,end,seats,price_per_seat,currency\n"
    first = _import(
        engine,
        header + "Library,Acme,2025-01-01,2025-12-31,300,120.00,GBP\n"
        "Library,Acme,2026-01-01,2026-12-31,300,120.00,GBP\n",
        "contracts.csv",
    )
    second = _import(
        engine,
        header + "Library,Acme,2026-01-01,2026-12-31,350,125.00,GBP\n"
        "Library,Acme,2026-07-01,2026-12-31,50,125.00,GBP\n",
        "contracts_july.csv",
    )
    with engine.begin() as conn:  # the import times, as if made on those days
        for import_id, when in (
            (first, datetime(2026, 1, 5, 10)),
            (second, datetime(2026, 7, 12, 9)),
        ):
            conn.execute(
                text("UPDATE data_import SET created_at = :t WHERE id = :i"),
                {"t": when, "i": import_id},
            )
    with engine.connect() as conn:
        contracts, versions = contracts_frame(conn), contract_versions_frame(conn)
    assert versions.height == 4 and versions["imported_at"].dtype == pl.Datetime("us")
    out = contract_history(contracts, versions, currency="GBP")
    rows = out.select("start", "seats", "what_changed", "restated").rows()
    assert rows == [
        (date(2025, 1, 1), 300, "First term: 300 seats at £120.00 a seat", None),
        (date(2026, 1, 1), 350, "300 → 350 seats, price £120.00 → £125.00",
         "restated: 300 → 350 seats, price £120.00 → £125.00 (import of 12 Jul 2026)"),
        (date(2026, 7, 1), 50, "Top-up: +50 seats from 1 Jul 2026 at £125.00 a seat", None),
    ]  # fmt: skip
