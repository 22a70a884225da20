"""The JSON writer's text is `json.dumps(pack, indent=2)`'s, made by orjson.

Issue 20: with an indent the standard library encodes value by value in Python
(0.5-1 s of a 2,000-product pack's build); `exports.json_writer` lets orjson write it
in native code. These tests hold a pack to the same bytes, any other nesting of plain
values to the same JSON value (orjson writes ``1e-7`` where `json` writes ``1e-07``),
and what orjson does not take to `json.dumps`'s own text.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from exports.json_writer import render_json
from tests.test_pack_speed_paths import pack_of, portfolio


def _standard(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def _pack() -> Any:
    return pack_of(portfolio(8, rows=600))


def test_a_pack_is_written_byte_for_byte_as_json_dumps_writes_it() -> None:
    pack = _pack()
    assert render_json(pack) == _standard(pack)


def _value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth > 4 or pick < 0.4:
        return rng.choice(
            [None, True, False, 0, -3, 10**20, 2.5, -0.0, 1e-7, 1e300, "", "Café \"x\"",
             "a,\n  b: [c]", "{}", "\u2028"]
        )  # fmt: skip
    if pick < 0.6:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if pick < 0.7:
        return tuple(_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    return {
        rng.choice(["a", "é", "k,\n", "{"]) + str(i): _value(rng, depth + 1)
        for i in range(rng.randint(0, 4))
    }


def test_any_nesting_of_plain_values_is_written_as_the_same_json() -> None:
    rng = random.Random(20)
    for _ in range(3_000):
        value = _value(rng)
        text = render_json(value)  # type: ignore[arg-type]
        assert text.endswith(b"\n")
        assert json.loads(text) == json.loads(_standard(value)), value
        if b"e-" not in text:  # the one way the texts differ: a float's exponent
            assert text == _standard(value), value


@pytest.mark.parametrize(("value", "text"), [(1e-7, b"1e-7"), (1e-05, b"0.00001")])
def test_a_float_below_a_ten_thousandth_is_the_same_number_in_other_words(
    value: float, text: bytes
) -> None:
    assert render_json([value]) == b"[\n  " + text + b"\n]\n"  # type: ignore[arg-type]
    assert json.loads(render_json([value])) == [value]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "odd",
    [{1: "a number as a key"}, {"a": [{"b": {2.5: None}}]}, {"a": [True, {"b": 1}]}, [10**20]],
)
def test_what_the_fast_way_does_not_expect_is_still_written_the_same(odd: Any) -> None:
    assert render_json(odd) == _standard(odd)


@pytest.mark.parametrize("bad", [{"a": [float("nan")]}, {"a": {"b": float("inf")}, "c": [[1]]}])
def test_a_number_that_is_not_one_is_written_null_as_the_payload_writes_it(bad: Any) -> None:
    """NaN is not JSON; the payload turns it into null, and so does the writer."""
    text = render_json(bad)
    assert b"NaN" not in text and b"Infinity" not in text
    assert json.loads(text) == json.loads(
        json.dumps(bad).replace("NaN", "null").replace("Infinity", "null")
    )


def _plain_types(value: Any) -> bool:
    """No container in the pack is of a type of its own (a list subclass, a tuple)."""
    if isinstance(value, dict):
        return type(value) is dict and all(_plain_types(v) for v in value.values())
    if isinstance(value, list):
        return type(value) is list and all(_plain_types(v) for v in value)
    return not isinstance(value, tuple)


def test_rows_handed_on_unchecked_are_what_the_check_would_give() -> None:
    """Rows known ready (`exports.payload._Ready`) come out as a check of each would leave them."""
    from exports.payload import _json_value

    pack = _pack()
    assert _plain_types(dict(pack))
    for key, value in pack.items():
        assert _json_value(key, value, 2) == value
    for product in pack["products"]:
        for key, value in product.items():
            assert _json_value(key, value, 2) == value, key
