"""Turn the product names a user typed into the exact names stored.

Why a module of its own: the command line's `--product` and, later, the
funding-review page's picker must agree on what "the product called X"
means. Names are matched exactly first, then ignoring case and surrounding
spaces; a name that matches nothing is refused with the closest stored names,
never silently dropped (a pack missing a product looks complete).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Final

__all__ = ["ProductSelectionError", "resolve_products"]

_MAX_SUGGESTIONS: Final[int] = 3
_SIMILARITY_CUTOFF: Final[float] = 0.6


class ProductSelectionError(ValueError):
    """Some requested names match no product, or several; the message says which."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _key(name: str) -> str:
    return name.strip().casefold()


def _suggestions(name: str, available: Sequence[str]) -> list[str]:
    by_key: dict[str, str] = {}
    for stored in available:
        by_key.setdefault(_key(stored), stored)
    close = difflib.get_close_matches(
        _key(name), list(by_key), n=_MAX_SUGGESTIONS, cutoff=_SIMILARITY_CUTOFF
    )
    return [by_key[k] for k in close]


def resolve_products(requested: Iterable[str], available: Sequence[str]) -> list[str]:
    """The stored names for `requested`, in the order given, each once.

    Parameters
    ----------
    requested
        Names as the user typed them.
    available
        The stored product names.

    Returns
    -------
    list of str
        Exact stored names, duplicates removed.

    Raises
    ------
    ProductSelectionError
        When a name matches no product (the message lists up to three close
        names, by `difflib` similarity), or matches several products that
        differ only in case (the message lists them: type the exact name).
        Every bad name is reported at once.

    Examples
    --------
    >>> resolve_products(["linkedin learning"], ["LinkedIn Learning", "Udemy"])
    ['LinkedIn Learning']
    """
    exact = set(available)
    folded: dict[str, list[str]] = {}
    for stored in available:
        folded.setdefault(_key(stored), []).append(stored)
    chosen: list[str] = []
    problems: list[str] = []
    for name in requested:
        if name in exact:
            chosen.append(name)
            continue
        matches = folded.get(_key(name), [])
        if len(matches) == 1:
            chosen.append(matches[0])
        elif matches:
            listed = ", ".join(repr(m) for m in matches)
            problems.append(f"{name!r} matches several products ({listed}): give the exact name")
        else:
            close = _suggestions(name, available)
            hint = (
                f"did you mean {' or '.join(repr(c) for c in close)}?"
                if close
                else f"no similar name among the {len(exact)} products"
            )
            problems.append(f"unknown product {name!r} ({hint})")
    if problems:
        raise ProductSelectionError(problems)
    return list(dict.fromkeys(chosen))
