"""Customer vs user: where the sponsor's view of a product and its learners' view diverge.

A learning product serves two masters: the organisation that funds it (the
customer: level-4 impact, ROI, the sponsor's own rating) and the people who
use it (the users: NPS, relevance, voluntary active use). When one side is
content and the other is not, the funding review should see it. The rules,
stated on the pages, first match wins:

* "sponsor yes, learners no": the sponsor's side is content (ROI above 0, or
  a sponsor rating of 4 or more of 5) while learners would not recommend it
  (latest learner NPS of the year below 0) or do not use it of their own
  accord (fewer than 30 % of the licence's seats in active use);
* "learners yes, sponsor no": learner NPS above 30 while the sponsor rates
  it 2 or less of 5;
* "learners yes, money no": learner NPS above 30 while ROI is below 0;
* "learners yes, no business case": learner NPS above 30 with no level-4
  measure in the year.

A sponsor rating is an outcome row whose measure names the sponsor
("sponsor rating (1-5)"), any level, on a 1-5 scale (values outside it are
not read). Voluntary active use is the scorecard's seat utilisation: a
licence nobody is made to use is used by choice. Missing data never fires a
rule: a product with no NPS, no ROI, no rating or no seats is not said to
diverge on what it lacks.
"""

from __future__ import annotations

import polars as pl

from metrics.text import pct, signed

__all__ = ["NPS_HIGH", "NPS_LOW", "RULES", "USE_LOW", "customer_user_gaps"]

NPS_HIGH = 30.0
"""An NPS above this is learners recommending the product (a common "good" mark)."""
NPS_LOW = 0.0
"""An NPS below this is more detractors than promoters."""
USE_LOW = 0.30
"""Fewer than this share of a licence's seats in active use: learners do not choose it."""
RATING_HIGH, RATING_LOW = 4.0, 2.0
"""A sponsor rating (1-5) at or above / at or below these is content / not."""

RULES = (
    f"ROI above 0 or a sponsor rating of {RATING_HIGH:g}+ of 5 while learner NPS is below "
    f"{NPS_LOW:g} or under {USE_LOW:.0%} of seats are in use; learner NPS above {NPS_HIGH:g} "
    f"while the sponsor rates it {RATING_LOW:g} or less, ROI is below 0, or there is no "
    "level-4 evidence"
)
"""The rules in one line, for the pages."""

_SCHEMA = {
    "product_id": pl.Int64(),
    "gap": pl.String(),
    "reason": pl.String(),
    "nps": pl.Float64(),
    "roi": pl.Float64(),
    "sponsor_rating": pl.Float64(),
    "seat_utilisation": pl.Float64(),
    "has_level4": pl.Boolean(),
}


def _nps(value: float) -> str:
    return signed(round(value), lambda v: f"{v:g}")


def _rating(value: float) -> str:
    """A 1-5 rating to one decimal, no trailing zero: 4.5, 2."""
    return f"{round(value, 1):g}"


def _latest(rows: pl.DataFrame, fires: pl.Expr, name: str) -> pl.DataFrame:
    """Per product, the value of the latest row of the year where `fires`."""
    return (
        rows.filter(fires)
        .sort("period")
        .group_by("product_id")
        .agg(pl.col("value").last().alias(name))
    )


def _sponsor_yes(roi: float | None, rating: float | None) -> tuple[str, str] | None:
    """What makes the sponsor content (sentence, short); None when nothing does."""
    if roi is not None and roi > 0:
        return f"the sponsor's case holds (ROI {pct(roi)})", f"ROI {pct(roi)}"
    if rating is not None and rating >= RATING_HIGH:
        return f"the sponsor rates it {_rating(rating)} of 5", f"rated {_rating(rating)} of 5"
    return None


def _learner_no(nps: float | None, use: float | None) -> tuple[str, str] | None:
    """Why learners are not content (sentence, short); None when nothing says so."""
    if nps is not None and nps < NPS_LOW:
        return f"learners would not recommend it (NPS {_nps(nps)})", f"NPS {_nps(nps)}"
    if use is not None and use < USE_LOW:
        return (
            f"few use it of their own accord ({pct(use)} of seats in use)",
            f"{pct(use)} of seats used",
        )
    return None


