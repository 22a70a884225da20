"""The four product risks of each learning product, for the funding review's one-pager.

Marty Cagan's four risks of a product, read from figures the scorecard and
the chain of evidence already hold, one row per risk and product:

* **value**: will it create value for the sponsor? (evidence of results)
* **usability**: can the learners use it? (reach, seat use, completion)
* **feasibility**: can we run it and know how it runs? (tracking, stage, budget)
* **viability**: does it still pay its way? (idle spend, unit cost, renewal)

Signals (thresholds are `RiskThresholds` fields, shown with their defaults;
utilisation, reach, completion and shares are fractions):

===========  ======  ==========================================================
risk         level   fires when
===========  ======  ==========================================================
value        high    ROI < 0 (on level-4 evidence)
value        high    no level-3/4 evidence in the year (a product in discovery
                     or pilot, or a compliance product: medium instead)
value        medium  level-3/4 evidence but benefits not tracked (no monetised
                     level-4 row)
usability    high    reach of the target audience < ``reach_high_below`` (0.2)
usability    medium  reach < ``reach_medium_below`` (0.4)
usability    high    seat utilisation < ``utilisation_high_below`` (0.5)
usability    medium  seat utilisation < ``utilisation_medium_below`` (0.7)
usability    high    completion rate (completed ÷ enrolled) <
                     ``completion_high_below`` (0.2)
usability    medium  completion rate < ``completion_medium_below`` (0.4)
feasibility  high    usage not tracked while licence seats are in force
feasibility  medium  usage not tracked (no licence)
feasibility  medium  lifecycle stage ``discovery`` or ``pilot`` (DESIGN.md:
                     discovery is judged like a pilot)
feasibility  high    forecast over plan by more than ``overspend_high_above``
                     (0.10), i.e. forecast ÷ plan − 1 > 0.10
feasibility  medium  forecast over plan by more than ``overspend_medium_above``
                     (0.05)
viability    high    idle spend ÷ actual cost ≥ ``idle_share_high_at_least`` (0.25)
viability    medium  idle spend ÷ actual cost ≥ ``idle_share_medium_at_least`` (0.10)
viability    high    cost per active learner > ``cost_per_learner_high_multiple``
                     (2.0) × the median over the scorecard's products
viability    medium  cost per active learner > ``cost_per_learner_medium_multiple``
                     (1.5) × that median
viability    high    the licence term ends within ``renewal_within_days`` (90)
                     of `as_of` with seat utilisation <
                     ``renewal_utilisation_below`` (0.5)
viability    medium  the licence term ends within that window and usage is not
                     tracked
===========  ======  ==========================================================

A risk's level is the highest level among its signals that fire, and its
reason lists every signal that fired, high ones first, joined by "; ". When
none fires the risk is "low" with the reason "no warning signs". A risk whose
inputs are all not tracked (usability of a product with no usage imported) has
no level (null) and the reason says what is missing: missing data is never
read as a low risk. A null input never
fires a signal by being null, except evidence, whose absence is the finding
(as in `metrics.health`). The median of cost per active learner needs at
least ``cost_per_learner_min_products`` (3) products with a known figure;
with fewer that signal never fires.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import polars as pl

from metrics import common
from metrics.text import NOT_TRACKED

__all__ = [
    "RISK_COLUMNS",
    "RISK_KINDS",
    "RISK_LEVELS",
    "RISK_QUESTIONS",
    "RISK_TITLES",
    "RiskCard",
    "RiskThresholds",
    "product_risks",
    "risk_cards",
]

RiskKind = Literal["value", "usability", "feasibility", "viability"]
RiskLevel = Literal["high", "medium", "low"]
RISK_KINDS: Final[tuple[RiskKind, ...]] = ("value", "usability", "feasibility", "viability")
RISK_LEVELS: Final[tuple[RiskLevel, ...]] = ("high", "medium", "low")
RISK_COLUMNS: Final[tuple[str, ...]] = ("product_id", "kind", "level", "reason")
RISK_TITLES: Final[dict[str, str]] = {
    "value": "Value",
    "usability": "Usability",
    "feasibility": "Feasibility",
    "viability": "Viability",
}
"""What each risk (`RISK_KINDS`) is called on the pages and in the pack."""
RISK_QUESTIONS: Final[dict[str, str]] = {
    "value": "Will it pay back for the business?",
    "usability": "Will learners use it?",
    "feasibility": "Can we deliver it?",
    "viability": "Does it still make sense to fund?",
}
"""The question each risk answers, under its title."""
NO_SIGNAL: Final = "no warning signs"
# Stages not expected to show evidence yet (DESIGN.md: discovery is judged like a pilot).
_EARLY_STAGES = ("discovery", "pilot")

_SCORECARD_COLUMNS = (
    "product_id",
    "lifecycle_stage",
    "reach",
    "seats",
    "seat_utilisation",
    "usage_tracked",
    "budget_plan",
    "forecast_cost",
    "actual_cost",
    "idle_spend",
    "cost_per_active_learner",
    "benefits",
    "roi",
)
_SCHEMA: Final[dict[str, pl.DataType]] = {
    "product_id": pl.Int64(),
    "kind": pl.String(),
    "level": pl.String(),
    "reason": pl.String(),
}


@dataclass(frozen=True)
class RiskCard:
    """One of a product's four risks as the one-pager shows it.

    `level` is "high", "medium" or "low", or None when the risk was not
    computed for the product; `level_text` is then "not tracked" (a risk
    nobody assessed is not a low one), and so is `reason`.
    """

    kind: str
    title: str
    question: str
    level: str | None
    level_text: str
    reason: str


def risk_cards(rows: Iterable[Mapping[str, object]]) -> list[RiskCard]:
    """A product's four risks in `RISK_KINDS` order, with their titles and questions.

    Parameters
    ----------
    rows
        The product's rows of `product_risks` (or of the pack's ``risks``):
        mappings with `kind`, `level` and `reason`.

    Returns
    -------
    list of RiskCard
        Always four, one per kind; a kind without a row (or with a null
        level) reads `metrics.text.NOT_TRACKED` as its level, and its reason
        as given (what was not tracked) or `NOT_TRACKED`.

    Examples
    --------
    >>> cards = risk_cards([{"kind": "value", "level": "high", "reason": "ROI below 0"}])
    >>> [(c.title, c.level_text, c.reason) for c in cards[:2]]
    [('Value', 'high', 'ROI below 0'), ('Usability', 'not tracked', 'not tracked')]
    """
    found = {str(r.get("kind")): r for r in rows}
    cards = []
    for kind in RISK_KINDS:
        row = found.get(kind) or {}
        level = row.get("level")
        known = level in RISK_LEVELS
        reason = row.get("reason")
        cards.append(
            RiskCard(
                kind=kind,
                title=RISK_TITLES[kind],
                question=RISK_QUESTIONS[kind],
                level=str(level) if known else None,
                level_text=str(level) if known else NOT_TRACKED,
                reason=str(reason or "") if known else str(reason or NOT_TRACKED),
            )
        )
    return cards


@dataclass(frozen=True)
class RiskThresholds:
    """Cut-offs of the risk signals (fractions, not percents; see the module docstring)."""

    reach_high_below: float = 0.2
    reach_medium_below: float = 0.4
    utilisation_high_below: float = 0.5
    utilisation_medium_below: float = 0.7
    completion_high_below: float = 0.2
    completion_medium_below: float = 0.4
    overspend_high_above: float = 0.10
    overspend_medium_above: float = 0.05
    idle_share_high_at_least: float = 0.25
    idle_share_medium_at_least: float = 0.10
    cost_per_learner_high_multiple: float = 2.0
    cost_per_learner_medium_multiple: float = 1.5
    cost_per_learner_min_products: int = 3
    renewal_within_days: int = 90
    renewal_utilisation_below: float = 0.5


def _percent(fraction: pl.Expr) -> pl.Expr:
    """A fraction as a whole percent for a reason text (0.623 -> 62)."""
    return (fraction * 100).round(0, mode="half_away_from_zero").cast(pl.Int64)


def _fires(condition: pl.Expr, text: pl.Expr | str) -> pl.Expr:
    """`text` where `condition` is true, else null (a null condition never fires)."""
    value = pl.lit(text) if isinstance(text, str) else text
    return pl.when(condition.fill_null(False)).then(value)


_Signal = tuple[RiskLevel, pl.Expr, pl.Expr | str]


def _risk(
    kind: RiskKind, signals: list[_Signal], *, judged: pl.Expr | None = None, unjudged: str = ""
) -> pl.Expr:
    """One risk as a struct {kind, level, reason} from its signals.

    `judged` says per product whether any input of the risk is tracked; where
    it is false the level is null and the reason is `unjudged` ("usage not
    tracked"), so a risk nobody could assess never reads "low".
    """

    def fired(level: RiskLevel) -> pl.Expr:
        found = [_fires(cond, text) for lvl, cond, text in signals if lvl == level]
        return pl.concat_list(found).list.drop_nulls().cast(pl.List(pl.String()))

    high, medium = fired("high"), fired("medium")
    level = (
        pl.when(high.list.len() > 0)
        .then(pl.lit("high"))
        .when(medium.list.len() > 0)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )
    reason = (
        pl.when(level == "low")
        .then(pl.lit(NO_SIGNAL))
        .otherwise(high.list.concat(medium).list.join("; "))
    )
    if judged is not None:
        known = judged.fill_null(False)
        level = pl.when(known).then(level)
        reason = pl.when(known).then(reason).otherwise(pl.lit(unjudged))
    return pl.struct(pl.lit(kind).alias("kind"), level.alias("level"), reason.alias("reason"))


def _evidence_of_change(evidence: pl.DataFrame) -> pl.DataFrame:
    """product_id -> True when a level-3 or level-4 link of the chain has any evidence."""
    common.require(evidence, ("product_id", "level", "strength"), what="evidence")
    return (
        evidence.filter(pl.col("level").is_in([3, 4]) & (pl.col("strength") != "none"))
        .select("product_id")
        .unique()
        .with_columns(pl.lit(True).alias("_l34"))
    )


def _median_cost(scorecard: pl.DataFrame, t: RiskThresholds) -> float | None:
    known = scorecard.get_column("cost_per_active_learner").drop_nulls()
    if known.len() < t.cost_per_learner_min_products:
        return None
    median = known.median()
    return float(median) if isinstance(median, int | float) and median > 0 else None


def product_risks(
    scorecard: pl.DataFrame,
    evidence: pl.DataFrame,
    *,
    funnel: pl.DataFrame | None = None,
    licences: pl.DataFrame | None = None,
    as_of: date | None = None,
    thresholds: RiskThresholds | None = None,
) -> pl.DataFrame:
    """Value, usability, feasibility and viability risk of every product of a scorecard.

    Parameters
    ----------
    scorecard
        The output of `metrics.product_scorecard` (every product whose
        unit cost sets the median: pass the whole portfolio, then filter).
    evidence
        The output of `metrics.chain_of_evidence` for the same year
        (columns `product_id`, `level`, `strength` are read).
    funnel
        Optional `metrics.funnel` output for the year (`product_id`,
        `completion_rate`); without it the completion signals never fire.
    licences
        Optional `metrics.contracts_in_force` output for the year
        (`product_id`, `term_end`); without it, or without `as_of`, the
        renewal signals never fire.
    as_of
        The report's "today", for the days to renewal.
    thresholds
        The cut-offs; the `RiskThresholds` defaults when None.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `kind` (`RISK_KINDS`), `level` ("high",
        "medium", "low"), `reason` (plain English, "no signal" when low);
        four rows per scorecard row, in its order, kinds in `RISK_KINDS`
        order.

    Notes
    -----
    The signals, their thresholds and the null rule are in the module
    docstring. Idle share = idle_spend ÷ actual_cost; overspend =
    forecast_cost ÷ budget_plan − 1; days to renewal = term_end − as_of,
    counted when 0 ≤ days ≤ renewal_within_days.

    Examples
    --------
    A mature product with seat utilisation 0.38, idle spend 9,000.00 of an
    actual cost of 30,000.00 (share 0.30) and a contract ending 40 days
    after `as_of`, no level-3/4 evidence: value high ("no level-3/4
    evidence"), usability high ("38% of seats in use"), feasibility low
    ("no signal"), viability high ("idle seats cost 30% of the actual
    spend; licence renews in 40 days with 38% of seats in use").
    """
    common.require(scorecard, _SCORECARD_COLUMNS, what="scorecard")
    t = thresholds or RiskThresholds()
    base = scorecard.with_row_index("_order").join(
        _evidence_of_change(evidence), on="product_id", how="left"
    )
    if funnel is not None:
        common.require(funnel, ("product_id", "completion_rate"), what="funnel")
        base = base.join(
            funnel.select("product_id", "completion_rate"), on="product_id", how="left"
        )
    else:
        base = base.with_columns(pl.lit(None, dtype=pl.Float64()).alias("completion_rate"))
    days = pl.lit(None, dtype=pl.Int64())
    if licences is not None and as_of is not None:
        common.require(licences, ("product_id", "term_end"), what="licences")
        ends = licences.group_by("product_id").agg(pl.col("term_end").max())
        base = base.join(ends, on="product_id", how="left")
        days = (pl.col("term_end") - pl.lit(as_of, dtype=pl.Date())).dt.total_days()
    base = base.with_columns(days.alias("_days"))

    stage = pl.col("lifecycle_stage").str.to_lowercase()
    category = (
        pl.col("category").str.to_lowercase()
        if "category" in scorecard.columns
        else pl.lit(None, dtype=pl.String())
    )
    has_evidence = pl.col("_l34").fill_null(False)
    early = stage.is_in(_EARLY_STAGES).fill_null(False)
    lenient = early | (category == "compliance").fill_null(False)
    roi, util, reach = pl.col("roi"), pl.col("seat_utilisation"), pl.col("reach")
    completion = pl.col("completion_rate")
    untracked = ~pl.col("usage_tracked").fill_null(False)
    licensed = pl.col("seats").is_not_null()
    overspend = common.safe_ratio(pl.col("forecast_cost"), pl.col("budget_plan")) - 1
    idle_share = common.safe_ratio(pl.col("idle_spend"), pl.col("actual_cost"))
    median = _median_cost(scorecard, t)
    multiple = (
        pl.col("cost_per_active_learner") / median
        if median is not None
        else pl.lit(None, dtype=pl.Float64())
    )
    renews = pl.col("_days").is_between(0, t.renewal_within_days)

    in_use = pl.format("{}% of seats in use", _percent(util))
    over = pl.format("forecast {}% over plan", _percent(overspend))
    idle = pl.format("idle seats cost {}% of the actual spend", _percent(idle_share))
    unit_cost = pl.format(
        "cost per active learner {}× the portfolio median", multiple.round(1).cast(pl.String())
    )
    risks = [
        _risk(
            "value",
            [
                ("high", roi < 0, pl.format("ROI {}% on level-4 evidence", _percent(roi))),
                ("high", ~has_evidence & ~lenient, "no level-3/4 evidence"),
                (
                    "medium",
                    ~has_evidence & lenient,
                    pl.format(
                        "no level-3/4 evidence yet ({})",
                        pl.when(early).then(stage).otherwise(category),
                    ),
                ),
                (
                    "medium",
                    has_evidence & pl.col("benefits").is_null(),
                    "benefits not tracked (no monetised level-4 result)",
                ),
            ],
        ),
        _risk(
            "usability",
            [
                (
                    "high",
                    reach < t.reach_high_below,
                    pl.format("reach {}% of the target audience", _percent(reach)),
                ),
                (
                    "medium",
                    reach.is_between(t.reach_high_below, t.reach_medium_below, "left"),
                    pl.format("reach {}% of the target audience", _percent(reach)),
                ),
                ("high", util < t.utilisation_high_below, in_use),
                (
                    "medium",
                    util.is_between(t.utilisation_high_below, t.utilisation_medium_below, "left"),
                    in_use,
                ),
                (
                    "high",
                    completion < t.completion_high_below,
                    pl.format("{}% of enrolled learners complete", _percent(completion)),
                ),
                (
                    "medium",
                    completion.is_between(
                        t.completion_high_below, t.completion_medium_below, "left"
                    ),
                    pl.format("{}% of enrolled learners complete", _percent(completion)),
                ),
            ],
            judged=reach.is_not_null() | util.is_not_null() | completion.is_not_null(),
            unjudged="usage not tracked: nothing to judge use by",
        ),
        _risk(
            "feasibility",
            [
                (
                    "high",
                    untracked & licensed,
                    pl.format("usage not tracked for {} licensed seats", pl.col("seats")),
                ),
                ("medium", untracked & ~licensed, "usage not tracked"),
                ("medium", early, pl.format("{} stage: not yet run at scale", stage)),
                ("high", overspend > t.overspend_high_above, over),
                (
                    "medium",
                    (overspend > t.overspend_medium_above) & (overspend <= t.overspend_high_above),
                    over,
                ),
            ],
        ),
        _risk(
            "viability",
            [
                ("high", idle_share >= t.idle_share_high_at_least, idle),
                (
                    "medium",
                    idle_share.is_between(
                        t.idle_share_medium_at_least, t.idle_share_high_at_least, "left"
                    ),
                    idle,
                ),
                ("high", multiple > t.cost_per_learner_high_multiple, unit_cost),
                (
                    "medium",
                    (multiple > t.cost_per_learner_medium_multiple)
                    & (multiple <= t.cost_per_learner_high_multiple),
                    unit_cost,
                ),
                (
                    "high",
                    renews & (util < t.renewal_utilisation_below),
                    pl.format(
                        "licence renews in {} days with {}% of seats in use",
                        pl.col("_days"),
                        _percent(util),
                    ),
                ),
                (
                    "medium",
                    renews & untracked,
                    pl.format("licence renews in {} days, usage not tracked", pl.col("_days")),
                ),
            ],
        ),
    ]
    long = (
        base.select("_order", "product_id", pl.concat_list(risks).alias("_risk"))
        .sort("_order", maintain_order=True)
        .explode("_risk")
        .unnest("_risk")
    )
    return long.select(list(_SCHEMA)).cast(_SCHEMA)  # type: ignore[arg-type]
