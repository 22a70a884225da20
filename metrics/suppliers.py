"""Suppliers and renewals: contracts by vendor, vendors compared, renewals to decide, history.

Definitions (DESIGN, "Definitions" and Settled questions, "Seats" and "Not
tracked vs zero"; the product figures are the scorecard's, so a contract's
numbers are the Product page's and the funding pack's):

* a contract row is *in force* in the year when start ≤ 31 Dec and end ≥
  1 Jan (a missing start or end is open-ended, as in `metrics.licences`);
* contract value = seats × price per seat (the price of a seat for the term);
* licence spend = the product's actual cost in the `licence` cost category
  of the budgets for the year (what was paid, not what was signed: the
  codebase computes spend from budgets, `metrics.costs`);
* a product's seats are one pool: learners are not assigned to a contract,
  so each contract in force carries its product's seat utilisation, and the
  product's idle seats, idle spend and licence spend are shared among its
  contracts in force, idle seats in proportion to seats, idle spend and
  licence spend in proportion to contract value. The shares add back up to
  the product's figures; a product with one contract in force (the usual
  case) shows exactly its own;
* days to renewal = end − as_of (negative once the term has ended);
  `renewed` = a later contract of the product starts after this one ends
  (the `metrics.renewals` rule).

Null rules: a product with no usage in the year has null utilisation, idle
seats and idle spend (usage not tracked), never 0; no licence actual gives a
null licence spend.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

from metrics import common
from metrics.costs import cost_by_category
from metrics.currency import minor_per_major
from metrics.efficiency import cost_per_active_learner, cost_per_completion
from metrics.periods import year_bounds
from metrics.renewals import RENEWAL_WARNING_DAYS
from metrics.text import count, day, money, money_exact, pct
from metrics.usage import active_learners

__all__ = [
    "CONTRACT_COLUMNS",
    "HISTORY_COLUMNS",
    "RENEWAL_COLUMNS",
    "VENDOR_COLUMNS",
    "contract_history",
    "contract_positions",
    "renewal_rule",
    "renewals_summary",
    "renewals_to_decide",
    "vendor_comparison",
]

CONTRACT_COLUMNS = (
    "product_id", "product", "vendor", "start", "end", "seats", "price_per_seat", "currency",
    "contract_value", "licence_spend", "seat_utilisation", "idle_seats", "idle_spend",
    "usage_tracked", "days_to_renewal", "renewed",
)  # fmt: skip
VENDOR_COLUMNS = (
    "vendor", "products", "contracts", "seats", "contract_value", "licence_spend",
    "actual_cost", "active_learners", "completions", "cost_per_active_learner",
    "cost_per_completion", "seat_utilisation", "idle_spend",
)  # fmt: skip
RENEWAL_COLUMNS = (
    "vendor", "product", "end", "days_to_renewal", "seats", "price_per_seat",
    "contract_value", "seat_utilisation", "idle_seats", "idle_spend", "reason",
)  # fmt: skip
HISTORY_COLUMNS = (
    "product_id", "vendor", "start", "end", "seats", "price_per_seat", "contract_value",
    "change", "what_changed", "restated",
)  # fmt: skip

_CONTRACTS = ("product_id", "vendor", "start", "end", "seats", "price_per_seat_minor", "currency")
_CARD = ("product_id", "product", "vendor", "actual_cost", "completions", "usage_tracked",
         "seat_utilisation", "idle_seats", "idle_spend")  # fmt: skip
_VERSIONS = ("import_id", "imported_at", *_CONTRACTS)
_KEY = ["product_id", "vendor", "start"]


def _money_sum(expr: pl.Expr, currency: str) -> pl.Expr:
    """Σ of a money column (major units) in whole minor units, back in major; null if all null."""
    per = minor_per_major(currency)
    return common.to_major(common.sum_or_null((expr * per).round(0)), currency=currency)


def contract_positions(
    contracts: pl.DataFrame,
    scorecard: pl.DataFrame,
    budgets: pl.DataFrame,
    *,
    year: int,
    as_of: date,
    currency: str,
) -> pl.DataFrame:
    """Each contract in force in the year with its value, spend, use and days to renewal.

    Parameters
    ----------
    contracts
        Every contract (`metrics.schema.CONTRACTS`), not only the year's:
        a later term tells that a contract was renewed.
    scorecard
        `metrics.product_scorecard` of `year` over the same frames.
    budgets
        Budget lines covering `year` (its `licence` actuals are the spend).
    year, as_of, currency
        The reporting year, the report's "today", the reporting currency.

    Returns
    -------
    pl.DataFrame
        `CONTRACT_COLUMNS`, money in major units of `currency`, utilisation a
        fraction, sorted by vendor, product and start.

    Notes
    -----
    See the module docstring. For a contract c of product p with S seats and
    V value in force: idle_seats_c = idle_seats_p × seats_c ÷ S, idle_spend_c
    = idle_spend_p × value_c ÷ V, licence_spend_c = licence_spend_p ×
    value_c ÷ V (÷ the number of contracts when V is 0).

    Examples
    --------
    1,500 seats at 115.00 for 2026, 399 learners active over the term,
    172,500.00 of licence actuals, as of 23 Nov 2026: value 1,500 × 115 =
    172,500.00, utilisation 399 / 1,500 = 0.266, 1,101 idle seats, idle
    spend 1,101 × 115 = 126,615.00, licence spend 172,500.00, 38 days to
    renewal. A 50-seat top-up at 120.00 from July beside a 300-seat term at
    100.00 with 70 idle seats: the top-up carries 70 × 50 / 350 = 10 idle
    seats and 10 × 120 = 1,200.00 of idle spend.
    """
    common.require(contracts, _CONTRACTS, what="contracts")
    common.require(scorecard, _CARD, what="scorecard")
    start, end = year_bounds(year)
    c_start, c_end = common.open_ended(pl.col("start"), pl.col("end"))
    value = pl.col("seats") * pl.col("price_per_seat_minor")
    total_value = pl.col("_value").sum().over("product_id")
    share = (
        pl.when(total_value > 0)
        .then(common.safe_ratio(pl.col("_value"), total_value))
        .otherwise(1.0 / pl.len().over("product_id"))
    )
    seats_share = common.safe_ratio(pl.col("seats"), pl.col("seats").sum().over("product_id"))
    licence = (
        cost_by_category(budgets, year=year, currency=currency)
        .filter(pl.col("category") == "licence")
        .select("product_id", _licence="actual")
    )
    card = scorecard.select(
        "product_id", "product", "usage_tracked", "seat_utilisation",
        _idle="idle_seats", _idle_spend="idle_spend",
    )  # fmt: skip
    latest_start = contracts.group_by("product_id").agg(_latest=pl.col("start").max())
    idle, idle_spend = pl.col("_idle"), pl.col("_idle_spend")
    return (
        contracts.filter((c_start <= end) & (c_end >= start))
        .with_columns(_value=value)
        .join(card, on="product_id", how="left")
        .join(licence, on="product_id", how="left")
        .join(latest_start, on="product_id", how="left")
        .with_columns(
            common.to_major(pl.col("price_per_seat_minor"), currency=currency).alias(
                "price_per_seat"
            ),
            common.to_major(pl.col("_value"), currency=currency).alias("contract_value"),
            (pl.col("_licence") * share).alias("licence_spend"),
            pl.when(idle == 0).then(0.0).otherwise(idle * seats_share).alias("idle_seats"),
            pl.when(idle_spend == 0).then(0.0).otherwise(idle_spend * share).alias("idle_spend"),
            pl.col("usage_tracked").fill_null(False),
            (pl.col("end") - pl.lit(as_of, dtype=pl.Date()))
            .dt.total_days()
            .cast(pl.Int64)
            .alias("days_to_renewal"),
            (pl.col("_latest") > pl.col("end")).fill_null(False).alias("renewed"),
        )
        .select(CONTRACT_COLUMNS)
        .sort("vendor", "product", "start", nulls_last=True)
    )


def vendor_comparison(
    positions: pl.DataFrame,
    scorecard: pl.DataFrame,
    usage: pl.DataFrame,
    *,
    year: int,
    currency: str,
) -> pl.DataFrame:
    """Vendors side by side: contracts, seats, value, cost and use, cost per learner.

    Parameters
    ----------
    positions
        `contract_positions` of `year`.
    scorecard
        `metrics.product_scorecard` of `year`.
    usage
        Usage facts covering the year (for distinct learners per vendor).
    year, currency
        The reporting year and currency.

    Returns
    -------
    pl.DataFrame
        `VENDOR_COLUMNS`, one row per vendor with a contract in force or a
        product with a known actual cost or usage in the year; by contract
        value, largest first.

    Notes
    -----
    * contracts, seats, contract_value, licence_spend, idle_spend: Σ over
      the vendor's contracts in force (idle spend null when no contract's
      usage is tracked);
    * seat_utilisation = Σ (seats − idle seats) ÷ Σ seats over the contracts
      whose usage is tracked, i.e. Σ min(active, seats) ÷ Σ seats, as the
      portfolio's (`metrics.portfolio_summary`);
    * a product counts under one vendor: that of its contract in force that
      ends last, else its own vendor (products.csv); in-house products (no
      vendor) are left out. actual_cost and completions are Σ over the
      vendor's products; active_learners are distinct over them (a learner
      of two of its products counts once), null when none is tracked;
    * cost_per_active_learner = Σ actual cost of the products whose usage is
      tracked ÷ active learners; cost_per_completion = Σ actual cost of the
      products reporting completions ÷ completions (DESIGN: actual cost).

    Examples
    --------
    One vendor with product A (500 seats, 320 active over the term, actual
    cost 60,000.00, 40 completions) and product B (100 seats, 100 active,
    actual 15,000.00, 10 completions), no learner in both: utilisation
    (320 + 100) / 600 = 0.70, 420 active learners, cost per active learner
    75,000 / 420 = 178.57, cost per completion 75,000 / 50 = 1,500.00.
    """
    common.require(positions, CONTRACT_COLUMNS, what="contract positions")
    common.require(scorecard, _CARD, what="scorecard")
    start, end = year_bounds(year)
    last = pl.col("vendor").sort_by("end", "start", "vendor", nulls_last=True).last()
    held = positions.group_by("product_id").agg(last.alias("_contract_vendor"))
    owned = (
        scorecard.join(held, on="product_id", how="left")
        .with_columns(pl.coalesce("_contract_vendor", "vendor").alias("vendor"))
        .filter(pl.col("vendor").is_not_null())
    )
    codes = owned.select("vendor").unique().sort("vendor").with_row_index("_code")
    by_code = owned.join(codes, on="vendor").select("product_id", pl.col("_code").cast(pl.Int64))
    # `active_learners` counts per `product_id`: give each row its vendor's code instead.
    learners = active_learners(
        usage.join(by_code, on="product_id").with_columns(product_id="_code").drop("_code"),
        start=start,
        end=end,
    ).join(
        codes.select(product_id=pl.col("_code").cast(pl.Int64), vendor="vendor"), on="product_id"
    )
    cost = pl.col("actual_cost")
    products = owned.group_by("vendor").agg(
        pl.len().cast(pl.Int64).alias("products"),
        _money_sum(cost, currency).alias("actual_cost"),
        common.sum_or_null(pl.col("completions")).alias("completions"),
        _money_sum(cost.filter(pl.col("usage_tracked")), currency).alias("_cost_tracked"),
        _money_sum(cost.filter(pl.col("completions").is_not_null()), currency).alias("_cost_done"),
        (cost.is_not_null() | pl.col("usage_tracked")).any().alias("_listed"),
    )
    tracked = pl.col("idle_seats").is_not_null()
    contracts = positions.group_by("vendor").agg(
        pl.len().cast(pl.Int64).alias("contracts"),
        pl.col("seats").sum().cast(pl.Int64).alias("seats"),
        _money_sum(pl.col("contract_value"), currency).alias("contract_value"),
        _money_sum(pl.col("licence_spend"), currency).alias("licence_spend"),
        common.safe_ratio(
            (pl.col("seats") - pl.col("idle_seats")).filter(tracked).sum(),
            pl.col("seats").filter(tracked).sum(),
        ).alias("seat_utilisation"),
        _money_sum(pl.col("idle_spend"), currency).alias("idle_spend"),
    )
    return (
        contracts.join(products, on="vendor", how="full", coalesce=True)
        .join(learners.select("vendor", "active_learners"), on="vendor", how="left")
        .filter(pl.col("contracts").is_not_null() | pl.col("_listed"))
        .with_columns(
            cost_per_active_learner("_cost_tracked", "active_learners"),
            cost_per_completion("_cost_done", "completions"),
            pl.col("products").fill_null(0),
        )
        .sort(
            ["contract_value", "actual_cost", "vendor"],
            descending=[True, True, False],
            nulls_last=True,
        )
        .select(VENDOR_COLUMNS)
    )


def renewals_to_decide(
    positions: pl.DataFrame, *, below: float, within_days: int = RENEWAL_WARNING_DAYS
) -> pl.DataFrame:
    """Contracts renewing soon with few of their seats in use: the seats to decide on now.

    Parameters
    ----------
    positions
        `contract_positions` (days counted from the report's as-of date).
    below
        The low-utilisation threshold, a fraction (the health rule's
        `utilisation_fix_below`, `LP_HEALTH_UTILISATION_FIX_BELOW`).
    within_days
        How far ahead a renewal counts (`RENEWAL_WARNING_DAYS`, 90).

    Returns
    -------
    pl.DataFrame
        `RENEWAL_COLUMNS`: `end` is the renewal date, `idle_spend` the money
        at stake, `reason` "low utilisation" or "usage not tracked"; soonest
        first, then the most idle spend.

    Notes
    -----
    Flagged when 0 ≤ days_to_renewal ≤ `within_days`, no later term of the
    product is already in (not `renewed`), and seat utilisation < `below`
    or the product's usage is not tracked (nothing shows the seats are used).

    Examples
    --------
    As of 23 Nov 2026 with the threshold 0.5: a term ending 31 Dec 2026
    (38 days) at 0.266 is flagged, one at 0.84 is not, and one ending
    31 Mar 2027 (128 days) is not, whatever its use.
    """
    common.require(positions, CONTRACT_COLUMNS, what="contract positions")
    days, util = pl.col("days_to_renewal"), pl.col("seat_utilisation")
    low = ~pl.col("usage_tracked") | (util < below).fill_null(False)
    return (
        positions.filter(days.is_between(0, within_days) & ~pl.col("renewed") & low)
        .with_columns(
            pl.when(pl.col("usage_tracked"))
            .then(pl.lit("low utilisation"))
            .otherwise(pl.lit("usage not tracked"))
            .alias("reason")
        )
        .sort(["days_to_renewal", "idle_spend"], descending=[False, True], nulls_last=True)
        .select(RENEWAL_COLUMNS)
    )


def renewal_rule(below: float, *, within_days: int = RENEWAL_WARNING_DAYS) -> str:
    """The flagging rule in words, for the page beside the list.

    Examples
    --------
    >>> renewal_rule(0.5)
    'Flagged: renewing within 90 days and under 50% of seats in use, or with usage not tracked.'
    """
    return (
        f"Flagged: renewing within {within_days} days and under {pct(below)} of seats in use, "
        "or with usage not tracked."
    )


def renewals_summary(renewals: pl.DataFrame, *, currency: str) -> str:
    """How many renewals to decide and the idle spend at stake, in one sentence.

    Notes
    -----
    At stake = Σ idle spend of the flagged contracts whose usage is tracked.

    Examples
    --------
    Two flagged contracts, one with 126,615.00 idle spend, one not tracked:
    "2 contracts to decide: £126,615 of idle spend at stake (1 with usage
    not tracked)."
    """
    if renewals.is_empty():
        return "No contract to decide: none renews soon with few seats in use."
    stake = renewals.select(_money_sum(pl.col("idle_spend"), currency)).item()
    untracked = renewals.filter(pl.col("reason") == "usage not tracked").height
    n = renewals.height
    text = f"{n} contract{'s' if n != 1 else ''} to decide"
    text += f": {money(stake, currency)} of idle spend at stake" if stake is not None else ""
    return text + (f" ({untracked} with usage not tracked)." if untracked else ".")


def contract_history(
    contracts: pl.DataFrame, versions: pl.DataFrame, *, currency: str
) -> pl.DataFrame:
    """Every contract term with what changed: first term, renewal, mid-term change, restatement.

    Parameters
    ----------
    contracts
        The contracts in force in the data (`models.frames.contracts_frame`),
        every year.
    versions
        Every imported version of them, with `import_id` and `imported_at`
        (`models.frames.contract_versions_frame`).
    currency
        The reporting currency.

    Returns
    -------
    pl.DataFrame
        `HISTORY_COLUMNS`, sorted by product, start and vendor. `change` is
        "first term", "renewal", "mid-term change" or "new vendor";
        `what_changed` says it in words; `restated` lists the later imports
        that changed the term, null when none did.

    Notes
    -----
    Against the earlier terms of the same product and vendor: a term that
    starts inside one of them is a mid-term change (its seats are added:
    "Top-up: +50 seats from 1 Jul 2026"; a sentence never starts with a
    spreadsheet trigger such as "+"); else a term after them is a renewal,
    compared with the seats held when the last of them ended (Σ seats, and
    the seat-weighted price, of those ending on that day). A first term of
    the vendor after another vendor's term is a new vendor. A version of
    the same product, vendor and start from an earlier import with other
    seats, price or end is a restatement.

    Examples
    --------
    300 seats at 120.00 for 2026, +50 from 1 Jul 2026, then 250 seats at
    125.00 for 2027: "First term: 300 seats at £120.00 a seat", "Top-up:
    +50 seats from 1 Jul 2026 at £120.00 a seat", "350 →
    250 seats, price £120.00 → £125.00" (350 held at the end of 2026, at
    (300 × 120 + 50 × 120) / 350 = 120.00). The 2027 term imported as 300
    seats, then as 250 on 12 Jul 2026: "restated: 300 → 250 seats (import
    of 12 Jul 2026)".
    """
    common.require(contracts, _CONTRACTS, what="contracts")
    common.require(versions, _VERSIONS, what="contract versions")
    rows = contracts.with_row_index("_row")
    others = contracts.select(
        "product_id", _v="vendor", _s="start", _e="end", _n="seats", _p="price_per_seat_minor"
    )
    same = pl.col("_v") == pl.col("vendor")
    last_end = pl.col("_e").filter(same).max()
    held = same & (pl.col("_e") == last_end)
    earlier = (
        rows.select("_row", "product_id", "vendor", "start")
        .join(others, on="product_id")
        .filter(pl.col("_s") < pl.col("start"))
        .group_by("_row")
        .agg(
            (same & (pl.col("_e").is_null() | (pl.col("_e") >= pl.col("start"))))
            .any()
            .alias("_mid"),
            same.any().alias("_renewal"),
            last_end.alias("_last_end"),
            pl.col("_n").filter(held).sum().alias("_held"),
            (pl.col("_n") * pl.col("_p")).filter(held).sum().alias("_held_value"),
            pl.col("_v").filter(~same).sort_by(pl.col("_s").filter(~same)).last().alias("_after"),
        )
    )
    joined = rows.join(earlier, on="_row", how="left").join(
        _restatements(versions, currency), on=_KEY, how="left", nulls_equal=True
    )
    words = [_what_changed(r, currency) for r in joined.iter_rows(named=True)]
    return (
        joined.with_columns(
            pl.Series("_words", words, dtype=pl.Struct({"change": pl.String, "what": pl.String}))
        )
        .with_columns(
            common.to_major(pl.col("price_per_seat_minor"), currency=currency).alias(
                "price_per_seat"
            ),
            common.to_major(
                pl.col("seats") * pl.col("price_per_seat_minor"), currency=currency
            ).alias("contract_value"),
            pl.col("_words").struct.field("change"),
            pl.col("_words").struct.field("what").alias("what_changed"),
        )
        .sort("product_id", "start", "vendor", nulls_last=True)
        .select(HISTORY_COLUMNS)
    )


def _what_changed(row: Mapping[str, Any], currency: str) -> dict[str, str]:
    """One history row's kind of change and the change in words (see `contract_history`)."""
    seats, per = row["seats"], minor_per_major(currency)
    price = money_exact(row["price_per_seat_minor"] / per, currency)
    if row["_mid"]:
        what = f"Top-up: +{count(seats)} seats from {day(row['start'])} at {price} a seat"
        return {"change": "mid-term change", "what": what}
    if row["_renewal"]:
        held = row["_held"]
        parts = [
            f"{count(seats)} seats, unchanged" if held == seats
            else f"{count(held)} → {count(seats)} seats"
        ]  # fmt: skip
        if held:
            before = money_exact(row["_held_value"] / held / per, currency)
            parts.append(
                f"price {price}, unchanged" if before == price else f"price {before} → {price}"
            )
        else:
            parts.append(f"price {price}")
        gap = (row["start"] - row["_last_end"]).days - 1
        what = ", ".join(parts) + (f", after a gap of {count(gap)} days" if gap > 0 else "")
        return {"change": "renewal", "what": what}
    first = f"{count(seats)} seats at {price} a seat"
    if row["_after"] is not None:
        return {"change": "new vendor", "what": f"New vendor, after {row['_after']}: {first}"}
    return {"change": "first term", "what": f"First term: {first}"}


