"""Which output formats exist, and which writer renders each.

Why a registry: the command line and the funding-review page offer the same
formats, one writer module per format (`exports.json_writer`,
`exports.xlsx_writer`, `exports.html_writer`, `exports.pdf_writer`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Final, Literal, TypeAlias

from exports.html_writer import render_html
from exports.json_writer import render_json
from exports.payload import FundingPack
from exports.pdf_writer import render_pdf
from exports.xlsx_writer import render_xlsx
from settings import Settings

__all__ = ["FORMATS", "Format", "Writer", "writer_for"]

Format: TypeAlias = Literal["json", "xlsx", "html", "pdf"]
FORMATS: Final[tuple[Format, ...]] = ("json", "xlsx", "html", "pdf")
"""Every format of the export contract, in the order the page offers them."""

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
