"""The filter by org unit (issue 19) on the overview and the Product page, on the seeded sample.

The sample's roster (people.csv) puts every learner in one of Northwind's eight units. The
figures expected are computed apart from the app: from the sample's files by hand for an
in-house programme, and for the portfolio from the database's frames joined to the roster
directly (not through `metrics.people`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import create_engine
from streamlit.testing.v1 import AppTest

from loaders import import_file
from metrics.usage import portfolio_active_learners
from models.frames import year_frames
from pages import display
from pages.safe_text import shown_text
from sample_data import FILES_DIR
from tests.actors import EDITOR

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = "Leading at Northwind"


def _page(path: str, **query: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for key, value in query.items():  # as a link opens the app: the address bar first
        at.query_params[key] = value
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _texts(at: AppTest) -> list[str]:
    return [shown_text(x.value) for x in [*at.info, *at.caption]]


def _active_in_file(product: str, units: set[str]) -> int:
    """Active learners of `product` in 2026 in `units`, from usage.csv and people.csv by hand."""
    usage = pl.read_csv(FILES_DIR / "usage.csv", infer_schema=False)
    people = pl.read_csv(FILES_DIR / "people.csv", infer_schema=False)
    active = (pl.col("minutes").cast(pl.Float64) > 0) | (pl.col("completed") == "yes")
    rows = usage.filter(
        pl.col("product") == product, pl.col("date").str.starts_with("2026"), active
    ).join(people.select("learner", "org_unit"), on="learner", suffix="_roster")
    return rows.filter(pl.col("org_unit_roster").is_in(list(units)))["learner"].n_unique()


def _completions_in_file(product: str, unit: str) -> int:
    """Distinct (learner, content) pairs of `product` completed in 2026 by `unit`'s people."""
    usage = pl.read_csv(FILES_DIR / "usage.csv", infer_schema=False)
    people = pl.read_csv(FILES_DIR / "people.csv", infer_schema=False)
    done = usage.filter(
        pl.col("product") == product,
        pl.col("completed") == "yes",
        pl.coalesce("completed_date", "date").str.starts_with("2026"),
    ).join(people.select("learner", "org_unit"), on="learner", suffix="_roster")
    return done.filter(pl.col("org_unit_roster") == unit).select("learner", "content_id").n_unique()


def _actual(product: str) -> float:
    budgets = pl.read_csv(FILES_DIR / "budgets.csv", infer_schema=False)
    rows = budgets.filter(pl.col("month").str.starts_with("2026"), pl.col("product") == product)
    return float(rows.select(pl.col("actual").cast(pl.Decimal(18, 2)).sum()).item())


def test_the_units_are_offered_by_headcount(seeded_url: str) -> None:
    at = _page("pages/overview.py")
    options = at.sidebar.multiselect(key="overview.org_units").options
    # staff.py's shares: Operations 28 %, Customer Service 18 %, Sales and Engineering 16 %, ...
    assert options[:2] == ["Operations", "Customer Service"]
    assert set(options) == {
        "Operations", "Customer Service", "Sales", "Engineering", "Finance", "Marketing", "HR",
        "Legal",
    }  # fmt: skip
    assert "unassigned" not in options  # every learner of the sample is on its roster


def test_a_product_narrowed_to_sales_counts_its_sales_learners(seeded_url: str) -> None:
    at = _page("pages/product.py", product=FLAGSHIP, year="2026", unit=["Sales"])
    assert at.sidebar.multiselect(key="product.org_units").value == ["Sales"]
    sales = _active_in_file(FLAGSHIP, {"Sales"})
    assert sales == 27  # computed from the files above; the whole programme has 178
    assert _metric(at, "Active learners") == display.count(sales)
    # The whole programme's cost over its Sales learners.
    assert _metric(at, "Cost / active learner") == display.money_exact(
        _actual(FLAGSHIP) / sales, "GBP"
    )
    assert any(
        t.startswith("Usage of learners in Sales; cost is the whole product's.") for t in _texts(at)
    )
    completions = _completions_in_file(FLAGSHIP, "Sales")
    assert completions == 64
    assert _metric(at, "Completions") == display.count(completions)
    assert _metric(at, "Cost / completion") == display.money_exact(
        _actual(FLAGSHIP) / completions, "GBP"
    )
    table = next(d.value for d in at.dataframe if "Org unit" in d.value)
    assert table["Org unit"].tolist() == ["Sales"]  # reach by org unit of the chosen unit only


