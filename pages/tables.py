"""The pages' tables: numbers stay numbers, words only where a column mixes units.

Each builder returns a polars frame and, beside it, the kinds of its
numeric columns (`pages.display.show_table` formats them with
`st.column_config`); a figure in words comes from `metrics.text`.
"""

from __future__ import annotations

import polars as pl

from metrics.evidence import link_label
from metrics.rag import STATUS_LABELS
from metrics.text import baseline_to_value, count, is_missing, measure, pct
from pages.display import ColumnKind, percent_points

__all__ = [
    "ASSUMPTION_KINDS",
    "EVIDENCE_KINDS",
    "SCORECARD_KINDS",
    "assumptions_table",
    "evidence_sources",
    "evidence_table",
    "scorecard_table",
    "tdrp_table",
]

SCORECARD_KINDS: dict[str, ColumnKind] = {
    "Product": "text",
    "Plan": "money",
    "Actual to date": "money",
    "Forecast": "money",
    "Idle spend": "money",
    "ROI": "percent",
    "Active learners": "count",
    "Reach": "percent",
    "Seat utilisation": "percent",
    "Cost / active learner": "money",
    "Completions": "count",
}
EVIDENCE_KINDS: dict[str, ColumnKind] = {
    "Measure": "long_text",
    "n": "count",
    "Age (days)": "count",
}
ASSUMPTION_KINDS: dict[str, ColumnKind] = {
    "Unit value": "money_exact",
    "Attribution": "percent_recorded",
    "Confidence": "percent_recorded",
    "n": "count",
    "Benefit": "money",
}


def scorecard_table(card: pl.DataFrame, *, currency: str) -> pl.DataFrame:
    """The overview's product table, numbers as numbers (`SCORECARD_KINDS`), reasons last.

    Rows are ordered Sunset, Fix, Invest (what needs a decision first), then by
    forecast spend; columns by what a partner looks for first (money, idle
    spend, ROI, then use). A product without a licence has no seat
    utilisation or idle spend: the cell is empty, like a figure not tracked.
    """
    order = {"Sunset": 0, "Fix": 1, "Invest": 2}
    rows = card.with_columns(
        _order=pl.col("health").replace_strict(order, default=3, return_dtype=pl.Int64)
    ).sort(["_order", pl.col("forecast_cost").fill_null(0)], descending=[False, True])
    return pl.DataFrame(
        {
            "Product": rows["product"].to_list(),
            "Health": rows["health"].to_list(),
            "Plan": rows["budget_plan"],
            "Actual to date": rows["actual_cost"],
            "Forecast": rows["forecast_cost"],
            "Idle spend": rows["idle_spend"],
            "ROI": percent_points(rows["roi"]),
            "Active learners": rows["active_learners"],
            "Reach": percent_points(rows["reach"]),
            "Seat utilisation": percent_points(rows["seat_utilisation"]),
            "Cost / active learner": rows["cost_per_active_learner"],
            "Completions": rows["completions"],
            "Why": ["; ".join(r or []) for r in rows["health_reasons"].to_list()],
        }
    )


def tdrp_table(report: pl.DataFrame, *, kind: str, currency: str) -> pl.DataFrame:
    """The rows of one measure type of a TDRp management report, as display strings.

    A column mixes units (money, people, percent), so its cells are words
    (`metrics.text.measure`); "—" marks a cell with nothing to show (no plan
    set, no data), and the Basis columns say where the plan and the
    forecast come from.
    """
    rows = report.filter(pl.col("type") == kind)
    units = rows["unit"].to_list()

    def col(name: str) -> list[str]:
        return [
            "—" if is_missing(v) else measure(v, u, currency)
            for v, u in zip(rows[name], units, strict=True)
        ]

    def share(name: str) -> list[str]:
        return ["—" if is_missing(v) else pct(v) for v in rows[name]]

    return pl.DataFrame(
        {
            "Measure": rows["measure"].to_list(),
            "Status": [STATUS_LABELS.get(r or "", "—") for r in rows["rag"]],
            "Last year": col("last_year"),
            "Plan": col("plan"),
            "YTD actual": col("ytd_actual"),
            "YTD % of plan": share("ytd_pct_of_plan"),
            "Forecast": col("forecast"),
            "Forecast % of plan": share("forecast_pct_of_plan"),
            "n": ["" if is_missing(v) else count(v) for v in rows["n"]],
            "Plan from": rows["plan_basis"].fill_null("").to_list(),
            "Forecast from": rows["forecast_basis"].fill_null("").to_list(),
        }
    )


_SOURCES = {
    "usage": "usage reports",
    "benefits": "benefits ÷ cost",
    "template": "outcomes.csv",
    "survey": "survey answers",
    "kpi series": "a KPI series",
    "experiment": "an experiment",
}
"""Where a link's evidence came from, in words (`metrics.chain_of_evidence`'s `source`)."""


def evidence_sources(evidence: pl.DataFrame) -> str | None:
    """Where each link's evidence came from, as a line under the chain (a ninth column of the
    table cut it at 1280 px): "From usage reports (Reach), survey answers (Reaction (L1))."."""
    if "source" not in evidence.columns:
        return None
    parts = [
        f"{_SOURCES.get(source, source)} ({link_label(link)})"
        for link, source in evidence.select("link", "source").iter_rows()
        if source
    ]
    return f"Evidence from {', '.join(parts)}." if parts else None


def evidence_table(evidence: pl.DataFrame, *, currency: str) -> pl.DataFrame:
    """The chain of evidence, link by link, with n and age as numbers (`EVIDENCE_KINDS`)."""
    return pl.DataFrame(
        {
            "Link": [link_label(x) for x in evidence["link"]],
            "Measure": evidence["measure"].fill_null("—").to_list(),
            "Latest": [
                measure(v, u, currency)
                for v, u in zip(evidence["value"], evidence["unit"], strict=True)
            ],
            "n": evidence["n"],
            "Period": ["" if p is None else f"{p:%b %Y}" for p in evidence["period"]],
            "Age (days)": evidence["age_days"],
            "Evidence": evidence["strength"].to_list(),
        }
    )


def assumptions_table(rows: pl.DataFrame) -> pl.DataFrame:
    """Each level-4 row behind the benefits, money and shares as numbers (`ASSUMPTION_KINDS`)."""
    return pl.DataFrame(
        {
            "Period": [f"{p:%b %Y}" for p in rows["period"]],
            "Measure": rows["measure"].to_list(),
            "Baseline → value": [
                baseline_to_value(b, v)
                for b, v in zip(rows["baseline"], rows["value"], strict=True)
            ],
            "Better when": rows["direction"].fill_null("higher").to_list(),
            "Unit value": rows["unit_value"],
            "Attribution": rows["attribution_pct"],
            "Confidence": rows["confidence_pct"],
            "n": rows["n"],
            "Benefit": rows["benefit"],
        }
    )
