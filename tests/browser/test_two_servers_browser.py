"""Two app servers on one PostgreSQL database, as the README's deployment guide sets them up.

Server A and server B are two `streamlit run app.py` processes with the same
DATABASE_URL, LP_MODE=production and LP_PSEUDONYM_KEY. What one changes, the
other shows at its next rerun, because every cached reader is keyed by the
data version the write bumped in the database (pages.cache), not by a timer:

* a usage file uploaded on A's Import data page moves B's "Active learners"
  from not tracked to 3 (three learners, all active, hand-counted);
* a scenario saved on A's Prioritise page is listed on B's Prioritise and
  Funding review pages;
* undoing that import on A puts B's figure back to not tracked.

The portfolio (two products, one budget month each) is imported with
`python -m loaders` before the servers start, so neither seeds the sample.
The tests run in file order and share the two servers and their database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text

from tests import pg_server
from tests.browser.server import ROOT, streamlit_server, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PRODUCTS = (
    "product,category,vendor,owner,sponsor,target_audience,lifecycle_stage,business_goal,"
    "strategic_fit\n"
    "Team Academy,academy,,Ana Berg,COO,All staff,mature,Faster onboarding,4\n"
    "Sales Lab,programme,,Ben Cole,CSO,Sales,growth,Win rate,3\n"
)
BUDGETS = (
    "product,month,cost_category,plan,actual\n"
    "Team Academy,2026-01,delivery,12000.00,11000.00\n"
    "Sales Lab,2026-01,delivery,8000.00,8000.00\n"
)
# The generic usage template: three learners, each with activity in 2026, so 3 active learners.
USAGE = (
    b"product,learner,content_id,content_title,date,minutes,progress_pct,completed,"
    b"completed_date,org_unit\n"
    b"Team Academy,ann.one@corp.example,TA-1,Welcome,2026-03-02,30,100,yes,2026-03-02,Sales\n"
    b"Team Academy,bob.two@corp.example,TA-1,Welcome,2026-03-03,20,50,no,,Sales\n"
    b"Team Academy,cat.three@corp.example,TA-1,Welcome,2026-03-04,45,100,yes,2026-03-04,Finance\n"
)
SCENARIO = "Shared from server A"
_INPUT = "[data-testid='stFileUploaderDropzoneInput']"


@dataclass(frozen=True)
class Cluster:
    a: str  # server A's base URL
    b: str  # server B's base URL


def _env(url: str) -> dict[str, str]:
    """Both servers' settings, as the deployment guide gives them."""
    return {
        "DATABASE_URL": url,
        "LP_MODE": "production",
        "LP_PSEUDONYM_KEY": "two-servers-test-key-1b6f0c",
        "LP_AS_OF": "2026-11-23",
    }


@pytest.fixture(scope="module")
def cluster(
    browser: object, postgres: pg_server.PgServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    del browser  # requested first: a machine without Chromium skips before starting PostgreSQL
    name = f"lp_two_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    env = _env(postgres.url(name))
    folder = tmp_path_factory.mktemp("two_servers")
    (folder / "products.csv").write_text(PRODUCTS)
    (folder / "budgets.csv").write_text(BUDGETS)
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "products.csv", "budgets.csv"],
        cwd=folder,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    try:
        with ExitStack() as stack:
            a = stack.enter_context(streamlit_server(env))
            b = stack.enter_context(streamlit_server(env))
            yield Cluster(a, b)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def pages(browser: object, cluster: Cluster) -> Iterator[tuple[object, object]]:
    """One tab on each server, each opened on the overview (a fresh server's first run)."""
    opened = []
    for url in (cluster.a, cluster.b):
        page = browser.new_page(viewport={"width": 1440, "height": 1000})  # type: ignore[attr-defined]
        page.goto(url)
        _settle(page)
        opened.append(page)
    yield opened[0], opened[1]
    for page in opened:
        page.close()  # type: ignore[attr-defined]


def _settle(page: object) -> None:
    page.wait_for_selector("[data-testid=stMain] h1", timeout=60_000)  # type: ignore[attr-defined]
    wait_for_app(page)


def _open(page: object, base: str, path: str) -> None:
    page.goto(f"{base}/{path}")  # type: ignore[attr-defined]
    _settle(page)


def _rerun(page: object) -> None:
    """Rerun the session's script, as Streamlit's "R" shortcut does (no reload, same session)."""
    page.keyboard.press("r")  # type: ignore[attr-defined]
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    wait_for_app(page)


def _figure(page: object, label: str) -> str:
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first  # type: ignore[attr-defined]
    return card.locator("[data-testid='stMetricValue']").inner_text().strip()


