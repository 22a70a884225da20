"""`pages.safe_text.literal` and `exports.safety.plot_text`: user text shows as typed.

What Streamlit 1.67's frontend does with a Markdown string (read from its
StreamlitMarkdown bundle) is mirrored here in three checks:

* the source: ``:material/`` is rewritten before parsing, and math is
  detected on the source with ``\\$`` treated as escaped;
* the parse: CommonMark lets any ASCII punctuation be backslash-escaped, so
  a string in which every such character is escaped starts no construct;
* the parsed text: the patterns Streamlit looks for in text nodes (icons,
  emoji, the logo, bare links, e-mail addresses, arrows), copied from the
  bundle, must not match.

The browser test (tests/browser/test_hostile_browser.py) checks the real
rendering of the same texts.
"""

from __future__ import annotations

import doctest
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports import safety
from pages import safe_text
from pages.safe_text import JOINER, literal, plot_text, shown_text
from tests.hostile import HOSTILE

# Patterns Streamlit's frontend applies to parsed text nodes (StreamlitMarkdown bundle, 1.67).
TEXT_NODE_PATTERNS = (
    re.compile(r":material_(\w+):"),  # Material icons, after ':material/' → ':material_'
    re.compile(r":streamlit:"),  # the logo
    re.compile(r":(?!material\/|streamlit:)[\w+-][\w_+-]*:"),  # emoji shortcodes
    re.compile(r"(https?:\/\/|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE),  # bare links
    re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),  # e-mail links (lookbehind left out)
    re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),  # typographic arrows and symbols
)
# Streamlit's math detection on the source, after removing escaped \\, \$ and \`.
ESCAPED_SOURCE = re.compile(r"\\[\\$`]")
INLINE_MATH = re.compile(r"(?<!\$)\$(?![\s$])[^$\n]*?[^\s$]\$(?!\d)")
PUNCTUATION = frozenset(string.punctuation)

TRICKY = [
    *HOSTILE,
    "# heading",
    "- item",
    "+ item",
    "1. first",
    "2) second",
    "> quote",
    "    indented code",
    "```fence```",
    "~~struck~~",
    "a | b |\n|---|---|",
    "line one\n\n    line two",
    "&lt;b&gt; &amp; &#60;",
    "<http://attacker.example>",
    "mail me@attacker.example",
    ":streamlit: :smile: :+1: :-1:",
    ":blue-badge[x] :small[y] :color[z]{foreground=red}",
    ":material/home: icon",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "ends with a backslash \\",
    "$$\nE = mc^2\n$$",
    "Sales: Q1/Q2",
    "HTTP://ATTACKER.EXAMPLE and WWW.attacker.example",
    "Leadership Academy",
    "",
]


def _parsed_text(markdown: str) -> str:
    """The text node CommonMark makes of a fully escaped string: escapes resolved, joiners kept."""
    return re.sub(r"\\([" + re.escape(string.punctuation) + r"])", r"\1", markdown)


def _every_punctuation_escaped(markdown: str) -> bool:
    i = 0
    while i < len(markdown):
        if markdown[i] == "\\":
            if i + 1 >= len(markdown) or markdown[i + 1] not in PUNCTUATION:
                return False
            i += 2
            continue
        if markdown[i] in PUNCTUATION:
            return False
        i += 1
    return True


def _assert_inert(text: str) -> None:
    out = literal(text)
    assert "\n" not in out and not out.startswith(" ")  # no line can start a block
    assert _every_punctuation_escaped(out), out
    assert ":material/" not in out  # rewritten to an icon before parsing otherwise
    assert not INLINE_MATH.search(ESCAPED_SOURCE.sub("_", out)), out
    parsed = _parsed_text(out)
    for pattern in TEXT_NODE_PATTERNS:
        assert not pattern.search(parsed), (pattern.pattern, parsed)
    # A joiner the user typed is invisible either way: `shown_text` drops it too.
    assert shown_text(out) == " ".join(text.split()).replace(JOINER, "")


@pytest.mark.parametrize("text", TRICKY)
def test_hostile_and_block_markdown_is_inert_and_shows_as_typed(text: str) -> None:
    _assert_inert(text)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_any_text_is_inert_and_shows_as_typed(text: str) -> None:
    _assert_inert(text)


@given(st.text(alphabet=string.printable + "ßé🚀\u2060", max_size=60))
def test_any_ascii_heavy_text_is_inert_and_shows_as_typed(text: str) -> None:
    _assert_inert(text)


def test_plain_names_are_left_readable() -> None:
    # Computed by hand: no punctuation, no colon, no '@', no 'www.': nothing to escape.
    assert literal("Leading at Northwind") == "Leading at Northwind"
    assert literal(2026) == "2026"
    assert literal(None) == ""
    # A colon before a space is not a shortcode: no joiner, only the escape.
    assert literal("Sales: Q1") == "Sales\\: Q1"


def test_joiners_sit_exactly_where_a_pattern_would_start() -> None:
    # Computed by hand from the rules: after ':' before a non-space, after '@' before a
    # word character, between 'www' and '.', between the two characters of an arrow.
    assert literal(":red[x]") == f"\\:{JOINER}red\\[x\\]"
    assert literal("a@b.example") == f"a\\@{JOINER}b\\.example"
    assert literal("www.x") == f"www{JOINER}\\.x"
    assert literal("a -> b") == f"a \\-{JOINER}\\> b"


def test_plot_text_escapes_plotlys_html_subset() -> None:
    # Plotly's pseudo-HTML: tags start with '<', entities with '&'; both become entities.
    assert plot_text('<a href="http://attacker.example">x</a>') == (
        '&lt;a href="http://attacker.example"&gt;x&lt;/a&gt;'
    )
    assert plot_text("&lt;b&gt; <br>") == "&amp;lt;b&amp;gt; &lt;br&gt;"
    assert plot_text("Leadership Academy") == "Leadership Academy"
    assert safe_text.plot_text is safety.plot_text  # one helper for pages and the pack


def test_docstring_examples() -> None:
    # pages/ is not collected for doctests (its modules are Streamlit scripts).
    failures, tried = doctest.testmod(safe_text)
    assert (failures, tried) == (0, 4)  # 3 for literal, 1 for shown_text
