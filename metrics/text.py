"""Figures in words: one rule per kind of figure, written once for every page and writer.

Why in `metrics`: the plain-language product summary (`metrics.summary`)
is part of what metrics return, and the pages, the planning messages and
the funding pack must write the same figure the same way (a £1.60m on the
screen is a £1.60m in the PDF). This module only formats numbers computed
elsewhere.

The rules, one per kind of figure:

========================  =====================================  ====================
kind                      rule                                   example
========================  =====================================  ====================
money (`money`)           whole units, thousands separators      £41,250
money, exact              the currency's decimals (ISO 4217)     £12.50, ¥1,200,
(`money_exact`)                                                  KWD 0.125
money, headline           2 decimals in millions, whole k from   £1.20m, £412k,
(`money_short`)           10k, one decimal k from 1k; below 1k   £4.5k, £950,
                          whole, or exact when it has a fraction £99.99
percent (`pct`)           a fraction × 100, whole by default     29%
percent recorded 0-100    as recorded, whole                     80%
(`percent_recorded`)
count (`count`)           whole, separators; a unit after it     3,120 people
ratio (`ratio`)           one decimal, ":1"                      3.2:1
months (`months`)         one decimal, " months"                 4.5 months
hours (`hours`)           whole, separators, " h"                1,240 h
score (`score`)           whole from 10, one decimal below       12, 4.5
"x of 5" (`out_of`)       whole, " of 5"                         4 of 5
number (`number`)         one decimal, separators                1,234.5
baseline → value          both as `number`; the value alone      21.0 → 24.4
(`baseline_to_value`)     without a baseline
change (`change_words`)   a fraction in words                    up 10%, no change
a measure (`measure`)     by its unit: money, count, hours, %,   NPS +12, 3.4 points
                          ratio, NPS, points, else `number`
========================  =====================================  ====================

Every negative figure is written with a true minus (U+2212, "−"), which
also keeps a negative amount from starting with a spreadsheet formula
trigger, and every missing figure (None or NaN) reads `NOT_TRACKED`,
never 0, and never with a unit after it ("not tracked", not "not tracked
people").
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Final, ParamSpec

from metrics.currency import decimals, symbol

__all__ = [
    "MINUS",
    "NOT_TRACKED",
    "baseline_to_value",
    "change_words",
    "count",
    "currency_symbol",
    "day",
    "day_time",
    "hours",
    "is_missing",
    "measure",
    "money",
    "money_exact",
    "money_format",
    "money_short",
    "months",
    "name_list",
    "number",
    "out_of",
    "pct",
    "percent_recorded",
    "ratio",
    "score",
    "signed",
]

NOT_TRACKED: Final = "not tracked"
"""What a missing figure reads as, everywhere (never 0)."""

MINUS: Final = "−"
"""The true minus sign (U+2212) every negative figure is written with."""

P = ParamSpec("P")
_NO_CHANGE: Final = 0.0005
"""A change smaller than this (0.05 %) reads "no change"."""


def is_missing(value: object) -> bool:
    """None or NaN (or an infinity): a figure that is not tracked.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0)
    (True, True, False)
    """
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _tracked(write: Callable[P, str]) -> Callable[P, str]:
    """`write`, with a missing first argument (None, NaN) read as `NOT_TRACKED`."""

    @functools.wraps(write)
    def writer(*args: P.args, **kwargs: P.kwargs) -> str:
        return NOT_TRACKED if is_missing(args[0]) else write(*args, **kwargs)

    return writer


def _minus(text: str) -> str:
    """`text` with every ASCII hyphen-minus of a formatted number made a true minus."""
    return text.replace("-", MINUS)


def currency_symbol(currency: str) -> str:
    """The prefix money is written with: "£" for GBP, "CHF " for a code without a symbol.

    The one table of symbols is `metrics.currency`.

    Examples
    --------
    >>> currency_symbol("GBP"), currency_symbol("KWD")
    ('£', 'KWD ')
    """
    return symbol(currency)


def _amount(value: float, currency: str, places: int) -> str:
    sign = MINUS if value < 0 else ""
    return f"{sign}{symbol(currency)}{abs(value):,.{places}f}"


@_tracked
def money(value: float | None, currency: str) -> str:
    """Whole currency units with thousands separators: a table's or a sentence's money.

    Examples
    --------
    >>> money(41250.4, "GBP"), money(-1200, "USD"), money(None, "GBP")
    ('£41,250', '−$1,200', 'not tracked')
    """
    return _amount(value, currency, 0)


@_tracked
def money_exact(value: float | None, currency: str) -> str:
    """Money to the currency's minor unit: a unit value, a cost per learner, an hourly rate.

    The decimals follow ISO 4217 (`metrics.currency.decimals`): two for
    GBP, none for JPY, three for KWD.

    Examples
    --------
    >>> money_exact(12.5, "GBP"), money_exact(1200, "JPY"), money_exact(0.125, "KWD")
    ('£12.50', '¥1,200', 'KWD 0.125')
    >>> money_exact(-3.5, "USD")
    '−$3.50'
    """
    return _amount(value, currency, decimals(currency))


@_tracked
def money_short(value: float | None, currency: str) -> str:
    """Headline money: £1.24m, £412k, £4.5k, £950 (and £99.99 for a small exact amount).

    Millions always carry two decimals (£1.20m, never £1.2m); from 10,000
    whole thousands; from 1,000 one decimal of a thousand; below 1,000 the
    whole amount, with the currency's decimals when it has a fraction
    (KWD 0.005 is not "KWD 0").

    Examples
    --------
    >>> [money_short(v, "GBP") for v in (1_200_000, 412_300, 4_520, 950, 99.99)]
    ['£1.20m', '£412k', '£4.5k', '£950', '£99.99']
    >>> money_short(-2_500_000, "USD"), money_short(0.005, "KWD"), money_short(None, "GBP")
    ('−$2.50m', 'KWD 0.005', 'not tracked')
    """
    sign = MINUS if value < 0 else ""
    amount = abs(value)
    sym = symbol(currency)
    if amount >= 1_000_000:
        return f"{sign}{sym}{amount / 1_000_000:.2f}m"
    if amount >= 10_000:
        return f"{sign}{sym}{amount / 1_000:.0f}k"
    if amount >= 1_000:
        return f"{sign}{sym}{amount / 1_000:.1f}k"
    places = decimals(currency) if amount != round(amount) else 0
    return _amount(value, currency, places)


def money_format(currency: str, *, exact: bool = False) -> str:
    """The printf-style format of a money column (Streamlit's `st.column_config`).

    Whole units like `money`, or the currency's decimals like `money_exact`.

    Examples
    --------
    >>> money_format("GBP"), money_format("KWD", exact=True), money_format("JPY", exact=True)
    ('£%,.0f', 'KWD %,.3f', '¥%,.0f')
    """
    places = decimals(currency) if exact else 0
    return f"{symbol(currency).replace('%', '%%')}%,.{places}f"


@_tracked
def pct(value: float | None, digits: int = 0) -> str:
    """A fraction as a percent: 0.29 -> 29%.

    Examples
    --------
    >>> pct(0.29), pct(-0.05), pct(0.1234, 1), pct(None)
    ('29%', '−5%', '12.3%', 'not tracked')
    """
    return _minus(f"{value * 100:.{digits}f}%")


@_tracked
def percent_recorded(value: float | None) -> str:
    """A percent recorded as 0-100 (attribution, confidence): 80 -> 80%.

    Examples
    --------
    >>> percent_recorded(80), percent_recorded(None)
    ('80%', 'not tracked')
    """
    return _minus(f"{value:.0f}%")


@_tracked
def count(value: float | None, unit: str = "") -> str:
    """A head count with separators, and the unit after it only when there is a figure.

    Examples
    --------
    >>> count(3120), count(1200, "people"), count(None, "people"), count(-3)
    ('3,120', '1,200 people', 'not tracked', '−3')
    """
    text = _minus(f"{value:,.0f}")
    return f"{text} {unit}" if unit else text


@_tracked
def ratio(value: float | None) -> str:
    """A benefit-cost ratio: 3.2:1.

    Examples
    --------
    >>> ratio(3.24), ratio(None)
    ('3.2:1', 'not tracked')
    """
    return _minus(f"{value:.1f}:1")


@_tracked
def months(value: float | None) -> str:
    """A payback period: 4.5 months.

    Examples
    --------
    >>> months(4.46), months(None)
    ('4.5 months', 'not tracked')
    """
    return _minus(f"{value:.1f} months")


@_tracked
def hours(value: float | None) -> str:
    """Learning hours: 1,240 h.

    Examples
    --------
    >>> hours(1240.4), hours(None)
    ('1,240 h', 'not tracked')
    """
    return _minus(f"{value:,.0f} h")


@_tracked
def score(value: float | None) -> str:
    """Value points of a plan: whole from 10 up, one decimal below (12, 4.5).

    Examples
    --------
    >>> score(1234.4), score(4.46), score(-12.2), score(None)
    ('1,234', '4.5', '−12', 'not tracked')
    """
    return _minus(f"{value:,.0f}" if abs(value) >= 10 else f"{value:.1f}")


@_tracked
def out_of(value: float | None, whole: int = 5) -> str:
    """A rating on a scale: 4 of 5 (strategic fit).

    Examples
    --------
    >>> out_of(4), out_of(None)
    ('4 of 5', 'not tracked')
    """
    return _minus(f"{value:.0f} of {whole}")


@_tracked
def number(value: float | None, digits: int = 1) -> str:
    """A recorded value in no particular unit: 1,234.5.

    Examples
    --------
    >>> number(1234.54), number(-0.25, 2), number(None)
    ('1,234.5', '−0.25', 'not tracked')
    """
    return _minus(f"{value:,.{digits}f}")


def baseline_to_value(baseline: float | None, value: float | None) -> str:
    """A measure's move from its baseline: "21.0 → 24.4"; the value alone without one.

    Examples
    --------
    >>> baseline_to_value(21, 24.4), baseline_to_value(None, 24.4), baseline_to_value(21, None)
    ('21.0 → 24.4', '24.4', 'not tracked')
    """
    if is_missing(value):
        return NOT_TRACKED
    if is_missing(baseline):
        return number(value)
    return f"{number(baseline)} → {number(value)}"


@_tracked
def change_words(value: float | None) -> str:
    """A change given as a fraction, in words: "up 10%", "down 25%", "no change".

    Examples
    --------
    >>> change_words(0.1), change_words(-0.25), change_words(0.0001), change_words(None)
    ('up 10%', 'down 25%', 'no change', 'not tracked')
    """
    if abs(value) < _NO_CHANGE:
        return "no change"
    return f"{'up' if value > 0 else 'down'} {pct(abs(value))}"


def day(value: date | str | None) -> str:
    """A date as every page writes it: "23 Nov 2026" (an ISO string is read first).

    Why one format: "2026-11-23" on one page and "23 Nov 2026" on the next
    make a reader stop and check they are the same day.

    Examples
    --------
    >>> day(date(2026, 11, 3)), day("2026-11-23"), day(None)
    ('3 Nov 2026', '23 Nov 2026', 'not tracked')
    """
    if value is None:
        return NOT_TRACKED
    when = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{when.day} {when:%b %Y}"


def day_time(value: datetime) -> str:
    """A moment as the pages write it: "23 Nov 2026 14:05" (UTC when it has no zone).

    Examples
    --------
    >>> day_time(datetime(2026, 11, 23, 14, 5))
    '23 Nov 2026 14:05'
    """
    return f"{day(value.date())} {value:%H:%M}"


def name_list(names: Sequence[str], *, listed: int = 4) -> str:
    """Names in a sentence: "A", "A and B", "A, B and C", "A, B, C, D and 3 more".

    Examples
    --------
    >>> name_list(["A"]), name_list(["A", "B", "C"]), name_list(list("ABCDEFG"), listed=3)
    ('A', 'A, B and C', 'A, B, C and 4 more')
    """
    shown = list(names)
    if len(shown) > listed + 1:
        shown = [*shown[:listed], f"{len(shown) - listed} more"]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def signed(value: float | None, write: Callable[[float], str]) -> str:
    """A change written with its sign: "+£45k", "−£45k", "+300%"; "no change" at 0.

    Why: a change shown without its sign ("↑ −£45k", "300% vs 2026") makes a
    reader work out which way it went; `write` formats the size of it.

    Examples
    --------
    >>> signed(45_000, lambda v: money_short(v, "GBP")), signed(-0.25, pct)
    ('+£45k', '−25%')
    >>> signed(0, pct), signed(None, pct)
    ('no change', 'not tracked')
    """
    if is_missing(value):
        return NOT_TRACKED
    if value == 0:
        return "no change"
    return f"{'+' if value > 0 else MINUS}{write(abs(value))}"


@_tracked
def measure(value: float | None, unit: str | None, currency: str) -> str:
    """One value of a measure in its unit (a TDRp cell, a link of the chain of evidence).

    Units: the currency's code (money, whole units), "people" or "count",
    "hours", "%" (a fraction), "ratio", "NPS" (−100..100, signed), "points"
    (a score change, signed); anything else as a `number`.

    Examples
    --------
    >>> measure(41250, "GBP", "GBP"), measure(330, "people", "GBP"), measure(0.62, "%", "GBP")
    ('£41,250', '330', '62%')
    >>> measure(12, "NPS", "GBP"), measure(-3.4, "points", "GBP"), measure(None, "%", "GBP")
    ('NPS +12', '−3.4 points', 'not tracked')
    """
    unit = unit or ""
    if unit == currency:
        return money(value, currency)
    if unit in ("people", "count"):
        return count(value)
    if unit == "hours":
        return hours(value)
    if unit == "%":
        return pct(value)
    if unit == "ratio":
        return ratio(value)
    if unit == "NPS":
        return _minus(f"NPS {value:+.0f}")
    if unit == "points":
        return _minus(f"{value:.1f} points")  # no "+": a leading + reads as a formula in a CSV
    return number(value)