def _restatements(versions: pl.DataFrame, currency: str) -> pl.DataFrame:
    """Per contract key, the later imports that changed its seats, price or end, in words."""
    compared = ("seats", "price_per_seat_minor", "end", "import_id")
    previous = [pl.col(c).shift().over(_KEY).alias(f"_was_{c}") for c in compared]
    changed = (
        versions.sort([*_KEY, "import_id"], nulls_last=True)
        .with_columns(previous)
        .filter(
            pl.col("_was_import_id").is_not_null()
            & (
                pl.col("seats").ne_missing(pl.col("_was_seats"))
                | pl.col("price_per_seat_minor").ne_missing(pl.col("_was_price_per_seat_minor"))
                | pl.col("end").ne_missing(pl.col("_was_end"))
            )
        )
    )
    per = minor_per_major(currency)
    said = []
    for r in changed.iter_rows(named=True):
        parts = []
        if r["seats"] != r["_was_seats"]:
            parts.append(f"{count(r['_was_seats'])} → {count(r['seats'])} seats")
        if r["price_per_seat_minor"] != r["_was_price_per_seat_minor"]:
            was, now = r["_was_price_per_seat_minor"] / per, r["price_per_seat_minor"] / per
            parts.append(f"price {money_exact(was, currency)} → {money_exact(now, currency)}")
        if r["end"] != r["_was_end"]:
            parts.append(f"end {day(r['_was_end'])} → {day(r['end'])}")
        said.append(f"restated: {', '.join(parts)} (import of {day(r['imported_at'])})")
    return (
        changed.with_columns(pl.Series("restated", said, dtype=pl.String))
        .group_by(_KEY, maintain_order=True)
        .agg(pl.col("restated").str.join("; "))
    )
