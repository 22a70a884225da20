import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.criteria import CRITERION_KEYS
from planning.scenarios import SCENARIO_FORMAT, Scenario, from_query, to_query


@pytest.fixture
def review() -> Scenario:
    """A funding-review scenario with a bit of everything."""
    return Scenario(
        name="Q3 funding review",
        year=2026,
        weights={"strategic_fit": 3.0, "reach": 2.0, "cost_efficiency": 0.5},
        budget_changes={12: -0.25, 7: 0.1},
        forced_in=frozenset({3}),
        forced_out=frozenset({5, 4}),
        cap=250_000.0,
        assumptions={"elasticity": 0.6},
        notes="Board asked for a 10 % cut.",
    )


def test_to_dict_is_json_safe(review: Scenario) -> None:
    assert review.to_dict() == {
        "format": SCENARIO_FORMAT,
        "name": "Q3 funding review",
        "year": 2026,
        "weights": {"strategic_fit": 3.0, "reach": 2.0, "cost_efficiency": 0.5},
        "budget_changes": {"7": 0.1, "12": -0.25},
        "forced_in": [3],
        "forced_out": [4, 5],
        "cap": 250_000.0,
        "assumptions": {"elasticity": 0.6},
        "notes": "Board asked for a 10 % cut.",
    }
    assert Scenario.from_dict(json.loads(json.dumps(review.to_dict()))) == review


def test_to_query_is_short_and_readable(review: Scenario) -> None:
    assert to_query(review) == {
        "name": "Q3 funding review",
        "y": "2026",
        "w": "strategic_fit:3,reach:2,cost_efficiency:0.5",
        "b": "7:0.1,12:-0.25",
        "in": "3",
        "out": "4,5",
        "cap": "250000",
        "a": "elasticity:0.6",
        "notes": "Board asked for a 10 % cut.",
    }
    assert from_query(to_query(review)) == review


def test_a_bare_scenario_has_a_bare_query() -> None:
    bare = Scenario(name="Base", year=2027)
    assert to_query(bare) == {"name": "Base", "y": "2027"}
    assert from_query({"name": "Base", "y": "2027"}) == bare
    assert Scenario.from_dict({"name": "Base", "year": 2027}) == bare


def test_the_scenario_copies_and_normalises_its_inputs() -> None:
    weights = {"reach": 1}
    scenario = Scenario(name="  Lean  ", year=2026, weights=weights, forced_in=[1, 2])  # type: ignore[arg-type]
    weights["reach"] = 99
    assert scenario.name == "Lean"
    assert scenario.weights == {"reach": 1.0}
    assert isinstance(scenario.weights["reach"], float)
    assert scenario.forced_in == frozenset({1, 2})
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"name": " "}, "name must be non-empty"),
        ({"year": 0}, "year 0"),
        ({"year": True}, "year must be a whole number"),
        ({"weights": {"popularity": 1.0}}, "unknown weight key 'popularity'"),
        ({"weights": {"reach": -1.0}}, "weight 'reach' must be ≥ 0"),
        ({"weights": {"reach": float("nan")}}, "weight 'reach' must be finite"),
        ({"budget_changes": {12: 1.5}}, "budget change of product 12 .* between -1 and 1"),
        ({"budget_changes": {12: -1.01}}, "budget change of product 12"),
        ({"budget_changes": {"12": 0.1}}, "product id must be a whole number"),
        (
            {"forced_in": frozenset({3}), "forced_out": frozenset({3, 4})},
            "3 forced both in and out",
        ),
        ({"cap": -1.0}, "budget cap must be ≥ 0"),
        ({"cap": "lots"}, "budget cap must be a number"),
        ({"assumptions": {"with space": 1.0}}, "assumption name 'with space'"),
        ({"assumptions": {"elasticity": "high"}}, "assumption 'elasticity' must be a number"),
        ({"notes": None}, "notes must be text"),
    ],
)
def test_invalid_scenarios_are_refused(changes: dict[str, Any], match: str) -> None:
    base: dict[str, Any] = {"name": "S", "year": 2026}
    with pytest.raises(ValueError, match=match):
        Scenario(**(base | changes))


