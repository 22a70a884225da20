"""Which output formats exist, and which writer renders each.

Why a registry: the command line and the funding-review page offer the same
formats, one writer module per format (`exports.json_writer`,
`exports.xlsx_writer`, `exports.html_writer`, `exports.pdf_writer`).

The list formats (`LIST_FORMATS`) write a list to act on rather than the
pack, so the funding-review page does not offer them beside it: `reclaim`
is the seats to reclaim as CSV (`render_reclaim_csv`), the file the Seats to
reclaim view downloads and `python -m exports --format reclaim` writes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Final, Literal, TypeAlias

import polars as pl

from exports.html_writer import render_html
from exports.json_writer import render_json
from exports.payload import FundingPack
from exports.pdf_writer import render_pdf
from exports.safety import neutralise_frame
from exports.xlsx_writer import render_xlsx
from settings import Settings

__all__ = [
    "FORMATS",
    "LIST_FORMATS",
    "RECLAIM_HEADERS",
    "Format",
    "ListFormat",
    "Writer",
    "render_reclaim_csv",
    "writer_for",
]

Format: TypeAlias = Literal["json", "xlsx", "html", "pdf"]
FORMATS: Final[tuple[Format, ...]] = ("json", "xlsx", "html", "pdf")
"""Every format of the export contract, in the order the page offers them."""

ListFormat: TypeAlias = Literal["reclaim"]
LIST_FORMATS: Final[tuple[ListFormat, ...]] = ("reclaim",)
"""Formats that write a list to act on, not the funding pack (the command line only)."""

Writer: TypeAlias = Callable[[FundingPack], bytes]
"""Renders a funding pack to the bytes of one file."""

_WRITERS: Final[dict[Format, Callable[[Settings], Writer]]] = {
    "json": lambda _settings: render_json,
    "xlsx": lambda _settings: render_xlsx,
    "html": lambda _settings: render_html,
    "pdf": lambda settings: partial(render_pdf, chromium=settings.chromium_path),
}
"""Per format, the writer as the settings configure it (the PDF's browser)."""


def writer_for(fmt: Format, *, settings: Settings) -> Writer:
    """The writer of `fmt` configured by `settings` (the PDF's browser).

    Raises
    ------
    ValueError
        For a name that is not one of `FORMATS`, naming it.
    """
    if fmt not in _WRITERS:
        msg = f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}"
        raise ValueError(msg)
    return _WRITERS[fmt](settings)


RECLAIM_HEADERS: Final[dict[str, str]] = {
    "product": "Product",
    "vendor": "Vendor",
    "learner": "Learner",
    "org_unit": "Org unit",
    "reason": "Reason",
    "last_active": "Last active",
    "first_seen": "First seen",
    "left_on": "Left on",
}
"""The seats-to-reclaim list's columns (`metrics.reclaim.RECLAIM_COLUMNS`) and their headers."""


def render_reclaim_csv(rows: pl.DataFrame) -> bytes:
    """The seats to reclaim as CSV: one row per person, leavers first, as listed.

    `rows` is `metrics.reclaim.reclaim_rows` (a learner is an e-mail only when
    identities are stored, else a pseudonym; never a key). Dates are ISO
    (2026-06-30), a missing one an empty cell; text cells are made inert for
    spreadsheets (`exports.safety.neutralise_frame`).

    Examples
    --------
    >>> from datetime import date
    >>> rows = pl.DataFrame({"product": ["Library"], "vendor": ["Acme"],
    ...     "learner": ["L-271a413bd339"], "org_unit": ["=Sales"], "reason": ["never active"],
    ...     "last_active": [None], "first_seen": [date(2026, 1, 10)], "left_on": [None]})
    >>> print(render_reclaim_csv(rows).decode())
    Product,Vendor,Learner,Org unit,Reason,Last active,First seen,Left on
    Library,Acme,L-271a413bd339,'=Sales,never active,,2026-01-10,
    <BLANKLINE>
    """
    table = rows.select(pl.col(name).alias(header) for name, header in RECLAIM_HEADERS.items())
    return neutralise_frame(table).write_csv().encode("utf-8")
