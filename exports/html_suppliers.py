"""The HTML pack's "Suppliers and renewals" section: vendors, renewals to decide, seats to reclaim.

What it shows, from the pack alone (`exports.supplier_payload` puts the
figures there; nothing is computed here): the vendors compared as on the
Suppliers page, the contracts whose renewal is to decide with the rule that
flags them, and each product's seats to reclaim (how many, what they are
worth, and the sentence relating them to its idle seats). Never a person:
who holds the seats is on the page and in ``python -m exports --format
reclaim``, not in the pack.

Pages (`supplier_pages`): none when the pack has no vendor, no renewal to
decide and no product with seats to reclaim (or predates these keys). In
print, the rows are laid out in order on A4 landscape pages by their
estimated heights (a sentence of 7.5 pt runs about 115 characters a line),
as many pages as they need: one for the sample portfolio (7 vendors, 2
renewals, 4 products to reclaim from), two for 12 vendors, 8 renewals and 6
products with long sentences. The estimate runs high, so a page is never
overfull, and the PDF's page count is known in advance
(`exports.pdf_writer.page_count`). On screen it is one section.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

import polars as pl

from exports.html_parts import count, escape, name, number, pct, section, table, text_or
from metrics import text
from metrics.suppliers import renewal_rule, renewals_summary

__all__ = [
    "CSS",
    "PRINT_CSS",
    "supplier_pages",
    "supplier_sections",
]

_PAGE_PX: Final = 650
"""Height a printed page gives the section, in CSS pixels (A4 landscape less the margins is
about 710 px; the estimates below run high, and this leaves room to spare)."""
_TOP_PX: Final = {True: 75, False: 32}  # the title and lede; "(continued)" title only
_HEAD_PX: Final = {"vendors": 72, "renewals": 74, "reclaim": 74}  # h3, its note, table head
_CONTINUED_HEAD_PX: Final = 48  # h3 "(continued)" and the table head
_EMPTY_PX: Final = 45  # the sentence in place of an empty table

_NONE: Final = "—"

CSS: Final = """
table.vendors td:nth-child(n+2),table.renewals td:nth-child(4),
table.renewals td:nth-child(n+6),table.reclaim td:nth-child(n+2){text-align:right;
  white-space:nowrap}
