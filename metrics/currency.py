"""Currencies: ISO 4217 minor units and the symbols figures are written with, in one place.

Why one module: money is stored as integer minor units of the reporting
currency, and the loaders (text → minor units), `metrics/` (minor → major
units), `planning/` (the knapsack's whole units) and every writer (symbols,
decimals) must agree on what a minor unit is. Pence for GBP, none for JPY,
fils (1/1000) for KWD: a rule written twice drifts (a JPY budget of 15,000
once read back as 150).

Source: ISO 4217 list one, "Current currency & funds" (SIX, amendment 179,
2025), column "Minor unit"; codes whose minor unit is "N.A." (gold, SDR,
test codes) cannot be a reporting currency and are not listed. Symbols are
the CLDR English ones where they are unambiguous; every other currency is
written with its code ("CHF 1,200").
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CURRENCIES",
    "check_currency",
    "decimals",
    "is_currency",
    "minor_per_major",
    "symbol",
]

_ZERO: Final = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE: Final = "BHD IQD JOD KWD LYD OMR TND"
_FOUR: Final = "CLF UYW"
_TWO: Final = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB "
    "EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS "
    "KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN "
    "MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD "
    "SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS "
    "UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG"
)

CURRENCIES: Final[dict[str, int]] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
}
"""ISO 4217 code → digits of its minor unit (GBP 2, JPY 0, KWD 3)."""

_SYMBOLS: Final[dict[str, str]] = {
    "GBP": "£",
    "USD": "$",
    "EUR": "€",
    "JPY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "ILS": "₪",
    "VND": "₫",
    "PHP": "₱",
    "NGN": "₦",
    "UAH": "₴",
    "TRY": "₺",
    "CNY": "CN¥",
    "AUD": "A$",
    "CAD": "CA$",
    "NZD": "NZ$",
    "HKD": "HK$",
    "MXN": "MX$",
    "BRL": "R$",
    "TWD": "NT$",
}


def is_currency(code: str) -> bool:
    """True for an ISO 4217 code that can be a reporting currency ("GBP", not "XAU")."""
    return code in CURRENCIES


def check_currency(code: str) -> str:
    """The code upper-cased, or a ValueError naming it when ISO 4217 does not list it.

    Examples
    --------
    >>> check_currency("jpy")
    'JPY'
    """
    upper = code.strip().upper()
    if upper not in CURRENCIES:
        msg = f"'{code}' is not an ISO 4217 currency code (e.g. GBP, USD, EUR, JPY)"
        raise ValueError(msg)
    return upper


def decimals(code: str) -> int:
    """Digits after the decimal point in `code`'s amounts: its ISO 4217 minor unit.

    Examples
    --------
    >>> decimals("GBP"), decimals("JPY"), decimals("KWD")
    (2, 0, 3)
    """
    return CURRENCIES[check_currency(code)]


def minor_per_major(code: str) -> int:
    """Minor units in one major unit: 100 pence a pound, 1 for the yen, 1,000 fils a dinar.

    Examples
    --------
    >>> minor_per_major("GBP"), minor_per_major("JPY"), minor_per_major("KWD")
    (100, 1, 1000)
    """
    return 10 ** decimals(code)


def symbol(code: str) -> str:
    """The prefix money is written with: "£" for GBP, "CHF " for a code with no unambiguous sign.

    Examples
    --------
    >>> symbol("GBP") + "1,200", symbol("KWD") + "1,200"
    ('£1,200', 'KWD 1,200')
    """
    return _SYMBOLS.get(code, f"{code} ")
