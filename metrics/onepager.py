"""A product's one-pager content, gathered in one place for the page and the pack.

Why one assembler: the Product page, the Funding review and the funding
pack (JSON, workbook, HTML, PDF) each show a product's problem, its
customer and users, what it costs, how it is used, its evidence, the ask
for next year, its four risks and the line that sums it up. Gathered here
from figures computed once, the three cannot drift apart (a risk that reads
"low" on a page and "not tracked" in the pack, say).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import polars as pl

from metrics.engagement import funnel
from metrics.evidence import chain_of_evidence, link_label
from metrics.experiments import experiment_results
from metrics.licences import contracts_in_force
from metrics.periods import year_bounds
from metrics.risks import RiskThresholds, product_risks
from metrics.scorecard import FrameSet, in_order
from metrics.summary import highest_chain_levels, product_summary

__all__ = ["PROFILE_KEYS", "OnePager", "evidence_and_risks", "one_pagers"]

PROFILE_KEYS: Final[tuple[str, ...]] = (
    "owner",
    "sponsor",
    "target_audience",
    "business_problem",
    "business_goal",
    "strategic_fit",
)
"""The product's card: who owns and sponsors it, for whom, which problem (products.csv)."""

Row = dict[str, Any]


@dataclass(frozen=True)
class OnePager:
    """One product's one-pager content (money in the reporting currency's major units).

    `profile` holds `PROFILE_KEYS`; `evidence` the chain of evidence, link
    by link, with its label (`metrics.evidence.LINK_LABELS`) and its period
    as "YYYY-MM"; `ask` the year, plan, change (a fraction) and source of
    `metrics.budget_ask` ("not set" without next year's lines); `risks` the
    rows of `metrics.product_risks` (kind, level, reason), which
    `metrics.risk_cards` turns into the four cards shown.
    """

    product_id: int
    summary: str
    profile: Row
    target_audience_size: float | None
    fully_loaded_cost: float | None
    evidence: list[Row] = field(default_factory=list)
    ask: Row = field(default_factory=dict)
    risks: list[Row] = field(default_factory=list)


