"""Seats to reclaim (issue 19): who holds a seat without using it, the money, and how the count
meets idle seats. A small portfolio, every figure counted by hand; then the same through the
real import of contracts.csv, usage.csv and people.csv into a database.

Every product's report ends on 22 Nov 2026 and N = 60 days, so "lately" means a last activity
after 23 Sep 2026 (22 Nov − 60 days), and a new starter started or was first seen after it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from loaders import import_file
from loaders.identity import learner_key
from loaders.pseudonym import pseudonym_secret
from metrics.reclaim import (
    PARTS,
    RECLAIM_COLUMNS,
    learner_labels,
    pseudonym,
    reconciliation_sentence,
    report_ends,
    seat_holders,
    seats_to_reclaim,
    year_reclaim,
    year_reclaim_rows,
)
from metrics.schema import PRODUCTS, USAGE, frame
from models.frames import LEARNER_KEYS, ROSTER, USAGE_IMPORTS, USAGE_UNITS, YearFrames, year_frames
from settings import get_settings
from tests.actors import EDITOR
from tests.metrics import factories as f

END = date(2026, 11, 22)
N = 60
YEAR_2026 = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}


def row(product: int, learner: int, day: date, minutes: float = 0.0) -> dict[str, Any]:
    """One usage row: minutes > 0 is activity, 0 an enrolment or assignment row."""
    return {"product_id": product, "learner_id": learner, "content_id": 1, "date": day,
            "minutes": minutes}  # fmt: skip


USAGE_ROWS = [
    # 1 Library: 10 seats at 150.00 for 2026.
    row(1, 1, END, 30),  # Ann: active on the report end, not listed
    row(1, 2, date(2026, 3, 3), 20),  # Bo: inactive since 3 Mar, listed
    row(1, 3, date(2026, 11, 1)),  # Cy: first seen 1 Nov, never active: new starter
    row(1, 4, date(2026, 2, 1)),  # Di: assigned in Feb, roster start 15 Oct: new starter
    row(1, 5, date(2026, 10, 20), 15),  # Ed: left 31 Oct, active lately: listed (leaver)
    row(1, 6, date(2026, 1, 10)),  # Fay: assigned 10 Jan, never active: listed
    row(1, 7, date(2026, 5, 1), 10),  # Gus: left 30 Jun, last active 1 May: listed (leaver)
    # 2 Cap: 1 seat at 100.00 + 1 seat at 200.00; three people active in Feb only.
    *(row(2, i, date(2026, 2, 10), 10) for i in (11, 12, 13)),
    row(2, 11, END),  # a 0-minute row that sets the report's end
    # 3 No contract: not listed whatever its usage.
    row(3, 21, date(2026, 1, 5), 10),
    row(3, 21, END),
    # 4 Expired: its only contract ended on 30 Jun, so none is in force on 22 Nov.
    row(4, 31, date(2026, 2, 1), 10),
    row(4, 32, END),
    # 5 New term: contract from 1 Oct 2026, 5 seats at 99.99.
    row(5, 41, date(2026, 1, 5)),  # first seen in Jan: not new
    row(5, 41, date(2026, 9, 28), 15),  # active lately, but before the term began
    row(5, 41, date(2026, 10, 2)),  # holds a seat in the term, no activity in it
    row(5, 42, END, 5),
    # 6 Agree: 2 seats at 99.99, both holders never active.
    row(6, 51, date(2026, 1, 20)),
    row(6, 52, date(2026, 1, 20)),
    row(6, 51, END),
]
CONTRACT_ROWS = [
    {"product_id": 1, "vendor": "Acme", "seats": 10, "price_per_seat_minor": 150_00},
    {"product_id": 2, "vendor": "Beta", "seats": 1, "price_per_seat_minor": 100_00},
    {"product_id": 2, "vendor": "Beta", "seats": 1, "price_per_seat_minor": 200_00},
    {"product_id": 4, "vendor": "Delta", "seats": 5, "price_per_seat_minor": 50_00,
     "end": date(2026, 6, 30)},
    {"product_id": 5, "vendor": "Gamma", "seats": 5, "price_per_seat_minor": 99_99,
     "start": date(2026, 10, 1), "end": date(2027, 9, 30)},
    {"product_id": 6, "vendor": "Eta", "seats": 2, "price_per_seat_minor": 99_99},
]  # fmt: skip
ROSTER_ROWS = [
    {"learner_id": 1, "start_date": date(2020, 1, 6)},
    {"learner_id": 4, "start_date": date(2026, 10, 15)},
    {"learner_id": 5, "start_date": date(2022, 3, 1), "end_date": date(2026, 10, 31)},
    {"learner_id": 7, "end_date": date(2026, 6, 30)},
]
PEOPLE = {"learner_id": pl.Int64(), "start_date": pl.Date(), "end_date": pl.Date()}
NAMES = {1: "Library", 2: "Cap", 3: "No contract", 4: "Expired", 5: "New term", 6: "Agree"}


def usage() -> pl.DataFrame:
    return frame(USAGE, USAGE_ROWS)


def contracts() -> pl.DataFrame:
    return f.contracts(*CONTRACT_ROWS)


def people() -> pl.DataFrame:
    return frame(PEOPLE, ROSTER_ROWS)


def ends(day: date = END, reporting: date | None = None) -> pl.DataFrame:
    n = len(NAMES)
    return pl.DataFrame(
        {
            "product_id": list(NAMES),
            "report_end": [day] * n,
            "reporting_date": [reporting or day] * n,
        }
    )


def reclaim(after_days: int = N) -> Any:
    return seats_to_reclaim(
        usage(), contracts(), ends(), people(), after_days=after_days, currency="GBP"
    )


def by_product(result: Any) -> dict[int, dict[str, Any]]:
    return {r["product_id"]: r for r in result.products.to_dicts()}


def listed(result: Any, product: int | None = None) -> list[tuple[int, int, str]]:
    rows = result.people.select("product_id", "learner_id", "reason").rows()
    return [r for r in rows if product is None or r[0] == product]


# --- who is listed ----------------------------------------------------------------------------


def test_leavers_come_first_then_the_inactive_and_the_active_lately_are_not_listed() -> None:
    assert listed(reclaim()) == [
        (1, 7, "left on 30 Jun 2026"),  # Gus: the earlier leaver first
        (1, 5, "left on 31 Oct 2026"),  # Ed: a leaver, although active on 20 Oct
        (1, 6, "never active"),  # Fay: never active comes before the oldest activity
        (1, 2, "no activity since 3 Mar 2026"),  # Bo
        (2, 11, "no activity since 10 Feb 2026"),
        (2, 12, "no activity since 10 Feb 2026"),
        (2, 13, "no activity since 10 Feb 2026"),
        (6, 51, "never active"),
        (6, 52, "never active"),
    ]  # Ann (active 22 Nov) and product 5's two (active 28 Sep and 22 Nov) are not listed


def test_new_starters_by_roster_start_and_by_first_seen_are_left_out() -> None:
    holders = seat_holders(usage(), contracts(), ends(), people(), after_days=N)
    library = {r["learner_id"]: r for r in holders.filter(pl.col("product_id") == 1).to_dicts()}
    # Cy: first seen 1 Nov > 23 Sep; Di: first seen 1 Feb, but roster start 15 Oct > 23 Sep.
    assert (library[3]["first_seen"], library[3]["new_starter"]) == (date(2026, 11, 1), True)
    assert (library[4]["first_seen"], library[4]["new_starter"]) == (date(2026, 2, 1), True)
    assert not library[3]["listed"] and not library[4]["listed"]
    assert library[6]["new_starter"] is False  # Fay, first seen 10 Jan: an old hand
    assert by_product(reclaim())[1]["new_starters"] == 2


def test_last_active_and_first_seen_are_the_learners_activity_and_first_row() -> None:
    holders = seat_holders(usage(), contracts(), ends(), people(), after_days=N)
    dates = holders.select("product_id", "learner_id", "last_active", "first_seen").rows()
    got = {(r[0], r[1]): r[2:] for r in dates}
    assert got[(1, 2)] == (date(2026, 3, 3), date(2026, 3, 3))  # Bo
    assert got[(1, 6)] == (None, date(2026, 1, 10))  # Fay: never active
    assert got[(5, 41)] == (date(2026, 9, 28), date(2026, 1, 5))  # 28 Sep > 23 Sep: lately


def test_a_longer_setting_lists_fewer() -> None:
    # N = 270: lately means after 25 Feb 2026, so Bo (3 Mar) is active lately; Fay, first seen
    # 10 Jan (before 25 Feb), is still listed; product 2's three (10 Feb) still are.
    got = listed(reclaim(after_days=270), product=1)
    assert [learner for _, learner, _ in got] == [7, 5, 6]


def test_a_product_without_a_contract_on_its_report_end_is_not_listed() -> None:
    result = reclaim()
    assert set(by_product(result)) == {1, 2, 5, 6}  # 3: no contract; 4: it ended 30 Jun
    assert not {p for p, _, _ in listed(result)} & {3, 4}


# --- counts and money -------------------------------------------------------------------------


def test_counts_and_money_per_product_and_in_total() -> None:
    result = reclaim()
    got = by_product(result)
    library = got[1]
    # 7 holders (Ann..Gus); active over the term: Ann, Bo, Ed, Gus = 4; idle = 10 - 4 = 6.
    assert (library["seats"], library["holders"], library["active_in_term"]) == (10, 7, 4)
    assert library["idle_seats"] == 6
    # listed: 2 leavers (Ed, Gus) + 2 inactive (Bo, Fay) = 4 seats, 4 x 150.00 = 600.00
    assert (library["leavers"], library["inactive"], library["to_reclaim"]) == (2, 2, 4)
    assert (library["price_per_seat"], library["reclaim_value"]) == (150.0, 600.0)
    assert library["vendor"] == "Acme"
    # Cap: 3 listed on 2 seats -> 2 to reclaim (capped); the seat-weighted price is
    # (100.00 + 200.00) / 2 = 150.00, so 2 x 150.00 = 300.00.
    cap = got[2]
    assert (cap["seats"], cap["to_reclaim"], cap["capped"]) == (2, 2, 1)
    assert (cap["price_per_seat"], cap["reclaim_value"], cap["contracts"]) == (150.0, 300.0, 2)
    assert (got[5]["to_reclaim"], got[5]["reclaim_value"]) == (0, 0.0)
    assert (got[6]["to_reclaim"], got[6]["reclaim_value"]) == (2, 199.98)  # 2 x 99.99
    # Total: 4 + 2 + 0 + 2 = 8 seats; 600.00 + 300.00 + 0 + 199.98 = 1,099.98 (exact).
    assert (result.to_reclaim, result.value) == (8, 1099.98)


def test_the_contract_of_a_new_term_counts_from_its_start() -> None:
    term = by_product(reclaim())[5]
    assert (term["term_start"], term["term_end"], term["seats"]) == (
        date(2026, 10, 1), date(2027, 9, 30), 5,
    )  # fmt: skip
    # 41's row of 2 Oct holds a seat; its activity of 28 Sep is before the term.
    assert (term["holders"], term["active_in_term"], term["idle_seats"]) == (2, 1, 4)


# --- the reconciliation with idle seats -------------------------------------------------------


def adds_up(product: dict[str, Any]) -> bool:
    """idle = to reclaim + sum(sign x part)."""
    parts = sum(sign * product[name] for name, sign, _ in PARTS)
    return product["idle_seats"] == product["to_reclaim"] + parts


def sentence_adds_up(text: str) -> bool:
    """The numbers in the sentence: idle = to reclaim + the idle parts - the reclaimable ones."""

    def number(words: str) -> int:
        return int(re.match(r"[\d,]+", words).group().replace(",", ""))  # type: ignore[union-attr]

    head, parts = text.split(": ", 1)
    idle, reclaim_n = (number(n) for n in re.findall(r"(?:Idle seats|to reclaim) ([\d,]+)", head))
    total = reclaim_n
    for part in parts.split("; "):
        total += -number(part) if "(reclaimable, not idle)" in part else number(part)
    return total == idle


def test_the_reconciliation_parts_add_up_for_every_product() -> None:
    got = by_product(reclaim())
    # Library: 6 = 4 + 3 never assigned + 2 new starters never active - 1 leaver active lately
    #          (Ed) - 2 active earlier in the term (Bo, Gus)
    assert {k: got[1][k] for k in ("never_assigned", "new_not_active", "leavers_active_lately",
                                   "active_earlier")} == {
        "never_assigned": 3, "new_not_active": 2, "leavers_active_lately": 1,
        "active_earlier": 2,
    }  # fmt: skip
    # Cap: 0 = 2 + 1 over-used (3 active on 2 seats) + 1 capped - 1 over-held - 3 active earlier
    assert (got[2]["over_used"], got[2]["over_held"], got[2]["active_earlier"]) == (1, 1, 3)
    # New term: 4 = 0 + 3 never assigned + 1 active lately only before the term
    assert (got[5]["never_assigned"], got[5]["lately_before_term"]) == (3, 1)
    assert all(adds_up(p) for p in got.values())


def test_the_reconciliation_sentences_say_why_and_their_numbers_add_up() -> None:
    got = by_product(reclaim())
    texts = {p: reconciliation_sentence(r, after_days=N) for p, r in got.items()}
    assert texts[1] == (
        "Idle seats 6 and seats to reclaim 4 differ: 3 seats were never assigned to anyone "
        "(idle, but no one to reclaim them from); 2 new starters have not been active in the "
        "term yet (idle, but left out as new); 1 leaver was active in the last 60 days "
        "(reclaimable, not idle); 2 people were active earlier in the term but not in the last "
        "60 days (reclaimable, not idle)."
    )
    assert texts[5] == (
        "Idle seats 4 and seats to reclaim 0 differ: 3 seats were never assigned to anyone "
        "(idle, but no one to reclaim them from); 1 person was active in the last 60 days, but "
        "only before the term began (idle in this term, yet in use)."
    )
    assert texts[6] == (
        "Idle seats 2 and seats to reclaim 2 agree: every idle seat is held by someone to reclaim."
    )
    assert texts[2].startswith("Idle seats 0 and seats to reclaim 2 differ: 1 more person was")
    for product in (1, 2, 5):
        assert sentence_adds_up(texts[product]), texts[product]


def test_the_issue_example_reads_as_written() -> None:
    text = reconciliation_sentence(
        {"idle_seats": 120, "to_reclaim": 55, "never_assigned": 80, "active_earlier": 15},
        after_days=60,
    )
    assert text == (
        "Idle seats 120 and seats to reclaim 55 differ: 80 seats were never assigned to anyone "
        "(idle, but no one to reclaim them from); 15 people were active earlier in the term but "
        "not in the last 60 days (reclaimable, not idle)."
    )
    assert sentence_adds_up(text)


DAYS = st.dates(min_value=date(2025, 11, 1), max_value=date(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(1, 8), DAYS, st.sampled_from([0.0, 0.0, 5.0])), max_size=30
    ),
    seats=st.integers(0, 10),
    start=st.sampled_from([date(2026, 1, 1), date(2026, 6, 1), date(2026, 11, 1)]),
    roster=st.lists(
        st.tuples(st.integers(1, 8), st.none() | DAYS, st.none() | DAYS), max_size=8,
        unique_by=lambda r: r[0],
    ),
    after_days=st.integers(1, 200),
)  # fmt: skip
def test_idle_seats_always_meet_seats_to_reclaim_through_the_parts(
    rows: list[tuple[int, date, float]],
    seats: int,
    start: date,
    roster: list[tuple[int, date | None, date | None]],
    after_days: int,
) -> None:
    use = frame(USAGE, [row(1, learner, day, minutes) for learner, day, minutes in rows])
    deal = f.contracts({"seats": seats, "price_per_seat_minor": 10_00, "start": start})
    staff = frame(PEOPLE, [{"learner_id": i, "start_date": s, "end_date": e}
                           for i, s, e in roster])  # fmt: skip
    result = seats_to_reclaim(
        use, deal, ends(END).filter(pl.col("product_id") == 1), staff,
        after_days=after_days, currency="GBP",
    )  # fmt: skip
    for product in result.products.to_dicts():
        assert product["to_reclaim"] <= product["seats"]
        assert product["to_reclaim"] == min(product["leavers"] + product["inactive"], seats)
        if product["idle_seats"] is not None:
            assert adds_up(product), product
            text = reconciliation_sentence(product, after_days=after_days)
            if "differ" in text:
                assert sentence_adds_up(text), text
    assert result.people.height == sum(p["leavers"] + p["inactive"] for p in
                                       result.products.to_dicts())  # fmt: skip


# --- the year's frames, labels and the report's end -------------------------------------------


def year_of(
    use: pl.DataFrame, deals: pl.DataFrame, roster_rows: list[dict[str, Any]]
) -> YearFrames:
    """Frames as `models.frames.year_frames` gives them; learner i is keyed "k<i>" and the
    roster puts everyone on it in Sales."""
    keys = sorted({*use["learner_id"].to_list(), *(r["learner_id"] for r in roster_rows)})
    staff = [{"learner_key": f"k{r['learner_id']}", "org_unit": "Sales", **r} for r in roster_rows]
    return YearFrames(
        products=frame(PRODUCTS, [{"product_id": p, "product": n} for p, n in NAMES.items()]),
        budgets=f.budgets().clear(),
        contracts=deals,
        usage=use,
        outcomes=f.outcomes().clear(),
        currency="GBP",
        roster=frame(ROSTER, staff),
        learner_keys=frame(LEARNER_KEYS, [{"learner_id": i, "key": f"k{i}"} for i in keys]),
        usage_units=frame(USAGE_UNITS),
        usage_imports=frame(USAGE_IMPORTS),
    )


def test_the_year_reads_each_products_report_end_and_labels_learners_by_pseudonym() -> None:
    frames = year_of(usage(), contracts(), ROSTER_ROWS)
    result = year_reclaim(
        frames, year=2026, as_of=date(2026, 11, 23), after_days=N, stale_after_days=45
    )
    assert listed(result) == listed(reclaim())  # every report runs to 22 Nov (its last row)
    assert by_product(result)[1]["year_idle_seats"] == 6  # one contract: the year's figure too
    assert by_product(result)[1]["stale"] is False  # 22 Nov is 1 day before 23 Nov
    late = year_reclaim(frames, year=2026, as_of=date(2027, 1, 15), after_days=N,
                        stale_after_days=30)  # fmt: skip
    assert by_product(late)[1]["stale"] is True  # judged on 31 Dec: 39 days > 30
    rows = year_reclaim_rows(frames, result)
    assert rows.columns == list(RECLAIM_COLUMNS)
    first = rows.row(0, named=True)
    assert first == {
        "product": "Library", "vendor": "Acme", "learner": pseudonym("k7"), "org_unit": "Sales",
        "reason": "left on 30 Jun 2026", "last_active": date(2026, 5, 1),
        "first_seen": date(2026, 5, 1), "left_on": date(2026, 6, 30),
    }  # fmt: skip
    assert rows.row(2, named=True)["org_unit"] == "unassigned"  # Fay: not on the roster
    text = rows.write_csv()
    assert not re.search(r"\bk\d+\b", text)  # no key
    # With identities stored, the e-mail; a learner without one stays a pseudonym.
    identities = pl.DataFrame(
        {"learner_id": [7], "email": ["gus@corp.example"], "display_name": [None]},
        schema_overrides={"display_name": pl.String},
    )
    named = year_reclaim_rows(frames, result, identities=identities)
    assert named["learner"].to_list()[:2] == ["gus@corp.example", pseudonym("k5")]


def test_the_report_end_is_capped_at_the_reporting_date() -> None:
    fresh = pl.DataFrame({"product_id": [1], "usage_as_of": [date(2027, 2, 1)]})
    assert report_ends(fresh, reporting_date=date(2026, 12, 31)).rows() == [
        (1, date(2026, 12, 31), date(2026, 12, 31))
    ]  # a past year is judged at its end
    # As of 25 Oct 2026 the Library's report (to 22 Nov) ends on 25 Oct: the rows of Ann
    # (22 Nov) and Cy (1 Nov) do not count yet; Ed leaves on 31 Oct, so he is no leaver yet and
    # was active on 20 Oct; lately is after 26 Aug; Di (start 15 Oct) is a new starter.
    frames = year_of(usage(), contracts(), ROSTER_ROWS)
    result = year_reclaim(
        frames, year=2026, as_of=date(2026, 10, 25), after_days=N, stale_after_days=45
    )
    library = by_product(result)[1]
    assert library["report_end"] == date(2026, 10, 25)
    assert listed(result, 1) == [
        (1, 7, "left on 30 Jun 2026"), (1, 6, "never active"),
        (1, 2, "no activity since 3 Mar 2026"),
    ]  # fmt: skip
    # Holders Bo, Di, Ed, Fay, Gus = 5; active to 25 Oct: Bo, Ed, Gus = 3, so 10 - 3 = 7 idle;
    # 7 = 3 to reclaim + 5 never assigned + 1 new starter (Di) - 2 active earlier (Bo, Gus).
    assert (library["holders"], library["idle_seats"], library["to_reclaim"]) == (5, 7, 3)
    assert adds_up(library)
    # The year's figure counts Ann's activity of 22 Nov too: 10 - 4 = 6 idle, and says so.
    assert library["year_idle_seats"] == 6
    text = reconciliation_sentence(library, after_days=N)
    assert text.endswith(
        "The year's idle seats figure (6) counts every contract in force in the year and all "
        "its term's activity; this compares the contract in force on 25 Oct 2026, with activity "
        "up to that day."
    )


def test_a_stale_report_does_not_hide_a_leaver() -> None:
    # The Library's report ends on 22 Nov, but the reporting date is 20 Dec: Ann (active on
    # 22 Nov, so active lately) left on 1 Dec, after the report's end and before the reporting
    # date. Her seat is a leaver's and is listed first; judged at the report's end she was not.
    roster = [*ROSTER_ROWS, {"learner_id": 1, "start_date": date(2020, 1, 6),
                             "end_date": date(2026, 12, 1)}][1:]  # fmt: skip
    result = seats_to_reclaim(usage(), contracts(), ends(END, date(2026, 12, 20)),
                              frame(PEOPLE, roster), after_days=N, currency="GBP")  # fmt: skip
    assert listed(result, 1)[:3] == [
        (1, 7, "left on 30 Jun 2026"),
        (1, 5, "left on 31 Oct 2026"),
        (1, 1, "left on 1 Dec 2026"),
    ]  # fmt: skip  (leavers first, the longest gone first)
    assert adds_up(by_product(result)[1])


def test_labels_prefer_the_email_then_the_name_then_a_pseudonym() -> None:
    learners = pl.DataFrame({
        "learner_id": [1, 2, 3], "key": ["a" * 64, "b" * 64, "c" * 64],
        "email": ["ann@corp.example", None, None], "display_name": [None, "Bo Ek", None],
    })  # fmt: skip
    got = dict(learner_labels(learners).rows())
    assert got == {1: "ann@corp.example", 2: "Bo Ek", 3: pseudonym("c" * 64)}
    assert got[3].startswith("L-") and len(got[3]) == 14 and "c" * 12 not in got[3]


# --- through the real import ------------------------------------------------------------------

PRODUCTS_CSV = (
    b"product,category,vendor,owner,sponsor,target_audience,lifecycle_stage,business_goal,"
    b"strategic_fit\n"
    b"Library,content library,Acme Learning,Ana,CFO,All staff,mature,Skills,4\n"
)
CONTRACTS_CSV = (
    b"product,vendor,start,end,seats,price_per_seat,currency\n"
    b"Library,Acme Learning,2026-01-01,2026-12-31,10,150.00,GBP\n"
)
USAGE_HEADER = b"product,learner,content_id,date,minutes,progress_pct,completed,org_unit\n"
USAGE_CSV = USAGE_HEADER + b"\n".join(
    [
        b"Library,ann@corp.example,c1,2026-11-22,30,,no,",
        b"Library,bo@corp.example,c1,2026-03-03,20,,no,",
        b"Library,cy@corp.example,c1,2026-11-01,0,0,no,",
        b"Library,di@corp.example,c1,2026-02-01,0,0,no,",
        b"Library,ed@corp.example,c1,2026-10-20,15,,no,",
        b"Library,fay@corp.example,c1,2026-01-10,0,0,no,Finance",
        b"Library,gus@corp.example,c1,2026-05-01,10,,no,",
        b"",
    ]
)  # fmt: skip
PEOPLE_CSV = (
    b"learner,org_unit,manager,cost_centre,start_date,end_date\n"
    b"ann@corp.example,Sales,,,2020-01-06,\n"
    b"di@corp.example,Ops,,,2026-10-15,\n"
    b"ed@corp.example,Sales,,,2022-03-01,2026-10-31\n"
    b"gus@corp.example,Ops,,,,2026-06-30\n"
)


@pytest.fixture
def _today(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("LP_AS_OF", "2026-11-23")
    monkeypatch.delenv("LP_STORE_IDENTITIES", raising=False)
    monkeypatch.delenv("LP_CURRENCY", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("_today")
def test_the_list_from_imported_contracts_usage_and_roster(engine: Engine) -> None:
    for name, data in [("products.csv", PRODUCTS_CSV), ("contracts.csv", CONTRACTS_CSV),
                       ("usage.csv", USAGE_CSV), ("people.csv", PEOPLE_CSV)]:  # fmt: skip
        result = import_file(data, file_name=name, engine=engine, actor=EDITOR)
        assert result.status == "imported", (name, result.errors)
    with engine.connect() as conn:
        frames = year_frames(conn, year=2026, currency="GBP")
    result = year_reclaim(
        frames, year=2026, as_of=date(2026, 11, 23), after_days=N, stale_after_days=45
    )
    (library,) = result.products.to_dicts()
    # As the hand-built Library: 10 seats, 7 holders, 4 active, 6 idle, 4 to reclaim (600.00).
    assert (library["report_end"], library["holders"], library["idle_seats"]) == (END, 7, 6)
    assert (library["to_reclaim"], library["reclaim_value"], result.value) == (4, 600.0, 600.0)
    assert library["vendor"] == "Acme Learning"
    rows = year_reclaim_rows(frames, result)
    secret = pseudonym_secret(get_settings())

    def alias(email: str) -> str:  # what the key holder computes from an identity
        return pseudonym(learner_key("email", email, secret=secret))

    assert rows.select("learner", "org_unit", "reason").rows() == [
        (alias("gus@corp.example"), "Ops", "left on 30 Jun 2026"),
        (alias("ed@corp.example"), "Sales", "left on 31 Oct 2026"),
        (alias("fay@corp.example"), "Finance", "never active"),
        (alias("bo@corp.example"), "unassigned", "no activity since 3 Mar 2026"),
    ]
    assert "@" not in rows.write_csv()
