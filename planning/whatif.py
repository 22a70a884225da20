"""Budget what-if: move each product's budget and see spend, learners and benefits move.

Every projection rests on a few stated, editable assumptions (`Assumptions`),
shown beside the numbers in the app. The base of the what-if is this year's
plan (`budget`, major units of the reporting currency) from
`planning.criteria.planning_inputs`; a change is a fraction of it (−1 = cut
to nothing, +0.25 = a quarter more).

The rules, per product, with ratio r = 1 + change:

* new budget = budget × r (rounded to the currency's minor unit: the penny
  for GBP, the yen for JPY, the fils for KWD);
* output multiplier m = r^elasticity (m = 0 when r = 0): a quarter more money
  buys less than a quarter more learners (diminishing returns);
* licence products (seats and price per seat known, both > 0) buy whole
  seats: projected seats = ⌊seats × r⌋, and the money for the fractional seat
  is left unspent (see `project`);
* projected active learners = active × m, never above the target audience
  nor above the projected seats (each cap relaxed to today's count where
  today already exceeds it, so a change of 0 reproduces the base);
* projected benefits keep the benefit per active learner (or scale by m when
  usage is not tracked); a product with no benefits stays at "not tracked".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import polars as pl

from metrics.currency import decimals
from metrics.text import money_exact

__all__ = [
    "INPUT_COLUMNS",
    "Assumptions",
    "WhatIfTotals",
    "apply_amounts",
    "project",
    "project_rows",
    "totals",
]

INPUT_COLUMNS: tuple[str, ...] = (
    "product_id",
    "product",
    "budget",
    "active_learners",
    "target_audience_size",
    "seats",
    "price_per_seat",
    "benefits",
)
"""Columns of `planning.criteria.planning_inputs` the what-if reads."""

_SEAT_EPSILON = 1e-9
"""Slack when flooring seats × ratio, so 300 × 0.9 = 269.99999999999997 still buys 270."""


@dataclass(frozen=True)
class Assumptions:
    """The stated assumptions behind a what-if projection.

    Attributes
    ----------
    elasticity : float
        How output (active learners, and benefits through them) answers to
        money: output ∝ (new budget ÷ budget)^elasticity. Default 0.6:
        diminishing returns, so +25 % money gives 1.25^0.6 − 1 ≈ +14 %
        learners and a 50 % cut keeps 0.5^0.6 ≈ 66 % of them (the most
        engaged learners stay). 1 = proportional; 0 = money changes nothing
        (until the product is cut to nothing).
    benefits_follow_learners : bool
        True (default): benefits per active learner are held constant, so
        benefits move with projected active learners, caps included. False:
        benefits scale by the uncapped output multiplier only.
    cap_at_audience : bool
        True (default): projected active learners never exceed the target
        audience (a product already above it keeps today's count as its cap).
    licence_steps : bool
        True (default): a licence product buys whole seats; its spend is
        rounded down to whole seats (the rest shown as unspent) and its
        projected active learners are capped by the seats bought. False: its
        spend is the new budget and the seats do not cap learners.

    Notes
    -----
    The defaults are judgement, not data: every page that shows a projection
    shows these values, and a saved scenario stores them (`to_dict`).
    """

    elasticity: float = 0.6
    benefits_follow_learners: bool = True
    cap_at_audience: bool = True
    licence_steps: bool = True

    def __post_init__(self) -> None:
        """Refuse an elasticity that is negative, infinite or not a number."""
        value = self.elasticity
        if isinstance(value, bool) or not isinstance(value, int | float):
            msg = f"elasticity must be a number, got {value!r}"
            raise ValueError(msg)
        if not math.isfinite(value) or value < 0:
            msg = f"elasticity must be a finite number ≥ 0, got {value!r}"
            raise ValueError(msg)
        for field in fields(self)[1:]:
            flag = getattr(self, field.name)
            if not isinstance(flag, bool):
                msg = f"{field.name} must be True or False, got {flag!r}"
                raise ValueError(msg)

    def output_kept(self, budget_share: float) -> float:
        """Share of output kept at `budget_share` of the budget: budget_share^elasticity.

        0.5 at elasticity 0.6 keeps 0.5^0.6 ≈ 0.66 of the learners (before any cap).
        """
        return 0.0 if budget_share <= 0 else budget_share**self.elasticity

    def to_dict(self) -> dict[str, Any]:
        """The assumptions as a plain dict (JSON-ready), for saved scenarios."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assumptions:
        """Rebuild from `to_dict` output; missing keys take their defaults.

        Raises
        ------
        ValueError
            On an unknown key (a typo would otherwise silently keep a default).
        """
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            msg = f"unknown assumption(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            raise ValueError(msg)
        values = dict(data)
        if "elasticity" in values and isinstance(values["elasticity"], int | float):
            values["elasticity"] = float(values["elasticity"])
        return cls(**values)


@dataclass(frozen=True)
class WhatIfTotals:
    """Portfolio totals of a projection (major units of the currency, learners, fractions).

    Attributes
    ----------
    products : int
        Products in the projection.
    budget, new_budget, spend, unspent : float | None
        Sums over the products whose budget is known (None when none is).
    cap : float | None
        The budget cap the scenario is held to (None: no cap).
    gap : float | None
        cap − spend: negative when the scenario spends over the cap.
    over_cap : bool
        spend > cap (False without a cap).
    tracked_products : int
        Products with usage tracked: `active` and `projected_active` cover
        only these.
    active, projected_active : float | None
        Active learners today and projected (None when no product is tracked).
    roi_products : int
        Products with benefits known and a budget: the benefits and both ROIs
        cover only these.
    benefits, projected_benefits : float | None
        Σ benefits today and projected over the `roi_products`.
    roi, projected_roi : float | None
        (Σ benefits − Σ budget) ÷ Σ budget and (Σ projected benefits − Σ
        spend) ÷ Σ spend over the `roi_products` (None when the cost is 0).
        On the plan, not the actual cost, so that both sides compare.
    """

    products: int
    budget: float | None
    new_budget: float | None
    spend: float | None
    unspent: float | None
    cap: float | None
    gap: float | None
    over_cap: bool
    tracked_products: int
    active: float | None
    projected_active: float | None
    roi_products: int
    benefits: float | None
    projected_benefits: float | None
    roi: float | None
    projected_roi: float | None


def project(
    inputs: pl.DataFrame,
    changes: Mapping[int, float],
    *,
    currency: str,
    assumptions: Assumptions = Assumptions(),
) -> pl.DataFrame:
    """Project each product's spend, learners and benefits under budget changes.

    Parameters
    ----------
    inputs : pl.DataFrame
        One row per product with at least `INPUT_COLUMNS` (the shape of
        `planning.criteria.planning_inputs`).
    changes : Mapping[int, float]
        product_id → change as a fraction of its budget, in [−1, +1]; a
        product not named keeps its budget (change 0).
    currency : str
        The reporting currency (ISO 4217): money is rounded to its minor unit.
    assumptions : Assumptions
        The stated assumptions (see `Assumptions`).

    Returns
    -------
    pl.DataFrame
        One row per product, in `inputs` order: `product_id`, `product`,
        `budget`, `change`, `new_budget`, `spend`, `unspent` (major units),
        `active_learners`, `projected_active` (Float64, not rounded: a
        projection), `projected_reach` (fraction of the target audience),
        `seats`, `projected_seats`, `output_multiplier`, `benefits`,
        `projected_benefits` (major units), `projected_roi` (fraction), `funded`.

    Raises
    ------
    ValueError
        On a change outside [−1, +1] or not finite, an unknown product id,
        a missing input column or a repeated product id.

    Notes
    -----
    With r = 1 + change and m = r^elasticity (0 when r = 0):

    * new_budget = budget × r, rounded to the minor unit; null when the
      budget is not known (then spend and funded are null too, while
      learners and benefits still follow r: the change is read as a change
      of whatever is spent).
    * Licence product (seats > 0 and price per seat > 0): its licence money
      L = min(seats × price, budget) buys whole seats, the rest of its budget
      (delivery, admin) scales smoothly. projected_seats = ⌊seats × r⌋;
      unspent = (seats × r − projected_seats) × L ÷ seats, the money of the
      fractional seat; spend = new_budget − unspent (with `licence_steps`;
      otherwise spend = new_budget). When the budget is all licence
      (budget = seats × price) this is ⌊new budget ÷ price⌋ seats bought for
      spend = seats × price. Other products: projected_seats = seats, spend
      = new_budget.
    * projected_active = min(active × m, max(audience, active) when
      `cap_at_audience`, max(projected_seats, active × projected_seats ÷
      seats) for a licence product with `licence_steps`: an over-subscribed
      product keeps its ratio of learners to seats); null when usage is not tracked
      (active null). A product cut to 0 projects 0.
    * output_multiplier = projected_active ÷ active, or m when usage is not
      tracked or nobody is active.
    * projected_benefits = benefits × output_multiplier (or × m without
      `benefits_follow_learners`); null when benefits are null: a benefit is
      never invented. A product cut to 0 with known benefits projects 0.
    * projected_reach = projected_active ÷ target_audience_size (null when
      either is missing or the audience is 0).
    * projected_roi = (projected_benefits − spend) ÷ spend; null when spend
      is 0 or null, or benefits are null.
    * funded = new_budget > 0 (null when the budget is not known).

    Examples
    --------
    A library of 300 seats at £120 (budget £36,000, 200 active) cut by 10 %:
    r = 0.9, 270 seats, spend 270 × 120 = £32,400, projected active
    = min(200 × 0.9^0.6, 270) = 200 × 0.9387 = 187.7.
    """
    _require(inputs)
    frame = inputs.select(INPUT_COLUMNS).with_columns(_change_column(inputs, changes))
    return project_rows(frame, currency=currency, assumptions=assumptions)


def totals(projection: pl.DataFrame, *, cap: float | None, currency: str) -> WhatIfTotals:
    """Sum a `project` result into portfolio totals against an optional cap.

    Parameters
    ----------
    projection : pl.DataFrame
        The frame `project` returns.
    cap : float | None
        The budget cap in major units (None: no cap).
    currency : str
        The reporting currency: money totals are rounded to its minor unit.

    Returns
    -------
    WhatIfTotals

    Notes
    -----
    gap = cap − spend (negative = over the cap). Learners are summed over
    products with usage tracked; benefits and ROI over products with known
    benefits and budget (`roi_products`), ROI = (Σ benefits − Σ cost) ÷ Σ
    cost, with the plan budget as today's cost and the projected spend as
    the scenario's. A sum over no product is None, never 0.

    Examples
    --------
    Spend £950k against a £1.0m cap: gap = £50k, over_cap False.
    """
    if cap is not None and (not math.isfinite(cap) or cap < 0):
        msg = f"cap must be a finite amount ≥ 0 or None, got {cap!r}"
        raise ValueError(msg)
    places = decimals(currency)
    costed = pl.col("budget").is_not_null()
    tracked = pl.col("active_learners").is_not_null()
    with_roi = costed & pl.col("benefits").is_not_null()
    row = projection.select(
        pl.len().alias("products"),
        *(_sum_or_none(pl.col(name).filter(costed)).round(places).alias(name) for name in _MONEY),
        tracked.sum().alias("tracked_products"),
        _sum_or_none(pl.col("active_learners").filter(tracked).cast(pl.Float64)).alias("active"),
        _sum_or_none(pl.col("projected_active").filter(tracked)).alias("projected_active"),
        with_roi.sum().alias("roi_products"),
        _sum_or_none(pl.col("benefits").filter(with_roi)).round(places).alias("benefits"),
        _sum_or_none(pl.col("projected_benefits").filter(with_roi)).alias("projected_benefits"),
        _sum_or_none(pl.col("budget").filter(with_roi)).round(places).alias("_roi_budget"),
        _sum_or_none(pl.col("spend").filter(with_roi)).round(places).alias("_roi_spend"),
    ).row(0, named=True)
    spend = row["spend"]
    gap = None if cap is None else round(cap - (spend or 0.0), places)
    return WhatIfTotals(
        products=int(row["products"]),
        budget=row["budget"],
        new_budget=row["new_budget"],
        spend=spend,
        unspent=row["unspent"],
        cap=cap,
        gap=gap,
        over_cap=gap is not None and gap < 0,
        tracked_products=int(row["tracked_products"]),
        active=row["active"],
        projected_active=row["projected_active"],
        roi_products=int(row["roi_products"]),
        benefits=row["benefits"],
        projected_benefits=row["projected_benefits"],
        roi=_roi(row["benefits"], row["_roi_budget"]),
        projected_roi=_roi(row["projected_benefits"], row["_roi_spend"]),
    )


def apply_amounts(
    inputs: pl.DataFrame, amounts: Mapping[int, float], *, currency: str
) -> dict[int, float]:
    """Turn new budgets typed in major units into the fractional changes `project` takes.

    Parameters
    ----------
    inputs : pl.DataFrame
        The planning inputs (`product_id`, `budget`).
    amounts : Mapping[int, float]
        product_id → new budget in major units (≥ 0).
    currency : str
        The reporting currency, for the amounts in the messages.

    Returns
    -------
    dict[int, float]
        product_id → change = amount ÷ budget − 1, clipped to [−1, +1] (only
        float noise is clipped).

    Raises
    ------
    ValueError
        On a negative or non-finite amount, an unknown product, an amount
        above 2 × budget (more than +100 %), or a non-zero amount for a
        product whose budget is 0 or not known (no fraction of it can say so).

    Notes
    -----
    A product with a zero or unknown budget accepts only 0 (change 0).

    Examples
    --------
    Budget £40,000, typed £30,000: 30,000 ÷ 40,000 − 1 = −0.25.
    """
    _require(inputs, ("product_id", "budget"))
    budgets = dict(zip(inputs["product_id"].to_list(), inputs["budget"].to_list(), strict=True))
    changes: dict[int, float] = {}
    for product_id, amount in amounts.items():
        if product_id not in budgets:
            msg = f"unknown product id {product_id!r}"
            raise ValueError(msg)
        if not math.isfinite(amount) or amount < 0:
            msg = f"new budget for product {product_id} must be a finite amount ≥ 0, got {amount!r}"
            raise ValueError(msg)
        budget = budgets[product_id]
        if budget is None or budget <= 0:
            if amount > 0:
                msg = (
                    f"product {product_id} has no budget to change (it is "
                    f"{'not known' if budget is None else money_exact(0, currency)}), so "
                    f"{money_exact(amount, currency)} "
                    "cannot be expressed as a change of it"
                )
                raise ValueError(msg)
            changes[product_id] = 0.0
            continue
        change = amount / budget - 1.0
        if change > 1.0 + 1e-9:
            msg = (
                f"new budget {money_exact(amount, currency)} for product {product_id} is more "
                f"than +100% of its {money_exact(budget, currency)} budget"
            )
            raise ValueError(msg)
        changes[product_id] = min(max(change, -1.0), 1.0)
    return changes


_MONEY = ("budget", "new_budget", "spend", "unspent")


def _require(inputs: pl.DataFrame, columns: tuple[str, ...] = INPUT_COLUMNS) -> None:
    missing = [name for name in columns if name not in inputs.columns]
    if missing:
        msg = f"planning inputs are missing column(s): {', '.join(missing)}"
        raise ValueError(msg)
    if inputs["product_id"].is_duplicated().any():
        repeated = inputs.filter(pl.col("product_id").is_duplicated())["product_id"].unique()
        msg = f"planning inputs repeat product id(s): {', '.join(map(str, repeated.sort()))}"
        raise ValueError(msg)


def _change_column(inputs: pl.DataFrame, changes: Mapping[int, float]) -> pl.Series:
    """`change` aligned with `inputs` rows: validated, 0 for products not named."""
    for product_id, change in changes.items():
        if not isinstance(change, int | float) or not -1.0 <= change <= 1.0:
            msg = f"change for product {product_id} must be a fraction in [−1, +1], got {change!r}"
            raise ValueError(msg)
    unknown = set(changes) - set(inputs["product_id"].to_list())
    if unknown:
        msg = f"changes name unknown product id(s): {', '.join(map(str, sorted(unknown)))}"
        raise ValueError(msg)
    lookup = pl.DataFrame(
        {"product_id": list(changes), "change": list(changes.values())},
        schema={"product_id": pl.Int64, "change": pl.Float64},
    )
    joined = inputs.select(pl.col("product_id").cast(pl.Int64)).join(
        lookup, on="product_id", how="left", maintain_order="left"
    )
    return joined["change"].fill_null(0.0)


def project_rows(
    frame: pl.DataFrame, *, currency: str, assumptions: Assumptions = Assumptions()
) -> pl.DataFrame:
    """`project` for rows that already carry their `change`, unchecked.

    `planning.selection` projects every funding level of every product in
    one frame (a product on several rows), which `project`'s mapping of
    changes cannot express. The rows need `INPUT_COLUMNS` and a Float64
    `change` in [−1, +1]; the result has `project`'s columns, row for row,
    under the same formulas (see `project`), money rounded to the minor
    unit of `currency`.
    """
    places = decimals(currency)
    ratio = 1.0 + pl.col("change")
    budget = pl.col("budget").cast(pl.Float64)
    active = pl.col("active_learners").cast(pl.Float64)
    audience = pl.col("target_audience_size").cast(pl.Float64)
    seats = pl.col("seats").cast(pl.Float64)
    price = pl.col("price_per_seat").cast(pl.Float64)

    is_licence = (seats > 0) & (price > 0)
    multiplier = pl.when(ratio <= 0).then(0.0).otherwise(ratio.pow(assumptions.elasticity))
    seats_exact = seats * ratio
    projected_seats = (seats_exact + _SEAT_EPSILON).floor()
    licence_money = pl.min_horizontal(seats * price, budget)
    unspent = ((seats_exact - projected_seats) * licence_money / seats).clip(lower_bound=0.0)
    new_budget = (budget * ratio).round(places)
    step = is_licence & assumptions.licence_steps

    caps = [active * multiplier]
    if assumptions.cap_at_audience:
        caps.append(pl.when(audience.is_not_null()).then(pl.max_horizontal(audience, active)))
    if assumptions.licence_steps:
        seat_cap = pl.max_horizontal(projected_seats, active * (projected_seats / seats))
        caps.append(pl.when(is_licence).then(seat_cap))
    projected_active = pl.when(active.is_not_null()).then(pl.min_horizontal(*caps))

    staged = frame.with_columns(
        new_budget.alias("new_budget"),
        pl.when(step).then(unspent.round(places)).otherwise(0.0).alias("unspent"),
        pl.when(is_licence)
        .then(projected_seats.cast(pl.Int64))
        .otherwise(pl.col("seats").cast(pl.Int64))
        .alias("projected_seats"),
        multiplier.alias("_m"),
        projected_active.alias("projected_active"),
    ).with_columns(
        pl.when(pl.col("new_budget").is_not_null())
        .then((pl.col("new_budget") - pl.col("unspent")).clip(lower_bound=0.0).round(places))
        .alias("spend"),
        pl.when(pl.col("new_budget").is_null())
        .then(None)
        .otherwise(pl.col("unspent"))
        .alias("unspent"),
        pl.when(active > 0)
        .then(pl.col("projected_active") / active)
        .otherwise(pl.col("_m"))
        .alias("output_multiplier"),
    )
    follow = "output_multiplier" if assumptions.benefits_follow_learners else "_m"
    spend = pl.col("spend")
    return staged.select(
        pl.col("product_id"),
        pl.col("product"),
        budget.alias("budget"),
        pl.col("change"),
        pl.col("new_budget"),
        spend,
        pl.col("unspent"),
        pl.col("active_learners").cast(pl.Int64),
        pl.col("projected_active"),
        pl.when(audience > 0).then(pl.col("projected_active") / audience).alias("projected_reach"),
        pl.col("seats").cast(pl.Int64),
        pl.col("projected_seats"),
        pl.col("output_multiplier"),
        pl.col("benefits").cast(pl.Float64),
        (pl.col("benefits").cast(pl.Float64) * pl.col(follow)).alias("projected_benefits"),
        pl.when(spend > 0)
        .then((pl.col("benefits") * pl.col(follow) - spend) / spend)
        .alias("projected_roi"),
        (pl.col("new_budget") > 0).alias("funded"),
    )


def _sum_or_none(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.count() > 0).then(expr.sum().cast(pl.Float64))


def _roi(benefits: float | None, cost: float | None) -> float | None:
    if benefits is None or cost is None or cost <= 0:
        return None
    return (benefits - cost) / cost
