"""The workbook's "Suppliers" sheet: vendors compared, renewals to decide, seats to reclaim.

Three tables one under the other, from the pack alone
(`exports.supplier_payload` puts the figures there; nothing is computed
here), in the workbook's style (`exports.xlsx_writer`): numbers as numbers
with the currency's formats, fractions as '0.0%', the renewal date as a
date, text through `write_string` after `exports.safety.neutralise`, a
blank cell where a figure is not tracked.

* **Vendors compared**: as on the Suppliers page, one row per vendor.
* **Renewals to decide**: each flagged contract, with the rule that flags it.
* **Seats to reclaim**: each product on the list, with its idle seats, its
  seats to reclaim, their value and the sentence that relates the two, then
  the total over the products ("All products"). Never a person: who holds
  the seats is on the page and in ``python -m exports --format reclaim``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import polars as pl
from xlsxwriter.worksheet import Worksheet

from metrics.suppliers import renewal_rule, renewals_summary
from metrics.text import day

if TYPE_CHECKING:
    from exports.payload import FundingPack
    from exports.xlsx_writer import Kind, _Writer

__all__ = ["RECLAIM_HEADERS", "RENEWAL_HEADERS", "SUPPLIERS_SHEET", "VENDOR_HEADERS", "write"]

SUPPLIERS_SHEET: Final = "Suppliers"
"""The sheet's name (reserved: no product sheet takes it)."""

VENDOR_HEADERS: Final[tuple[tuple[str, str, Kind], ...]] = (
    ("Vendor", "vendor", "text"),
    ("Contracts", "contracts", "count"),
    ("Seats", "seats", "count"),
    ("Contract value", "contract_value", "money"),
    ("Actual cost", "actual_cost", "money"),
    ("Active learners", "active_learners", "count"),
    ("Completions", "completions", "count"),
    ("Cost per active learner", "cost_per_active_learner", "money2"),
    ("Cost per completion", "cost_per_completion", "money2"),
    ("Seat utilisation", "seat_utilisation", "pct"),
    ("Idle spend", "idle_spend", "money"),
)
"""(header, pack key, kind) of the vendors table, in the Suppliers page's terms."""

RENEWAL_HEADERS: Final[tuple[tuple[str, str, Kind], ...]] = (
    ("Product", "product", "text"),
    ("Vendor", "vendor", "text"),
    ("Renewal date", "renewal_date", "date"),
    ("Days to renewal", "days_to_renewal", "count"),
    ("Why", "reason", "text"),
    ("Seat utilisation", "seat_utilisation", "pct"),
    ("Idle spend", "idle_spend", "money"),
    ("Seats", "seats", "count"),
)
"""(header, pack key, kind) of the renewals table."""

RECLAIM_HEADERS: Final[tuple[tuple[str, str, Kind], ...]] = (
    ("Product", "product", "text"),
    ("Vendor", "vendor", "text"),
    ("Idle seats", "idle_seats", "count"),
    ("Seats to reclaim", "seats_to_reclaim", "count"),
    ("Value to reclaim", "reclaim_value", "money2"),
    ("Idle seats and seats to reclaim", "reclaim_reconciliation", "text"),
)
"""(header, pack key, kind) of the seats-to-reclaim table; the sentence spans F:K."""

_SENTENCE_COLUMNS: Final = (5, 10)  # F:K, merged, wrapped
_SENTENCE_CHARS_PER_LINE: Final = 95  # about what F:K hold at the widths below
_WIDTHS: Final = (36, 24, 14, 16, 18, 16, 14, 20, 20, 16, 14)


def _cells(
    row: Mapping[str, Any], headers: Sequence[tuple[str, str, Kind]]
) -> list[tuple[object, Kind, None]]:
    cells: list[tuple[object, Kind, None]] = []
    for _, key, kind in headers:
        value = row.get(key)
        if kind == "date" and isinstance(value, str):
            value = date.fromisoformat(value[:10])
        cells.append((value, kind, None))
    return cells


