"""Month names of the languages whose exports we read, for dates written with a month name.

Vendors print dates in the language of the person exporting. Moodle, for
one, formats with strftime patterns from its language packs: the French
pack's `strftimedatetimeshort` is `%d %b %y, %H:%M`, so a French log reads
"14 oct. 26, 16:50". The names below are the C library's, which PHP's
strftime printed: glibc's locale data (Debian package `locales` 2.36, files
`/usr/share/i18n/locales/<ll_CC>`, fields `mon` and `abmon`), copied as
they are there. A formatter built on ICU (as the replacements of PHP's
deprecated strftime are) may abbreviate differently ("avr." where glibc
writes "avril", "sept." where it writes "sep"); ICU's abbreviations are
shortenings of the full name, so a token that starts at least three letters
of exactly one month's full names is read as that month too.

Examples
--------
>>> MONTH_NUMBERS["févr"], MONTH_NUMBERS["mrt"], MONTH_NUMBERS["sept"]
(2, 3, 9)
>>> "jui" in MONTH_NUMBERS  # juin or juillet: ambiguous, so not a month
False
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["MONTHS_BY_LANGUAGE", "MONTH_NUMBERS", "month_table"]

# Per language, January to December: (full name, abbreviation) as glibc writes them
# (English: the names Python's own C locale prints).
MONTHS_BY_LANGUAGE: Mapping[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may", "may"), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sep"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
    ),
    # fr_FR
    "fr": (
        ("janvier", "janv."), ("février", "févr."), ("mars", "mars"), ("avril", "avril"),
        ("mai", "mai"), ("juin", "juin"), ("juillet", "juil."), ("août", "août"),
        ("septembre", "sept."), ("octobre", "oct."), ("novembre", "nov."),
        ("décembre", "déc."),
    ),
    # es_ES
    "es": (
        ("enero", "ene"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "abr"),
        ("mayo", "may"), ("junio", "jun"), ("julio", "jul"), ("agosto", "ago"),
        ("septiembre", "sep"), ("octubre", "oct"), ("noviembre", "nov"),
        ("diciembre", "dic"),
    ),
    # de_DE
    "de": (
        ("januar", "jan"), ("februar", "feb"), ("märz", "mär"), ("april", "apr"),
        ("mai", "mai"), ("juni", "jun"), ("juli", "jul"), ("august", "aug"),
        ("september", "sep"), ("oktober", "okt"), ("november", "nov"), ("dezember", "dez"),
    ),
    # pt_PT and pt_BR (the same names)
    "pt": (
        ("janeiro", "jan"), ("fevereiro", "fev"), ("março", "mar"), ("abril", "abr"),
        ("maio", "mai"), ("junho", "jun"), ("julho", "jul"), ("agosto", "ago"),
        ("setembro", "set"), ("outubro", "out"), ("novembro", "nov"), ("dezembro", "dez"),
    ),
    # it_IT
    "it": (
        ("gennaio", "gen"), ("febbraio", "feb"), ("marzo", "mar"), ("aprile", "apr"),
        ("maggio", "mag"), ("giugno", "giu"), ("luglio", "lug"), ("agosto", "ago"),
        ("settembre", "set"), ("ottobre", "ott"), ("novembre", "nov"), ("dicembre", "dic"),
    ),
    # nl_NL
    "nl": (
        ("januari", "jan"), ("februari", "feb"), ("maart", "mrt"), ("april", "apr"),
        ("mei", "mei"), ("juni", "jun"), ("juli", "jul"), ("augustus", "aug"),
        ("september", "sep"), ("oktober", "okt"), ("november", "nov"), ("december", "dec"),
    ),
}  # fmt: skip

_SHORTEST_PREFIX = 3


def _spellings(name: str) -> set[str]:
    """A name as dates write it lower-cased, without a final dot, with and without accents."""
    base = name.lower().rstrip(".")
    plain = "".join(c for c in unicodedata.normalize("NFKD", base) if not unicodedata.combining(c))
    return {base, plain}


def month_table(languages: Iterable[tuple[tuple[str, str], ...]]) -> dict[str, int]:
    """Month number (1-12) per spelling: every name and abbreviation, and unambiguous prefixes.

    A prefix of at least three letters of some full name counts only when
    every full name it starts belongs to the same month (across all
    `languages`); names and abbreviations as written always count.
    """
    exact: dict[str, int] = {}
    prefixes: dict[str, set[int]] = {}
    for months in languages:
        for number, (full, short) in enumerate(months, start=1):
            for spelling in _spellings(full) | _spellings(short):
                exact[spelling] = number
            for spelling in _spellings(full):
                for end in range(_SHORTEST_PREFIX, len(spelling)):
                    prefixes.setdefault(spelling[:end], set()).add(number)
    table = {p: next(iter(ns)) for p, ns in prefixes.items() if len(ns) == 1}
    table.update(exact)
    return table


MONTH_NUMBERS: Mapping[str, int] = month_table(MONTHS_BY_LANGUAGE.values())
"""Lower-case month spelling (no final dot) -> month number, over every language above."""
