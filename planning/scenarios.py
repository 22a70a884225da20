"""A saved what-if: weights, budget changes, forced choices, a cap and assumptions.

`Scenario` is a plain value, validated on construction, so a scenario read
back from the database or from a shared link is as trustworthy as one built
on the page. It travels two ways: `to_dict`/`from_dict` (JSON, for the
scenario table) and `to_query`/`from_query` (a compact share link in
`st.query_params`). Both round trips are exact, floats included: a funding
review reopened from a link shows the very same numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from planning.criteria import CRITERION_KEYS

__all__ = ["SCENARIO_FORMAT", "Scenario", "from_query", "to_query"]

SCENARIO_FORMAT = 1
"""Version of the `to_dict` layout, stored with it so a later layout can read old rows."""

_ASSUMPTION_KEY = re.compile(r"[A-Za-z0-9_.\-]+")
_FIELDS = (
    "format",
    "name",
    "year",
    "weights",
    "budget_changes",
    "forced_in",
    "forced_out",
    "cap",
    "assumptions",
    "notes",
)


def _number(value: object, what: str) -> float:
    """A finite float from an int or float (never a bool or a string)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{what} must be a number, got {value!r}"
        raise ValueError(msg)
    number = float(value)
    if not math.isfinite(number):
        msg = f"{what} must be finite, got {value!r}"
        raise ValueError(msg)
    return number