def write(w: _Writer, ws: Worksheet, pack: FundingPack) -> None:
    """Write the sheet (see the module docstring) into `ws` with the workbook's formats `w`."""
    year, currency = pack["year"], pack["currency"]
    portfolio = pack["portfolio"]
    w.text(ws, 0, 0, f"Suppliers and renewals {year}", w.title)
    note = (
        f"Licence contracts in force in {year}, as of {day(pack['as_of'])}; amounts in "
        f"{currency}. The Suppliers page's figures. Blank cells: not tracked (no licence "
        "contract in force, or usage not tracked)."
    )
    w.text(ws, 1, 0, note, w.note)
    ws.freeze_panes(2, 1)

    row = w.heading_row(ws, 3, "Vendors compared")
    vendors = [_cells(v, VENDOR_HEADERS) for v in portfolio.get("vendors") or []]
    _, row = w.table(ws, row, [h for h, _, _ in VENDOR_HEADERS], vendors,
                     empty="no vendor: no contract in force in the year")  # type: ignore[arg-type]  # fmt: skip

    renewals = portfolio.get("renewals_to_decide") or []
    row = w.heading_row(ws, row, "Renewals to decide")
    w.text(ws, row, 0, _renewal_words(pack, renewals), w.note)
    rows = [_cells(r, RENEWAL_HEADERS) for r in renewals]
    _, row = w.table(ws, row + 1, [h for h, _, _ in RENEWAL_HEADERS], rows,
                     empty="none to decide")  # type: ignore[arg-type]  # fmt: skip

    row = w.heading_row(ws, row, "Seats to reclaim")
    days = (pack.get("assumptions") or {}).get("reclaim_after_days")
    lately = f"the last {days} days" if isinstance(days, int) else "a while"
    w.text(ws, row, 0, (
        f"Seats held by leavers, and by people with no activity in {lately} before their "
        "product's report end (new starters left out), at most each contract's seats; value = "
        "seats to reclaim × price per seat. Who holds them is not in this workbook: see the "
        "Suppliers page (Seats to reclaim) or python -m exports --format reclaim."
    ), w.note)  # fmt: skip
    row += 1
    listed = [p for p in pack["products"] if p.get("seats_to_reclaim") is not None]
    _reclaim_table(w, ws, row, listed, portfolio)
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width)


def _renewal_words(pack: FundingPack, renewals: Sequence[Mapping[str, Any]]) -> str:
    """The renewals in one sentence, the rule that flags them, and the day counted from."""
    stake = pl.DataFrame(
        {
            "idle_spend": [r.get("idle_spend") for r in renewals],
            "reason": [r.get("reason") for r in renewals],
        },
        schema={"idle_spend": pl.Float64(), "reason": pl.String()},
    )
    words = [renewals_summary(stake, currency=pack["currency"])]
    thresholds = (pack.get("assumptions") or {}).get("health_thresholds") or {}
    below = thresholds.get("utilisation_fix_below") if isinstance(thresholds, Mapping) else None
    if isinstance(below, int | float) and not isinstance(below, bool):
        words.append(renewal_rule(float(below)))
    words.append(f"Days counted from {day(pack['as_of'])}.")
    return " ".join(words)


def _reclaim_table(
    w: _Writer,
    ws: Worksheet,
    row: int,
    listed: Sequence[Mapping[str, Any]],
    portfolio: Mapping[str, Any],
) -> None:
    """Header, one row per product (its sentence merged over F:K), then the total."""
    first, last = _SENTENCE_COLUMNS
    for col, (header, _, _) in enumerate(RECLAIM_HEADERS):
        ws.write_string(row, col, header, w.header)
    ws.merge_range(row, first, row, last, RECLAIM_HEADERS[-1][0], w.header)
    row += 1
    if not listed:
        ws.write_string(
            row, 0, "none: no product has usage and a contract in force on its report's end",
            w.note,
        )  # fmt: skip
        return
    for product in listed:
        cells = _cells(product, RECLAIM_HEADERS[:-1])
        for col, (value, kind, _) in enumerate(cells):
            w.value(ws, row, col, value, kind)
        sentence = product.get("reclaim_reconciliation")
        ws.merge_range(row, first, row, last, "", w.wrap)
        w.text(ws, row, first, sentence, w.wrap)
        lines = -(-len(str(sentence or "")) // _SENTENCE_CHARS_PER_LINE)
        ws.set_row(row, 15 * max(lines, 1))
        row += 1
    ws.write_string(row, 0, "All products", w.total_label)
    ws.write_blank(row, 1, None, w.totals["text"])
    ws.write_blank(row, 2, None, w.totals["count"])
    w.value(ws, row, 3, portfolio.get("seats_to_reclaim"), "count", w.totals["count"])
    w.value(ws, row, 4, portfolio.get("reclaim_value"), "money2", w.totals["money2"])
