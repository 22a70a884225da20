"""The TDRp management report: Last year, Plan, YTD, YTD % of plan, Forecast, Forecast % of plan.

One row per measure, grouped by TDRp type, for one product or a set of them
(the whole portfolio by default). Column rules:

* **last_year**: the measure over the whole previous calendar year (pass
  frames that reach back that far: budgets, usage and outcomes of
  year − 1 as well).
* **plan**: spend: Σ budget plan of the year. Benefits: the forecast
  benefits of level-4 rows of kind "forecast" (`forecast_benefits`); ROI and
  BCR: those forecast benefits against the spend plan (Phillips forecast
  ROI). Every other measure: a recorded target, i.e. the value of an outcome
  row of kind "forecast" in the year (the latest one by period) for that
  measure: for L1 a NPS row, for L2 a row whose measure contains "gain",
  for L3 an application-rate row (as `application_rate`), for the
  efficiency measures a row whose measure name is the report's measure name
  (any case, ignoring punctuation and anything in brackets; "utilization"
  is read as "utilisation"). Targets of "%" measures are recorded in
  percent and divided by 100. No such row: null, "no plan set".
* **ytd_actual**: the measure from 1 January to `as_of` when `as_of` falls
  in the year; the whole year for a past year; null for a year that has not
  started. Spend takes the budget months whose first day is on or before
  `as_of` (the current month's actuals, if posted, included); usage takes
  rows placed on or before `as_of` (seat utilisation: the contracts in
  force in the window, their active learners counted up to its end);
  survey measures the latest row dated on or before it.
* **ytd_pct_of_plan** = ytd_actual ÷ YTD plan, where the YTD plan is: for
  spend, Σ plan of the same budget months (the plan's own monthly phasing:
  an annual licence planned in January is all "due" from January); for
  counts that accrue (learners, completions, hours, benefits), the annual
  plan × elapsed days ÷ days in the year (their targets are annual, with no
  phasing); for rates and levels, the plan itself.
* **forecast**: spend: the default forecast (`forecast_cost`: actuals of
  months with any actual + plan of the others). Learner counts, completions
  and hours: run-rate to year end, YTD ÷ elapsed days × days in the year
  (the month-based run-rate of DESIGN measured in days, as usage YTD runs to
  the day; distinct learners grow more slowly than days, so read it as an
  upper bound). Cost per active learner and per completion: forecast spend
  ÷ forecast count (over the products whose count is known). Rates,
  surveys, benefits, ROI and BCR: the latest value, i.e. the YTD figure, not
  projected (benefits not yet measured are not claimed: Phillips
  principle 6). Null for a year that has not started, except spend.
* **forecast_pct_of_plan** = forecast ÷ plan; **rag** =
  `rag_status(forecast, plan, higher_is_better, amber, red)` (null without
  both).

Across several products (the portfolio): money is summed in minor units;
learners are distinct across products (a learner of two products counts
once); completions and hours are summed; seat utilisation is Σ used seats ÷
Σ seats; cost per active learner is the spend of the products with usage ÷
their distinct active learners, cost per completion the spend of the
products whose completions are known ÷ their completions; survey figures
are n-weighted means of each product's latest value (products whose latest
row has no n are left out), with n = Σ n; benefits are summed and ROI/BCR
taken on the summed spend (a product without level-4 evidence adds its cost
and no benefit, as `portfolio_summary`). A recorded target is summed across
products only for completions and hours, and only when every product with
data in the year has one; targets of learner counts and rates do not add up,
so their portfolio plan is null.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import polars as pl

from metrics import common, tdrp_scope
from metrics.costs import forecast_cost
from metrics.currency import minor_per_major
from metrics.monetisation import forecast_benefits
from metrics.outcomes import is_application, kind_rows, latest_rows
from metrics.periods import year_bounds
from metrics.rag import rag_status
from metrics.tdrp_scope import Figure, Window

__all__ = [
    "MONEY",
    "TDRP_COLUMNS",
    "TDRP_MEASURES",
    "MeasureType",
    "TdrpMeasure",
    "tdrp_report",
]

MeasureType = Literal["Efficiency", "Effectiveness", "Outcome"]
_Accrual = Literal["money", "additive", "distinct", "level"]
_Forecast = Literal["default", "run_rate", "derived", "latest"]

MONEY: Final = "money"
"""The `unit` of a money measure in `TDRP_MEASURES`; the report writes the currency code."""


@dataclass(frozen=True)
class TdrpMeasure:
    """One row of the report: its key, label, TDRp type, unit and direction.

    `unit` is `MONEY` for an amount: the report's `unit` column then holds
    the reporting currency's code ("GBP", "JPY"), never a fixed one.
    """

    key: str
    measure: str
    type: MeasureType
    unit: str
    higher_is_better: bool
    accrual: _Accrual
    forecast: _Forecast


TDRP_MEASURES: Final[tuple[TdrpMeasure, ...]] = (
    TdrpMeasure("spend", "Spend", "Efficiency", MONEY, False, "money", "default"),
    TdrpMeasure(
        "unique_learners", "Unique learners", "Efficiency", "people", True, "distinct", "run_rate"
    ),
    TdrpMeasure(
        "active_learners", "Active learners", "Efficiency", "people", True, "distinct", "run_rate"
    ),
    TdrpMeasure("completions", "Completions", "Efficiency", "count", True, "additive", "run_rate"),
    TdrpMeasure(
        "learning_hours", "Learning hours", "Efficiency", "hours", True, "additive", "run_rate"
    ),
    TdrpMeasure("seat_utilisation", "Seat utilisation", "Efficiency", "%", True, "level", "latest"),
    TdrpMeasure(
        "cost_per_active_learner",
        "Cost per active learner",
        "Efficiency",
        MONEY,
        False,
        "level",
        "derived",
    ),
    TdrpMeasure(
        "cost_per_completion", "Cost per completion", "Efficiency", MONEY, False, "level", "derived"
    ),
    TdrpMeasure("learner_nps", "Learner NPS (L1)", "Effectiveness", "NPS", True, "level", "latest"),
    TdrpMeasure(
        "score_gain", "Score gain (L2)", "Effectiveness", "points", True, "level", "latest"
    ),
    TdrpMeasure(
        "application_rate", "Application rate (L3)", "Effectiveness", "%", True, "level", "latest"
    ),
    TdrpMeasure("benefits", "Benefits (L4)", "Outcome", MONEY, True, "additive", "latest"),
    TdrpMeasure("roi", "ROI", "Outcome", "%", True, "level", "latest"),
    TdrpMeasure("bcr", "BCR", "Outcome", "ratio", True, "level", "latest"),
)

TDRP_COLUMNS: Final[tuple[str, ...]] = (
    "measure",
    "type",
    "unit",
    "higher_is_better",
    "last_year",
    "plan",
    "ytd_actual",
    "ytd_pct_of_plan",
    "forecast",
    "forecast_pct_of_plan",
    "rag",
    "n",
    "plan_basis",
    "forecast_basis",
    "key",
)
_SCHEMA: Final[dict[str, pl.DataType]] = {
    "measure": pl.String(),
    "type": pl.String(),
    "unit": pl.String(),
    "higher_is_better": pl.Boolean(),
    "last_year": pl.Float64(),
    "plan": pl.Float64(),
    "ytd_actual": pl.Float64(),
    "ytd_pct_of_plan": pl.Float64(),
    "forecast": pl.Float64(),
    "forecast_pct_of_plan": pl.Float64(),
    "rag": pl.String(),
    "n": pl.Int64(),
    "plan_basis": pl.String(),
    "forecast_basis": pl.String(),
    "key": pl.String(),
}
_NAMED_TARGETS = (
    "unique_learners",
    "active_learners",
    "completions",
    "learning_hours",
    "seat_utilisation",
    "cost_per_active_learner",
    "cost_per_completion",
)
NO_PLAN = "no plan set"


def _normalised(name: str) -> str:
    name = re.sub(r"\([^)]*\)", " ", name.lower()).replace("utilization", "utilisation")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name).split())


def _normalised_expr(column: str) -> pl.Expr:
    name = pl.col(column).str.to_lowercase().str.replace_all(r"\([^)]*\)", " ")
    name = name.str.replace_all("utilization", "utilisation", literal=True)
    return name.str.replace_all(r"[^a-z0-9]+", " ").str.strip_chars()


def _targets(outcomes: pl.DataFrame, year: int) -> dict[str, dict[int, float]]:
    """Per measure key: {product: its latest recorded target in the year}."""
    rows = kind_rows(outcomes, year, "forecast").filter(pl.col("value").is_not_null())
    _, year_end = year_bounds(year)
    by_key: dict[str, pl.DataFrame] = {
        "learner_nps": tdrp_scope.nps_rows(rows),
        "score_gain": tdrp_scope.gain_rows(rows),
        "application_rate": rows.filter((pl.col("level") == 3) & is_application(pl.col("measure"))),
    }
    names = rows.with_columns(_normalised_expr("measure").alias("_n"))
    for measure in TDRP_MEASURES:
        if measure.key in _NAMED_TARGETS:
            by_key[measure.key] = names.filter(pl.col("_n") == _normalised(measure.measure))
    percent = {m.key for m in TDRP_MEASURES if m.unit == "%"}
    targets: dict[str, dict[int, float]] = {}
    for key, found in by_key.items():
        latest = latest_rows(found, ["product_id"], year_end)
        scale = 100 if key in percent else 1
        targets[key] = {p: v / scale for p, v in latest.select("product_id", "value").iter_rows()}
    return targets


@dataclass(frozen=True)
class _Context:
    year: int
    ids: list[int]
    with_data: set[int]
    elapsed_days: int
    days_in_year: int
    currency: str


def _plans(
    budgets: pl.DataFrame, outcomes: pl.DataFrame, ctx: _Context
) -> dict[str, tuple[float | None, str]]:
    """Per measure key: (plan, plan_basis)."""
    start, end = year_bounds(ctx.year)
    plan_spend = common.major(
        tdrp_scope.total(tdrp_scope.money_by_product(budgets, start, end, "plan_minor").values()),
        currency=ctx.currency,
    )
    forecasts = dict(forecast_benefits(outcomes, year=ctx.year, currency=ctx.currency).iter_rows())
    expected = tdrp_scope.total(forecasts.values())
    gain = None if expected is None or plan_spend is None else expected - plan_spend
    plans: dict[str, tuple[float | None, str]] = {
        "spend": (plan_spend, "budget plan" if plan_spend is not None else NO_PLAN),
        "benefits": (expected, "forecast level-4 rows" if expected is not None else NO_PLAN),
        "roi": (tdrp_scope.ratio(gain, plan_spend), "forecast benefits vs budget plan"),
        "bcr": (tdrp_scope.ratio(expected, plan_spend), "forecast benefits ÷ budget plan"),
    }
    for key in ("roi", "bcr"):
        if plans[key][0] is None:
            plans[key] = (None, NO_PLAN)
    targets = _targets(outcomes, ctx.year)
    for measure in TDRP_MEASURES:
        if measure.key in plans:
            continue
        recorded = targets.get(measure.key, {})
        plans[measure.key] = _scope_target(measure, recorded, ctx)
    return plans


def _scope_target(
    measure: TdrpMeasure, recorded: dict[int, float], ctx: _Context
) -> tuple[float | None, str]:
    if len(ctx.ids) == 1:
        value = recorded.get(ctx.ids[0])
        return (value, "target (forecast outcome row)") if value is not None else (None, NO_PLAN)
    if measure.accrual != "additive":
        return None, "no portfolio plan: product targets of this measure do not add up"
    needed = ctx.with_data or set(ctx.ids)
    if not needed or any(p not in recorded for p in needed):
        return None, "no plan set for every product with data"
    return sum(recorded[p] for p in needed), f"targets of {len(needed)} products summed"


def _run_rate(value: float | None, ctx: _Context) -> float | None:
    if value is None or ctx.elapsed_days == 0:
        return None
    return value * ctx.days_in_year / ctx.elapsed_days


def _ytd_plan(
    measure: TdrpMeasure, plan: float | None, ytd_spend_plan: float | None, ctx: _Context
) -> float | None:
    """The plan the YTD actual is measured against (see the module docstring)."""
    if measure.accrual == "money":
        return ytd_spend_plan
    if plan is None or ctx.elapsed_days == 0:
        return None
    if measure.accrual in ("additive", "distinct"):
        return plan * ctx.elapsed_days / ctx.days_in_year
    return plan


def tdrp_report(
    products: pl.DataFrame,
    budgets: pl.DataFrame,
    contracts: pl.DataFrame,
    usage: pl.DataFrame,
    outcomes: pl.DataFrame,
    *,
    year: int,
    as_of: date,
    currency: str,
    product_ids: Sequence[int] | None = None,
    amber: float,
    red: float,
) -> pl.DataFrame:
    """The TDRp management report of one product, several, or the whole portfolio.

    Parameters
    ----------
    products, budgets, contracts, usage, outcomes
        Frames in `metrics.schema` shapes, covering `year` and the year
        before it (for the last-year column).
    year
        The reporting year.
    as_of
        The report's "today": the end of the YTD window.
    currency
        The reporting currency (ISO 4217) the frames' minor units are in;
        money measures carry its code as their `unit`.
    product_ids
        The products to report on together; None = every product in
        `products` (the portfolio).
    amber, red
        RAG tolerances (fractions of plan), as `rag_status`: the
        LP_RAG_AMBER and LP_RAG_RED settings.

    Returns
    -------
    pl.DataFrame
        One row per measure of `TDRP_MEASURES`, in order (Efficiency,
        Effectiveness, Outcome); columns `TDRP_COLUMNS`: `measure`, `type`,
        `unit` (the currency code for money, "people", "count", "hours", "%" = a fraction,
        "NPS", "points", "ratio"), `higher_is_better`, `last_year`,
        `plan`, `ytd_actual`, `ytd_pct_of_plan`, `forecast`,
        `forecast_pct_of_plan` (fractions), `rag`, `n` (survey sample
        behind the YTD figure), `plan_basis`, `forecast_basis` (plain
        English), `key` (a stable identifier of the measure).

    Notes
    -----
    See the module docstring for every column's formula, the null rules
    and how products are aggregated. Null means "not tracked" or "no plan
    set", never 0.

    Examples
    --------
    One product, 2026, as of 2026-11-23 (327 of 365 days elapsed): spend
    plan 12,000.00 phased 1,000.00 a month, actuals 1,000.00 a month for
    January to October: YTD 10,000.00 against a YTD plan of 11,000.00
    (January to November) = 0.909; forecast 10,000 + plan of November and
    December 2,000 = 12,000.00, 100 % of plan, green. 300 unique learners
    YTD run-rate to 300 × 365 ÷ 327 = 334.86.
    """
    common.require(products, ("product_id",), what="products")
    known = products.get_column("product_id").to_list()
    if product_ids is None:
        ids = known
    else:
        unknown = sorted(set(product_ids) - set(known))
        if unknown:
            msg = f"product_ids not in products: {', '.join(map(str, unknown))}"
            raise ValueError(msg)
        ids = list(dict.fromkeys(product_ids))
    in_scope = pl.col("product_id").is_in(ids)
    budgets, contracts = budgets.filter(in_scope), contracts.filter(in_scope)
    usage, outcomes = usage.filter(in_scope), outcomes.filter(in_scope)

    start, end = year_bounds(year)
    days_in_year = (end - start).days + 1
    if as_of < start:
        ytd_end, elapsed = None, 0
    else:
        ytd_end = min(as_of, end)
        elapsed = (ytd_end - start).days + 1
    with_data = (
        set(budgets.filter(pl.col("month").dt.year() == year).get_column("product_id"))
        | set(usage.filter(common.row_in_window(start, end)).get_column("product_id"))
        | set(outcomes.filter(pl.col("period").dt.year() == year).get_column("product_id"))
    )
    ctx = _Context(year, ids, with_data, elapsed, days_in_year, currency)

    frames = (budgets, contracts, usage, outcomes)
    if year > 1:
        last_start, last_end = year_bounds(year - 1)
        last, _ = tdrp_scope.window_figures(
            *frames, Window(year - 1, last_start, last_end, currency)
        )
    else:
        last = {}
    if ytd_end is not None:
        ytd, tracked = tdrp_scope.window_figures(*frames, Window(year, start, ytd_end, currency))
        ytd_spend_plan = common.major(
            tdrp_scope.total(
                tdrp_scope.money_by_product(budgets, start, ytd_end, "plan_minor").values()
            ),
            currency=currency,
        )
    else:
        ytd, tracked, ytd_spend_plan = {}, {}, None
    plans = _plans(budgets, outcomes, ctx)
    forecasts = _forecasts(budgets, ytd, tracked, ctx)

    rows = []
    for measure in TDRP_MEASURES:
        plan, plan_basis = plans[measure.key]
        now = ytd.get(measure.key, Figure(None))
        forecast, forecast_basis = forecasts[measure.key]
        ytd_plan = _ytd_plan(measure, plan, ytd_spend_plan, ctx)
        rows.append(
            {
                "measure": measure.measure,
                "type": measure.type,
                "unit": currency if measure.unit == MONEY else measure.unit,
                "higher_is_better": measure.higher_is_better,
                "last_year": last.get(measure.key, Figure(None)).value,
                "plan": plan,
                "ytd_actual": now.value,
                "ytd_pct_of_plan": tdrp_scope.ratio(now.value, ytd_plan),
                "forecast": forecast,
                "forecast_pct_of_plan": tdrp_scope.ratio(forecast, plan),
                "rag": rag_status(
                    forecast,
                    plan,
                    higher_is_better=measure.higher_is_better,
                    amber=amber,
                    red=red,
                ),
                "n": now.n,
                "plan_basis": plan_basis,
                "forecast_basis": forecast_basis,
                "key": measure.key,
            }
        )
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row")


def _forecasts(
    budgets: pl.DataFrame,
    ytd: dict[str, Figure],
    tracked: dict[str, set[int]],
    ctx: _Context,
) -> dict[str, tuple[float | None, str]]:
    """Per measure key: (forecast, forecast_basis)."""
    per = minor_per_major(ctx.currency)
    spend_by = {
        p: round(v * per)
        for p, v in forecast_cost(budgets, year=ctx.year, currency=ctx.currency).iter_rows()
        if v is not None
    }

    def major(minor: int | float | None) -> float | None:
        return common.major(minor, currency=ctx.currency)

    spend = major(tdrp_scope.total(spend_by.values()))
    out: dict[str, tuple[float | None, str]] = {
        "spend": (spend, "actuals of months with any actual + plan of the other months")
    }
    if ctx.elapsed_days == 0:
        note = "year not started"
    elif ctx.elapsed_days == ctx.days_in_year:
        note = "year closed: the full-year actual"
    else:
        note = "run-rate: YTD ÷ elapsed days × days in the year"
    for measure in TDRP_MEASURES:
        now = ytd.get(measure.key, Figure(None)).value
        if measure.forecast == "run_rate":
            out[measure.key] = (_run_rate(now, ctx), note)
        elif measure.forecast == "latest":
            out[measure.key] = (now, "latest value (YTD, not projected)")
    counts = {
        "cost_per_active_learner": ("active_learners", "usage_tracked"),
        "cost_per_completion": ("completions", "completions_tracked"),
    }
    for key, (count, which) in counts.items():
        paid = major(tdrp_scope.total(spend_by.get(p) for p in tracked.get(which, set())))
        out[key] = (
            tdrp_scope.ratio(paid, out[count][0]),
            f"forecast spend ÷ forecast {count.replace('_', ' ')}",
        )
    return out
