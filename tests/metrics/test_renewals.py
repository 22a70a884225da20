"""metrics.renewals: the next renewal of each product's licence, and the days to it."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from metrics.renewals import renewal_dates, renewal_sentence
from tests.metrics import factories as f
from tests.metrics.factories import AS_OF

YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)


def _renewals(contracts: pl.DataFrame) -> dict[int, tuple[date | None, int | None]]:
    out = renewal_dates(contracts, start=YEAR_START, end=YEAR_END, as_of=AS_OF)
    return {
        r["product_id"]: (r["renewal_date"], r["days_to_renewal"])
        for r in out.iter_rows(named=True)
    }


def test_one_contract_renews_at_its_end() -> None:
    contracts = f.contracts({"product_id": 1, "start": YEAR_START, "end": YEAR_END})
    # Computed by hand: 23 Nov 2026 -> 31 Dec 2026 = 7 days of November + 31 = 38 days.
    assert _renewals(contracts) == {1: (YEAR_END, 38)}


def test_the_latest_end_among_the_contracts_in_force_counts() -> None:
    contracts = f.contracts(
        {"product_id": 1, "start": date(2025, 7, 1), "end": date(2026, 6, 30)},
        {"product_id": 1, "start": date(2026, 7, 1), "end": date(2027, 6, 30)},
        # Ended before the year: not in force, not a renewal of 2026.
        {"product_id": 2, "start": date(2024, 1, 1), "end": date(2025, 12, 31)},
    )
    # Computed by hand: 23 Nov 2026 -> 30 Jun 2027 = 38 days to year end + 181 = 219.
    assert _renewals(contracts) == {1: (date(2027, 6, 30), 219)}


def test_a_passed_end_counts_negative_days() -> None:
    contracts = f.contracts({"product_id": 3, "start": YEAR_START, "end": date(2026, 3, 31)})
    # Computed by hand: 31 Mar -> 23 Nov 2026 = 30 + 31 + 30 + 31 + 31 + 30 + 31 + 23 = 237.
    assert _renewals(contracts) == {3: (date(2026, 3, 31), -237)}


def test_an_open_ended_contract_has_nothing_to_renew() -> None:
    contracts = f.contracts({"product_id": 4, "start": YEAR_START, "end": None})
    assert _renewals(contracts) == {4: (None, None)}


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    contracts = f.contracts({"product_id": 1, "start": YEAR_START, "end": YEAR_END})
    with pytest.raises(ValueError, match="before its start"):
        renewal_dates(contracts, start=YEAR_END, end=YEAR_START, as_of=AS_OF)


def test_a_past_term_followed_by_a_later_contract_was_renewed() -> None:
    contracts = f.contracts(
        {"product_id": 1, "start": date(2025, 1, 1), "end": date(2025, 12, 31)},
        {"product_id": 1, "start": YEAR_START, "end": YEAR_END},
        {"product_id": 2, "start": date(2025, 1, 1), "end": date(2025, 12, 31)},
    )
    out = renewal_dates(contracts, start=date(2025, 1, 1), end=date(2025, 12, 31), as_of=AS_OF)
    # Both 2025 terms ended on 31 Dec 2025; only product 1 has a contract starting after it.
    assert out.select("product_id", "renewed").rows() == [(1, True), (2, False)]
    first = out.row(0, named=True)
    assert (
        renewal_sentence(first["renewal_date"], first["days_to_renewal"], renewed=first["renewed"])
        == "This term was renewed on 31 Dec 2025."
    )