table.renewals td:nth-child(3),table.renewals td:nth-child(5){text-align:left}
table.reclaim td:nth-child(5){text-align:left;white-space:normal}
table.reclaim td:first-child,table.vendors td:first-child{min-width:9em}
.suppliers-page table{font-size:.85em}
.suppliers-page .wide{overflow-x:auto}
table.reclaim th{white-space:nowrap}
.suppliers-page h3{margin-top:.6em}
.suppliers-page .small{margin:.1em 0 .35em}
"""
"""The section's CSS, appended to the pack's (`exports.html_writer`)."""

PRINT_CSS: Final = """
.suppliers-page .wide{overflow:visible}
.suppliers-page h3{margin:.45em 0 .1em}
.suppliers-page .lede{margin:.1em 0 .2em}
.suppliers-page .small{font-size:8pt;margin:0 0 .2em;line-height:1.25}
.suppliers-page table{font-size:8pt}
.suppliers-page th,.suppliers-page td{padding:.08em .3em}
table.reclaim td:nth-child(5){font-size:7.5pt;line-height:1.2}
"""
"""Print-only CSS: the section in small type, so that a full page of rows fits A4."""


def _rows(pack: Mapping[str, Any]) -> tuple[list[Any], list[Any], list[Any]]:
    """The vendors, the renewals to decide and the products with seats to reclaim."""
    port = pack.get("portfolio") or {}
    vendors = list(port.get("vendors") or [])
    renewals = list(port.get("renewals_to_decide") or [])
    reclaim = [p for p in pack.get("products") or [] if p.get("seats_to_reclaim") is not None]
    return vendors, renewals, reclaim


def supplier_pages(pack: Mapping[str, Any]) -> int:
    """Printed pages of the section: 0 when there is nothing to show (see the module notes).

    Examples
    --------
    The sample portfolio (7 vendors, 2 renewals to decide, 4 products with
    seats to reclaim): 1 page.
    """
    return len(_layout(pack))


def supplier_sections(pack: Mapping[str, Any], *, layout: Literal["screen", "print"]) -> list[str]:
    """The section as HTML: one on screen, `supplier_pages` of them in print ([] when none)."""
    pages = _layout(pack)
    if not pages:
        return []
    if layout == "screen":  # one section, every row
        pages = [[(key, [r for page in pages for b in page if b[0] == key for r in b[1]], True)
                  for key in _BLOCKS]]  # fmt: skip
    currency = str(pack.get("currency"))
    draw = {"vendors": _vendors, "renewals": _renewals, "reclaim": _reclaim}
    out = []
    for index, page in enumerate(pages):
        first = index == 0
        parts = [f"<h2>{escape(_title(pack, first=first))}</h2>"]
        if first:
            parts.append(f'<p class="lede">{_lede(pack)}</p>')
        parts += [draw[key](pack, rows, currency, first=head) for key, rows, head in page]
        anchor = "suppliers" if first else f"suppliers-{index + 1}"
        out.append(section("suppliers-page", anchor, "".join(parts)))
    return out


_BLOCKS: Final = ("vendors", "renewals", "reclaim")
Block = tuple[str, list[Any], bool]  # which table, its rows on the page, whether it starts there


def _layout(pack: Mapping[str, Any]) -> list[list[Block]]:
    """The printed pages: which rows of which table go on each ([] when nothing to show).

    Rows are laid out in order (vendors, renewals, seats to reclaim), each
    with its estimated height (`_row_px`); a row that does not fit starts a
    new page, where its table continues under a "(continued)" heading. A
    table with no row still shows its heading and a sentence, on the first
    page that has room.
    """
    tables = dict(zip(_BLOCKS, _rows(pack), strict=True))
    if not any(tables.values()):
        return []
    pages: list[list[Block]] = [[]]
    used = _TOP_PX[True]

    def new_page() -> None:
        nonlocal used
        pages.append([])
        used = _TOP_PX[False]

    for key, rows in tables.items():
        started = False
        if not rows:
            if used + _HEAD_PX[key] + _EMPTY_PX > _PAGE_PX and pages[-1]:
                new_page()
            pages[-1].append((key, [], True))
            used += _HEAD_PX[key] + _EMPTY_PX
            continue
        for row in rows:
            height = _row_px(key, row)
            on_page = bool(pages[-1]) and pages[-1][-1][0] == key
            head = 0 if on_page else _CONTINUED_HEAD_PX if started else _HEAD_PX[key]
            if used + head + height > _PAGE_PX and pages[-1]:
                new_page()
                head = _CONTINUED_HEAD_PX if started else _HEAD_PX[key]
            if head:
                pages[-1].append((key, [], not started))
                started = True
                used += head
            pages[-1][-1][1].append(row)
            used += height
    return pages


def _lines(value: object, per_line: int) -> int:
    return max(1, math.ceil(len(str(value or "")) / per_line))


def _row_px(key: str, row: Mapping[str, Any]) -> float:
    """A row's estimated printed height: 17 px a line of 8 pt, 12.5 px of the 7.5 pt sentences."""
    if key == "vendors":
        return 17 * _lines(row.get("vendor"), 38)
    if key == "renewals":
        return 17 * max(_lines(row.get("product"), 52), _lines(row.get("vendor"), 30))
    sentence = _lines(row.get("reclaim_reconciliation"), 120)
    return 6 + 12.5 * max(sentence, _lines(row.get("product"), 22))


def _title(pack: Mapping[str, Any], *, first: bool) -> str:
    year = pack.get("year")
    return f"Suppliers and renewals, {year}" + ("" if first else " (continued)")


def _lede(pack: Mapping[str, Any]) -> str:
    return escape(
        f"Licence contracts in force in {pack.get('year')}, as of {text.day(pack.get('as_of'))}; "
        f"money in {pack.get('currency')}. The figures of the Suppliers page: each vendor's "
        "products' actual cost (all cost categories) ÷ their distinct active learners or "
        "completions; utilisation = seats in use ÷ seats, over the contracts whose usage is "
        "tracked."
    )


def _vendors(
    pack: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], currency: str, *, first: bool
) -> str:
    del pack  # the rows say it all
    head = [
        "Vendor", "Contracts", "Seats", "Contract value", "Actual to date", "Active learners",
        "Completions", "Cost / learner", "Cost / completion", "Utilisation", "Idle spend",
    ]  # fmt: skip

    def missing(value: object, shown: str) -> str:
        return escape(_NONE if number(value) is None else shown)

    body = [
        [
            name(v.get("vendor")),
            missing(v.get("contracts"), count(v.get("contracts"))),
            missing(v.get("seats"), count(v.get("seats"))),
            missing(v.get("contract_value"), text.money(number(v.get("contract_value")), currency)),
            missing(v.get("actual_cost"), text.money(number(v.get("actual_cost")), currency)),
            missing(v.get("active_learners"), count(v.get("active_learners"))),
            missing(v.get("completions"), count(v.get("completions"))),
            missing(
                v.get("cost_per_active_learner"),
                text.money_exact(number(v.get("cost_per_active_learner")), currency),
            ),
            missing(
                v.get("cost_per_completion"),
                text.money_exact(number(v.get("cost_per_completion")), currency),
            ),
            missing(v.get("seat_utilisation"), pct(v.get("seat_utilisation"))),
            missing(v.get("idle_spend"), text.money(number(v.get("idle_spend")), currency)),
        ]
        for v in rows
    ]
    title = "Vendors compared" if first else "Vendors compared (continued)"
    note = (
        f'<p class="small">{escape("“—”: no licence contract in force, or usage not tracked.")}</p>'
        if first
        else ""
    )
    if not body:
        return f"<h3>{escape(title)}</h3>" + _empty("No vendor: no contract in force in the year.")
    return f"<h3>{escape(title)}</h3>{note}" + _wide(table(head, body, css="vendors"))


