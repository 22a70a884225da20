"""The TDRp management report: Last year, Plan, YTD, YTD % of plan, Forecast, Forecast % of plan.

One row per measure, grouped by TDRp type, for one product or a set of them
(the whole portfolio by default): `tdrp_report`. `tdrp_reports` gives every
product's own report at once, from one pass over the frames (each measure
one `group_by` over all products), as the funding pack needs them. Column
rules:

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Literal

import polars as pl

from metrics import common, tdrp_scope
from metrics.costs import forecast_cost
from metrics.currency import minor_per_major
from metrics.outcomes import is_application, kind_rows, latest_rows
from metrics.periods import year_bounds
from metrics.rag import rag_status
from metrics.tdrp_scope import NOTHING, Figure, Parts, Window

__all__ = [
    "MONEY",
    "TDRP_COLUMNS",
    "TDRP_MEASURES",
    "MeasureType",
    "TdrpMeasure",
    "tdrp_report",
    "tdrp_report_rows",
    "tdrp_reports",
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


def _targets(outcomes: pl.DataFrame, year: int) -> dict[int, dict[str, float]]:
    """Per product: {measure key: its latest recorded target in the year}."""
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
    targets: dict[int, dict[str, float]] = {}
    for key, found in by_key.items():
        latest = latest_rows(found, ["product_id"], year_end)
        scale = 100 if key in percent else 1
        for pid, value in latest.select("product_id", "value").iter_rows():
            targets.setdefault(pid, {})[key] = value / scale
    return targets


@dataclass(frozen=True)
class _Context:
    """The report's year and windows: `last` (the previous year) and `ytd` (None when absent)."""

    year: int
    last: Window | None
    ytd: Window | None
    elapsed_days: int
    days_in_year: int
    currency: str
    amber: float
    red: float


def _context(year: int, as_of: date, currency: str, amber: float, red: float) -> _Context:
    start, end = year_bounds(year)
    days_in_year = (end - start).days + 1
    last = Window(year - 1, *year_bounds(year - 1), currency) if year > 1 else None
    if as_of < start:
        return _Context(year, last, None, 0, days_in_year, currency, amber, red)
    ytd_end = min(as_of, end)
    elapsed = (ytd_end - start).days + 1
    ytd = Window(year, start, ytd_end, currency)
    return _Context(year, last, ytd, elapsed, days_in_year, currency, amber, red)


@dataclass(frozen=True)
class _Product:
    """One product's inputs to the report, in minor units where money (see `_products`)."""

    last: Parts = NOTHING
    ytd: Parts = NOTHING
    plan_minor: int | None = None  # Σ plan of the year's budget months
    ytd_plan_minor: int | None = None  # Σ plan of the budget months up to the YTD end
    forecast_minor: int | None = None  # `forecast_cost`
    expected: float | None = None  # `forecast_benefits`, major units
    targets: Mapping[str, float] = field(default_factory=dict)  # recorded targets by key
    with_data: bool = False  # a budget line, usage row or outcome row in the year


_NO_DATA = _Product()
_UNKNOWN = Figure(None)