def _no_error(page: object) -> None:
    assert page.locator("[data-testid='stException']").count() == 0  # type: ignore[attr-defined]


def _wait_figure(page: object, label: str, value: str) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "([label, value]) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes(label) && m.querySelector('[data-testid=stMetricValue]')"
        ".innerText.trim() === value)",
        arg=[label, value],
        timeout=30_000,
    )


def test_an_import_on_a_shows_in_bs_overview_at_its_next_rerun(
    cluster: Cluster, pages: tuple[object, object]
) -> None:
    a, b = pages
    _open(b, cluster.b, "overview")
    assert _figure(b, "Budget plan") == "£20k"  # 12,000 + 8,000 from budgets.csv
    assert _figure(b, "Active learners") == "not tracked"  # no usage imported yet

    _open(a, cluster.a, "import_data")
    a.set_input_files(  # type: ignore[attr-defined]
        _INPUT, files=[{"name": "usage.csv", "mimeType": "text/csv", "buffer": USAGE}]
    )
    a.wait_for_timeout(1000)  # type: ignore[attr-defined]
    wait_for_app(a)
    a.get_by_role("button", name="Import 1 file(s)").click()  # type: ignore[attr-defined]
    a.wait_for_selector("h3:has-text('Result')", timeout=60_000)  # type: ignore[attr-defined]
    wait_for_app(a)
    assert a.get_by_text("imported", exact=False).count() > 0  # type: ignore[attr-defined]
    _no_error(a)

    # B has not rerun: it still shows what it drew. Its next rerun reads the new version.
    assert _figure(b, "Active learners") == "not tracked"
    _rerun(b)
    _wait_figure(b, "Active learners", "3")
    assert _figure(b, "Budget plan") == "£20k"
    _no_error(b)


def test_a_scenario_saved_on_a_is_listed_on_b(
    cluster: Cluster, pages: tuple[object, object]
) -> None:
    a, b = pages
    _open(b, cluster.b, "prioritise")
    sidebar_b = b.locator("[data-testid=stSidebar]")  # type: ignore[attr-defined]
    assert sidebar_b.get_by_text("Saved scenarios").count() == 0  # none saved yet

    _open(a, cluster.a, "prioritise")
    name = a.get_by_label("Name", exact=True)  # type: ignore[attr-defined]
    name.fill(SCENARIO)
    name.press("Enter")
    wait_for_app(a)
    a.get_by_role("button", name="Save scenario").click()  # type: ignore[attr-defined]
    a.wait_for_selector(f"text=Saved “{SCENARIO}”.", timeout=30_000)  # type: ignore[attr-defined]
    _no_error(a)

    _rerun(b)
    saved = sidebar_b.get_by_role("combobox", name="Saved scenarios", exact=True)
    saved.wait_for(timeout=30_000)
    assert saved.input_value() == SCENARIO  # the newest saved scenario is the one shown

    _open(b, cluster.b, "funding_review")
    box = b.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(  # type: ignore[attr-defined]
        has_text="Scenario"
    )
    box.click()
    option = b.get_by_role("option", name=SCENARIO)  # type: ignore[attr-defined]
    option.wait_for(timeout=30_000)
    assert option.count() == 1
    b.keyboard.press("Escape")  # type: ignore[attr-defined]
    _no_error(b)


def test_an_undo_on_a_is_seen_on_b(cluster: Cluster, pages: tuple[object, object]) -> None:
    a, b = pages
    _open(b, cluster.b, "overview")
    assert _figure(b, "Active learners") == "3"

    _open(a, cluster.a, "import_data")
    a.get_by_role("tab", name="Import history").click()  # type: ignore[attr-defined]
    wait_for_app(a)
    a.get_by_role("combobox", name="Undo an import", exact=True).click()  # type: ignore[attr-defined]
    a.get_by_role("option", name="usage.csv").click()  # type: ignore[attr-defined]
    wait_for_app(a)
    a.get_by_role("button", name="Undo this import…").click()  # type: ignore[attr-defined]
    wait_for_app(a)
    a.get_by_role("button", name="Undo it").click()  # type: ignore[attr-defined]
    a.wait_for_selector("text=undone: 3 usage rows removed", timeout=30_000)  # type: ignore[attr-defined]
    _no_error(a)

    assert _figure(b, "Active learners") == "3"  # B has not rerun yet
    b.reload()  # type: ignore[attr-defined]
    _settle(b)
    assert _figure(b, "Active learners") == "not tracked"  # no usage left
    _no_error(b)
