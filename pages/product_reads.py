"""Cached reader of the Product page: one product's figures for one year.

Every figure is per product, so the product's own frames give the same row
as the portfolio's would, for a fraction of the read. The evidence
thresholds are the settings' (`LP_EVIDENCE_MIN_N`,
`LP_EVIDENCE_STALE_AFTER_DAYS`), as the funding pack's, so a link of the
chain has the same strength on the page and in the pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from metrics.costs import budget_ask, monthly_plan_actual
from metrics.divergence import customer_user_gaps
from metrics.engagement import average_retention, funnel, retention_by_month
from metrics.investment import fully_loaded_cost
from metrics.monetisation import benefit_assumptions
from metrics.onepager import OnePager, evidence_and_risks, one_pagers
from metrics.periods import year_bounds
from metrics.releases import release_reception
from metrics.renewals import renewal_dates, renewal_sentence, renews_soon
from metrics.risks import RISK_COLUMNS, RiskThresholds
from metrics.scorecard import year_scorecard
from metrics.usage import active_learners_by_month, learning_hours
from models.frames import budgets_frame, year_frames
from pages.cache import by_data_version, connect, settings
from pages.product_people import product_freshness, product_org_units
from pages.reads import portfolio_view

__all__ = ["ProductView", "product_view"]


@dataclass(frozen=True)
class ProductView:
    """Everything the Product page draws for one product and year."""

    card: dict[str, object]
    info: dict[str, object]
    monthly: pl.DataFrame
    active_by_month: pl.DataFrame
    funnel: dict[str, object] | None
    average_retention: float | None
    cost_build_up: pl.DataFrame
    fully_loaded: float | None
    renewal: dict[str, object] | None  # renewal_date, days_to_renewal; None without a contract
    renewal_text: str | None  # "Renews on 31 Dec 2026, in 38 days."; None without a contract
    renews_soon: bool  # within metrics.renewals.RENEWAL_WARNING_DAYS: a warning on the page
    evidence: pl.DataFrame
    assumptions: pl.DataFrame
    one_pager: OnePager
    releases: pl.DataFrame  # the year's releases with active learners before and after
    customer_vs_user: str | None  # where the sponsor's and the learners' views diverge
    freshness_text: str | None  # "Usage to 30 Sep 2026 (LinkedIn, imported 3 Oct 2026)."
    stale: bool  # the usage runs to more than LP_STALE_AFTER_DAYS before as_of
    org_units: pl.DataFrame  # its reach by org unit (metrics.reach_by_org_unit); empty: no roster


def _only(frame: pl.DataFrame, product_id: int) -> pl.DataFrame:
    return frame.filter(pl.col("product_id") == product_id)


def _first(frame: pl.DataFrame, product_id: int) -> dict[str, object] | None:
    rows = _only(frame, product_id)
    return rows.row(0, named=True) if rows.height else None


def _renewal_args(renewal: dict[str, Any]) -> dict[str, Any]:
    """A `metrics.renewals.renewal_dates` row as `renewal_sentence`'s arguments."""
    return {
        "renewal": renewal["renewal_date"],
        "days": renewal["days_to_renewal"],
        "renewed": renewal["renewed"],
    }


