"""`python -m exports --format reclaim`: the seats to reclaim as CSV from the command line
(issue 19), run as a real subprocess; always pseudonymised, the list the page shows."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from exports.cli import main
from exports.formats import RECLAIM_HEADERS
from loaders import import_file
from loaders.identity import learner_key
from loaders.pseudonym import pseudonym_secret
from metrics.reclaim import pseudonym, year_reclaim, year_reclaim_rows
from models import make_engine
from models.frames import year_frames
from settings import get_settings
from tests.actors import EDITOR
from tests.exports.conftest import run_export
from tests.metrics.test_reclaim import CONTRACTS_CSV, PEOPLE_CSV, PRODUCTS_CSV, USAGE_CSV
from tests.seeded import AS_OF

PSEUDONYM = re.compile(r"L-[0-9a-f]{12}")


def read(text: str) -> pl.DataFrame:
    return pl.read_csv(io.StringIO(text), infer_schema=False)


def test_the_sample_list_is_written_pseudonymised_leavers_first(shared_url: str) -> None:
    done = run_export(shared_url, "--format", "reclaim")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    got = read(done.stdout)
    assert got.columns == list(RECLAIM_HEADERS.values())
    # The same list metrics.reclaim draws for the page (a 2026 list as of 23 Nov 2026).
    engine = make_engine(shared_url)
    with engine.connect() as conn:
        frames = year_frames(conn, year=2026, currency="GBP")
    engine.dispose()
    result = year_reclaim(
        frames, year=2026, as_of=date.fromisoformat(AS_OF), after_days=60, stale_after_days=45
    )
    expected = year_reclaim_rows(frames, result)
    assert got.height == expected.height == result.people.height
    assert got["Learner"].to_list() == expected["learner"].to_list()
    assert all(PSEUDONYM.fullmatch(x) for x in got["Learner"])
    assert "@" not in done.stdout
    leavers = got["Reason"].str.starts_with("left on ").to_list()
    assert leavers == sorted(leavers, reverse=True)  # every leaver before anyone else


def test_product_and_out_narrow_and_write_the_file(shared_url: str, tmp_path: Path) -> None:
    out = tmp_path / "reclaim.csv"
    done = run_export(
        shared_url, "--format", "reclaim", "--product", "udemy tech skills", "--out", str(out)
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    got = read(out.read_text(encoding="utf-8"))
    assert got.height > 0 and set(got["Product"]) == {"Udemy Tech Skills"}
    assert set(got["Vendor"]) == {"Udemy Business"}


def test_a_scenario_does_not_apply_to_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--format", "reclaim", "--scenario", "Plan B"]) == 2
    assert "--scenario does not apply to --format reclaim" in capsys.readouterr().err


@pytest.fixture
def named_library(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> str:
    """The hand-counted Library of tests/metrics/test_reclaim.py, imported with identities."""
    monkeypatch.setenv("LP_STORE_IDENTITIES", "1")
    monkeypatch.setenv("LP_AS_OF", AS_OF)
    monkeypatch.delenv("LP_CURRENCY", raising=False)
    get_settings.cache_clear()
    for name, data in [("products.csv", PRODUCTS_CSV), ("contracts.csv", CONTRACTS_CSV),
                       ("usage.csv", USAGE_CSV), ("people.csv", PEOPLE_CSV)]:  # fmt: skip
        assert import_file(data, file_name=name, engine=engine, actor=EDITOR).status == "imported"
    get_settings.cache_clear()
    return str(engine.url)


def test_stored_identities_are_still_pseudonymised(named_library: str) -> None:
    done = run_export(named_library, "--format", "reclaim")  # LP_STORE_IDENTITIES=1 inherited
    assert done.returncode == 0, done.stderr
    secret = pseudonym_secret(get_settings())

    def alias(email: str) -> str:  # what the pseudonym key's holder finds from an e-mail
        return pseudonym(learner_key("email", email, secret=secret))

    # Gus and Ed left (30 Jun, 31 Oct), Fay was never active, Bo not since 3 Mar: 4 x 150.00.
    assert done.stdout.splitlines() == [
        "Product,Vendor,Learner,Org unit,Reason,Last active,First seen,Left on",
        f"Library,Acme Learning,{alias('gus@corp.example')},Ops,left on 30 Jun 2026,"
        "2026-05-01,2026-05-01,2026-06-30",
        f"Library,Acme Learning,{alias('ed@corp.example')},Sales,left on 31 Oct 2026,"
        "2026-10-20,2026-10-20,2026-10-31",
        f"Library,Acme Learning,{alias('fay@corp.example')},Finance,never active,,2026-01-10,",
        f"Library,Acme Learning,{alias('bo@corp.example')},unassigned,"
        "no activity since 3 Mar 2026,2026-03-03,2026-03-03,",
    ]
    assert "@" not in done.stdout