def test_extremes_are_allowed() -> None:
    scenario = Scenario(name="S", year=2026, budget_changes={1: -1.0, 2: 1.0}, cap=0.0)
    assert scenario.budget_changes == {1: -1.0, 2: 1.0}


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"name": "S", "year": 2026, "colour": "red"}, "unknown scenario field.*'colour'"),
        ({"year": 2026}, "'name' is missing"),
        ({"name": "S"}, "'year' is missing"),
        ({"name": "S", "year": 2026, "format": 2}, "format 2"),
        ({"name": "S", "year": 2026, "weights": [1, 2]}, "weights must be a mapping"),
        ({"name": "S", "year": 2026, "budget_changes": {"x": 0.1}}, "product id"),
        ({"name": "S", "year": 2026, "forced_in": "3,4"}, "forced_in must be a collection"),
        ({"name": "S", "year": 2026, "forced_in": [1.5]}, "forced_in product id"),
        ({"name": "S", "year": "2026"}, "year must be a whole number"),
    ],
)
def test_from_dict_is_strict(data: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Scenario.from_dict(data)


def test_from_dict_refuses_a_non_mapping() -> None:
    with pytest.raises(ValueError, match="must be a mapping"):
        Scenario.from_dict([("name", "S")])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"y": "2026"}, "'name' is missing"),
        ({"name": "S"}, "'y' is missing"),
        ({"name": "S", "y": "twenty"}, "query parameter 'y'"),
        ({"name": "S", "y": "2026", "w": "reach"}, "query parameter 'w'.*name:number"),
        ({"name": "S", "y": "2026", "w": "reach:lots"}, "query parameter 'w'"),
        ({"name": "S", "y": "2026", "w": "reach:1,reach:2"}, "query parameter 'w'.*twice"),
        ({"name": "S", "y": "2026", "w": "fame:1"}, "query parameter 'w'.*unknown weight key"),
        ({"name": "S", "y": "2026", "b": "x:0.1"}, "query parameter 'b'"),
        ({"name": "S", "y": "2026", "b": "3:2"}, "query parameter 'b'.*between -1 and 1"),
        ({"name": "S", "y": "2026", "in": "3,x"}, "query parameter 'in'"),
        ({"name": "S", "y": "2026", "cap": "inf"}, "query parameter 'cap'.*finite"),
        ({"name": "S", "y": "2026", "cap": "-5"}, "query parameter 'cap'"),
        ({"name": "S", "y": "2026", "a": "e:nan"}, "query parameter 'a'"),
        ({"name": "S", "y": "2026", "in": "3", "out": "3"}, "'in'/'out'.*forced both"),
    ],
)
def test_bad_query_values_name_their_key(params: dict[str, str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        from_query(params)


def test_query_takes_the_last_of_repeated_values_and_ignores_other_parameters() -> None:
    got = from_query({"name": ["old", "new"], "y": "2026", "page": "prioritise", "b": []})
    assert got == Scenario(name="new", year=2026)


def test_query_tolerates_spaces_and_empty_items() -> None:
    got = from_query({"name": "S", "y": "2026", "w": "reach: 2, strategic_fit:1,", "in": "1,,2"})
    assert got.weights == {"reach": 2.0, "strategic_fit": 1.0}
    assert got.forced_in == frozenset({1, 2})


# --- properties ---------------------------------------------------------------------

_finite = st.floats(allow_nan=False, allow_infinity=False)
_ids = st.integers(-(2**40), 2**40)
_id_sets = st.frozensets(_ids, max_size=5)
_assumption_names = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", min_size=1
)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    forced_in = draw(_id_sets)
    forced_out = draw(_id_sets) - forced_in
    return Scenario(
        name=draw(st.text(min_size=1).filter(lambda s: s.strip())),
        year=draw(st.integers(1, 9999)),
        weights=draw(
            st.dictionaries(st.sampled_from(CRITERION_KEYS), st.floats(0, 1e300), max_size=5)
        ),
        budget_changes=draw(st.dictionaries(_ids, st.floats(-1.0, 1.0), max_size=6)),
        forced_in=forced_in,
        forced_out=forced_out,
        cap=draw(st.none() | st.floats(0, 1e300)),
        assumptions=draw(st.dictionaries(_assumption_names, _finite, max_size=4)),
        notes=draw(st.text(max_size=40)),
    )


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_query_round_trip_is_exact(scenario: Scenario) -> None:
    query = to_query(scenario)
    assert all(isinstance(value, str) for value in query.values())
    assert from_query(query) == scenario  # floats compared exactly


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_dict_round_trip_through_json_is_exact(scenario: Scenario) -> None:
    stored = json.dumps(scenario.to_dict(), allow_nan=False)
    back = Scenario.from_dict(json.loads(stored))
    assert back == scenario
    assert back.to_dict() == scenario.to_dict()