def _products(
    budgets: pl.DataFrame,
    contracts: pl.DataFrame,
    usage: pl.DataFrame,
    outcomes: pl.DataFrame,
    ctx: _Context,
) -> dict[int, _Product]:
    """Every product's inputs from one pass over the frames: one `group_by` per measure.

    Products with nothing in the frames are absent (`_NO_DATA`).
    """
    start, end = year_bounds(ctx.year)
    frames = (budgets, contracts, usage, outcomes)
    last = tdrp_scope.window_parts(*frames, ctx.last) if ctx.last else {}
    ytd = tdrp_scope.window_parts(*frames, ctx.ytd) if ctx.ytd else {}
    ytd_plan = (
        tdrp_scope.money_by_product(budgets, start, ctx.ytd.end, "plan_minor") if ctx.ytd else {}
    )
    plan = tdrp_scope.money_by_product(budgets, start, end, "plan_minor")
    per = minor_per_major(ctx.currency)
    forecast = {
        p: round(v * per)
        for p, v in forecast_cost(budgets, year=ctx.year, currency=ctx.currency).iter_rows()
        if v is not None
    }
    expected = tdrp_scope.monetised_by_product(
        kind_rows(outcomes, ctx.year, "forecast").filter(pl.col("level") == 4),
        currency=ctx.currency,
    )
    targets = _targets(outcomes, ctx.year)
    with_data: set[int] = set()
    for df, in_year in (
        (budgets, pl.col("month").dt.year() == ctx.year),
        (usage, common.row_in_window(start, end)),
        (outcomes, pl.col("period").dt.year() == ctx.year),
    ):
        with_data.update(df.filter(in_year).get_column("product_id").unique())
    found = set().union(last, ytd, ytd_plan, plan, forecast, expected, targets, with_data)
    return {
        pid: _Product(
            last=last.get(pid, NOTHING),
            ytd=ytd.get(pid, NOTHING),
            plan_minor=plan.get(pid),
            ytd_plan_minor=ytd_plan.get(pid),
            forecast_minor=forecast.get(pid),
            expected=expected.get(pid),
            targets=targets.get(pid, {}),
            with_data=pid in with_data,
        )
        for pid in found
    }


def _major(minor: int | float | None, ctx: _Context) -> float | None:
    return common.major(minor, currency=ctx.currency)


def _plans(items: Sequence[_Product], ctx: _Context) -> dict[str, tuple[float | None, str]]:
    """Per measure key: (plan, plan_basis) of the scope."""
    plan_spend = _major(tdrp_scope.total(i.plan_minor for i in items), ctx)
    expected = tdrp_scope.total(i.expected for i in items)
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
    for measure in TDRP_MEASURES:
        if measure.key not in plans:
            plans[measure.key] = _scope_target(measure, items)
    return plans


def _scope_target(measure: TdrpMeasure, items: Sequence[_Product]) -> tuple[float | None, str]:
    key = measure.key
    if len(items) == 1:
        value = items[0].targets.get(key)
        return (value, "target (forecast outcome row)") if value is not None else (None, NO_PLAN)
    if measure.accrual != "additive":
        return None, "no portfolio plan: product targets of this measure do not add up"
    needed = [i for i in items if i.with_data] or items
    if not needed or any(key not in i.targets for i in needed):
        return None, "no plan set for every product with data"
    return sum(i.targets[key] for i in needed), f"targets of {len(needed)} products summed"


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


def _forecasts(
    items: Sequence[_Product], ytd: Mapping[str, Figure], ctx: _Context
) -> dict[str, tuple[float | None, str]]:
    """Per measure key: (forecast, forecast_basis) of the scope."""
    spend = _major(tdrp_scope.total(i.forecast_minor for i in items), ctx)
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
        now = ytd.get(measure.key, _UNKNOWN).value
        if measure.forecast == "run_rate":
            out[measure.key] = (_run_rate(now, ctx), note)
        elif measure.forecast == "latest":
            out[measure.key] = (now, "latest value (YTD, not projected)")
    # the spend of the products whose count is known (a YTD usage row; completions reported)
    paid = {
        "active_learners": (i.forecast_minor for i in items if i.ytd.unique is not None),
        "completions": (i.forecast_minor for i in items if i.ytd.completions is not None),
    }
    for key, count in (
        ("cost_per_active_learner", "active_learners"),
        ("cost_per_completion", "completions"),
    ):
        out[key] = (
            tdrp_scope.ratio(_major(tdrp_scope.total(paid[count]), ctx), out[count][0]),
            f"forecast spend ÷ forecast {count.replace('_', ' ')}",
        )
    return out


_Learners = tuple[int | None, int | None]


