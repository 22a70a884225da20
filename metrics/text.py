"""Figures in words: money, percents, counts and "not tracked", written one way everywhere.

Why in `metrics`: the plain-language product summary (`metrics.summary`)
is part of what metrics return, and the pages and the funding pack must
write the same figure the same way (a £1.60m on the screen is a £1.60m in
the PDF). This module only formats numbers computed elsewhere.
"""

from __future__ import annotations

import math
from typing import Final

from metrics.currency import symbol

__all__ = [
    "NOT_TRACKED",
    "count",
    "currency_symbol",
    "is_missing",
    "money",
    "money_short",
    "pct",
    "ratio",
]

NOT_TRACKED: Final = "not tracked"


def is_missing(value: object) -> bool:
    """None or NaN: a figure that is not tracked."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def currency_symbol(currency: str) -> str:
    """The prefix money is written with: "£" for GBP, "CHF " for a code without a symbol.

    The one table of symbols is `metrics.currency`; this name stays for the
    formatters' callers.
    """
    return symbol(currency)


def money(value: float | None, currency: str) -> str:
    """Whole currency units with thousands separators: £41,250; −£1,200 with a true minus.

    The true minus sign (not "-") keeps a negative amount from starting with
    a spreadsheet formula trigger.
    """
    if value is None or is_missing(value):
        return NOT_TRACKED
    sign = "−" if value < 0 else ""
    return f"{sign}{currency_symbol(currency)}{abs(value):,.0f}"


def money_short(value: float | None, currency: str) -> str:
    """Headline money: £1.24m, £412k, £4.5k, £950."""
    if value is None or is_missing(value):
        return NOT_TRACKED
    sign = "−" if value < 0 else ""
    v = abs(value)
    sym = currency_symbol(currency)
    if v >= 1_000_000:
        return f"{sign}{sym}{v / 1_000_000:.2f}m"
    if v >= 10_000:
        return f"{sign}{sym}{v / 1_000:.0f}k"
    if v >= 1_000:
        return f"{sign}{sym}{v / 1_000:.1f}k"
    return f"{sign}{sym}{v:,.0f}"


def pct(value: float | None, digits: int = 0) -> str:
    """A fraction as a percent: 0.285 -> 29%."""
    if value is None or is_missing(value):
        return NOT_TRACKED
    return f"{value * 100:.{digits}f}%"


def count(value: int | float | None) -> str:
    """A head count with separators: 3,120."""
    if value is None or is_missing(value):
        return NOT_TRACKED
    return f"{value:,.0f}"


def ratio(value: float | None) -> str:
    """A benefit-cost ratio: 3.2:1."""
    if value is None or is_missing(value):
        return NOT_TRACKED
    return f"{value:.1f}:1"
