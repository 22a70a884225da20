"""The funding pack as JSON, for automation (DESIGN, "Funding-pack export").

Why so little here: the payload is already JSON-ready (`exports.payload`),
so this writer only fixes the encoding: UTF-8 with names as stored (no
escaped non-ASCII letters, no formula neutralising: the JSON keeps names exactly),
two-space indentation for people who open the file, and a refusal of NaN,
which is not JSON.

Why not simply `json.dumps(pack, indent=2)`: with an indent, the standard
library encodes value by value in Python (about 1 s for a 2,000-product pack,
30 MB), while without one it runs in C. The text is the same either way:
every object or list holding no object or list (a TDRp row, a month, a list
of names) is encoded by the C encoder in one call, with the separator
"comma, newline" + the indent of its items, so it comes out exactly as the indenting
encoder writes it; only the few containers that hold containers (the pack,
each product) are walked here. Anything this walk does not expect (a key
that is not a string) falls back to `json.dumps` for the whole pack.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import cache
from itertools import chain
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from exports.collector import collector_paused
from exports.payload import FundingPack

__all__ = ["render_json"]

_INDENT = "  "
_SCALARS = frozenset({str, int, float, bool, type(None)})
_KEYS = frozenset({str})
_ROWS = frozenset({dict})


class _UnexpectedError(Exception):
    """A value the fast walk leaves to `json.dumps` (the text would be the same)."""


def render_json(pack: FundingPack) -> bytes:
    """The pack as UTF-8 JSON text ending in a newline.

    The text is exactly ``json.dumps(pack, ensure_ascii=False, indent=2,
    allow_nan=False)``, made faster (see the module docstring).

    Raises ValueError if a value is NaN or infinite (the payload turns those
    into null, so this would be a bug upstream, not bad data).
    """
    try:
        parts: list[str] = []
        with collector_paused():
            _encode(pack, 0, parts)
        text = "".join(parts)
    except _UnexpectedError:
        text = json.dumps(pack, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


@cache
def _flat(depth: int) -> Callable[[Any, int], Any]:
    """The C encoder of a container of scalars whose items sit at `depth` + 1, as indent=2 does.

    It puts its item separator between items only, never inside a string, so
    "comma, newline" and the items' indent give the indented text once the opening and
    closing brackets are moved to lines of their own.
    """
    if c_make_encoder is None:  # no C accelerator: the standard library's own way
        raise _UnexpectedError
    return c_make_encoder(  # type: ignore[no-any-return]
        None, _refuse, encode_basestring, None, ": ", ",\n" + _INDENT * (depth + 1),
        False, False, False,
    )  # fmt: skip


def _refuse(value: object) -> None:
    """What `json.dumps` does with a value it cannot encode (never in a pack)."""
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _scalar(value: Any) -> str:
    """A string, number, boolean or null (of exactly those types) as JSON."""
    if type(value) is str:
        return encode_basestring(value)  # type: ignore[no-any-return]
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if value != value or value in (math.inf, -math.inf):
        msg = f"Out of range float values are not JSON compliant: {value!r}"
        raise ValueError(msg)
    return float.__repr__(value)


def _are_rows(rows: list[dict[Any, Any]]) -> bool:
    """Non-empty objects of scalars under string keys, all of them.

    Checked over every row's keys and values at once (C iterators), not row by
    row: a 2,000-product pack has 85,000 rows.
    """
    return (
        all(rows)
        and set(map(type, chain.from_iterable(rows))) <= _KEYS
        and set(map(type, chain.from_iterable(map(dict.values, rows)))) <= _SCALARS
    )


def _rows(rows: Any, depth: int) -> str:
    """A list of non-empty objects of scalars (table rows) at `depth`, in one C encoder call.

    Encoded with the separator of the rows' fields, the text holds "},", that
    separator and "{" only between two rows (a raw newline is never inside a
    string, and a field is followed by a key, never by "{"), so each such
    boundary and both ends are re-indented by replacing them.
    """
    outer, inner = _INDENT * (depth + 1), _INDENT * (depth + 2)
    text = "".join(_flat(depth + 1)(rows, 0))  # "[{" ... "}]"
    body = text[2:-2].replace("},\n" + inner + "{", "\n" + outer + "},\n" + outer + "{\n" + inner)
    return "[\n" + outer + "{\n" + inner + body + "\n" + outer + "}\n" + _INDENT * depth + "]"


def _encode(value: Any, depth: int, out: list[str]) -> None:
    """Append `value`'s indented JSON text at `depth` (its first line unindented) to `out`."""
    kind = type(value)
    if kind in _SCALARS:
        out.append(_scalar(value))
        return
    if kind is dict:
        if not value:
            out.append("{}")
            return
        if not set(map(type, value)) <= _KEYS:
            raise _UnexpectedError
        types = set(map(type, value.values()))
        opening, closing = "{", "}"
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        types = set(map(type, value))
        opening, closing = "[", "]"
    else:
        raise _UnexpectedError
    inner = _INDENT * (depth + 1)
    end = "\n" + _INDENT * depth + closing
    if types <= _SCALARS:
        text = "".join(_flat(depth)(value, 0))
        out.append(opening + "\n" + inner + text[1:-1] + end)
        return
    if kind is list and types == _ROWS and _are_rows(value):
        out.append(_rows(value, depth))
        return
    out.append(opening + "\n")
    items = value.items() if kind is dict else enumerate(value)
    for i, (k, v) in enumerate(items):
        head = (",\n" if i else "") + inner
        out.append(head + encode_basestring(k) + ": " if kind is dict else head)
        if type(v) in _SCALARS:
            out.append(_scalar(v))
        else:
            _encode(v, depth + 1, out)
    out.append(end)
