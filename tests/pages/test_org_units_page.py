"""The overview's reach by org unit: drawn once a roster is imported, hidden figures said.

The seeded sample comes with its roster (sample_data/files/people.csv), so a first run draws the
heat-map; undone, the app has none. The roster below replaces it (the newest roster is the
roster): six people in Finance, none of them a learner of the sample, so Finance's reach is 0 %
of 6 and the sample's learners are placed by their usage rows' org units (headcount n/a) or
unassigned."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from loaders import import_file
from loaders.undo import undo_import
from pages.safe_text import shown_text
from tests.actors import EDITOR

ROOT = Path(__file__).resolve().parents[2]
ROSTER = b"learner,org_unit\n" + b"".join(b"f%d@northwind.example,Finance\n" % i for i in range(6))


def _overview() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_sample_roster_brings_the_heat_map_and_undone_takes_it_away(seeded_url: str) -> None:
    at = _overview()
    assert "Reach by org unit" in [h.value for h in at.subheader]
    caption = next(shown_text(c.value) for c in at.caption if "roster of" in shown_text(c.value))
    assert "the roster of 4,500 people" in caption  # people.csv: every person of the staff list
    engine = create_engine(seeded_url)
    with engine.connect() as conn:
        roster = conn.execute(text("SELECT id FROM data_import WHERE kind = 'people'")).scalar_one()
    undo_import(roster, engine=engine, actor=EDITOR)
    engine.dispose()
    at = _overview()
    assert "Reach by org unit" not in [h.value for h in at.subheader]


def test_a_roster_brings_the_heat_map_and_says_what_is_hidden(seeded_url: str) -> None:
    engine = create_engine(seeded_url)
    result = import_file(ROSTER, file_name="people.csv", engine=engine, actor=EDITOR)
    engine.dispose()
    assert result.status == "imported", result.errors
    at = _overview()
    assert "Reach by org unit" in [h.value for h in at.subheader]
    caption = next(shown_text(c.value) for c in at.caption if "roster of" in shown_text(c.value))
    assert "the roster of 6 people" in caption and "“<5”: fewer than 5 people" in caption
    figure = at.get("plotly_chart")[-1].proto.spec  # the page's last chart
    assert '"xgap":2' in figure  # the heat-map's cells
    assert '"Finance"' in figure and '"0%"' in figure


def test_a_product_page_lists_its_reach_by_org_unit_as_numbers(seeded_url: str) -> None:
    engine = create_engine(seeded_url)
    assert import_file(ROSTER, file_name="people.csv", engine=engine, actor=EDITOR).status == (
        "imported"
    )
    engine.dispose()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/product.py")
    at.query_params["product"] = "LinkedIn Learning"
    at.query_params["year"] = "2026"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "Org unit" in d.value)
    finance = table[table["Org unit"] == "Finance"].iloc[0]
    # The roster's 6 are no LinkedIn learners; the sample's learners it does not list are
    # placed by their usage rows' org unit (DESIGN.md), 49 of them in Finance: 49 ÷ 6.
    assert (finance["Headcount"], finance["Active learners"]) == (6, 49)
    assert finance["Reach"] == pytest.approx(4900 / 6)
    assert table["Headcount"].iloc[0] == 6  # the only unit with a headcount comes first
