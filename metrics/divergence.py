"""Customer vs user: where the sponsor's view of a product and its learners' view diverge.

A learning product serves two masters: the organisation that funds it (the
customer: level-4 impact, ROI) and the people who use it (the users: NPS,
relevance). When one side is content and the other is not, the funding
review should see it. The rules, stated on the pages:

* "sponsor yes, learners no": ROI above 0 while the latest learner NPS of the
  year is below 0;
* "learners yes, no business case": learner NPS above 30 with no level-4
  measure in the year;
* "learners yes, money no": learner NPS above 30 while ROI is below 0.

Missing data never fires a rule: a product with no NPS, or no ROI, is not
said to diverge.
"""

from __future__ import annotations

import polars as pl

from metrics.text import pct, signed

__all__ = ["NPS_HIGH", "NPS_LOW", "RULES", "customer_user_gaps"]

NPS_HIGH = 30.0
"""An NPS above this is learners recommending the product (a common "good" mark)."""
NPS_LOW = 0.0
"""An NPS below this is more detractors than promoters."""

RULES = (
    f"ROI above 0 while learner NPS is below {NPS_LOW:g}; learner NPS above {NPS_HIGH:g} with no "
    f"level-4 evidence; learner NPS above {NPS_HIGH:g} while ROI is below 0"
)
"""The rules in one line, for the pages."""


def _nps(value: float) -> str:
    return signed(round(value), lambda v: f"{v:g}")


def customer_user_gaps(
    scorecard: pl.DataFrame, outcomes: pl.DataFrame, *, year: int
) -> pl.DataFrame:
    """One row per product whose sponsor-facing and learner-facing evidence disagree.

    Parameters
    ----------
    scorecard
        At least `product_id` and `roi` (a fraction; null when not tracked).
    outcomes
        In `metrics.schema.OUTCOMES` shape; the year's actual rows count.
    year
        The reporting year.

    Returns
    -------
    pl.DataFrame
        `product_id`, `gap` (the sentence), `nps`, `roi`, `has_level4`.

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
    nps = (
        rows.filter(
            (pl.col("level") == 1) & pl.col("measure").str.to_lowercase().str.contains("nps")
        )
        .sort("period")
        .group_by("product_id")
        .agg(nps=pl.col("value").last())
    )
    level4 = (
        rows.filter(pl.col("level") == 4)
        .select("product_id")
        .unique()
        .with_columns(has_level4=pl.lit(True))
    )
    joined = (
        scorecard.select("product_id", "roi")
        .join(nps, on="product_id", how="left")
        .join(level4, on="product_id", how="left")
        .with_columns(pl.col("has_level4").fill_null(False))
    )
    gaps: list[dict[str, object]] = []
    for r in joined.iter_rows(named=True):
        npsv, roi = r["nps"], r["roi"]
        if npsv is None:
            continue
        gap = None
        if roi is not None and roi > 0 and npsv < NPS_LOW:
            gap = (
                f"The sponsor's case holds (ROI {pct(roi)}) but learners would not recommend it "
                f"(NPS {_nps(npsv)})."
            )
        elif npsv > NPS_HIGH and not r["has_level4"]:
            gap = (
                f"Learners recommend it (NPS {_nps(npsv)}) but there is no business evidence for "
                f"the sponsor (no level-4 measure in {year})."
            )
        elif npsv > NPS_HIGH and roi is not None and roi < 0:
            gap = (
                f"Learners recommend it (NPS {_nps(npsv)}) but the money case fails "
                f"(ROI {pct(roi)})."
            )
        if gap:
            gaps.append({**r, "gap": gap})
    schema = {
        "product_id": pl.Int64(),
        "gap": pl.String(),
        "nps": pl.Float64(),
        "roi": pl.Float64(),
        "has_level4": pl.Boolean(),
    }
    return pl.DataFrame(gaps, schema=schema).select(list(schema))
