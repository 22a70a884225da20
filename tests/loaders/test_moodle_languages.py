"""Moodle reports exported in the site's language, and dates in those languages' formats.

Dates: each language pack's `strftimedatetimeshort` and `strftimedatefullshort`
(`langconfig.php`: projectestac/moodle-langpacks `<lang>/langconfig.php` for es,
fr, de, pt, it, nl; francissantiago/moodle `lang/pt_br/langconfig.php` (AMOS 4.5)
for pt_br; moodle/moodle `lang/en/langconfig.php` for English), printed the way
Moodle's `userdate` prints them (the day without a leading zero). Month names:
glibc's locale data (`loaders.month_names`).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from loaders.dates import parse_dates
from loaders.month_names import MONTH_NUMBERS, MONTHS_BY_LANGUAGE, month_table

# (language, strftimedatetimeshort as Moodle prints 2026-10-14 16:50, 2026-03-05 09:15)
DATETIME_SHORT = [
    ("en", "%d/%m/%y, %H:%M", "14/10/26, 16:50", "5/03/26, 09:15"),
    ("es", "%d/%m/%Y %H:%M", "14/10/2026 16:50", "5/03/2026 09:15"),
    ("fr", "%d %b %y, %H:%M", "14 oct. 26, 16:50", "5 mars 26, 09:15"),
    ("de", "%d.%m.%Y %H:%M", "14.10.2026 16:50", "5.03.2026 09:15"),
    ("pt", "%d/%m/%y, %H:%M", "14/10/26, 16:50", "5/03/26, 09:15"),
    ("pt_br", "%d/%m/%Y %H:%M", "14/10/2026 16:50", "5/03/2026 09:15"),
    ("it", "%d/%m/%Y %H:%M", "14/10/2026 16:50", "5/03/2026 09:15"),
    ("nl", "%d/%m/%Y %H:%M", "14/10/2026 16:50", "5/03/2026 09:15"),
    # Moodle 4.x log downloads: strftimedatetimeshortaccurate (en, es 4.1, pt_br 4.5).
    ("en 4.x", "%d/%m/%y, %H:%M:%S", "14/10/26, 16:50:07", "5/03/26, 09:15:00"),
]


@pytest.mark.parametrize(("lang", "pattern", "october", "march"), DATETIME_SHORT)
def test_datetime_short_of_every_language(lang: str, pattern: str, october: str, march: str):
    parsed = parse_dates(pl.Series([october, march]), order="dmy")
    assert parsed.values.to_list() == [date(2026, 10, 14), date(2026, 3, 5)], (lang, pattern)
    assert parsed.problem.null_count() == 2


def test_date_full_short_and_month_names():
    # strftimedatefullshort: '%d/%m/%y' (en, es, it, nl, pt, pt_br), '%d.%m.%y' (de),
    # '%d %b %y' (fr); then glibc's and ICU's French abbreviations, German, Dutch.
    cells = [
        "14/10/26", "14.10.26", "14 oct. 26", "5 févr. 26", "1 août 26", "7 avr. 26",
        "12 juil. 26", "3 déc. 26", "2 März 2026", "14 Okt 26", "3 mrt. 26", "9 set 26",
    ]  # fmt: skip
    parsed = parse_dates(pl.Series(cells), order="dmy").values.to_list()
    assert parsed == [
        date(2026, 10, 14), date(2026, 10, 14), date(2026, 10, 14), date(2026, 2, 5),
        date(2026, 8, 1), date(2026, 4, 7), date(2026, 7, 12), date(2026, 12, 3),
        date(2026, 3, 2), date(2026, 10, 14), date(2026, 3, 3), date(2026, 9, 9),
    ]  # fmt: skip


def test_no_year_and_ambiguous_names_are_not_dates():
    # Older Moodle logs (strftimerecent '%d %b, %H:%M') carry no year; "jui" is juin or juillet.
    cells = ["5 Mar, 14:02", "5 mars, 14:02", "3 jui 26", "5 marzipan 26"]
    parsed = parse_dates(pl.Series(cells), order="dmy")
    assert parsed.values.null_count() == 4
    assert parsed.problem.to_list() == ["is not a date"] * 4


def test_month_spellings_never_name_two_months():
    # Every language's names and abbreviations, checked one language against the others.
    names = {lang: month_table([months]) for lang, months in MONTHS_BY_LANGUAGE.items()}
    for spelling, month in MONTH_NUMBERS.items():
        assert all(t.get(spelling, month) == month for t in names.values()), spelling
    assert MONTH_NUMBERS["sept"] == 9 and MONTH_NUMBERS["mär"] == 3 and MONTH_NUMBERS["aout"] == 8
