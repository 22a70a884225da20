"""Money in the sample files: the same figures written in any reporting currency.

The sample's stories are told in pounds and its amounts are worked out in
pence. A deployment in another currency still needs a sample it can import
(a contract in another currency, or a JPY amount with pence, is rejected),
so the files are written in the reporting currency with the same figures:
£41,250.00 becomes 41250 in JPY and 41250.000 in KWD. No exchange rate is
applied: the sample is an illustration, and the same figures keep the
stories in README.md readable in any currency.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from metrics.currency import check_currency, decimals

__all__ = ["SAMPLE_CURRENCY", "written"]

SAMPLE_CURRENCY = "GBP"
"""The currency the committed files in `files/` are written in."""


def written(pence: int | None, currency: str = SAMPLE_CURRENCY) -> str | None:
    """`pence` hundredths of a major unit, written with `currency`'s ISO 4217 decimals.

    A currency with fewer decimals than two (JPY) rounds half to even, the
    way a ledger would book it; one with more (KWD) pads with zeros, so the
    figure is exact. Blank (None) stays blank: an actual not yet known.

    Examples
    --------
    >>> written(1375050), written(1375050, "JPY"), written(1375050, "KWD")
    ('13750.50', '13750', '13750.500')
    >>> written(49913, "JPY"), written(None, "JPY")
    ('499', None)
    """
    if pence is None:
        return None
    step = Decimal(1).scaleb(-decimals(check_currency(currency)))
    return f"{Decimal(pence).scaleb(-2).quantize(step, rounding=ROUND_HALF_EVEN):f}"
