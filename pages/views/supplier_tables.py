"""The Suppliers page's tables and its renewals CSV: numbers stay numbers until the last step.

Each table is a mapping from the label a leader reads to the
`metrics.suppliers` column it shows; `show` picks and renames them, turns
fractions into percentage points and formats them with `st.column_config`
(money in the reporting currency, dates as "31 Dec 2026"), so the tables
sort and download as numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

import polars as pl
import streamlit as st

from exports.safety import neutralise_frame
from metrics.currency import decimals
from pages import display

__all__ = [
    "CONTRACTS",
    "HISTORY",
    "RENEWALS",
    "VENDORS",
    "Column",
    "renewals_csv",
    "show",
]

Kind = Literal["money", "money_exact", "count", "percent", "date", "text", "long_text"]


class Column(NamedTuple):
    """One column of a table: the `metrics.suppliers` column it shows, how, and its tooltip."""

    source: str
    kind: Kind
    help: str | None = None
    width: int | None = None  # pixels; room for "not tracked" where usage may be missing


_UNTRACKED = 100  # "not tracked" fits in 100 px; auto-sizing cut it to "ot tracked"

VENDORS: dict[str, Column] = {
    "Vendor": Column("vendor", "text"),
    "Cost / learner": Column(
        "cost_per_active_learner", "money_exact",
        "Actual cost of the vendor's products with usage tracked ÷ their distinct active "
        "learners in the year.",
    ),
    "Cost / completion": Column(
        "cost_per_completion", "money_exact",
        "Actual cost of the vendor's products reporting completions ÷ their completions.",
    ),
    "Utilisation": Column(
        "seat_utilisation", "percent",
        "Seats in use ÷ seats, over the vendor's contracts whose usage is tracked.",
    ),
    "Idle spend": Column("idle_spend", "money", "Idle seats × price per seat."),
    "Actual to date": Column("actual_cost", "money", "All cost categories, from the budgets."),
    "Active learners": Column("active_learners", "count"),
    "Completions": Column("completions", "count"),
    "Seats": Column("seats", "count"),
    "Contract value": Column("contract_value", "money", "Σ seats × price per seat."),
    "Contracts": Column("contracts", "count"),
}  # fmt: skip
CONTRACTS: dict[str, Column] = {
    "Product": Column("product", "text"),
    "Vendor": Column("vendor", "text"),
    "Seats": Column("seats", "count"),
    "Price / seat": Column("price_per_seat", "money_exact", "The price of a seat for the term."),
    "Utilisation": Column(
        "seat_utilisation", "percent",
        "Active learners over the term ÷ seats (capped at 100%).", _UNTRACKED,
    ),
    "Idle seats": Column("idle_seats", "count", None, _UNTRACKED),
    "Idle spend": Column("idle_spend", "money", "Idle seats × price per seat.", _UNTRACKED),
    "Days left": Column("days_to_renewal", "count", "Days from the as-of date to the end."),
    "Start": Column("start", "date"),
    "End": Column("end", "date"),
    "Contract value": Column("contract_value", "money", "Seats × price per seat."),
    "Licence actual": Column(
        "licence_spend", "money", "The product's actual licence cost in the budgets, to date."
    ),
}  # fmt: skip
RENEWALS: dict[str, Column] = {
    "Product": Column("product", "text"),
    "Vendor": Column("vendor", "text"),
    "Renews on": Column("end", "date"),
    "Days left": Column("days_to_renewal", "count"),
    "Why": Column("reason", "text"),
    "Utilisation": Column("seat_utilisation", "percent", None, _UNTRACKED),
    "Idle spend": Column("idle_spend", "money", "Idle seats × price per seat: at stake.", 110),
    "Seats": Column("seats", "count"),
    "Idle seats": Column("idle_seats", "count", None, _UNTRACKED),
    "Contract value": Column("contract_value", "money"),
}  # fmt: skip
HISTORY: dict[str, Column] = {
    "Start": Column("start", "date"),
    "End": Column("end", "date"),
    "What changed": Column("what_changed", "long_text", None, 315),
    "Restated": Column("restated", "long_text", "Later imports that changed this term.", 320),
    "Seats": Column("seats", "count"),
    "Price / seat": Column("price_per_seat", "money_exact"),
    "Contract value": Column("contract_value", "money"),
    "Vendor": Column("vendor", "text"),
    "Change": Column("change", "text"),
}  # fmt: skip


def _config(column: Column, currency: str, *, pinned: bool) -> object:
    """The `st.column_config` of `column` (money by `display.money_format`)."""
    common = {"help": column.help, "pinned": pinned or None}
    if column.kind in ("text", "long_text"):
        width = column.width or (320 if column.kind == "long_text" else None)
        return st.column_config.TextColumn(width=width, **common)
    if column.kind == "date":
        return st.column_config.DateColumn(format="D MMM YYYY", width=90, **common)
    formats = {
        "money": display.money_format(currency),
        "money_exact": display.money_format(currency, exact=True),
        "count": "%,.0f",  # a contract's share of idle seats may be fractional: shown whole
        "percent": "%.0f%%",
    }
    return st.column_config.NumberColumn(format=formats[column.kind], width=column.width, **common)


def show(
    frame: pl.DataFrame,
    columns: Mapping[str, Column],
    *,
    key: str,
    currency: str,
    pinned: str | None = None,
    placeholder: str = display.NOT_TRACKED,
) -> None:
    """Draw `frame`'s `columns` under their labels, numbers as numbers, `pinned` kept in view.

    A "percent" column holds a fraction and is shown in percentage points
    (0.266 as 26.6, drawn "27%"), so it still sorts as a number.
    """
    table = frame.select(
        (pl.col(c.source) * 100 if c.kind == "percent" else pl.col(c.source)).alias(label)
        for label, c in columns.items()
    )
    display.data_table(
        table,
        hide_index=True,
        width="stretch",
        key=key,
        placeholder=placeholder,
        column_config={
            label: _config(c, currency, pinned=label == pinned) for label, c in columns.items()
        },
    )


def renewals_csv(renewals: pl.DataFrame, *, currency: str) -> bytes:
    """The renewals to decide as CSV: numbers numeric, money headed with its currency code.

    Dates are ISO (2026-12-31), utilisation in percent (26.6), money to the
    currency's minor unit; a figure not tracked is an empty cell (the "Why"
    column says so). Text cells are made inert for spreadsheets.
    """
    places = decimals(currency)

    def money(name: str, label: str) -> pl.Expr:
        amount = pl.col(name).round(places)
        return (amount if places else amount.cast(pl.Int64)).alias(f"{label} ({currency})")

    table = renewals.select(
        pl.col("vendor").alias("Vendor"),
        pl.col("product").alias("Product"),
        pl.col("end").alias("Renewal date"),
        pl.col("days_to_renewal").alias("Days to renewal"),
        pl.col("seats").alias("Seats"),
        money("price_per_seat", "Price per seat"),
        money("contract_value", "Contract value"),
        (pl.col("seat_utilisation") * 100).round(1).alias("Seat utilisation (%)"),
        pl.col("idle_seats").round(1).alias("Idle seats"),
        money("idle_spend", "Idle spend"),
        pl.col("reason").alias("Why"),
    )
    return neutralise_frame(table).write_csv().encode("utf-8")
