"""The funding pack as plain data: the one payload every export format renders.

Why a payload of its own: the JSON, the workbook, the one-pager and the PDF
must show the same figures as the pages, so each of them renders this dict
rather than computing anything. The figures come from the functions the
pages call (`metrics.product_scorecard`, `metrics.portfolio_summary`,
`metrics.chain_of_evidence`, `metrics.tdrp_report`, ...); this module only
selects products and turns polars values into JSON-ready ones. It reads no
database, no settings and no clock: the caller passes the frames, the
reporting day, the generation time and the assumptions.

The pack (DESIGN, "Funding-pack export", and issue 6):

* top level: ``generated_at``, ``year``, ``as_of``, ``currency``,
  ``products``, ``portfolio``, ``assumptions`` (`ASSUMPTION_KEYS`) and
  ``scenario`` (null, or the what-if scenario a page passes in:
  `SCENARIO_KEYS`);
* each product: `PRODUCT_KEYS` (the scorecard) then `PRODUCT_DETAIL_KEYS`
  (the one-pager: profile, summary line, fully-loaded cost, cost by
  category, monthly plan/actual/active learners, chain of evidence, benefit
  assumptions, TDRp rows, the ask for next year, the four risks, reach by
  org unit, the sponsor's units and the reach across the whole organisation,
  the freshness of its usage, its seats to reclaim and whether its renewal
  is to decide);
* the portfolio: `PORTFOLIO_KEYS` (the summary) then
  `PORTFOLIO_DETAIL_KEYS` (the portfolio TDRp rows, monthly totals, reach by
  org unit and across the whole organisation, the seats to reclaim, the
  vendors compared and the renewals to decide: `exports.supplier_payload`).

Row shapes: `PROFILE_KEYS`, `COST_CATEGORY_KEYS`, `MONTHLY_KEYS`,
`EVIDENCE_KEYS`, `BENEFIT_ASSUMPTION_KEYS`, `TDRP_KEYS`, `ASK_KEYS`,
`RISK_KEYS`, `REACH_BY_UNIT_KEYS`, `ORGANISATION_REACH_KEYS`, `VENDOR_KEYS`,
`RENEWAL_KEYS`. ``sponsor_units`` is a list of org unit names
(`metrics.sponsor_units`: the roster's units the product's target audience,
else its sponsor, names; empty when none is named). Money is in the
reporting currency, to its minor unit (the cent, the yen, the fils: ISO 4217
via `metrics.currency`); rates, ROI and changes are fractions; months are
"YYYY-MM"; null is "not tracked".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any, Final, TypeAlias, TypedDict

import polars as pl

from exports.supplier_payload import (
    RENEWAL_KEYS,
    SUPPLIER_PORTFOLIO_KEYS,
    SUPPLIER_PRODUCT_KEYS,
    VENDOR_KEYS,
    supplier_figures,
)
from metrics.costs import budget_ask, cost_by_category, share_of_plan
from metrics.currency import decimals
from metrics.divergence import customer_user_gaps
from metrics.experiments import experiment_results
from metrics.freshness import freshness
from metrics.health import HealthThresholds
from metrics.investment import COST_COMPONENTS, fully_loaded_cost
from metrics.monetisation import benefit_assumptions
from metrics.monthly import monthly_figures
from metrics.onepager import PROFILE_KEYS, evidence_and_risks, one_pagers
from metrics.people import year_reach_by_org_unit
from metrics.periods import year_bounds
from metrics.releases import release_reception
from metrics.risks import RiskThresholds
from metrics.scorecard import (
    SCORECARD_COLUMNS,
    in_order,
    portfolio_summary,
    year_scorecard,
)
from metrics.sponsor_units import sponsor_units, year_organisation_reach
from metrics.tdrp import tdrp_report_rows
from metrics.usage import learning_hours
from models.frames import YearFrames

__all__ = [
    "ASK_KEYS",
    "ASSUMPTION_KEYS",
    "BENEFIT_ASSUMPTION_KEYS",
    "COST_CATEGORY_KEYS",
    "COUNT_KEYS",
    "EVIDENCE_KEYS",
    "EXPERIMENT_KEYS",
    "MONEY_KEYS",
    "MONTHLY_KEYS",
    "ORGANISATION_REACH_KEYS",
    "OUTCOME_KEYS",
    "PORTFOLIO_DETAIL_KEYS",
    "PORTFOLIO_KEYS",
    "PRODUCT_DETAIL_KEYS",
    "PRODUCT_KEYS",
    "PROFILE_KEYS",
    "REACH_BY_UNIT_KEYS",
    "RELEASE_KEYS",
    "RENEWAL_KEYS",
    "RISK_KEYS",
    "SCENARIO_KEYS",
    "TDRP_KEYS",
    "VENDOR_KEYS",
    "FundingPack",
    "JsonValue",
    "funding_pack",
    "pack_from_scorecard",
    "stamped",
]

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"
Json = dict[str, Any]

PRODUCT_KEYS: Final[tuple[str, ...]] = tuple(c for c in SCORECARD_COLUMNS if c != "product_id")
"""Scorecard keys of each product object, in scorecard order (the database id is internal)."""

PRODUCT_DETAIL_KEYS: Final[tuple[str, ...]] = (
    "forecast_pct_of_plan",
    "profile",
    "summary",
    "fully_loaded_cost",
    "cost_by_category",
    "monthly",
    "evidence",
    "assumptions",
    "tdrp",
    "ask",
    "risks",
    "experiments",
    "outcomes",
    "releases",
    "customer_vs_user",
    "reach_by_org_unit",
    "sponsor_units",
    "organisation_reach",
    "usage_as_of",
    "last_import_at",
    "stale",
    *SUPPLIER_PRODUCT_KEYS,
)
"""One-pager keys of each product object, after `PRODUCT_KEYS`."""

EXPERIMENT_KEYS: Final[tuple[str, ...]] = (
    "experiment",
    "variant",
    "metric",
    "metric_kind",
    "effect",
    "ci_low",
    "ci_high",
    "p_value",
    "mde",
    "powered",
    "verdict",
)
"""Each treatment variant of a product's experiments (DESIGN.md: effect is a fraction for
rates; ci_low/ci_high the 95 % interval; p_value two-sided; mde at 80 % power)."""

OUTCOME_KEYS: Final[tuple[str, ...]] = (
    "period",
    "level",
    "measure",
    "value",
    "n",
    "kind",
    "source",
)
"""Each outcome measure of the year (DESIGN.md, Survey evidence): source "template" for an
outcomes.csv row, "survey" for a month aggregated from survey.csv, "kpi series" for a kpis.csv
month."""

RELEASE_KEYS: Final[tuple[str, ...]] = ("date", "title", "kind", "active_before", "active_after")
"""Each release of the year (DESIGN.md, Releases): distinct active learners in the 28 days
before it and from it; active_after null until those 28 days have passed."""

PORTFOLIO_KEYS: Final[tuple[str, ...]] = (
    "budget_plan",
    "actual_cost",
    "forecast_cost",
    "active_learners",
    "seats",
    "seat_utilisation",
    "idle_seats",
    "idle_spend",
    "benefits",
    "bcr",
    "roi",
    "products",
    "products_by_health",
)
"""Summary keys of the portfolio object: the fields of `metrics.PortfolioSummary`."""

PORTFOLIO_DETAIL_KEYS: Final[tuple[str, ...]] = (
    "forecast_pct_of_plan",
    "tdrp",
    "monthly",
    "reach_by_org_unit",
    "organisation_reach",
    *SUPPLIER_PORTFOLIO_KEYS,
)
"""Keys of the portfolio object after `PORTFOLIO_KEYS`."""

COST_CATEGORY_KEYS: Final[tuple[str, ...]] = ("category", "plan", "actual")
MONTHLY_KEYS: Final[tuple[str, ...]] = ("month", "plan", "actual", "active_learners")
EVIDENCE_KEYS: Final[tuple[str, ...]] = (
    "link",
    "level",
    "label",
    "measure",
    "value",
    "unit",
    "n",
    "as_of",
    "age_days",
    "strength",
    "source",
)
BENEFIT_ASSUMPTION_KEYS: Final[tuple[str, ...]] = (
    "measure",
    "period",
    "value",
    "baseline",
    "delta",
    "direction",
    "unit_value",
    "attribution_pct",
    "confidence_pct",
    "n",
    "benefit",
    "missing",
)
TDRP_KEYS: Final[tuple[str, ...]] = (
    "group",
    "measure",
    "unit",
    "last_year",
    "plan",
    "ytd",
    "ytd_pct_of_plan",
    "forecast",
    "forecast_pct_of_plan",
    "status",
    "key",
    "higher_is_better",
    "n",
    "plan_basis",
    "forecast_basis",
)
ASK_KEYS: Final[tuple[str, ...]] = ("year", "plan", "change", "source")
RISK_KEYS: Final[tuple[str, ...]] = ("kind", "level", "reason")
ASSUMPTION_KEYS: Final[tuple[str, ...]] = (
    "amortisation_years",
    "loaded_hourly_rate",
    "health_thresholds",
    "currency",
    "rag_amber",
    "rag_red",
    "evidence_min_n",
    "evidence_stale_after_days",
    "min_group_size",
    "stale_after_days",
    "reclaim_after_days",
    "risk_thresholds",
)
SCENARIO_KEYS: Final[tuple[str, ...]] = (
    "name",
    "cap",
    "rows",
    "totals",
    "added",
    "dropped",
    "notes",
)
"""A scenario as a page passes it: rows of {product, budget, scenario_budget, change,
funded} (money; change a fraction, scenario_budget ÷ budget − 1; funded a bool), totals
{budget, scenario_budget, cap, gap} (money), added and dropped product names, notes."""

MONEY_KEYS: Final[frozenset[str]] = frozenset(
    {
        "budget_plan",
        "actual_cost",
        "forecast_cost",
        "idle_spend",
        "cost_per_active_learner",
        "cost_per_completion",
        "benefits",
        "contract_value",
        "reclaim_value",
    }
)
"""Amounts in the reporting currency, emitted to its minor unit."""

COUNT_KEYS: Final[frozenset[str]] = frozenset(
    {
        "unique_learners",
        "active_learners",
        "target_audience_size",
        "seats",
        "over_subscribed_by",
        "idle_seats",
        "completions",
        "products",
        "contracts",
        "seats_to_reclaim",
        "days_to_renewal",
    }
)
"""Whole numbers, emitted as JSON integers."""

_DELTA_DECIMALS: Final = 9
_PORTFOLIO_EMPTY: Final[dict[str, None]] = {
    "forecast_pct_of_plan": None,
    "organisation_reach": None,
    "seats_to_reclaim": None,
    "reclaim_value": None,
}
"""Portfolio detail keys whose empty value is null (the others are empty lists)."""


class FundingPack(TypedDict):
    """The export payload (DESIGN, "Funding-pack export"; see the module docstring)."""

    generated_at: str | None
    year: int
    as_of: str
    currency: str
    products: list[dict[str, JsonValue]]
    portfolio: dict[str, JsonValue]
    assumptions: dict[str, JsonValue]
    scenario: dict[str, JsonValue] | None


def funding_pack(
    frames: YearFrames,
    *,
    year: int,
    as_of: date,
    generated_at: datetime | None,
    thresholds: HealthThresholds,
    products: Sequence[str] | None = None,
    amortisation_years: float,
    loaded_hourly_rate: float,
    rag_amber: float,
    rag_red: float,
    evidence_min_n: int,
    evidence_stale_after_days: int,
    min_group_size: int,
    stale_after_days: int,
    reclaim_after_days: int,
    risk_thresholds: RiskThresholds | None = None,
    scenario: Mapping[str, Any] | None = None,
) -> FundingPack:
    """The funding pack for `year`, from the frames `models.frames.year_frames` reads.

    Parameters
    ----------
    frames
        The year's inputs. For every figure of the one-pager, budgets should
        reach back `amortisation_years` − 1 years (the amortised one-offs
        and the TDRp "last year" column) and forward one year (the ask);
        usage should cover the previous year too (`exports.cli.read_frames`
        reads exactly that). Missing years give null figures, never wrong
        ones. Their `currency` (the reporting currency the money was
        imported in) is the pack's `currency`.
    year
        The reporting year (1 Jan .. 31 Dec).
    as_of
        The reporting day (the `as_of` setting): the end of the YTD window,
        the ages of the evidence and the days to renewal.
    generated_at
        When the pack file was made; a naive datetime is taken as UTC. None
        leaves ``generated_at`` null, for a pack a page caches and stamps
        (`stamped`) only when a file is built from it for download.
    thresholds
        Health cut-offs (the settings' `health`).
    products
        Exact product names to keep (see `exports.selection.resolve_products`
        for matching what a user typed); None keeps every product. The
        portfolio object then covers these products only.
    amortisation_years, loaded_hourly_rate
        The fully-loaded cost's settings (`metrics.fully_loaded_cost`).
    rag_amber, rag_red
        TDRp status tolerances (`metrics.tdrp_report`).
    evidence_min_n, evidence_stale_after_days
        Evidence-strength thresholds (`metrics.chain_of_evidence`).
    min_group_size
        Figures about fewer people are hidden (`metrics.reach_by_org_unit`).
    stale_after_days
        Usage running to more days before `as_of` is stale (`metrics.freshness`).
    reclaim_after_days
        A seat holder with no activity for this many days before the report's
        end is one to reclaim (`metrics.reclaim`, `LP_RECLAIM_AFTER_DAYS`).
        These nine are the settings of the same names, with no defaults
        here: `settings.Settings` holds them (`exports.build.pack_for`
        passes them all).
    risk_thresholds
        Cut-offs of the four risks (`metrics.risks.RiskThresholds`).
    scenario
        A what-if scenario to carry (`SCENARIO_KEYS`), or None.

    Returns
    -------
    FundingPack
        See `pack_from_scorecard` and the module docstring.

    Notes
    -----
    Every frame is computed once for all products (the scorecard, the
    chain of evidence, the risks, the monthly figures, and every product's
    TDRp report with the selection's: `metrics.tdrp.tdrp_reports`), never
    once per product.
    Risks are computed against the whole portfolio (the median cost per
    active learner), so a product's risks do not depend on the selection.
    """
    currency = frames.currency
    health = thresholds
    risk_cuts = risk_thresholds or RiskThresholds()
    scorecard = year_scorecard(frames, year=year, thresholds=health)
    chosen = _select(scorecard, products)
    evidence, risks = evidence_and_risks(
        frames,
        scorecard,
        year=year,
        as_of=as_of,
        min_n=evidence_min_n,
        stale_after_days=evidence_stale_after_days,
        thresholds=risk_cuts,
    )
    ids = chosen.get_column("product_id").to_list()
    tdrp = tdrp_report_rows(  # every product's report and the selection's (None), in one pass
        *in_order(frames),
        year=year,
        as_of=as_of,
        currency=currency,
        product_ids=ids,
        together=True,
        amber=rag_amber,
        red=rag_red,
    )
    details = _product_details(
        frames,
        chosen,
        evidence,
        risks,
        tdrp,
        year=year,
        as_of=as_of,
        currency=currency,
        amortisation_years=amortisation_years,
        loaded_hourly_rate=loaded_hourly_rate,
    )
    portfolio_months = monthly_figures(
        frames.budgets, frames.usage, year=year, currency=currency, product_ids=ids, together=True
    )
    units = _group_rows(
        year_reach_by_org_unit(
            frames, ids, year=year, as_of=as_of, min_group=min_group_size
        ).with_columns(pl.col("product_id").fill_null(-1)),
        REACH_BY_UNIT_KEYS,
    )
    for pid, rows in units.items():
        if pid in details:
            details[pid]["reach_by_org_unit"] = rows
    named, whole = _sponsor_units(frames, ids, year=year, as_of=as_of, min_group=min_group_size)
    for pid in details:
        details[pid]["sponsor_units"] = named.get(pid, [])
        details[pid]["organisation_reach"] = whole.get(pid)
    fresh = freshness(  # a past year's usage is judged at its year's end, not today
        frames.usage,
        frames.usage_imports,
        as_of=min(as_of, year_bounds(year)[1]),
        stale_after_days=stale_after_days,
    )
    for row in fresh.iter_rows(named=True):
        if row["product_id"] in details:
            details[row["product_id"]].update(
                usage_as_of=None if row["usage_as_of"] is None else row["usage_as_of"].isoformat(),
                last_import_at=(
                    None if row["last_import_at"] is None else _iso_utc(row["last_import_at"])
                ),
                stale=row["stale"],
            )
    suppliers = supplier_figures(
        frames,
        scorecard,
        ids,
        year=year,
        as_of=as_of,
        below=health.utilisation_fix_below,
        after_days=reclaim_after_days,
        stale_after_days=stale_after_days,
    )
    for pid, figures in suppliers.products.items():
        if pid in details:
            details[pid].update(figures)
    portfolio_details: Json = {
        "tdrp": _tdrp_rows(tdrp.get(None, []), currency),
        "monthly": portfolio_months.drop("product_id").to_dicts(),
        "reach_by_org_unit": units.get(-1, []),
        "organisation_reach": whole.get(-1),
        **suppliers.portfolio,
    }
    assumptions: Json = {
        "amortisation_years": amortisation_years,
        "loaded_hourly_rate": loaded_hourly_rate,
        "health_thresholds": asdict(health),
        "currency": currency,
        "rag_amber": rag_amber,
        "rag_red": rag_red,
        "evidence_min_n": evidence_min_n,
        "evidence_stale_after_days": evidence_stale_after_days,
        "min_group_size": min_group_size,
        "stale_after_days": stale_after_days,
        "reclaim_after_days": reclaim_after_days,
        "risk_thresholds": asdict(risk_cuts),
    }
    return pack_from_scorecard(
        chosen,
        frames.usage,
        year=year,
        as_of=as_of,
        currency=currency,
        generated_at=generated_at,
        details=details,
        portfolio_details=portfolio_details,
        assumptions=assumptions,
        scenario=scenario,
    )


def pack_from_scorecard(
    scorecard: pl.DataFrame,
    usage: pl.DataFrame,
    *,
    year: int,
    as_of: date,
    currency: str,
    generated_at: datetime | None,
    products: Sequence[str] | None = None,
    details: Mapping[int, Mapping[str, Any]] | None = None,
    portfolio_details: Mapping[str, Any] | None = None,
    assumptions: Mapping[str, Any] | None = None,
    scenario: Mapping[str, Any] | None = None,
) -> FundingPack:
    """The funding pack from a computed scorecard (e.g. the one a page already holds).

    Parameters
    ----------
    scorecard
        The output of `metrics.product_scorecard` for `year`.
    usage
        The usage frame the scorecard was computed from (the portfolio
        counts learners across products from it).
    year, as_of, generated_at, products, scenario
        As in `funding_pack`.
    currency
        The reporting currency (ISO 4217) of the scorecard's money: the
        pack's `currency`, and the minor unit money is rounded to.
    details
        Per product id, the one-pager keys (`PRODUCT_DETAIL_KEYS`) as
        `funding_pack` computes them; a product without details gets empty
        ones (null values, empty lists, an ask "not set").
    portfolio_details
        The portfolio's `PORTFOLIO_DETAIL_KEYS` as `funding_pack` computes
        them; when None (or a key is missing), empty lists, and null for the
        reach across the organisation and the seats to reclaim.
    assumptions
        The top-level assumptions (`ASSUMPTION_KEYS`); ``{"currency": ...}``
        only when None.

    Returns
    -------
    FundingPack
        ``generated_at`` (ISO-8601, UTC; null when None is given),
        ``year``, ``as_of`` (ISO date),
        ``currency``, ``products`` (one object per product, keys
        `PRODUCT_KEYS` then `PRODUCT_DETAIL_KEYS`, in scorecard order),
        ``portfolio`` (keys `PORTFOLIO_KEYS` then `PORTFOLIO_DETAIL_KEYS`,
        over the selected products only), ``assumptions`` and ``scenario``.

    Notes
    -----
    A name in `products` that is not in the scorecard raises ValueError.
    Values keep the scorecard's null rules: null where not tracked, never 0.
    Money (`MONEY_KEYS`) is rounded to the currency's minor unit (2 decimals
    for GBP, none for JPY, 3 for KWD), which removes float noise such as
    16207.550000000001; rates, `bcr`, `roi` and `payback_months` are
    unrounded floats, rates and ROI as fractions (0.285, not 28.5); counts
    are integers. A NaN or infinite value, which the metrics should never
    produce, becomes null rather than invalid JSON. Product names are kept
    exactly as stored: neutralising formula-like text is the spreadsheet
    writers' job (DESIGN, "Export safety", `exports.safety`).

    Examples
    --------
    A scorecard row with actual_cost 16207.550000000001 and roi
    -0.3990870 gives ``"actual_cost": 16207.55`` and ``"roi": -0.399087``.
    """
    scorecard = _select(scorecard, products)
    summary = portfolio_summary(scorecard, usage, year=year, currency=currency)
    places = decimals(currency)
    found = details or {}
    portfolio = {key: _json_value(key, value, places) for key, value in asdict(summary).items()}
    extra = {
        "forecast_pct_of_plan": share_of_plan(summary.forecast_cost, summary.budget_plan),
        **(portfolio_details or {}),
    }
    for key in PORTFOLIO_DETAIL_KEYS:
        portfolio[key] = _json_value(key, extra.get(key, _PORTFOLIO_EMPTY.get(key, [])), places)
    return FundingPack(
        generated_at=None if generated_at is None else _iso_utc(generated_at),
        year=year,
        as_of=as_of.isoformat(),
        currency=currency,
        products=[
            {
                **{key: _json_value(key, row[key], places) for key in PRODUCT_KEYS},
                **_detail_keys(
                    {
                        "forecast_pct_of_plan": share_of_plan(
                            row["forecast_cost"], row["budget_plan"]
                        ),
                        **found.get(row["product_id"], {}),
                    },
                    year,
                    places,
                ),
            }
            for row in scorecard.iter_rows(named=True)
        ],
        portfolio=portfolio,
        assumptions=_json_object(assumptions or {"currency": currency}, places),
        scenario=None if scenario is None else _json_object(scenario, places),
    )


def _iso_utc(moment: datetime) -> str:
    """`moment` in UTC to the second, ISO-8601; a naive datetime is taken as UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


def stamped(pack: FundingPack, generated_at: datetime) -> FundingPack:
    """A copy of `pack` whose ``generated_at`` is `generated_at` (ISO-8601, UTC).

    Why: a page caches the pack it draws (computing it takes seconds), but
    the file a user downloads must say when that file was made, not when
    the cache was filled; the download callable stamps the cached pack.

    Examples
    --------
    >>> from datetime import datetime
    >>> pack = {"generated_at": None, "year": 2026}
    >>> stamped(pack, datetime(2026, 11, 23, 9, 30))["generated_at"]
    '2026-11-23T09:30:00+00:00'
    """
    return FundingPack(**{**pack, "generated_at": _iso_utc(generated_at)})


def _json_object(value: Mapping[str, Any], places: int) -> dict[str, JsonValue]:
    """A mapping made JSON-ready, value by value (see `_json_value`)."""
    return {str(k): _json_value(str(k), v, places) for k, v in value.items()}


def _select(scorecard: pl.DataFrame, products: Sequence[str] | None) -> pl.DataFrame:
    """The scorecard rows of `products` (exact names), all of them when None."""
    if products is None:
        return scorecard
    wanted = list(dict.fromkeys(products))
    missing = sorted(set(wanted) - set(scorecard.get_column("product").to_list()))
    if missing:
        msg = f"no product named {', '.join(repr(m) for m in missing)} in the scorecard"
        raise ValueError(msg)
    return scorecard.filter(pl.col("product").is_in(wanted))


def _detail_keys(found: Mapping[str, Any] | None, year: int, places: int) -> Json:
    """The one-pager keys of a product, empty ones where `found` lacks them."""
    empty: Json = {
        "forecast_pct_of_plan": None,
        "profile": dict.fromkeys(PROFILE_KEYS),
        "summary": None,
        "fully_loaded_cost": None,
        "cost_by_category": [],
        "monthly": [],
        "evidence": [],
        "assumptions": [],
        "tdrp": [],
        "ask": {"year": year + 1, "plan": None, "change": None, "source": "not set"},
        "risks": [],
        "experiments": [],
        "outcomes": [],
        "releases": [],
        "customer_vs_user": None,
        "reach_by_org_unit": [],
        "sponsor_units": [],
        "organisation_reach": None,
        "usage_as_of": None,
        "last_import_at": None,
        "stale": None,
        "seats_to_reclaim": None,
        "reclaim_value": None,
        "reclaim_reconciliation": None,
        "renewal_to_decide": None,
    }
    given = found or {}
    return {
        key: _json_value(key, given.get(key, empty[key]), places) for key in PRODUCT_DETAIL_KEYS
    }


# --- the one-pager's details -------------------------------------------------------------------


def _product_details(
    frames: YearFrames,
    chosen: pl.DataFrame,
    evidence: pl.DataFrame,
    risks: pl.DataFrame,
    tdrp: Mapping[int | None, list[dict[str, Any]]],
    *,
    year: int,
    as_of: date,
    currency: str,
    amortisation_years: float,
    loaded_hourly_rate: float,
) -> dict[int, Json]:
    """Per selected product id, its one-pager keys (every frame computed once for all).

    The one-pager's own content (profile, summary, fully-loaded cost,
    evidence, ask, risks) is `metrics.one_pagers`', as on the Product page;
    `tdrp` holds each product's TDRp report rows (`metrics.tdrp.tdrp_report_rows`).
    """
    start, end = year_bounds(year)
    places = decimals(currency)
    ids = chosen.get_column("product_id").to_list()
    loaded = fully_loaded_cost(
        frames.budgets,
        year=year,
        amortisation_years=amortisation_years,
        loaded_hourly_rate=loaded_hourly_rate,
        currency=currency,
        learning_hours=learning_hours(frames.usage, start=start, end=end),
    )
    pages = one_pagers(
        chosen,
        frames.products,
        evidence,
        risks,
        budget_ask(frames.budgets, year=year, currency=currency),
        loaded.total,
        year=year,
        currency=currency,
        product_ids=ids,
    )
    by_category = _group_rows(
        cost_by_category(frames.budgets, year=year, currency=currency, order=COST_COMPONENTS),
        COST_CATEGORY_KEYS,
    )
    months = _group_rows(
        monthly_figures(
            frames.budgets, frames.usage, year=year, currency=currency, product_ids=ids
        ),
        MONTHLY_KEYS,
    )
    benefits = _group_rows(benefit_assumptions(frames.outcomes, year=year, currency=currency))
    tests = _group_rows(experiment_results(frames.experiments), EXPERIMENT_KEYS)
    measured = _group_rows(_year_outcomes(frames, year), OUTCOME_KEYS)
    gaps = dict(
        customer_user_gaps(chosen, frames.outcomes, year=year).select("product_id", "gap").rows()
    )
    received = _group_rows(
        release_reception(
            frames.releases.filter(pl.col("date").dt.year() == year), frames.usage, as_of=as_of
        ).with_columns(pl.col("date").dt.strftime("%Y-%m-%d")),
        RELEASE_KEYS,
    )

    details: dict[int, Json] = {}
    for pid, page in pages.items():
        details[pid] = {
            "profile": page.profile,
            "summary": page.summary,
            "fully_loaded_cost": _money(page.fully_loaded_cost, places),
            "cost_by_category": by_category.get(pid, []),  # rows of their keys only
            "monthly": months.get(pid, []),
            "evidence": page.evidence,
            "assumptions": [_assumption_row(r, places) for r in benefits.get(pid, [])],
            "tdrp": _tdrp_rows(tdrp.get(pid, []), currency),
            "ask": {**page.ask, "plan": _money(page.ask["plan"], places)},
            "risks": page.risks,
            "experiments": tests.get(pid, []),
            "outcomes": measured.get(pid, []),
            "releases": received.get(pid, []),
            "customer_vs_user": gaps.get(pid),
        }
    return details


REACH_BY_UNIT_KEYS: Final[tuple[str, ...]] = (
    "org_unit",
    "headcount",
    "active_learners",
    "reach",
    "suppressed",
)
"""Each org unit of a product or the portfolio (DESIGN.md, People roster)."""


ORGANISATION_REACH_KEYS: Final[tuple[str, ...]] = (
    "headcount",
    "active_learners",
    "reach",
    "suppressed",
)
"""A product's (or the portfolio's) reach across the whole organisation
(`metrics.sponsor_units.organisation_reach`); the object is null without a roster."""


def _sponsor_units(
    frames: YearFrames, ids: list[int], *, year: int, as_of: date, min_group: int
) -> tuple[dict[int, list[str]], dict[int, Json | None]]:
    """Per product id, its sponsor's units and its reach across the whole organisation.

    The units are the roster's org units its target audience (else its
    sponsor) names (`metrics.sponsor_units.sponsor_units`). The reach
    object is None for every product without a roster (nothing to reach);
    with one, a product without usage in the year gets the organisation's
    headcount and a null reach (usage not tracked). Key -1 is the portfolio.
    """
    named = sponsor_units(
        frames.products.filter(pl.col("product_id").is_in(ids)),
        frames.roster.select("org_unit"),
    )
    units = {pid: list(found) for pid, found in named.select("product_id", "sponsor_units").rows()}
    if frames.roster.is_empty():
        return units, {}
    rows = year_organisation_reach(frames, ids, year=year, as_of=as_of, min_group=min_group)
    whole: dict[int, Json | None] = {
        -1 if r["product_id"] is None else r["product_id"]: {
            key: r[key] for key in ORGANISATION_REACH_KEYS
        }
        for r in rows.iter_rows(named=True)
    }
    everyone = (whole.get(-1) or {}).get("headcount")
    for pid in ids:  # no usage in the year: not tracked, never a reach of 0
        whole.setdefault(
            pid,
            {"headcount": everyone, "active_learners": None, "reach": None, "suppressed": False},
        )
    return units, whole


def _year_outcomes(frames: YearFrames, year: int) -> pl.DataFrame:
    """The year's outcome measures in force, each with its source (template, survey, kpi series)."""
    key = ["product_id", "period", "level", "measure", "kind"]
    return (
        frames.outcomes.filter(pl.col("period").dt.year() == year)
        .join(frames.outcome_sources, on=key, how="left")
        .with_columns(pl.col("period").dt.strftime("%Y-%m"), pl.col("source").fill_null("template"))
        .sort("product_id", "period", "level", "measure")
    )


def _group_rows(frame: pl.DataFrame, keys: Sequence[str] | None = None) -> dict[int, list[Json]]:
    """The rows of a frame with a `product_id` column, grouped by it, order kept.

    `keys` picks the columns each row holds, in this order (None: every column);
    a frame without rows gives no groups whatever its columns.
    """
    if frame.is_empty():
        return {}
    names = list(frame.columns if keys is None else keys)
    rows = _Ready if _json_ready(frame.select(names)) else list
    grouped: dict[int, list[Json]] = {}
    ids = frame.get_column("product_id").to_list()
    for pid, row in zip(ids, frame.select(names).rows(), strict=True):
        grouped.setdefault(pid, rows()).append(dict(zip(names, row, strict=True)))
    return grouped


class _Ready(list):  # type: ignore[type-arg]
    """Rows that are already what `_json_value` would make of them, so it copies the list only.

    Why: a 2,000-product pack holds some 90,000 such rows; checking each one,
    value by value, was a fifth of the pack's time at that size. They are
    checked once per frame (`_json_ready`) or built so (`_tdrp_rows`).
    `_json_value` hands them on as a plain list, so nothing else sees this type.
    """


def _json_ready(frame: pl.DataFrame) -> bool:
    """Whether every row of `frame` comes out of `_json_value` unchanged.

    Text, whole numbers and booleans do; a float does when it is finite and
    its column is not one `_json_value` rounds or makes whole (`_SPECIAL`).
    Anything else (a date, a list) is converted, so the rows are checked one
    by one as before.
    """
    for name, dtype in frame.schema.items():
        if dtype in (pl.String(), pl.Boolean(), pl.Null()) or dtype.is_integer():
            continue
        if dtype.is_float() and name not in _SPECIAL:
            if frame.get_column(name).is_infinite().any() or frame.get_column(name).is_nan().any():
                return False
            continue
        return False
    return True


def _assumption_row(row: Json, places: int) -> Json:
    return {
        "measure": row["measure"],
        "period": f"{row['period']:%Y-%m}",
        "value": _number(row["value"]),
        "baseline": _number(row["baseline"]),
        "delta": _rounded(row["delta"]),
        "direction": row["direction"],
        "unit_value": _money(row["unit_value"], places),
        "attribution_pct": _number(row["attribution_pct"]),
        "confidence_pct": _number(row["confidence_pct"]),
        "n": row["n"],
        "benefit": _money(row["benefit"], places),
        "missing": list(row["missing"] or []),
    }


def _tdrp_rows(report: Iterable[Mapping[str, Any]], currency: str) -> list[Json]:
    """TDRp report rows (`metrics.tdrp.tdrp_report_rows`) as pack rows (`TDRP_KEYS`).

    Money is rounded to the currency's minor unit (`metrics.tdrp_report`
    labels a money measure with the currency's code); every other figure is a
    float, as the report's frame (`metrics.tdrp.tdrp_reports`) holds it, so a
    count of 300 is written 300.0 whichever way the report was made.
    """
    places = decimals(currency)

    def money(value: float | None) -> float | None:
        return _money(value, places)

    rows = []
    for r in report:
        value = money if r["unit"] == currency else _float
        rows.append(
            {
                "group": r["type"],
                "measure": r["measure"],
                "unit": r["unit"],
                "last_year": value(r["last_year"]),
                "plan": value(r["plan"]),
                "ytd": value(r["ytd_actual"]),
                "ytd_pct_of_plan": _float(r["ytd_pct_of_plan"]),
                "forecast": value(r["forecast"]),
                "forecast_pct_of_plan": _float(r["forecast_pct_of_plan"]),
                "status": r["rag"],
                "key": r["key"],
                "higher_is_better": r["higher_is_better"],
                "n": r["n"],
                "plan_basis": r["plan_basis"],
                "forecast_basis": r["forecast_basis"],
            }
        )
    # Text, booleans, counts and finite floats (`_money`, `_float`) under no key that
    # `_json_value` rounds: ready as they are.
    return _Ready(rows)


def _float(value: float | None) -> float | None:
    """A finite figure as a float (an int too: 300 -> 300.0); None for a missing or NaN one."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _number(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value


def _rounded(value: float | None) -> float | None:
    """A difference of two recorded values without float noise (24.4 − 21.0 = 3.4)."""
    number = _number(value)
    return None if number is None else round(number, _DELTA_DECIMALS) + 0.0


def _money(value: float | None, places: int) -> float | None:
    """An amount rounded to the currency's minor unit (`places` decimals); -0.0 becomes 0.0."""
    number = _number(value)
    return None if number is None else round(number, places) + 0.0


_PLAIN: Final = frozenset({str, bool, int, type(None)})
"""Exact types `_json_value` returns as they are (checked first: most values are these)."""
_PLAIN_OR_FLOAT: Final = _PLAIN | {float}
_KEYS: Final = frozenset({str})
_SPECIAL: Final = COUNT_KEYS | MONEY_KEYS
"""Keys whose float values `_json_value` changes (made whole, rounded to the minor unit)."""


def _json_value(key: str, value: object, places: int) -> JsonValue:
    """One scorecard or summary value as JSON wants it (see `pack_from_scorecard`).

    `places` is the reporting currency's decimals, the unit money is rounded to.
    Plain values, floats, dicts and lists of exactly those types take a short
    way (a pack holds some 400 values a product); anything else, subclasses
    included, goes through `_json_other`, which gives the same results.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value  # type: ignore[return-value]
    if kind is float:
        return _json_float(key, value, places)  # type: ignore[arg-type]
    if kind is _Ready:
        return list(value)  # type: ignore[arg-type]
    if kind is dict:
        row: dict[Any, Any] = value  # type: ignore[assignment]
        if _kept_as_is(row):
            return dict(row)
        items = row.items()
        return {  # a finite float under a key it does not round or count is kept too
            str(k): v
            if type(v) in _PLAIN or (type(v) is float and v - v == 0.0 and k not in _SPECIAL)
            else _json_value(str(k), v, places)
            for k, v in items
        }
    if kind is list:
        values: list[object] = value  # type: ignore[assignment]
        return [v if type(v) in _PLAIN else _json_value(key, v, places) for v in values]
    return _json_other(key, value, places)


def _kept_as_is(row: dict[Any, Any]) -> bool:
    """Whether `_json_value` would copy `row` unchanged, checked at C speed.

    True for string keys, none of them a key it changes, and plain values or
    finite floats (a float sum that overflows only sends the row the long way).
    """
    values = row.values()
    types = set(map(type, values))
    if not types <= _PLAIN_OR_FLOAT or not set(map(type, row)) <= _KEYS:
        return False
    if not row.keys().isdisjoint(_SPECIAL):
        return False
    return float not in types or math.isfinite(sum(v for v in values if type(v) is float))


def _json_float(key: str, value: float, places: int) -> float | int | None:
    if not math.isfinite(value):
        return None
    if key in COUNT_KEYS and value.is_integer():
        return int(value)
    if key in MONEY_KEYS:
        return round(value, places) + 0.0  # + 0.0 turns -0.0 into 0.0
    return value


def _json_other(key: str, value: object, places: int) -> JsonValue:
    """`_json_value` of a value of any other type (a tuple, a date, a subclass)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, dict):
        return {str(k): _json_value(str(k), v, places) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(key, v, places) for v in value]
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return _json_float(key, value, places)
    if isinstance(value, date):
        return value.isoformat()
    msg = f"{key}: cannot put a {type(value).__name__} into the funding pack"
    raise TypeError(msg)