def _rows(
    items: Sequence[_Product],
    ctx: _Context,
    *,
    learners: tuple[_Learners, _Learners] | None = None,
) -> list[dict[str, Any]]:
    """The report's rows of a scope: the inputs of its products, in product order.

    `learners` are last year's and the YTD's (unique, active) learners
    counted once across the products; None for one product (its own).
    """
    last_learners, ytd_learners = learners or (None, None)
    parts = tdrp_scope.scope_figures
    last: Mapping[str, Figure] = {}
    ytd: Mapping[str, Figure] = {}
    ytd_spend_plan = None
    if ctx.last is not None:
        last = parts([i.last for i in items], currency=ctx.currency, learners=last_learners)
    if ctx.ytd is not None:
        ytd = parts([i.ytd for i in items], currency=ctx.currency, learners=ytd_learners)
        ytd_spend_plan = _major(tdrp_scope.total(i.ytd_plan_minor for i in items), ctx)
    plans = _plans(items, ctx)
    forecasts = _forecasts(items, ytd, ctx)
    rows = []
    for measure in TDRP_MEASURES:
        plan, plan_basis = plans[measure.key]
        now = ytd.get(measure.key, _UNKNOWN)
        forecast, forecast_basis = forecasts[measure.key]
        ytd_plan = _ytd_plan(measure, plan, ytd_spend_plan, ctx)
        rows.append(
            {
                "measure": measure.measure,
                "type": measure.type,
                "unit": ctx.currency if measure.unit == MONEY else measure.unit,
                "higher_is_better": measure.higher_is_better,
                "last_year": last.get(measure.key, _UNKNOWN).value,
                "plan": plan,
                "ytd_actual": now.value,
                "ytd_pct_of_plan": tdrp_scope.ratio(now.value, ytd_plan),
                "forecast": forecast,
                "forecast_pct_of_plan": tdrp_scope.ratio(forecast, plan),
                "rag": rag_status(
                    forecast,
                    plan,
                    higher_is_better=measure.higher_is_better,
                    amber=ctx.amber,
                    red=ctx.red,
                ),
                "n": now.n,
                "plan_basis": plan_basis,
                "forecast_basis": forecast_basis,
                "key": measure.key,
            }
        )
    return rows


