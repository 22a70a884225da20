"""The funding pack as plain data: the one payload every export format renders.

Why a payload of its own: the JSON, the workbook, the one-pager and the PDF
must show the same figures as the pages, so each of them renders this dict
rather than computing anything. The figures come from the functions the
pages call (`metrics.product_scorecard`, `metrics.portfolio_summary`); this
module only selects products and turns polars values into JSON-ready ones.
It reads no database and no clock: the caller passes the frames, the
reporting day and the generation time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Final, TypeAlias, TypedDict

import polars as pl

from metrics.health import HealthThresholds
from metrics.scorecard import SCORECARD_COLUMNS, portfolio_summary, product_scorecard
from models.frames import YearFrames

__all__ = [
    "COUNT_KEYS",
    "MONEY_DECIMALS",
    "MONEY_KEYS",
    "PORTFOLIO_KEYS",
    "PRODUCT_KEYS",
    "FundingPack",
    "JsonValue",
    "funding_pack",
    "pack_from_scorecard",
]

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"

PRODUCT_KEYS: Final[tuple[str, ...]] = tuple(c for c in SCORECARD_COLUMNS if c != "product_id")
"""Keys of each product object, in scorecard order (the database id is internal)."""

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
"""Keys of the portfolio object: the fields of `metrics.PortfolioSummary`."""

MONEY_KEYS: Final[frozenset[str]] = frozenset(
    {
        "budget_plan",
        "actual_cost",
        "forecast_cost",
        "idle_spend",
        "cost_per_active_learner",
        "cost_per_completion",
        "benefits",
    }
)
"""Amounts in the reporting currency, emitted to the cent."""

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
    }
)
"""Whole numbers, emitted as JSON integers."""

MONEY_DECIMALS: Final[int] = 2
"""Money is rounded to the cent: the scorecard's floats are built from integer pence."""


class FundingPack(TypedDict):
    """The export payload (DESIGN, "Funding-pack export")."""

    generated_at: str
    year: int
    as_of: str
    currency: str
    products: list[dict[str, JsonValue]]
    portfolio: dict[str, JsonValue]


def funding_pack(
    frames: YearFrames,
    *,
    year: int,
    as_of: date,
    currency: str,
    generated_at: datetime,
    thresholds: HealthThresholds | None = None,
    products: Sequence[str] | None = None,
) -> FundingPack:
    """The funding pack for `year`, from the frames `models.frames.year_frames` reads.

    Parameters
    ----------
    frames
        The year's inputs, as the pages read them.
    year
        The reporting year (1 Jan .. 31 Dec).
    as_of
        The reporting day (the `as_of` setting), passed to the scorecard.
    currency
        The reporting currency code every amount is in (e.g. "GBP").
    generated_at
        When the pack was made; a naive datetime is taken as UTC.
    thresholds
        Health cut-offs (the settings' `health`); the defaults when None.
    products
        Exact product names to keep (see `exports.selection.resolve_products`
        for matching what a user typed); None keeps every product.

    Returns
    -------
    FundingPack
        See `pack_from_scorecard`.
    """
    scorecard = product_scorecard(
        frames.products,
        frames.budgets,
        frames.contracts,
        frames.usage,
        frames.outcomes,
        year=year,
        as_of=as_of,
        thresholds=thresholds,
    )
    return pack_from_scorecard(
        scorecard,
        frames.usage,
        year=year,
        as_of=as_of,
        currency=currency,
        generated_at=generated_at,
        products=products,
    )


def pack_from_scorecard(
    scorecard: pl.DataFrame,
    usage: pl.DataFrame,
    *,
    year: int,
    as_of: date,
    currency: str,
    generated_at: datetime,
    products: Sequence[str] | None = None,
) -> FundingPack:
    """The funding pack from a computed scorecard (e.g. the one a page already holds).

    Parameters
    ----------
    scorecard
        The output of `metrics.product_scorecard` for `year`.
    usage
        The usage frame the scorecard was computed from (the portfolio
        counts learners across products from it).
    year, as_of, currency, generated_at, products
        As in `funding_pack`.

    Returns
    -------
    FundingPack
        ``generated_at`` (ISO-8601, UTC), ``year``, ``as_of`` (ISO date),
        ``currency``, ``products`` (one object per product, keys
        `PRODUCT_KEYS`, in scorecard order) and ``portfolio`` (keys
        `PORTFOLIO_KEYS`, over the selected products only).

    Notes
    -----
    A name in `products` that is not in the scorecard raises ValueError.
    Values keep the scorecard's null rules: null where not tracked, never 0.
    Money (`MONEY_KEYS`) is rounded to the cent, which removes float noise
    such as 16207.550000000001; rates, `bcr`, `roi` and `payback_months` are
    unrounded floats, rates and ROI as fractions (0.285, not 28.5); counts
    are integers. A NaN or infinite value, which the metrics should never
    produce, becomes null rather than invalid JSON. Product names are kept
    exactly as stored: neutralising formula-like text is the spreadsheet
    writers' job (DESIGN, "Export safety").

    Examples
    --------
    A scorecard row with actual_cost 16207.550000000001 and roi
    -0.3990870 gives ``"actual_cost": 16207.55`` and ``"roi": -0.399087``.
    """
    if products is not None:
        wanted = list(dict.fromkeys(products))
        missing = sorted(set(wanted) - set(scorecard.get_column("product").to_list()))
        if missing:
            msg = f"no product named {', '.join(repr(m) for m in missing)} in the scorecard"
            raise ValueError(msg)
        scorecard = scorecard.filter(pl.col("product").is_in(wanted))
    summary = portfolio_summary(scorecard, usage, year=year)
    stamp = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=UTC)
    return FundingPack(
        generated_at=stamp.astimezone(UTC).isoformat(timespec="seconds"),
        year=year,
        as_of=as_of.isoformat(),
        currency=currency,
        products=[
            {key: _json_value(key, row[key]) for key in PRODUCT_KEYS}
            for row in scorecard.iter_rows(named=True)
        ],
        portfolio={key: _json_value(key, value) for key, value in asdict(summary).items()},
    )


def _json_value(key: str, value: object) -> JsonValue:
    """One scorecard or summary value as JSON wants it (see `pack_from_scorecard`)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, dict):
        return {str(k): _json_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(key, v) for v in value]
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if key in COUNT_KEYS and value.is_integer():
            return int(value)
        if key in MONEY_KEYS:
            return round(value, MONEY_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
        return value
    msg = f"{key}: cannot put a {type(value).__name__} into the funding pack"
    raise TypeError(msg)