def _integer(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{what} must be a whole number, got {value!r}"
        raise ValueError(msg)
    return value


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        msg = f"scenario name must be non-empty text, got {name!r}"
        raise ValueError(msg)
    return name.strip()


def _check_year(year: object) -> int:
    year = _integer(year, "year")
    if not 1 <= year <= 9999:
        msg = f"year {year} is not between 1 and 9999"
        raise ValueError(msg)
    return year


def _check_weights(weights: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in weights.items():
        if key not in CRITERION_KEYS:
            msg = f"unknown weight key {key!r} (expected one of {', '.join(CRITERION_KEYS)})"
            raise ValueError(msg)
        out[key] = _number(value, f"weight {key!r}")
        if out[key] < 0:
            msg = f"weight {key!r} must be ≥ 0, got {value!r}"
            raise ValueError(msg)
    return out


def _check_changes(changes: Mapping[Any, Any]) -> dict[int, float]:
    out: dict[int, float] = {}
    for product_id, value in changes.items():
        pid = _integer(product_id, "budget change product id")
        out[pid] = _number(value, f"budget change of product {pid}")
        if not -1.0 <= out[pid] <= 1.0:
            msg = (
                f"budget change of product {pid} must be a fraction between -1 and 1 "
                f"(-100 % … +100 %), got {value!r}"
            )
            raise ValueError(msg)
    return out


def _check_ids(ids: Any, what: str) -> frozenset[int]:
    if isinstance(ids, str | bytes | Mapping) or not hasattr(ids, "__iter__"):
        msg = f"{what} must be a collection of product ids, got {ids!r}"
        raise ValueError(msg)
    return frozenset(_integer(pid, f"{what} product id") for pid in ids)


def _check_forced(forced_in: frozenset[int], forced_out: frozenset[int]) -> None:
    both = sorted(forced_in & forced_out)
    if both:
        msg = f"product(s) {', '.join(map(str, both))} forced both in and out"
        raise ValueError(msg)


def _check_cap(cap: object) -> float | None:
    if cap is None:
        return None
    number = _number(cap, "budget cap")
    if number < 0:
        msg = f"budget cap must be ≥ 0 (an amount of money), got {cap!r}"
        raise ValueError(msg)
    return number


def _check_assumptions(assumptions: Mapping[Any, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in assumptions.items():
        if not isinstance(key, str) or not _ASSUMPTION_KEY.fullmatch(key):
            msg = f"assumption name {key!r} must be letters, digits, '_', '.' or '-'"
            raise ValueError(msg)
        out[key] = _number(value, f"assumption {key!r}")
    return out


def _check_notes(notes: object) -> str:
    if not isinstance(notes, str):
        msg = f"notes must be text, got {notes!r}"
        raise ValueError(msg)
    return notes


@dataclass(frozen=True)
class Scenario:
    """One named what-if over a planning year.

    Attributes
    ----------
    name
        Shown in the scenario list; surrounding spaces are dropped.
    year
        The planning year whose budgets the changes apply to.
    weights
        Criterion key (`planning.criteria.CRITERION_KEYS`) → weight ≥ 0; a
        key left out weighs 0.
    budget_changes
        Product id → change as a fraction of its budget, −1.0 (cut to 0) …
        +1.0 (doubled).
    forced_in, forced_out
        Products the selection must fund / must not fund (never both).
    cap
        Budget cap in major units of the reporting currency, or None for no cap.
    assumptions
        Named numbers the what-if uses (e.g. "elasticity"); names are
        letters, digits, '_', '.' or '-' so they fit in a share link.
    notes
        Free text.

    Construction validates every field and raises ValueError saying which
    value is wrong; the mappings are copied, so the caller's dicts can
    change without changing the scenario.
    """

    name: str
    year: int
    weights: dict[str, float] = field(default_factory=dict)
    budget_changes: dict[int, float] = field(default_factory=dict)
    forced_in: frozenset[int] = frozenset()
    forced_out: frozenset[int] = frozenset()
    cap: float | None = None
    assumptions: dict[str, float] = field(default_factory=dict)
    notes: str = ""

    def __post_init__(self) -> None:
        checked = {
            "name": _check_name(self.name),
            "year": _check_year(self.year),
            "weights": _check_weights(_mapping(self.weights, "weights")),
            "budget_changes": _check_changes(_mapping(self.budget_changes, "budget_changes")),
            "forced_in": _check_ids(self.forced_in, "forced_in"),
            "forced_out": _check_ids(self.forced_out, "forced_out"),
            "cap": _check_cap(self.cap),
            "assumptions": _check_assumptions(_mapping(self.assumptions, "assumptions")),
            "notes": _check_notes(self.notes),
        }
        _check_forced(checked["forced_in"], checked["forced_out"])
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (string keys, sorted id lists) that `from_dict` reads back exactly.

        Examples
        --------
        Budget changes {12: -0.25} become {"12": -0.25}; forced_in
        frozenset({5, 3}) becomes [3, 5].
        """
        return {
            "format": SCENARIO_FORMAT,
            "name": self.name,
            "year": self.year,
            "weights": dict(self.weights),
            "budget_changes": {str(pid): v for pid, v in sorted(self.budget_changes.items())},
            "forced_in": sorted(self.forced_in),
            "forced_out": sorted(self.forced_out),
            "cap": self.cap,
            "assumptions": dict(self.assumptions),
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Read a `to_dict` result back, refusing anything it would not have written.

        Raises
        ------
        ValueError
            An unknown field, a missing name or year, another format
            version, or any value `Scenario` refuses.
        """
        if not isinstance(data, Mapping):
            msg = f"a scenario must be a mapping, got {type(data).__name__}"
            raise ValueError(msg)
        unknown = sorted(set(data) - set(_FIELDS))
        if unknown:
            msg = f"unknown scenario field(s): {', '.join(map(repr, unknown))}"
            raise ValueError(msg)
        for required in ("name", "year"):
            if required not in data:
                msg = f"scenario field {required!r} is missing"
                raise ValueError(msg)
        if data.get("format", SCENARIO_FORMAT) != SCENARIO_FORMAT:
            msg = f"scenario format {data['format']!r} is not {SCENARIO_FORMAT}"
            raise ValueError(msg)
        changes = _mapping(data.get("budget_changes", {}), "budget_changes")
        return cls(
            name=data["name"],
            year=data["year"],
            weights=_mapping(data.get("weights", {}), "weights"),
            budget_changes={_id_key(k): v for k, v in changes.items()},
            forced_in=_check_ids(data.get("forced_in", ()), "forced_in"),
            forced_out=_check_ids(data.get("forced_out", ()), "forced_out"),
            cap=data.get("cap"),
            assumptions=_mapping(data.get("assumptions", {}), "assumptions"),
            notes=data.get("notes", ""),
        )


def _mapping(value: object, what: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        msg = f"{what} must be a mapping, got {value!r}"
        raise ValueError(msg)
    return value


def _id_key(key: object) -> int:
    """A product id from a JSON object key ("12") or an int."""
    if isinstance(key, str) and re.fullmatch(r"-?[0-9]+", key):
        return int(key)
    return _integer(key, "budget change product id")


# --- share links --------------------------------------------------------------------


def _fmt(value: float) -> str:
    """Shortest exact text for a float: "3" for 3.0, else repr (which round-trips)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _pairs(items: Mapping[Any, float]) -> str:
    return ",".join(f"{key}:{_fmt(value)}" for key, value in items.items())


def to_query(scenario: Scenario) -> dict[str, str]:
    """The scenario as short query parameters for a share link.

    Returns
    -------
    dict of str to str
        `name`, `y` (year) always; `w` ("strategic_fit:3,reach:2"), `b`
        ("7:0.1,12:-0.25", product id: budget change), `in` and `out`
        ("3,5"), `cap` (major units), `a` ("elasticity:0.5") and `notes` only when
        set. Numbers are written exactly (Python's shortest round-trip
        repr), so `from_query(to_query(s)) == s`.
    """
    query = {"name": scenario.name, "y": str(scenario.year)}
    optional = {
        "w": _pairs(scenario.weights),
        "b": _pairs(dict(sorted(scenario.budget_changes.items()))),
        "in": ",".join(map(str, sorted(scenario.forced_in))),
        "out": ",".join(map(str, sorted(scenario.forced_out))),
        "cap": "" if scenario.cap is None else _fmt(scenario.cap),
        "a": _pairs(scenario.assumptions),
        "notes": scenario.notes,
    }
    query.update({key: value for key, value in optional.items() if value})
    return query


_T = TypeVar("_T")


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        msg = f"{text!r} is not a finite number"
        raise ValueError(msg)
    return value


def _parse_pairs(text: str, key_type: Callable[[str], _T]) -> dict[_T, float]:
    out: dict[_T, float] = {}
    for item in filter(None, text.split(",")):
        key, sep, value = item.partition(":")
        if not sep:
            msg = f"{item!r} is not name:number"
            raise ValueError(msg)
        parsed = key_type(key.strip())
        if parsed in out:
            msg = f"{key!r} is given twice"
            raise ValueError(msg)
        out[parsed] = _parse_float(value.strip())
    return out


def _parse_ids(text: str) -> frozenset[int]:
    return frozenset(int(item) for item in filter(None, text.split(",")))


def _text_key(key: str) -> str:
    return key


def _last(params: Mapping[str, str | list[str]], key: str) -> str | None:
    """The parameter's value; the last one when repeated (as `st.query_params` does)."""
    value = params.get(key)
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def from_query(params: Mapping[str, str | list[str]]) -> Scenario:
    """Rebuild a scenario from share-link query parameters (see `to_query`).

    Parameters other than the scenario's are ignored (the page may keep its
    own in the same link).

    Raises
    ------
    ValueError
        A missing `name` or `y`, or a value that does not parse or that
        `Scenario` refuses; the message names the query parameter.
    """
    parsers: dict[str, tuple[str, Callable[[str], Any], Callable[[Any], Any]]] = {
        "name": ("name", str, _check_name),
        "y": ("year", int, _check_year),
        "w": ("weights", lambda t: _parse_pairs(t, _text_key), _check_weights),
        "b": ("budget_changes", lambda t: _parse_pairs(t, int), _check_changes),
        "in": ("forced_in", _parse_ids, lambda ids: ids),
        "out": ("forced_out", _parse_ids, lambda ids: ids),
        "cap": ("cap", _parse_float, _check_cap),
        "a": ("assumptions", lambda t: _parse_pairs(t, _text_key), _check_assumptions),
        "notes": ("notes", str, _check_notes),
    }
    values: dict[str, Any] = {}
    for key, (name, parse, check) in parsers.items():
        text = _last(params, key)
        if text is None:
            if key in ("name", "y"):
                msg = f"query parameter {key!r} is missing"
                raise ValueError(msg)
            continue
        try:
            values[name] = check(parse(text))
        except (ValueError, TypeError) as exc:
            msg = f"query parameter {key!r}: {exc}"
            raise ValueError(msg) from exc
    try:
        return Scenario(**values)
    except ValueError as exc:
        msg = f"query parameters 'in'/'out': {exc}"
        raise ValueError(msg) from exc
