"""The sponsor's units (metrics.sponsor_units): which org units a product's texts name, the
whole organisation's reach, and the sentence the pages and packs show, hand-made cases."""

from __future__ import annotations

import string
from datetime import date

import polars as pl
import pytest

from metrics.people import headcount
from metrics.schema import USAGE, frame
from metrics.sponsor_units import (
    organisation_reach,
    sponsor_units,
    sponsor_units_line,
    unit_figure,
)

UNITS = ["Sales", "Sales Ops", "Customer Service", "Engineering", "R&D (UK)", "Ops", "HR"]


def _named(audiences: list[str | None], sponsors: list[str | None] | None = None,
           units: list[str] = UNITS) -> list[tuple[list[str], str | None]]:  # fmt: skip
    products = pl.DataFrame(
        {
            "product_id": list(range(1, len(audiences) + 1)),
            "target_audience": audiences,
            "sponsor": sponsors or [None] * len(audiences),
        },
        schema={"product_id": pl.Int64, "target_audience": pl.String, "sponsor": pl.String},
    )
    got = sponsor_units(products, pl.DataFrame({"org_unit": units}))
    assert got.columns == ["product_id", "sponsor_units", "named_in"]
    assert got["product_id"].to_list() == products["product_id"].to_list()  # order kept
    return [(list(u), n) for u, n in got.select("sponsor_units", "named_in").rows()]


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("Sales team", ["Sales"]),
        ("Customer Service agents", ["Customer Service"]),
        ("Engineering", ["Engineering"]),
        # case, punctuation, spacing and hyphens between a unit's words
        ("SALES TEAM", ["Sales"]),
        ("customer service agents.", ["Customer Service"]),
        ("Customer   Service (all shifts)", ["Customer Service"]),
        ("customer-service agents", ["Customer Service"]),
        ("Engineering, and Sales!", ["Engineering", "Sales"]),  # in the order named
        ("(Sales)/Engineering", ["Sales", "Engineering"]),
        # longest match wins where units overlap; both when both are named apart
        ("Sales Ops team", ["Sales Ops"]),
        ("Sales and Sales Ops", ["Sales", "Sales Ops"]),
        ("Sales Operations", ["Sales"]),  # "Sales Ops" is not a prefix of a word
        # whole words only
        ("Shops and salespeople", []),
        ("Customer success", []),  # a multi-word unit matches only as a phrase
        ("HRBP network", []),
        ("Sales, Sales and sales", ["Sales"]),  # named once however often
        # regex metacharacters in a unit's name are literal
        ("R&D (UK) engineers", ["R&D (UK)"]),
        ("r&d (uk)", ["R&D (UK)"]),
        ("R&D UK", []),
        ("R&D (US)", []),
        # names no unit
        ("All employees", []),
        ("New joiners", []),
        ("", []),
        (None, []),
    ],
)
def test_the_units_a_target_audience_names(audience: str | None, expected: list[str]) -> None:
    [(units, named_in)] = _named([audience])
    assert units == expected
    assert named_in == ("target_audience" if expected else None)


def test_the_sponsor_is_read_only_when_the_audience_names_no_unit() -> None:
    got = _named(
        ["Customer Service agents", "Front-line agents", "All employees"],
        ["HR Director", "Customer Service Director", "COO"],
    )
    assert got == [
        (["Customer Service"], "target_audience"),  # the audience decides; HR is not added
        (["Customer Service"], "sponsor"),
        ([], None),
    ]


def test_units_are_returned_as_the_roster_spells_them() -> None:
    [(units, _)] = _named(["sales ENGINEERING"], units=["SaLeS", "engineering", "  ", "SaLeS"])
    assert units == ["SaLeS", "engineering"]


def test_no_roster_names_no_unit() -> None:
    assert _named(["Sales team"], units=[]) == [([], None)]


def test_every_punctuation_mark_is_literal_and_a_unit_of_hyphens_names_nothing() -> None:
    marks = [c for c in string.punctuation if c != "-"]
    units = ["-", " - ", *marks, *(f"U{c}x" for c in marks)]
    audiences = [f"the {u} people" for u in units[2:]] + ["a-b - c", "none"]
    got = _named(audiences, units=units)
    assert [u for u, _ in got] == [[u] for u in units[2:]] + [[], []]


def test_a_metacharacter_unit_never_acts_as_a_pattern() -> None:
    # "A.B" would match "AxB" as a regex; "C+" would match "CCC"; "(" alone would not compile.
    units = ["A.B", "C+", "(", "[x]"]
    assert _named(["AxB team", "CCC", "A.B team", "C+ devs", "( group", "[x] guild"],
                  units=units) == [([], None), ([], None), (["A.B"], "target_audience"),
                                   (["C+"], "target_audience"), (["("], "target_audience"),
                                   (["[x]"], "target_audience")]  # fmt: skip


# --- the whole organisation's reach --------------------------------------------------------


