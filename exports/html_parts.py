"""The HTML pack's small building blocks: safe text, numbers in words, tables, sections.

Why a module: the pack's sections live in more than one module
(`exports.html_writer`, `exports.html_suppliers`), and a text must be made
safe, and a figure written, the same way in all of them. Every text from the
pack goes through `escape`: formula-like text gets a leading quote
(`exports.safety.neutralise`, as in the workbook), then it is HTML-escaped.
Null reads "not tracked" (`metrics.text`), never 0.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

from exports.safety import neutralise
from metrics import text
from metrics.text import NOT_TRACKED

__all__ = [
    "count",
    "escape",
    "facts",
    "name",
    "number",
    "pct",
    "section",
    "table",
    "text_or",
    "whole",
]


def escape(value: object) -> str:
    """Text for the page: neutralised (formula-like text gets a quote), then escaped.

    Examples
    --------
    >>> escape('=HYPERLINK("x") <b>')
    '&#x27;=HYPERLINK(&quot;x&quot;) &lt;b&gt;'
    """
    return html.escape(neutralise(str(value)), quote=True)


def text_or(value: object, missing: str = NOT_TRACKED) -> str:
    """Pack text, or the words for its absence (blank text is absent too)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return escape(missing)
    return escape(value)


def name(value: object, tag: str = "span") -> str:
    """A product (or vendor) name in an element of its own, its direction taken from its text."""
    return f'<{tag} class="name" dir="auto">{text_or(value, "(no name)")}</{tag}>'


def number(value: object) -> float | None:
    """A finite number of the pack, else None (a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def whole(value: object) -> int:
    """A number of the pack as an int, 0 when there is none (years, page sizes)."""
    found = number(value)
    return int(found) if found is not None else 0


def pct(value: object) -> str:
    """A fraction in percent ("27%"), "not tracked" for null (`metrics.text.pct`)."""
    return text.pct(number(value))


def count(value: object) -> str:
    """A count with thousands separators, "not tracked" for null (`metrics.text.count`)."""
    return text.count(number(value))


def facts(rows: Iterable[tuple[str, str]], css: str = "facts") -> str:
    """A definition list: each label escaped here, each value HTML already escaped."""
    items = "".join(f'<dt>{escape(k)}</dt><dd dir="auto">{v}</dd>' for k, v in rows)
    return f'<dl class="{css}">{items}</dl>'


def table(head: Sequence[str], rows: Iterable[Sequence[str]], *, css: str = "") -> str:
    """A table; the headers are escaped here, the cells are HTML already escaped by the caller."""
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def section(css: str, anchor: str, inner: str) -> str:
    """One section of the pack: a page of its own in print (`exports.pdf_writer`)."""
    return f'<section class="page {css}" id="{anchor}">\n{inner}\n</section>'