def _scope_ids(products: pl.DataFrame, product_ids: Sequence[int] | None) -> list[int]:
    """The ids asked for, each once in the order given; every product when None."""
    common.require(products, ("product_id",), what="products")
    known = products.get_column("product_id").to_list()
    if product_ids is None:
        return known
    unknown = sorted(set(product_ids) - set(known))
    if unknown:
        msg = f"product_ids not in products: {', '.join(map(str, unknown))}"
        raise ValueError(msg)
    return list(dict.fromkeys(product_ids))


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
    set", never 0. Each product is measured as `tdrp_reports` measures it;
    the scope's learners are then counted once across its products. For
    every product's own report, call `tdrp_reports` once rather than this
    once per product (and `tdrp_reports(..., together=True)` for theirs and
    the products' together from one pass).

    Examples
    --------
    One product, 2026, as of 2026-11-23 (327 of 365 days elapsed): spend
    plan 12,000.00 phased 1,000.00 a month, actuals 1,000.00 a month for
    January to October: YTD 10,000.00 against a YTD plan of 11,000.00
    (January to November) = 0.909; forecast 10,000 + plan of November and
    December 2,000 = 12,000.00, 100 % of plan, green. 300 unique learners
    YTD run-rate to 300 × 365 ÷ 327 = 334.86.
    """
    frames = (products, budgets, contracts, usage, outcomes)
    ctx = _context(year, as_of, currency, amber, red)
    report = _reports(*frames, product_ids=product_ids, ctx=ctx, each=False, together=True)
    return report.drop("product_id")


def tdrp_reports(
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
    together: bool = False,
    amber: float,
    red: float,
) -> pl.DataFrame:
    """Every product's own TDRp management report, from one pass over the frames.

    Parameters
    ----------
    products, budgets, contracts, usage, outcomes, year, as_of, currency, amber, red
        As in `tdrp_report`.
    product_ids
        The products to report on, each on its own; None = every product
        in `products`.
    together
        Also report on the products together (a funding pack's portfolio),
        from the same pass.

    Returns
    -------
    pl.DataFrame
        Column `product_id` then `TDRP_COLUMNS`: for each product in the
        order asked (each once), the rows `tdrp_report(...,
        product_ids=[product_id])` gives, in `TDRP_MEASURES` order. With
        `together`, then the rows of `tdrp_report(...,
        product_ids=product_ids)`, with a null `product_id`.

    Notes
    -----
    Each measure is one `group_by` over all the products (unique learners,
    completions, seats, the latest survey rows, the targets, ...), so the
    cost grows with the rows of the frames, not with products × rows; only
    the arithmetic on each product's few figures runs per product. The
    formulas and null rules are `tdrp_report`'s (the module docstring): a
    product with no facts at all gets a report of nulls ("not tracked",
    "no plan set").

    Examples
    --------
    Products 1 and 2: 28 rows, the first 14 those of
    ``tdrp_report(..., product_ids=[1])`` with `product_id` 1, the last 14
    those of ``tdrp_report(..., product_ids=[2])`` with `product_id` 2.
    """
    frames = (products, budgets, contracts, usage, outcomes)
    ctx = _context(year, as_of, currency, amber, red)
    return _reports(*frames, product_ids=product_ids, ctx=ctx, each=True, together=together)


def tdrp_report_rows(
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
    together: bool = False,
    amber: float,
    red: float,
) -> dict[int | None, list[dict[str, Any]]]:
    """`tdrp_reports`' rows as dicts per product id (None: the products together).

    Why: the funding pack turns every report into JSON rows at once; building
    the frame and taking it apart again took about 0.1 s of its build at 2,000
    products (28,000 rows), a tenth of what grows with products. Same
    parameters, same rows in the same order, as `tdrp_reports`; each row's keys
    are `TDRP_COLUMNS`, and its figures are as computed (a whole-number figure
    may be an int, where the frame's column makes it a float).
    """
    frames = (products, budgets, contracts, usage, outcomes)
    ctx = _context(year, as_of, currency, amber, red)
    return _report_rows(*frames, product_ids=product_ids, ctx=ctx, each=True, together=together)


def _reports(
    products: pl.DataFrame,
    budgets: pl.DataFrame,
    contracts: pl.DataFrame,
    usage: pl.DataFrame,
    outcomes: pl.DataFrame,
    *,
    product_ids: Sequence[int] | None,
    ctx: _Context,
    each: bool,
    together: bool,
) -> pl.DataFrame:
    """`_report_rows` as one frame: `product_id` (null for the products together), then the rows."""
    found = _report_rows(
        products, budgets, contracts, usage, outcomes,
        product_ids=product_ids, ctx=ctx, each=each, together=together,
    )  # fmt: skip
    rows = [{"product_id": pid, **row} for pid, report in found.items() for row in report]
    return pl.DataFrame(rows, schema={"product_id": pl.Int64(), **_SCHEMA}, orient="row")


def _report_rows(
    products: pl.DataFrame,
    budgets: pl.DataFrame,
    contracts: pl.DataFrame,
    usage: pl.DataFrame,
    outcomes: pl.DataFrame,
    *,
    product_ids: Sequence[int] | None,
    ctx: _Context,
    each: bool,
    together: bool,
) -> dict[int | None, list[dict[str, Any]]]:
    """Each product's rows (`each`), then the products' together (`together`, key None).

    The frames are cut to the products asked for, then every product is
    measured in one pass (`_products`); the products together also need
    their learners counted once across them.
    """
    ids = _scope_ids(products, product_ids)
    in_scope = pl.col("product_id").is_in(ids)
    budgets, contracts = budgets.filter(in_scope), contracts.filter(in_scope)
    usage, outcomes = usage.filter(in_scope), outcomes.filter(in_scope)
    found = _products(budgets, contracts, usage, outcomes, ctx)
    reports: dict[int | None, list[dict[str, Any]]] = {}
    if each:
        for pid in ids:
            reports[pid] = _rows([found.get(pid, _NO_DATA)], ctx)
    if together:
        nobody: _Learners = (None, None)
        learners = (
            tdrp_scope.distinct_learners(usage, ctx.last) if ctx.last else nobody,
            tdrp_scope.distinct_learners(usage, ctx.ytd) if ctx.ytd else nobody,
        )
        items = [found.get(pid, _NO_DATA) for pid in sorted(ids)]
        reports[None] = _rows(items, ctx, learners=learners)
    return reports
