"""Make text safe to put in a spreadsheet, a CSV or any file a reader opens.

Why: a product, vendor or owner name typed by a user (or carried in a vendor
file) may begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return.
Excel, LibreOffice and Google Sheets read such a cell as a formula, so a name
like ``=HYPERLINK("http://x","y")`` would become a live link, or worse, in the
pack a business partner takes away (OWASP "CSV injection"). Every writer
passes every text value through `neutralise` before writing it.

Plotly reads a small HTML subset in its labels, titles and hover text
(``<b>``, ``<br>``, ``<span style>``, ``<a href>`` links and entities such as
``&lt;``): `plot_text` escapes user text for it, on the pages and in the pack.

Numbers are never passed here: writers write them as numbers, so a negative
change such as -0.12 stays a number and is not turned into text.
"""

from __future__ import annotations

import html
import re
from typing import Final

import polars as pl

__all__ = ["FORMULA_TRIGGERS", "neutralise", "neutralise_frame", "plot_text"]

FORMULA_TRIGGERS: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_QUOTE: Final = "'"


def neutralise(text: str) -> str:
    r"""Return `text` made inert as spreadsheet content.

    Parameters
    ----------
    text : str
        Any text destined for a cell, a table or a document.

    Returns
    -------
    str
        `text` with a single quote prefixed when it begins with one of
        `FORMULA_TRIGGERS`; any other text unchanged (the empty string too).

    Notes
    -----
    Follows the OWASP guidance on CSV injection: the leading apostrophe makes
    spreadsheet programs show the text as typed instead of evaluating it.
    Applying it twice changes nothing more: the result begins with a quote,
    which is not a trigger.

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x","y")')
    '\'=HYPERLINK("http://x","y")'
    >>> neutralise("-12% of seats")
    "'-12% of seats"
    >>> neutralise("Leadership Academy")
    'Leadership Academy'
    """
    if text.startswith(FORMULA_TRIGGERS):
        return _QUOTE + text
    return text


_TRIGGER_START: Final = "^[" + re.escape("".join(FORMULA_TRIGGERS)) + "]"


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Return `frame` with `neutralise` applied to every text cell; numbers untouched.

    Why: a table on a page has a "Download as CSV" button that writes cells
    as they are (Streamlit does not neutralise them), so the table must hold
    inert text already. Our own figures in words use the minus sign U+2212,
    never a trigger, so only text from users and vendor files changes.

    Examples
    --------
    >>> neutralise_frame(pl.DataFrame({"p": ["=1+1", "Hub"], "n": [-1, 2]})).rows()
    [("'=1+1", -1), ('Hub', 2)]
    """
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_TRIGGER_START))
        .then(pl.lit(_QUOTE) + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def plot_text(value: object) -> str:
    """Return `value` as plotly label text that shows exactly as typed.

    Parameters
    ----------
    value : object
        User text for a plotly category, label or hover text (``str(value)``).

    Returns
    -------
    str
        `value` with ``&``, ``<`` and ``>`` written as entities: plotly turns
        them back into the characters, and no tag (``<a href>``, ``<b>``,
        ``<br>``) or entity of the user's takes effect. Quotes need no escape:
        they matter only inside a tag, and no tag can start.

    Examples
    --------
    >>> plot_text('<a href="http://x.example">me</a> & co')
    '&lt;a href="http://x.example"&gt;me&lt;/a&gt; &amp; co'
    """
    return html.escape(str(value), quote=False)
