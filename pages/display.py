"""Display formatting shared by the pages: money, percents, counts, "not tracked".

Formatting is presentation, not a formula: numbers arrive computed by
`metrics/`; this only turns them into the short strings a meeting reads.
"""

from __future__ import annotations

import polars as pl

from metrics.text import (
    NOT_TRACKED,
    count,
    currency_symbol,
    is_missing,
    money,
    money_short,
    pct,
    ratio,
)

__all__ = [
    "NOT_TRACKED",
    "RAG_LABELS",
    "assumptions_table",
    "count",
    "currency_symbol",
    "evidence_table",
    "measure_value",
    "money",
    "money_short",
    "pct",
    "ratio",
    "scorecard_table",
    "tdrp_table",
]

_missing = is_missing


def scorecard_table(card: pl.DataFrame, *, currency: str) -> pl.DataFrame:
    """The overview's product table as display strings ("not tracked" stays visible).

    Rows are ordered Sunset, Fix, Invest (what needs a decision first), then by
    forecast spend.
    """
    order = {"Sunset": 0, "Fix": 1, "Invest": 2}
    rows = card.with_columns(
        _order=pl.col("health").replace_strict(order, default=3, return_dtype=pl.Int64)
    ).sort(["_order", pl.col("forecast_cost").fill_null(0)], descending=[False, True])
    out = {
        "Product": rows["product"].to_list(),
        "Health": rows["health"].to_list(),
        "Why": ["; ".join(r or []) for r in rows["health_reasons"].to_list()],
        "Plan": [money(v, currency) for v in rows["budget_plan"]],
        "Actual to date": [money(v, currency) for v in rows["actual_cost"]],
        "Forecast": [money(v, currency) for v in rows["forecast_cost"]],
        "Active learners": [count(v) for v in rows["active_learners"]],
        "Seat utilisation": [
            "no licence" if seats is None else pct(util)
            for seats, util in zip(rows["seats"], rows["seat_utilisation"], strict=True)
        ],
        "Reach": [pct(v) for v in rows["reach"]],
        "Idle spend": [
            "no licence" if seats is None else money(idle, currency)
            for seats, idle in zip(rows["seats"], rows["idle_spend"], strict=True)
        ],
        "Cost / active learner": [money(v, currency) for v in rows["cost_per_active_learner"]],
        "Completions": [count(v) for v in rows["completions"]],
        "ROI": [pct(v) for v in rows["roi"]],
    }
    return pl.DataFrame(out)


RAG_LABELS = {"green": "● on track", "amber": "▲ watch", "red": "✖ off track"}
"""TDRp status -> what the Status column shows."""


def measure_value(value: float | None, unit: str, currency: str) -> str:
    """One TDRp cell in its unit: money, people, hours, percent, ratio or as recorded."""
    if _missing(value):
        return "—"
    if unit == currency:
        return money(value, currency)
    if unit in ("people", "count"):
        return count(value)
    if unit == "hours":
        return f"{value:,.0f} h"
    if unit == "%":
        return pct(value)
    if unit == "ratio":
        return ratio(value)
    return f"{value:,.1f}"


def tdrp_table(report: pl.DataFrame, *, kind: str, currency: str) -> pl.DataFrame:
    """The rows of one measure type of a TDRp management report, as display strings.

    "—" marks a cell with nothing to show (no plan set, no data), and the
    Basis column says where the plan and the forecast come from.
    """
    rows = report.filter(pl.col("type") == kind)
    units = rows["unit"].to_list()

    def col(name: str) -> list[str]:
        return [measure_value(v, u, currency) for v, u in zip(rows[name], units, strict=True)]

    def share(name: str) -> list[str]:
        return ["—" if _missing(v) else pct(v) for v in rows[name]]

    return pl.DataFrame(
        {
            "Measure": rows["measure"].to_list(),
            "Last year": col("last_year"),
            "Plan": col("plan"),
            "YTD actual": col("ytd_actual"),
            "YTD % of plan": share("ytd_pct_of_plan"),
            "Forecast": col("forecast"),
            "Forecast % of plan": share("forecast_pct_of_plan"),
            "Status": [RAG_LABELS.get(r or "", "—") for r in rows["rag"]],
            "n": ["" if _missing(v) else f"{v:,}" for v in rows["n"]],
            "Plan from": rows["plan_basis"].fill_null("").to_list(),
            "Forecast from": rows["forecast_basis"].fill_null("").to_list(),
        }
    )


_LINKS = {
    "reach": "Reach",
    "reaction": "Reaction (L1)",
    "learning": "Learning (L2)",
    "behaviour": "Behaviour (L3)",
    "results": "Results (L4)",
    "roi": "ROI (L5)",
}


def evidence_table(evidence: pl.DataFrame) -> pl.DataFrame:
    """The chain of evidence, link by link, with n, freshness and strength."""

    def value(v: float | None, unit: str | None) -> str:
        if _missing(v):
            return NOT_TRACKED
        return pct(v) if unit == "%" else f"{v:,.1f}"

    return pl.DataFrame(
        {
            "Link": [_LINKS.get(x, x) for x in evidence["link"]],
            "Measure": evidence["measure"].fill_null("—").to_list(),
            "Latest": [
                value(v, u) for v, u in zip(evidence["value"], evidence["unit"], strict=True)
            ],
            "n": ["" if _missing(v) else f"{v:,}" for v in evidence["n"]],
            "Period": ["" if p is None else f"{p:%b %Y}" for p in evidence["period"]],
            "Age (days)": ["" if _missing(v) else f"{v:,}" for v in evidence["age_days"]],
            "Evidence": evidence["strength"].to_list(),
        }
    )


def assumptions_table(rows: pl.DataFrame, *, currency: str) -> pl.DataFrame:
    """Each level-4 row behind the benefits: change, unit value, attribution, confidence."""
    return pl.DataFrame(
        {
            "Period": [f"{p:%b %Y}" for p in rows["period"]],
            "Measure": rows["measure"].to_list(),
            "Baseline → value": [
                f"{b:,.1f} → {v:,.1f}" if not _missing(b) else f"{v:,.1f}"
                for b, v in zip(rows["baseline"], rows["value"], strict=True)
            ],
            "Better when": rows["direction"].fill_null("higher").to_list(),
            "Unit value": [money(v, currency) for v in rows["unit_value"]],
            "Attribution": ["" if _missing(v) else f"{v:.0f}%" for v in rows["attribution_pct"]],
            "Confidence": ["" if _missing(v) else f"{v:.0f}%" for v in rows["confidence_pct"]],
            "n": ["" if _missing(v) else f"{v:,}" for v in rows["n"]],
            "Benefit": [money(v, currency) for v in rows["benefit"]],
        }
    )
