"""Which output formats exist, and which writer renders each.

Why a registry: the command line and the funding-review page offer the same
formats, one writer module per format (`exports.json_writer`,
`exports.xlsx_writer`, `exports.html_writer`, `exports.pdf_writer`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal, TypeAlias

from exports.html_writer import render_html
from exports.json_writer import render_json
from exports.payload import FundingPack
from exports.pdf_writer import render_pdf
from exports.xlsx_writer import render_xlsx

__all__ = ["FORMATS", "Format", "Writer", "writer_for"]

Format: TypeAlias = Literal["json", "xlsx", "html", "pdf"]
FORMATS: Final[tuple[Format, ...]] = ("json", "xlsx", "html", "pdf")
"""Every format of the export contract, in the order the page offers them."""

Writer: TypeAlias = Callable[[FundingPack], bytes]
"""Renders a funding pack to the bytes of one file."""

_WRITERS: Final[dict[Format, Writer]] = {
    "json": render_json,
    "xlsx": render_xlsx,
    "html": render_html,
    "pdf": render_pdf,
}


def writer_for(fmt: Format) -> Writer:
    """The writer of `fmt`.

    Raises
    ------
    ValueError
        For a name that is not one of `FORMATS`, naming it.
    """
    if fmt not in _WRITERS:
        msg = f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}"
        raise ValueError(msg)
    return _WRITERS[fmt]
