"""metrics.currency: ISO 4217 minor units (source: ISO 4217 list one, SIX amendment 179)."""

import pytest

from metrics import currency


@pytest.mark.parametrize(
    ("code", "digits", "per_major"),
    [
        ("GBP", 2, 100),
        ("USD", 2, 100),
        ("EUR", 2, 100),
        ("JPY", 0, 1),
        ("KRW", 0, 1),
        ("KWD", 3, 1000),
        ("BHD", 3, 1000),
        ("CLF", 4, 10000),
    ],
)
def test_minor_units_follow_iso_4217(code: str, digits: int, per_major: int) -> None:
    assert currency.decimals(code) == digits
    assert currency.minor_per_major(code) == per_major


@pytest.mark.parametrize("bad", ["XAU", "GB", "POUNDS", "", "XTS"])
def test_unknown_codes_are_refused_by_name(bad: str) -> None:
    with pytest.raises(ValueError, match="not an ISO 4217 currency code"):
        currency.check_currency(bad)


def test_symbols_are_unambiguous_or_the_code() -> None:
    assert currency.symbol("GBP") == "£"
    assert currency.symbol("JPY") == "¥"
    assert currency.symbol("CNY") == "CN¥"
    assert currency.symbol("KWD") == "KWD "
    assert all(len(code) == 3 and code.isupper() for code in currency.CURRENCIES)