def _gap(r: dict[str, object], year: int) -> tuple[str, str] | None:
    """The first rule that fires for one product: (sentence, short reason)."""
    nps, roi = r["nps"], r["roi"]
    rating, use = r["sponsor_rating"], r["seat_utilisation"]
    sponsor = _sponsor_yes(roi, rating)  # type: ignore[arg-type]
    learners = _learner_no(nps, use)  # type: ignore[arg-type]
    if sponsor and learners:
        return (
            f"{sponsor[0][0].upper()}{sponsor[0][1:]} but {learners[0]}.",
            f"sponsor yes ({sponsor[1]}), learners no ({learners[1]})",
        )
    if nps is None or nps <= NPS_HIGH:
        return None
    liked = f"Learners recommend it (NPS {_nps(nps)})"  # type: ignore[arg-type]
    if rating is not None and rating <= RATING_LOW:
        return (
            f"{liked} but the sponsor rates it {_rating(rating)} of 5.",  # type: ignore[arg-type]
            f"learners yes (NPS {_nps(nps)}), sponsor no ({_rating(rating)} of 5)",  # type: ignore[arg-type]
        )
    if roi is not None and roi < 0:  # type: ignore[operator]
        return (
            f"{liked} but the money case fails (ROI {pct(roi)}).",  # type: ignore[arg-type]
            f"learners yes (NPS {_nps(nps)}), money no (ROI {pct(roi)})",  # type: ignore[arg-type]
        )
    if not r["has_level4"]:
        return (
            f"{liked} but there is no business evidence for the sponsor (no level-4 measure "
            f"in {year}).",
            f"learners yes (NPS {_nps(nps)}), no level-4 evidence",  # type: ignore[arg-type]
        )
    return None


def customer_user_gaps(
    scorecard: pl.DataFrame, outcomes: pl.DataFrame, *, year: int
) -> pl.DataFrame:
    """One row per product whose sponsor-facing and learner-facing evidence disagree.

    Parameters
    ----------
    scorecard
        At least `product_id` and `roi` (a fraction; null when not
        tracked); `seat_utilisation` (a fraction) when known.
    outcomes
        In `metrics.schema.OUTCOMES` shape; the year's actual rows count.
    year
        The reporting year.

    Returns
    -------
    pl.DataFrame
        `product_id`, `gap` (the sentence), `reason` (short, for the health
        reasons), `nps`, `roi`, `sponsor_rating`, `seat_utilisation`,
        `has_level4`.

    Examples
    --------
    >>> from datetime import date
    >>> card = pl.DataFrame({"product_id": [1, 2, 3], "roi": [0.4, None, -0.2]})
    >>> out = pl.DataFrame({"product_id": [1, 2, 3, 3], "period": [date(2026, 6, 1)] * 4,
    ...     "level": [1, 1, 1, 4], "measure": ["Learner NPS", "learner NPS", "learner NPS", "x"],
    ...     "value": [-12.0, 45.0, 52.0, 1.0], "kind": ["actual"] * 4})
    >>> for gap in customer_user_gaps(card, out, year=2026)["gap"]:
    ...     print(gap.split(" but ")[1])
    learners would not recommend it (NPS −12).
    there is no business evidence for the sponsor (no level-4 measure in 2026).
    the money case fails (ROI −20%).
    """
    rows = outcomes.filter((pl.col("period").dt.year() == year) & (pl.col("kind") == "actual"))
    name = pl.col("measure").str.to_lowercase().fill_null("")
    nps = _latest(rows, (pl.col("level") == 1) & name.str.contains("nps"), "nps")
    rating = _latest(
        rows,
        name.str.contains("sponsor") & pl.col("value").is_between(1, 5),
        "sponsor_rating",
    )
    level4 = (
        rows.filter(pl.col("level") == 4)
        .select("product_id")
        .unique()
        .with_columns(has_level4=pl.lit(True))
    )
    use = (
        pl.col("seat_utilisation")
        if "seat_utilisation" in scorecard.columns
        else pl.lit(None, pl.Float64).alias("seat_utilisation")
    )
    joined = (
        scorecard.select("product_id", "roi", use)
        .join(nps, on="product_id", how="left")
        .join(rating, on="product_id", how="left")
        .join(level4, on="product_id", how="left")
        .with_columns(pl.col("has_level4").fill_null(False))
    )
    gaps: list[dict[str, object]] = []
    for r in joined.iter_rows(named=True):
        found = _gap(r, year)
        if found:
            gaps.append({**r, "gap": found[0], "reason": found[1]})
    return pl.DataFrame(gaps, schema=_SCHEMA).select(list(_SCHEMA))
