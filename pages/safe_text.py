"""Text a user typed, made to show as typed in Streamlit's Markdown and in plotly's labels.

Why: product names, sponsors, problems, vendors, scenario names and notes,
file names and the messages quoting them reach `st.markdown`, `st.caption`,
`st.title`, alerts, widget labels and tooltips, all of which Streamlit reads
as Markdown. Unescaped, ``![x](http://host/p.png)`` in a product name makes
every viewer's browser fetch that address, ``[link](…)`` becomes a link,
``:red[…]`` a colour, ``$x^2$`` a formula and ``:material/home:`` an icon.
Build each string from our own Markdown with every user part passed through
`literal`; pass user text to plotly through `plot_text`.

How Streamlit reads Markdown (its frontend, 1.67): CommonMark and GFM
(react-markdown, remark-gfm) with math (``$…$``), directives (``:red[…]``,
``:blue-badge[…]``, ``:small[…]``) and raw HTML shown as text. Some features
are found in the *parsed text*, after backslash escapes are resolved: GFM
bare links (``http://…``, ``www.…``, ``a@b.example``), Material icons
(``:material/x:`` is rewritten to ``:material_x:`` before parsing, then
found in the text), emoji shortcodes (``:smile:``), the ``:streamlit:``
logo, and typographic arrows (`` -> `` to →). Backslashes alone cannot stop
those, so `literal` also puts an invisible WORD JOINER (U+2060) where each
would start: after ``:``, ``@``, between ``www`` and ``.``, and between the
two characters of an arrow. It shows nothing, does not break a line, and is
dropped by `shown_text` (the test of what a reader sees).
"""

from __future__ import annotations

import re
import string
from typing import Final

from exports.safety import plot_text

__all__ = ["JOINER", "literal", "plot_text", "shown_text"]

JOINER: Final = "\u2060"
"""WORD JOINER: invisible, no line break; splits a pattern Streamlit finds in parsed text."""

_PUNCTUATION: Final = frozenset(string.punctuation)
# CommonMark: any ASCII punctuation character may be backslash-escaped and then
# stands for itself; escaping all of them leaves no Markdown or directive to start.
_ESCAPES: Final = {ord(c): "\\" + c for c in string.punctuation}
_JOINS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(r"(?<=:)(?=\S)"),  # :red[…], :material/x:, :smile:, :streamlit:, http://
    re.compile(r"(?<=@)(?=[\w.+-])"),  # a@b.example (a mailto: link)
    re.compile(r"(?i)(?<=www)(?=\.)"),  # www.host (a link)
    re.compile(r"(?<=[<>~-])(?=[->=])"),  # -> <- <-> -- >= <= ~= (arrows and symbols)
)
_ESCAPED: Final = re.compile(r"\\([" + re.escape(string.punctuation) + r"])")


def literal(value: object) -> str:
    r"""Return `value` as Markdown that Streamlit shows exactly as the text typed.

    Parameters
    ----------
    value : object
        User text (a name, a note, a message quoting a file's cell); anything
        else is shown as ``str(value)``. None shows as the empty string.

    Returns
    -------
    str
        One line of Markdown: runs of white space (line breaks and tabs too)
        become one space, as a browser shows them anyway, so no line of it
        can start a heading, list, quote or code block; every ASCII
        punctuation character is backslash-escaped; a WORD JOINER splits
        what Streamlit would find in the parsed text (see the module notes).

    Examples
    --------
    >>> literal("**bold** [link](http://x.example)")
    '\\*\\*bold\\*\\* \\[link\\]\\(http\\:\u2060\\/\\/x\\.example\\)'
    >>> literal(":red[boo] $x^2$")
    '\\:\u2060red\\[boo\\] \\$x\\^2\\$'
    >>> literal("Leadership Academy")
    'Leadership Academy'
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    for pattern in _JOINS:
        text = pattern.sub(JOINER, text)
    return text.translate(_ESCAPES)


def shown_text(markdown: str) -> str:
    """The text a reader sees of Markdown made by `literal`: escapes resolved, joiners dropped.

    For tests and checks: ``shown_text(literal(s))`` is `s` with its white
    space runs made single spaces.

    Examples
    --------
    >>> shown_text(literal("![x](http://attacker.example/p.png)"))
    '![x](http://attacker.example/p.png)'
    """
    return _ESCAPED.sub(r"\1", markdown).replace(JOINER, "")
