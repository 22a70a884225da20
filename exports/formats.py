"""Which output formats exist, and which writer renders each.

Why a registry: the command line and the funding-review page offer the same
formats, and a new writer (one module per format: `exports.json_writer`,
later xlsx, html and pdf) becomes available everywhere by adding one line to
`_WRITERS`.
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

__all__ = ["FORMATS", "Format", "Writer", "available_formats", "writer_for"]

Format: TypeAlias = Literal["json", "xlsx", "html", "pdf"]
FORMATS: Final[tuple[Format, ...]] = ("json", "xlsx", "html", "pdf")
"""Every format of the export contract, available yet or not."""

Writer: TypeAlias = Callable[[FundingPack], bytes]
"""Renders a funding pack to the bytes of one file."""

_WRITERS: Final[dict[Format, Callable[[Settings], Writer]]] = {
    "json": lambda _settings: render_json,
    "xlsx": lambda _settings: render_xlsx,
    "html": lambda _settings: render_html,
    "pdf": lambda settings: partial(render_pdf, chromium=settings.chromium_path),
}
"""Per format, the writer as the settings configure it (the PDF's browser)."""


def available_formats() -> tuple[Format, ...]:
    """The formats that have a writer today, in `FORMATS` order."""
    return tuple(f for f in FORMATS if f in _WRITERS)


def writer_for(fmt: Format, *, settings: Settings) -> Writer | None:
    """The writer of `fmt` configured by `settings`, or None when it is not available yet."""
    make = _WRITERS.get(fmt)
    return None if make is None else make(settings)