def _renewals(
    pack: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], currency: str, *, first: bool
) -> str:
    title = "Renewals to decide" if first else "Renewals to decide (continued)"
    parts = [f"<h3>{escape(title)}</h3>"]
    if first:
        every = (pack.get("portfolio") or {}).get("renewals_to_decide") or []
        stake = pl.DataFrame(
            {
                "idle_spend": [number(r.get("idle_spend")) for r in every],
                "reason": [str(r.get("reason")) for r in every],
            },
            schema={"idle_spend": pl.Float64(), "reason": pl.String()},
        )
        words = [renewals_summary(stake, currency=currency)]
        below = number(((pack.get("assumptions") or {}).get("health_thresholds") or {}).get(
            "utilisation_fix_below"
        ))  # fmt: skip
        if below is not None:
            words.append(renewal_rule(below))
        words.append(f"Days counted from {text.day(pack.get('as_of'))}.")
        parts.append(f'<p class="small">{escape(" ".join(words))}</p>')
    if not rows:
        return "".join(parts)
    head = ["Product", "Vendor", "Renews on", "Days left", "Why", "Utilisation", "Idle spend",
            "Seats"]  # fmt: skip
    body = [
        [
            name(r.get("product")),
            name(r.get("vendor")),
            escape(text.day(r.get("renewal_date"))),
            escape(count(r.get("days_to_renewal"))),
            text_or(r.get("reason"), ""),
            escape(pct(r.get("seat_utilisation"))),
            escape(text.money(number(r.get("idle_spend")), currency)),
            escape(count(r.get("seats"))),
        ]
        for r in rows
    ]
    return "".join(parts) + _wide(table(head, body, css="renewals"))


def _reclaim(
    pack: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], currency: str, *, first: bool
) -> str:
    port = pack.get("portfolio") or {}
    total, value = number(port.get("seats_to_reclaim")), number(port.get("reclaim_value"))
    days = (pack.get("assumptions") or {}).get("reclaim_after_days")
    if not first:
        title = "Seats to reclaim (continued)"
    elif total is None:
        title = "Seats to reclaim: not tracked"
    else:
        title = f"Seats to reclaim: {text.count(total)}, worth {text.money(value, currency)}"
    parts = [f"<h3>{escape(title)}</h3>"]
    if first:
        lately = f"the last {days} days" if isinstance(days, int) else "a while"
        parts.append(
            '<p class="small">'
            + escape(
                f"Seats held by leavers, and by people with no activity in {lately} before their "
                "product's report end (new starters left out), at most each contract's seats; "
                "worth = seats to reclaim × price per seat. Who holds them is not in this pack: "
                "see the Suppliers page (Seats to reclaim) or python -m exports --format reclaim."
            )
            + "</p>"
        )
    if not rows:
        if first:
            parts.append(
                _empty("No product has both usage and a contract in force on its report's end.")
            )
        return "".join(parts)
    head = ["Product", "Idle seats", "To reclaim", "Worth", "Idle seats and seats to reclaim"]
    body = [
        [
            name(p.get("product")),
            escape(count(p.get("idle_seats"))),
            escape(count(p.get("seats_to_reclaim"))),
            escape(text.money(number(p.get("reclaim_value")), currency)),
            f'<span dir="auto">{text_or(p.get("reclaim_reconciliation"), "")}</span>',
        ]
        for p in rows
    ]
    return "".join(parts) + _wide(table(head, body, css="reclaim"))


def _wide(html_table: str) -> str:
    """A table that scrolls sideways on a narrow screen rather than spill out of the page."""
    return f'<div class="wide">{html_table}</div>'


def _empty(words: str) -> str:
    return f'<p class="no-chart">{escape(words)}</p>'