@by_data_version(max_entries=32, spinner="Computing the product…")
def product_view(product_id: int, year: int, as_of: date) -> ProductView:
    """One product's figures for `year`."""
    config = settings()
    with connect() as conn:
        frames = year_frames(
            conn,
            year=year,
            currency=config.reporting_currency,
            with_previous=True,
            product_ids=(product_id,),
        )
        next_year = budgets_frame(conn, years=(year + 1,), product_ids=(product_id,))
    start, end = year_bounds(year)
    this_year = frames.budgets.filter(pl.col("month").dt.year() == year)
    card = year_scorecard(frames, year=year, thresholds=config.health)
    loaded = fully_loaded_cost(
        frames.budgets,
        year=year,
        amortisation_years=config.amortisation_years,
        loaded_hourly_rate=config.loaded_hourly_rate,
        currency=frames.currency,
        learning_hours=learning_hours(frames.usage, start=start, end=end),
    )
    total = _first(loaded.total, product_id)
    retention = _first(average_retention(retention_by_month(frames.usage, year=year)), product_id)
    # The evidence needs the product's own frames only; its risks compare it with the whole
    # portfolio (the median cost per learner) and are read apart, when asked (`product_risks`).
    evidence, _ = evidence_and_risks(
        frames,
        card,
        year=year,
        as_of=as_of,
        min_n=config.evidence_min_n,
        stale_after_days=config.evidence_stale_after_days,
        thresholds=RiskThresholds(),
    )
    evidence = _only(evidence, product_id)
    page = one_pagers(
        card,
        frames.products,
        evidence,
        pl.DataFrame(schema=dict.fromkeys(RISK_COLUMNS, pl.String)),  # see product_risks
        budget_ask(
            pl.concat([frames.budgets, _only(next_year, product_id)], how="diagonal_relaxed"),
            year=year,
            currency=frames.currency,
        ),
        loaded.total,
        year=year,
        currency=frames.currency,
        product_ids=[product_id],
    )[product_id]
    gap = _first(customer_user_gaps(card, frames.outcomes, year=year), product_id)
    fresh_text, stale = product_freshness(
        frames,
        product_id,
        year=year,
        as_of=as_of,
        stale_after_days=config.stale_after_days,
    )
    renewal = _first(renewal_dates(frames.contracts, start=start, end=end, as_of=as_of), product_id)
    return ProductView(
        card=_only(card, product_id).row(0, named=True),
        info=_only(frames.products, product_id).row(0, named=True),
        monthly=_only(
            monthly_plan_actual(this_year, year=year, currency=frames.currency), product_id
        ),
        active_by_month=_only(active_learners_by_month(frames.usage, year=year), product_id),
        funnel=_first(funnel(frames.usage, start=start, end=end), product_id),
        average_retention=None if retention is None else retention["average_retention"],
        cost_build_up=_only(loaded.components, product_id),
        fully_loaded=None if total is None else total["fully_loaded_cost"],
        renewal=renewal,
        renewal_text=None if renewal is None else renewal_sentence(**_renewal_args(renewal)),
        renews_soon=renewal is not None and renews_soon(_renewal_args(renewal)["days"]),
        evidence=evidence,
        assumptions=_only(
            benefit_assumptions(frames.outcomes, year=year, currency=frames.currency), product_id
        ),
        one_pager=page,
        customer_vs_user=(gap or {}).get("gap"),  # type: ignore[arg-type]
        freshness_text=fresh_text,
        stale=stale,
        org_units=product_org_units(
            frames, product_id, year=year, as_of=as_of, min_group=config.min_group_size
        ),
        releases=release_reception(
            frames.releases.filter(pl.col("date").dt.year() == year), frames.usage, as_of=as_of
        ),
    )


@by_data_version(max_entries=32, spinner="Comparing the product with the whole portfolio…")
def product_risks(product_id: int, year: int, as_of: date) -> list[dict[str, object]]:
    """The product's four risks (value, usability, feasibility, viability) for `year`.

    Apart from `product_view` because a risk compares the product with the
    whole portfolio (its median cost per active learner), which needs every
    product's usage of the year: the page reads it only when its section is
    opened, so a cold Product page costs one product's read.
    """
    config = settings()
    with connect() as conn:
        frames = year_frames(
            conn, year=year, currency=config.reporting_currency, product_ids=(product_id,)
        )
    _, risks = evidence_and_risks(
        frames,
        portfolio_view(year, as_of).scorecard,
        year=year,
        as_of=as_of,
        min_n=config.evidence_min_n,
        stale_after_days=config.evidence_stale_after_days,
        thresholds=RiskThresholds(),
    )
    return _only(risks, product_id).select("kind", "level", "reason").to_dicts()