def evidence_and_risks(
    frames: FrameSet,
    scorecard: pl.DataFrame,
    *,
    year: int,
    as_of: date,
    min_n: int,
    stale_after_days: int,
    thresholds: RiskThresholds,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The chain of evidence and the four risks of the year, as the one-pager reads them.

    Parameters
    ----------
    frames
        The year's frames (budgets may span several years: only `year`'s
        lines count).
    scorecard
        `metrics.year_scorecard` of the whole portfolio: a risk compares a
        product's cost per active learner with the portfolio's median, so a
        page that reads one product's frames still passes every product's
        row here.
    year, as_of
        The reporting year and day.
    min_n, stale_after_days
        Evidence-strength thresholds (`metrics.chain_of_evidence`).
    thresholds
        The risks' cut-offs.

    Returns
    -------
    tuple of pl.DataFrame
        `metrics.chain_of_evidence` and `metrics.product_risks` outputs.
        Risk rows are computed for every scorecard row; a product whose
        frames were not given has no evidence, so read only the products
        the frames hold.
    """
    start, end = year_bounds(year)
    variants = getattr(frames, "experiments", None)  # a bare FrameSet has none
    evidence = chain_of_evidence(
        *in_order(frames, year=year),
        year=year,
        as_of=as_of,
        currency=frames.currency,
        min_n=min_n,
        stale_after_days=stale_after_days,
        experiments=None if variants is None else experiment_results(variants),
        sources=getattr(frames, "outcome_sources", None),
        figures=scorecard,  # the same year's figures: not computed twice
    )
    risks = product_risks(
        scorecard,
        evidence,
        funnel=funnel(frames.usage, start=start, end=end),
        licences=contracts_in_force(
            frames.contracts, start=start, end=end, currency=frames.currency
        ),
        as_of=as_of,
        thresholds=thresholds,
    )
    return evidence, risks


def one_pagers(
    scorecard: pl.DataFrame,
    products: pl.DataFrame,
    evidence: pl.DataFrame,
    risks: pl.DataFrame,
    asks: pl.DataFrame,
    fully_loaded: pl.DataFrame,
    *,
    year: int,
    currency: str,
    product_ids: Sequence[int],
) -> dict[int, OnePager]:
    """The one-pager content of each product of `product_ids`.

    Parameters
    ----------
    scorecard
        `metrics.product_scorecard` of the year (a row per product wanted).
    products
        The products frame (profile columns, `target_audience_size`).
    evidence
        `metrics.chain_of_evidence` of the year.
    risks
        `metrics.product_risks` of the year (computed over the whole
        portfolio: the median cost per learner is the portfolio's).
    asks
        `metrics.budget_ask` for the year.
    fully_loaded
        `metrics.fully_loaded_cost(...).total` (`product_id`,
        `fully_loaded_cost`).
    year
        The reporting year (the ask defaults to `year` + 1, "not set").
    currency
        The reporting currency, for the summary line's money.
    product_ids
        The products to gather, in the order wanted.

    Returns
    -------
    dict of int to OnePager
        Keyed by product id, in `product_ids` order.

    Notes
    -----
    Nothing is computed here but the selection: a missing figure stays
    None (shown "not tracked"), a product with no ask row gets the ask
    {year + 1, None, None, "not set"}, one with no risk rows an empty list
    (the four cards then read "not tracked").

    Examples
    --------
    A product whose scorecard row has actual 41,250.00 of a 96,000.00 plan
    gets the summary "£41k of £96k spent; …", its profile from products.csv
    and its chain of evidence with labels such as "Reaction (L1)".
    """
    cards = _by_id(scorecard)
    profiles = _by_id(products)
    chains = _grouped(evidence)
    ask_rows = _by_id(asks)
    loaded = dict(fully_loaded.select("product_id", "fully_loaded_cost").iter_rows())
    risk_rows = _grouped(risks)
    levels = highest_chain_levels(evidence)  # one group_by, not a query a product
    found: dict[int, OnePager] = {}
    for pid in product_ids:
        card, profile = cards.get(pid, {}), profiles.get(pid, {})
        ask = ask_rows.get(pid) or {"year": year + 1, "plan": None, "change": None}
        found[pid] = OnePager(
            product_id=pid,
            summary=product_summary(card, levels.get(pid), currency),
            profile={key: profile.get(key) for key in PROFILE_KEYS},
            target_audience_size=profile.get("target_audience_size"),
            fully_loaded_cost=loaded.get(pid),
            evidence=[_evidence_row(r) for r in chains.get(pid, [])],
            ask={
                "year": ask["year"],
                "plan": ask["plan"],
                "change": ask["change"],
                "source": ask.get("source") or "not set",
            },
            risks=[
                {"kind": r["kind"], "level": r["level"], "reason": r["reason"]}
                for r in risk_rows.get(pid, [])
            ],
        )
    return found


def _by_id(frame: pl.DataFrame) -> dict[int, Row]:
    return {row["product_id"]: row for row in frame.iter_rows(named=True)}


def _grouped(frame: pl.DataFrame) -> dict[int, list[Row]]:
    """The rows of a frame with a `product_id` column, grouped by it, order kept."""
    grouped: dict[int, list[Row]] = {}
    for row in frame.iter_rows(named=True):
        grouped.setdefault(row["product_id"], []).append(row)
    return grouped


def _evidence_row(row: Mapping[str, Any]) -> Row:
    period: date | None = row["period"]
    return {
        "link": row["link"],
        "level": row["level"],
        "label": link_label(row["link"]),
        "measure": row["measure"],
        "value": row["value"],
        "unit": row["unit"],
        "n": row["n"],
        "as_of": None if period is None else f"{period:%Y-%m}",
        "age_days": row["age_days"],
        "strength": row["strength"],
        "source": row.get("source"),
    }
