"""The one Invest / Fix / Sunset label of each product, with its reasons.

Rules, in order (thresholds are `HealthThresholds` fields; utilisation and ROI
are fractions; their values are settings, LP_HEALTH_*, whose defaults are in
`settings.DEFAULT_HEALTH` and the README's Configuration table):

**Sunset** when any of:

* the lifecycle stage is ``retiring``;
* seat utilisation < ``utilisation_sunset_below``;
* ROI < ``roi_sunset_below``;
* the lifecycle stage is ``decline`` and strategic fit (1-5) ≤
  ``strategic_fit_sunset_at_most``.

**Fix**, when no Sunset rule fires, and any of:

* seat utilisation < ``utilisation_fix_below``;
* ROI < ``roi_invest_at_least``;
* forecast over plan by more than ``overspend_fix_above``, i.e.
  forecast ÷ plan − 1 > overspend_fix_above;
* a ``growth``, ``mature`` or ``decline`` product has no level-3 or level-4
  actual outcome in the year (no evidence that it changes behaviour or
  results) — except a ``compliance`` product, whose evidence is that its
  audience completes it: it is Fix when its reach of the target audience is
  below ``compliance_reach_fix_below``;
* licence seats are in force but no usage was imported for the year
  ("usage not tracked": the contract is paid for and nobody can say
  whether it is used).

**Invest** otherwise. A product in ``discovery`` or ``pilot`` is not
expected to have evidence yet (DESIGN.md: discovery is judged like a pilot):
it is Invest with the reason "discovery: gathering evidence" or "pilot:
gathering evidence" unless another rule fires.

A null input never fires a rule by being null (unknown utilisation, ROI,
plan, forecast, lifecycle or fit): the "not tracked" cells speak for
themselves. The one exception is evidence, whose absence is the finding.

Reasons are short plain-English strings: every rule that fired, Sunset rules
first ("retiring", "85% of seats idle", "ROI -60% on level-4 evidence",
"declining, strategic fit 2/5", "18% over plan", "no level-3/4 evidence for
a mature product" / "a growing product" / "a declining product"); an Invest
product lists what supports it ("pilot: gathering evidence", its ROI, its
seat use), or "no warning signs".

Examples
--------
A product in discovery with nothing measured yet is Invest:

>>> frame = pl.DataFrame(
...     {"lifecycle_stage": ["discovery"], "strategic_fit": [4], "seat_utilisation": [None],
...      "roi": [None], "budget_plan": [5000.0], "forecast_cost": [5000.0],
...      "evidence_level": [None]},
...     schema_overrides={"seat_utilisation": pl.Float64, "roi": pl.Float64,
...                       "evidence_level": pl.Int64},
... )
>>> cuts = HealthThresholds(
...     utilisation_fix_below=0.5, utilisation_sunset_below=0.2, roi_invest_at_least=0.0,
...     roi_sunset_below=-0.5, overspend_fix_above=0.10, strategic_fit_sunset_at_most=2,
...     compliance_reach_fix_below=0.9,
... )
>>> health_status(frame, thresholds=cuts).row(0)
('Invest', ['discovery: gathering evidence'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import polars as pl

from metrics import common

__all__ = ["HEALTH_BADGES", "HEALTH_LABELS", "HealthLabel", "HealthThresholds", "health_status"]

HealthLabel = Literal["Invest", "Fix", "Sunset"]
HEALTH_LABELS: Final[tuple[HealthLabel, ...]] = ("Invest", "Fix", "Sunset")
HEALTH_BADGES: Final[dict[str, str]] = {"Invest": "● Invest", "Fix": "▲ Fix", "Sunset": "✖ Sunset"}
"""What a health label reads as on a badge: a shape as well as a colour."""

_COLUMNS = (
    "lifecycle_stage",
    "strategic_fit",
    "seat_utilisation",
    "roi",
    "budget_plan",
    "forecast_cost",
    "evidence_level",
)
_EVIDENCE_EXPECTED = ("growth", "mature", "decline")
# Stages that are not expected to show usage or evidence yet (DESIGN.md).
_EARLY_STAGES = ("discovery", "pilot")


@dataclass(frozen=True)
class HealthThresholds:
    """Cut-offs for the Invest / Fix / Sunset label (fractions, not percents).

    They are settings rather than constants because every organisation draws
    the line between "fix it" and "stop paying for it" in its own place: the
    fields have no defaults here, `settings.DEFAULT_HEALTH` holds them (one
    source), and each one is an LP_HEALTH_* environment variable.
    """

    utilisation_fix_below: float
    utilisation_sunset_below: float
    roi_invest_at_least: float
    roi_sunset_below: float
    overspend_fix_above: float
    strategic_fit_sunset_at_most: int
    compliance_reach_fix_below: float

    def __post_init__(self) -> None:
        """Refuse Sunset thresholds looser than the Fix ones they sit under."""
        if self.utilisation_sunset_below > self.utilisation_fix_below:
            msg = (
                f"utilisation_sunset_below {self.utilisation_sunset_below} is above "
                f"utilisation_fix_below {self.utilisation_fix_below}"
            )
            raise ValueError(msg)
        if self.roi_sunset_below > self.roi_invest_at_least:
            msg = (
                f"roi_sunset_below {self.roi_sunset_below} is above "
                f"roi_invest_at_least {self.roi_invest_at_least}"
            )
            raise ValueError(msg)


def _percent(fraction: pl.Expr) -> pl.Expr:
    """A fraction as a whole percent for a reason text (0.623 -> 62)."""
    return (fraction * 100).round(0, mode="half_away_from_zero").cast(pl.Int64)


def _optional(frame: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    """A column the rules use when the caller has it (null when it does not)."""
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=dtype)


def _reason(fires: pl.Expr, text: pl.Expr | str) -> pl.Expr:
    """`text` where `fires` is true, else null (a null condition never fires)."""
    value = pl.lit(text) if isinstance(text, str) else text
    return pl.when(fires.fill_null(False)).then(value)


def health_status(scorecard: pl.DataFrame, *, thresholds: HealthThresholds) -> pl.DataFrame:
    """Invest / Fix / Sunset and the reasons, for every row of a scorecard-like frame.

    Parameters
    ----------
    scorecard
        One row per product with the columns `lifecycle_stage`,
        `strategic_fit` (1-5), `seat_utilisation` and `roi` (fractions),
        `budget_plan`, `forecast_cost` (major units) and `evidence_level` (the
        highest Kirkpatrick level with an actual row in the year, null when
        none: see `metrics.outcomes.highest_evidence_level`); optionally
        `category`, `reach`, `seats` and `usage_tracked` for the compliance
        and untracked-licence rules.
    thresholds
        The cut-offs (the `health` setting).

    Returns
    -------
    pl.DataFrame
        Columns `health` (one of "Invest", "Fix", "Sunset") and
        `health_reasons` (list of str), row for row with `scorecard`.

    Notes
    -----
    The rules, their thresholds and the null rule are in the module
    docstring. Overspend = forecast_cost ÷ budget_plan − 1, unknown when the
    plan is null or 0.

    Examples
    --------
    A mature product with utilisation 0.38, ROI 1.4, forecast 11,800 on a
    plan of 10,000 and level-4 evidence is Fix, reasons ["62% of seats
    idle", "18% over plan"].
    """
    common.require(scorecard, _COLUMNS, what="scorecard")
    t = thresholds
    stage = pl.col("lifecycle_stage").str.to_lowercase()
    util, roi, fit = pl.col("seat_utilisation"), pl.col("roi"), pl.col("strategic_fit")
    overspend = common.safe_ratio(pl.col("forecast_cost"), pl.col("budget_plan")) - 1
    category = _optional(scorecard, "category", pl.String()).str.to_lowercase()
    compliance = category == "compliance"
    no_evidence = (
        (pl.col("evidence_level").fill_null(0) < 3)
        & stage.is_in(_EVIDENCE_EXPECTED)
        & ~compliance.fill_null(False)
    )
    reach = _optional(scorecard, "reach", pl.Float64())
    seats = _optional(scorecard, "seats", pl.Int64())
    untracked_licence = seats.is_not_null() & ~_optional(
        scorecard, "usage_tracked", pl.Boolean()
    ).fill_null(False)
    described = stage.replace({"growth": "growing", "decline": "declining"})

    idle_text = pl.format("{}% of seats idle", _percent(1 - util))
    roi_text = pl.format("ROI {}% on level-4 evidence", _percent(roi))
    sunset = [
        _reason(stage == "retiring", "retiring"),
        _reason(util < t.utilisation_sunset_below, idle_text),
        _reason(roi < t.roi_sunset_below, roi_text),
        _reason(
            (stage == "decline") & (fit <= t.strategic_fit_sunset_at_most),
            pl.format("declining, strategic fit {}/5", fit),
        ),
    ]
    fix = [
        _reason(
            util.is_between(t.utilisation_sunset_below, t.utilisation_fix_below, "left"), idle_text
        ),
        _reason(roi.is_between(t.roi_sunset_below, t.roi_invest_at_least, "left"), roi_text),
        _reason(overspend > t.overspend_fix_above, pl.format("{}% over plan", _percent(overspend))),
        _reason(no_evidence, pl.format("no level-3/4 evidence for a {} product", described)),
        _reason(
            compliance & (reach < t.compliance_reach_fix_below),
            pl.format("compliance: only {}% of the audience reached", _percent(reach)),
        ),
        _reason(
            untracked_licence,
            pl.format("usage not tracked for {} licensed seats", seats),
        ),
    ]
    support = [
        _reason(stage.is_in(_EARLY_STAGES), pl.format("{}: gathering evidence", stage)),
        _reason(roi.is_not_null(), roi_text),
        _reason(util.is_not_null(), pl.format("{}% of seats in use", _percent(util))),
        _reason(
            compliance & reach.is_not_null(),
            pl.format("compliance: {}% of the audience reached", _percent(reach)),
        ),
    ]

    def listed(reasons: list[pl.Expr]) -> pl.Expr:
        return pl.concat_list(reasons).list.drop_nulls()

    sunset_list, fix_list, support_list = listed(sunset), listed(fix), listed(support)
    label = (
        pl.when(sunset_list.list.len() > 0)
        .then(pl.lit("Sunset"))
        .when(fix_list.list.len() > 0)
        .then(pl.lit("Fix"))
        .otherwise(pl.lit("Invest"))
    )
    invest_reasons = (
        pl.when(support_list.list.len() > 0)
        .then(support_list)
        .otherwise(pl.concat_list(pl.lit("no warning signs")))
    )
    reasons = (
        pl.when(label == "Invest").then(invest_reasons).otherwise(sunset_list.list.concat(fix_list))
    )
    return scorecard.select(
        label.alias("health"), reasons.cast(pl.List(pl.String())).alias("health_reasons")
    )
