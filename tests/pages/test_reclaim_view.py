"""The Seats to reclaim view (issue 19) through AppTest: the figures it shows on the seeded
sample (as of 23 Nov 2026, LP_RECLAIM_AFTER_DAYS 60), the product picker, and e-mails in
place of pseudonyms when identities are stored (a hand-counted portfolio)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from exports.formats import render_reclaim_csv
from loaders import import_file
from metrics.reclaim import reconciliation_sentence, year_reclaim
from metrics.text import count, money
from models import make_engine
from models.frames import year_frames
from pages.safe_text import shown_text
from settings import get_settings
from tests.actors import EDITOR
from tests.metrics.test_reclaim import (
    CONTRACTS_CSV,
    PEOPLE_CSV,
    PRODUCTS_CSV,
    USAGE_CSV,
    sentence_adds_up,
)

AS_OF = date(2026, 11, 23)


def _expected(url: str) -> Any:
    """The seeded sample's seats to reclaim, as metrics.reclaim counts them (its rules are
    checked by hand in tests/metrics/test_reclaim.py): the page must show these figures."""
    engine = make_engine(url)
    with engine.connect() as conn:
        frames = year_frames(conn, year=2026, currency="GBP")
    engine.dispose()
    result = year_reclaim(frames, year=2026, as_of=AS_OF, after_days=60, stale_after_days=45)
    names = frames.products.select("product_id", "product")
    return result, result.products.join(names, on="product_id")


def _script() -> None:
    from pages.views.reclaim_view import render_reclaim

    render_reclaim(2026)


def _run(pick: str | None = None) -> AppTest:
    at = AppTest.from_function(_script, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if pick is not None:
        at.selectbox(key="reclaim.product").set_value(pick).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> list[str]:
    """Every text as a reader sees it, bold and code marks dropped."""
    shown = [shown_text(m.value) for m in [*at.markdown, *at.caption, *at.warning]]
    return [t.replace("**", "").replace("`", "") for t in shown]


def test_the_sample_shows_its_seats_to_reclaim_money_and_reconciliation(seeded_url: str) -> None:
    result, products = _expected(seeded_url)
    # On the sample as seeded when this was written: LinkedIn Learning, Udemy Tech Skills,
    # Pocketwise and Code of Conduct, 5,165 seats worth £260,342 (the roster's leavers included).
    assert products.height == 4 and result.to_reclaim == products["to_reclaim"].sum()
    at = _run()
    texts = _texts(at)
    headline = next(t for t in texts if "seats to reclaim, worth" in t)
    assert headline.startswith(
        f"{count(result.to_reclaim)} seats to reclaim, worth {money(result.value, 'GBP')}, "
        "across 4 products"
    )
    assert (
        "no activity in the last 60 days" in headline and "LP_RECLAIM_AFTER_DAYS = 60" in headline
    )
    leavers = int(products["leavers"].sum())
    assert [m.value for m in at.metric] == [
        count(result.to_reclaim), money(result.value, "GBP"), count(leavers),
    ]  # fmt: skip
    table = next(d.value for d in at.dataframe if "To reclaim" in d.value)
    columns = ["Seats", "Holders", "Idle seats", "Leavers", "Inactive", "To reclaim",
               "Value to reclaim"]  # fmt: skip
    shown = {r["Product"]: tuple(r[c] for c in columns) for r in table.to_dict("records")}
    assert shown == {
        r["product"]: (r["seats"], r["holders"], r["idle_seats"], r["leavers"], r["inactive"],
                       r["to_reclaim"], r["reclaim_value"])
        for r in products.to_dicts()
    }  # fmt: skip
    for r in products.to_dicts():  # the value is to reclaim x the contract's price, exactly
        assert r["reclaim_value"] == pytest.approx(r["to_reclaim"] * r["price_per_seat"])
    # Every product's reconciliation is shown, and its numbers add up.
    for r in products.to_dicts():
        line = next(t for t in texts if t.startswith(f"{r['product']} (usage to "))
        assert line.endswith(reconciliation_sentence(r, after_days=60))
        assert sentence_adds_up(line.split("): ", 1)[1])
    # Code of Conduct's annual report runs to 3 Apr: stale, and the page says so.
    stale = next(t for t in texts if t.startswith("Usage more than 45 days old"))
    assert "Code of Conduct & Data Protection (to 3 Apr 2026)" in stale
    assert any(t.startswith("Nothing is revoked from here") for t in texts)


def test_the_list_is_pseudonymous_and_the_picker_narrows_it(seeded_url: str) -> None:
    _, products = _expected(seeded_url)
    udemy = products.filter(pl.col("product") == "Udemy Tech Skills").row(0, named=True)
    people = udemy["leavers"] + udemy["inactive"]  # every listed person (none beyond the seats)
    at = _run("Udemy Tech Skills")
    texts = _texts(at)
    assert any(t.startswith(f"The list: {count(people)} people") for t in texts)
    sentences = [t for t in texts if "(usage to " in t]
    assert len(sentences) == 1 and sentences[0].startswith("Udemy Tech Skills (usage to")
    listed = next(d.value for d in at.dataframe if "Learner" in d.value)
    assert len(listed) == people and set(listed["Product"]) == {"Udemy Tech Skills"}
    assert all(re.fullmatch(r"L-[0-9a-f]{12}", x) for x in listed["Learner"])
    leavers = listed["Reason"].str.startswith("left on ")
    assert leavers.sum() == udemy["leavers"] and not leavers[udemy["leavers"] :].any()  # first
    assert any("shown by pseudonym" in t for t in texts)
    assert len(at.get("download_button")) == 1


@pytest.fixture
def identities_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The hand-built Library of tests/metrics/test_reclaim.py, imported with identities."""
    url = f"sqlite:///{tmp_path / 'named.sqlite'}"
    for name, value in {"DATABASE_URL": url, "LP_AS_OF": "2026-11-23",
                        "LP_STORE_IDENTITIES": "1"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LP_CURRENCY", raising=False)
    get_settings.cache_clear()
    engine = make_engine(url)
    for name, data in [("products.csv", PRODUCTS_CSV), ("contracts.csv", CONTRACTS_CSV),
                       ("usage.csv", USAGE_CSV), ("people.csv", PEOPLE_CSV)]:  # fmt: skip
        assert import_file(data, file_name=name, engine=engine, actor=EDITOR).status == "imported"
    engine.dispose()
    yield url
    get_settings.cache_clear()


def test_stored_identities_show_as_emails_leavers_first(identities_url: str) -> None:
    at = _run()
    texts = _texts(at)
    assert next(t for t in texts if "seats to reclaim, worth" in t).startswith(
        "4 seats to reclaim, worth £600, across 1 product, each with"
    )  # Gus, Ed (leavers), Fay, Bo: 4 x 150.00
    assert [m.value for m in at.metric] == ["4", "£600", "2"]
    listed = next(d.value for d in at.dataframe if "Learner" in d.value)
    assert listed[["Learner", "Reason"]].values.tolist() == [
        ["gus@corp.example", "left on 30 Jun 2026"],
        ["ed@corp.example", "left on 31 Oct 2026"],
        ["fay@corp.example", "never active"],
        ["bo@corp.example", "no activity since 3 Mar 2026"],
    ]
    assert any("shown by e-mail" in t for t in texts)
    # The download is the same list, as the command line writes it.
    from pages.supplier_reads import suppliers_year

    view = suppliers_year.__wrapped__(2026, AS_OF, 60, 45).reclaim  # type: ignore[attr-defined]
    csv = render_reclaim_csv(view.rows).decode()
    assert csv.splitlines()[:2] == [
        "Product,Vendor,Learner,Org unit,Reason,Last active,First seen,Left on",
        "Library,Acme Learning,gus@corp.example,Ops,left on 30 Jun 2026,2026-05-01,2026-05-01,"
        "2026-06-30",
    ]
    assert pl.read_csv(csv.encode()).height == 4


def test_an_empty_portfolio_says_there_is_nothing_to_reclaim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    make_engine(url).dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        at = _run()
    finally:
        get_settings.cache_clear()
    assert at.info[0].value.startswith("No seats to reclaim in 2026: no product has both usage")
    assert not at.dataframe and not at.metric


def test_the_setting_sets_how_long_a_seat_may_go_unused(
    identities_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LP_RECLAIM_AFTER_DAYS", "270")
    get_settings.cache_clear()
    at = _run()
    # 270 days before 22 Nov is 25 Feb: Bo (active 3 Mar) is in use; Fay (seen 10 Jan) is not.
    assert any("LP_RECLAIM_AFTER_DAYS = 270" in t for t in _texts(at))
    listed = next(d.value for d in at.dataframe if "Learner" in d.value)
    assert listed["Learner"].tolist() == ["gus@corp.example", "ed@corp.example", "fay@corp.example"]
    assert [m.value for m in at.metric] == ["3", "£450", "2"]  # 3 x 150.00


def test_a_long_list_shows_its_first_people_and_says_the_csv_has_them_all(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big employer lists 100,000s of people: the screen holds the first, leavers first."""
    from pages.views import reclaim_view

    result, _ = _expected(seeded_url)
    everyone = result.people.height
    monkeypatch.setattr(reclaim_view, "_SHOWN", 3)
    at = _run()
    listed = next(d.value for d in at.dataframe if "Learner" in d.value)
    assert len(listed) == 3 < everyone
    assert f"The first 3 of {count(everyone)} people listed, leavers first" in " ".join(_texts(at))


@pytest.mark.parametrize(("inline", "expanded"), [(5, True), (3, False)])
def test_many_products_reconciliations_start_folded(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch, inline: int, expanded: bool
) -> None:
    """The sample's 4 products read unfolded; at 50 products the page would run on for screens."""
    from pages.views import reclaim_view

    _, products = _expected(seeded_url)
    monkeypatch.setattr(reclaim_view, "_INLINE", inline)
    at = _run()
    box = next(e for e in at.expander if e.label.startswith("Idle seats and seats to reclaim"))
    assert box.proto.expanded is expanded
    inside = [shown_text(m.value).replace("**", "") for m in box.markdown]
    assert [t.split(" (usage to ")[0] for t in inside] == products["product"].to_list()