def test_one_to_four_learners_read_fewer_than_five(seeded_url: str) -> None:
    # Legal has some 160 people, but only 3 of them are active on the flagship programme.
    assert _active_in_file(FLAGSHIP, {"Legal"}) == 3
    at = _page("pages/product.py", product=FLAGSHIP, year="2026", unit=["Legal"])
    assert _metric(at, "Active learners") == "fewer than 5"
    assert _metric(at, "Cost / active learner") == "fewer than 5"  # it would give the 3 away
    # HR's 2 and Legal's 3 together are 5 people: shown.
    at.sidebar.multiselect(key="product.org_units").set_value(["HR", "Legal"]).run()
    assert _active_in_file(FLAGSHIP, {"HR", "Legal"}) == 5
    assert _metric(at, "Active learners") == "5"


def test_the_overview_narrows_and_the_choice_follows_to_the_product_page(
    seeded_url: str,
) -> None:
    with create_engine(seeded_url).connect() as conn:
        frames = year_frames(conn, year=2026, currency="GBP")
    keys = frames.roster.filter(pl.col("org_unit") == "Sales")["learner_key"]
    ids = frames.learner_keys.filter(pl.col("key").is_in(keys.to_list()))["learner_id"]
    sales = portfolio_active_learners(
        frames.usage.filter(pl.col("learner_id").is_in(ids.to_list())),
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    at = _page("pages/overview.py")
    whole = _metric(at, "Active learners")
    at.sidebar.multiselect(key="overview.org_units").set_value(["Sales"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metric(at, "Active learners") == display.count(sales) != whole
    assert at.query_params["unit"] == "Sales"  # the address bar keeps the choice
    table = next(d.value for d in at.dataframe if "Cost / active learner" in d.value)
    academy = table[table["Product"] == "Sales Academy"].iloc[0]
    assert academy["Active learners"] == _active_in_file("Sales Academy", {"Sales"}) == 136
    # Seat utilisation is every learner's: the same as without the filter.
    seats = next(m for m in at.metric if m.label == "Seat utilisation")
    assert "every learner, not per unit" in seats.proto.delta
    at.switch_page("pages/product.py").run()
    assert at.sidebar.multiselect(key="product.org_units").value == ["Sales"]


def test_a_unit_of_fewer_than_five_people_hides_every_figure(seeded_url: str) -> None:
    # The sample's roster with three people in post moved to a "Board": a unit of 3.
    people = pl.read_csv(FILES_DIR / "people.csv", infer_schema=False)
    board = people.filter(pl.col("end_date").is_null()).head(3)["learner"]
    roster = people.with_columns(
        pl.when(pl.col("learner").is_in(board.to_list()))
        .then(pl.lit("Board"))
        .otherwise(pl.col("org_unit"))
        .alias("org_unit")
    )
    engine = create_engine(seeded_url)
    result = import_file(
        roster.write_csv().encode(), file_name="people.csv", engine=engine, actor=EDITOR
    )
    engine.dispose()
    assert result.status == "imported", result.errors
    at = _page("pages/overview.py", unit=["Board"])
    assert at.sidebar.multiselect(key="overview.org_units").value == ["Board"]
    assert _metric(at, "Active learners") == "fewer than 5"
    info = [shown_text(i.value) for i in at.info]
    assert any("These units hold fewer than 5 people" in t for t in info), info
    table = next(d.value for d in at.dataframe if "Cost / active learner" in d.value)
    assert table["Active learners"].isna().all()  # not one product's figure about the three
    assert table["Completions"].isna().all()