def _roster(sizes: dict[str, int]) -> pl.DataFrame:
    rows = [(unit, None, None) for unit, n in sizes.items() for _ in range(n)]
    return pl.DataFrame(rows, schema={"org_unit": pl.String, "start_date": pl.Date,
                                      "end_date": pl.Date}, orient="row")  # fmt: skip


def _usage(active: dict[int, int], idle: int = 0) -> pl.DataFrame:
    rows = [
        {"product_id": pid, "learner_id": pid * 1000 + i, "date": date(2026, 5, 4), "minutes": 9.0}
        for pid, n in active.items()
        for i in range(n)
    ]
    rows += [
        {"product_id": 1, "learner_id": 9000 + i, "date": date(2026, 5, 4), "minutes": 0.0}
        for i in range(idle)
    ]
    return frame(USAGE, rows)


def _organisation(usage: pl.DataFrame, roster: pl.DataFrame, ids: list[int]) -> pl.DataFrame:
    return organisation_reach(
        usage,
        headcount(roster, on=date(2026, 11, 23)),
        product_ids=ids,
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        min_group=5,
    )


def test_the_whole_organisation_reach_per_product_and_portfolio() -> None:
    # 40 people in post (Sales 25, Ops 15). Product 1: 12 active (and 3 with 0 minutes);
    # product 2: 3 active (hidden); product 3: no usage (no row). The portfolio: 15 active.
    got = _organisation(_usage({1: 12, 2: 3}, idle=3), _roster({"Sales": 25, "Ops": 15}), [1, 2, 3])
    assert got.rows() == [
        (1, 40, 12, pytest.approx(12 / 40), False),  # computed by hand: 12 / 40 = 0.30
        (2, 40, None, None, True),
        (None, 40, 15, pytest.approx(15 / 40), False),
    ]


def test_without_a_roster_the_reach_is_null_and_a_small_headcount_hidden() -> None:
    no_roster = _organisation(_usage({1: 7}), _roster({}), [1])
    assert no_roster.rows()[0] == (1, None, 7, None, False)
    tiny = _organisation(_usage({1: 0, 2: 6}), _roster({"Legal": 3}), [1, 2])
    assert tiny.filter(pl.col("product_id") == 2).rows() == [(2, None, 6, None, False)]


# --- the sentence ----------------------------------------------------------------------------


def _row(unit: str, heads: int | None, active: int | None, *, hidden: bool = False) -> dict:
    reach = None if hidden or heads is None or active is None else active / heads
    return {"org_unit": unit, "headcount": heads, "active_learners": active, "reach": reach,
            "suppressed": hidden}  # fmt: skip


def test_the_line_for_named_units_never_gives_a_small_figure() -> None:
    rows = [_row("Sales", 285, 120), _row("Sales Ops", 12, None, hidden=True), _row("Ops", 40, 0)]
    organisation = _row("whole organisation", 337, 125)
    line = sponsor_units_line(["Sales", "Sales Ops"], rows, organisation, min_group=5)
    # computed by hand: 120 / 285 = 42.1 %
    assert (
        line == "Sales — reach 42% (120 of 285 in post); Sales Ops — fewer than 5 active learners"
    )


def test_the_line_when_no_unit_is_named_shows_the_whole_organisation() -> None:
    line = sponsor_units_line([], [], _row("whole organisation", 4000, 480), min_group=5)
    # computed by hand: 480 / 4000 = 12 %
    assert line == (
        "no org unit named in its target audience; whole organisation — "
        "reach 12% (480 of 4,000 in post)"
    )


def test_the_line_without_roster_or_usage() -> None:
    assert sponsor_units_line(["Sales"], [], None, min_group=5) == (
        "no roster imported: reach by org unit not tracked"
    )
    untracked = {"headcount": 40, "active_learners": None, "reach": None, "suppressed": False}
    assert sponsor_units_line([], [], untracked, min_group=5).endswith("usage not tracked")
    assert sponsor_units_line(["Sales"], [], untracked, min_group=5) == "Sales — usage not tracked"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (None, "no one in post and no active learners"),
        ({"headcount": None, "active_learners": 0, "reach": 0.0, "suppressed": False},
         "reach 0% (0 active; none or fewer than 5 in post)"),
        ({"headcount": None, "active_learners": 9, "reach": None, "suppressed": False},
         "9 active learners; headcount not shown (none or fewer than 5 in post)"),
        ({"headcount": 3, "active_learners": 3, "reach": 1.0, "suppressed": True},
         "fewer than 5 active learners"),  # even a figure given by mistake is not shown
    ],
)  # fmt: skip
def test_each_unit_figure(row: dict | None, expected: str) -> None:
    assert unit_figure(row, min_group=5) == expected


def test_a_reach_over_a_hidden_headcount_is_never_said() -> None:
    # 6 active over a headcount of 3 (hidden): a reach of 200 % would tell the 3.
    leaky = {"headcount": None, "active_learners": 6, "reach": 2.0, "suppressed": False}
    assert "200" not in unit_figure(leaky, min_group=5)
    assert unit_figure(leaky, min_group=5) == (
        "6 active learners; headcount not shown (none or fewer than 5 in post)"
    )
