"""A portfolio whose user text tries to be markup: for the page, browser and export tests.

Every text a user types (product names, vendor, owner, sponsor, business goal
and problem, target audience, content titles, a saved scenario's name and
note) carries one of `HOSTILE`: a Markdown image and link pointing at
`ATTACKER`, a Streamlit colour directive and icon, raw HTML, emphasis, LaTeX,
a bare link and a spreadsheet formula. They go in through the real importer
(the portfolio templates) on top of the seeded sample portfolio, and the
scenario through the scenario store, as the Prioritise page saves it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Final

from sqlmodel import select

from loaders import import_paths
from models import Product, make_engine, session_scope
from models.scenarios import save_scenario
from planning.scenarios import Scenario
from tests.actors import EDITOR

ATTACKER: Final = "attacker.example"
IMAGE: Final = f"![x](http://{ATTACKER}/p.png)"
COLOUR: Final = ":red[boo]"
TAG: Final = "<img src=x onerror=alert(1)>"
BOLD: Final = "**bold**"
MATH: Final = "$x^2$"
LINK: Final = f"[link](http://{ATTACKER})"
FORMULA: Final = f'=HYPERLINK("http://{ATTACKER}")'
ICON: Final = ":material/home:"
BARE: Final = f"www.{ATTACKER}"
HOSTILE: Final[tuple[str, ...]] = (IMAGE, COLOUR, TAG, BOLD, MATH, LINK, FORMULA, ICON, BARE)
"""Each hostile fragment; the names and texts below are built from them."""

PRODUCTS: Final[dict[str, dict[str, str]]] = {
    f"{IMAGE} Academy": {
        "vendor": f"{LINK} Learning Ltd",
        "owner": f"{BOLD} Owner",
        "sponsor": f"{COLOUR} CFO",
        "business_goal": f"{MATH} growth {BARE}",
        "business_problem": f"{TAG} problem {ICON}",
        "target_audience": f"{IMAGE} managers",
    },
    f"{COLOUR} {ICON} Coaching": {
        "vendor": "",
        "owner": FORMULA,
        "sponsor": f"{TAG} sponsor",
        "business_goal": f"{LINK} goal",
        "business_problem": f"{IMAGE} problem",
        "target_audience": f"{COLOUR} staff",
    },
    f"{TAG} Lab": {
        "vendor": "",
        "owner": f"{MATH} owner",
        "sponsor": f"{IMAGE} sponsor",
        "business_goal": f"{BOLD} goal",
        "business_problem": f"{FORMULA} problem",
        "target_audience": f"{TAG} users",
    },
    f"{BOLD} {MATH} School": {
        "vendor": "",
        "owner": f"{ICON} owner",
        "sponsor": f"{LINK} sponsor",
        "business_goal": f"{COLOUR} goal",
        "business_problem": f"{BARE} problem",
        "target_audience": f"{BOLD} people",
    },
    FORMULA: {
        "vendor": "",
        "owner": f"{TAG} owner",
        "sponsor": f"{FORMULA} sponsor",
        "business_goal": f"{IMAGE} goal",
        "business_problem": f"{LINK} problem",
        "target_audience": f"{MATH} audience",
    },
    f"{LINK} {BARE}": {
        "vendor": "",
        "owner": f"{LINK} owner",
        "sponsor": f"{BOLD} sponsor",
        "business_goal": f"{TAG} goal",
        "business_problem": f"{COLOUR} problem",
        "target_audience": f"{LINK} audience",
    },
}
"""Hostile product name → its hostile profile texts."""

LICENSED: Final = f"{IMAGE} Academy"
"""The product with a contract (seats, renewal), usage and so a place on every chart."""

SCENARIO: Final = f"{IMAGE} {COLOUR} plan"
NOTE: Final = f"{TAG} {LINK} {MATH} {FORMULA} note"
CONTENT_TITLE: Final = f"{IMAGE} {COLOUR} module"
YEAR: Final = 2026


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _template_files(folder: Path) -> list[Path]:
    """The portfolio templates filled with `PRODUCTS`: products, budgets, a contract, usage."""
    products = _write(
        folder / "products.csv",
        ["product", "category", "vendor", "owner", "sponsor", "target_audience",
         "lifecycle_stage", "business_goal", "strategic_fit", "target_audience_size",
         "business_problem", "core"],
        [[name, "academy", t["vendor"], t["owner"], t["sponsor"], t["target_audience"],
          "growth", t["business_goal"], 4, 400, t["business_problem"], "no"]
         for name, t in PRODUCTS.items()],
    )  # fmt: skip
    budget_rows: list[list[object]] = []
    for i, name in enumerate(PRODUCTS, start=1):
        for month in range(1, 13):
            actual = f"{800 * i}.00" if month <= 10 else ""
            budget_rows.append([name, f"{YEAR}-{month:02d}", "delivery", f"{1000 * i}.00", actual])
            budget_rows.append([name, f"{YEAR + 1}-{month:02d}", "delivery", f"{1100 * i}.00", ""])
    budgets = _write(
        folder / "budgets.csv", ["product", "month", "cost_category", "plan", "actual"], budget_rows
    )
    vendor = PRODUCTS[LICENSED]["vendor"]
    contracts = _write(
        folder / "contracts.csv",
        ["product", "vendor", "start", "end", "seats", "price_per_seat", "currency"],
        [[LICENSED, vendor, f"{YEAR}-01-01", f"{YEAR}-12-31", 100, "50.00", "GBP"]],
    )
    usage_rows = [
        [name, f"learner{i}.{j}@northwind.example", f"H-{i}", CONTENT_TITLE,
         f"{YEAR}-0{1 + j % 9}-15", 60, 100, "yes", f"{YEAR}-0{1 + j % 9}-15", "Sales"]
        for i, name in enumerate(PRODUCTS, start=1)
        for j in range(10 * i)
    ]  # fmt: skip
    usage = _write(
        folder / "usage.csv",
        ["product", "learner", "content_id", "content_title", "date", "minutes",
         "progress_pct", "completed", "completed_date", "org_unit"],
        usage_rows,
    )  # fmt: skip
    return [products, budgets, contracts, usage]


def add_hostile_portfolio(url: str, folder: Path) -> None:
    """Import the hostile templates into the database at `url` and save the hostile scenario.

    The scenario stops the formula-named product and doubles the licensed
    one, so the Funding review lists hostile names under "Stops funding".
    """
    engine = make_engine(url)
    try:
        results = import_paths(_template_files(folder), engine=engine, actor=EDITOR)
        assert [r.status for r in results] == ["imported"] * 4, [r.to_json() for r in results]
        with session_scope(engine) as session:
            ids = {
                p.name: p.id
                for p in session.exec(select(Product).where(Product.name.in_(list(PRODUCTS))))
            }
            assert set(ids) == set(PRODUCTS), ids
            scenario = Scenario(
                name=SCENARIO,
                year=YEAR,
                weights={"strategic_fit": 1.0},
                budget_changes={ids[FORMULA]: -1.0, ids[LICENSED]: 1.0},
                notes=NOTE,
            )
            save_scenario(
                session=session, name=SCENARIO, year=YEAR, payload=scenario.to_dict(), actor=EDITOR
            )
    finally:
        engine.dispose()
