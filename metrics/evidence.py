"""The chain of evidence per product: reach → reaction → learning → behaviour → results → ROI.

Kirkpatrick's Principle 5 ("a compelling chain of evidence") shown as one
row per link, each with its latest value, its sample size, its freshness and
how much weight it can bear:

=========  =====  ===========================================================
link       level  value
=========  =====  ===========================================================
reach      0      active learners ÷ target audience size (the scorecard's)
reaction   1      latest level-1 learner NPS, else the latest level-1 row
learning   2      latest level-2 row
behaviour  3      `application_rate` (a fraction), else the latest level-3 row
results    4      latest level-4 row (the business measure as recorded)
roi        5      ROI on actual cost (the scorecard's)
=========  =====  ===========================================================

Evidence strength of a link (thresholds are keyword arguments, the
LP_EVIDENCE_MIN_N and LP_EVIDENCE_STALE_AFTER_DAYS settings):

* **none**: no value (not tracked);
* **weak**: n unknown or n < ``min_n``, or the evidence is older than
  ``stale_after_days`` on `as_of`;
* **strong**: the results or ROI link resting on isolated evidence: a
  level-4 row with attribution % and confidence % (Phillips isolation and
  error adjustment), n ≥ ``min_n`` and fresh. For ROI, n is the smallest n
  of the year's monetised level-4 rows and the age is that of the newest;
* **moderate**: everything else with a value (reach, L1-L3 links can be at
  most moderate: attendance, reaction and test scores do not prove impact).

Experiments and sources: a significant experiment (p < 0.05, the effect the
way hoped: `metrics.proven_by_experiment`'s rule) is evidence for the link
its primary metric sits on (`experiment_link`: completion or active use is
reach, NPS or satisfaction reaction, a test score learning, applying a skill
behaviour, a business figure results). Its value is the effect (points for
a rate), its n the participants of the control and the treatment, its age
the days since it ended. A control group isolates the effect, so on the
results link it can be strong. It replaces the link's outcome row only when
it is the stronger evidence. Each row says where its evidence came from:
`source` is "usage" (reach), "benefits" (ROI), "experiment", or the outcome
row's source ("template", "survey", "kpi series"; "template" when unknown).

Units: "%" is a fraction to show as a percent (a measure recorded in
percent, its name containing "%", is divided by 100); "NPS" is −100..100;
"points" a score gain (name containing "gain", "pts" or "points");
otherwise "as recorded". Outcome rows dated after `as_of` are not evidence
yet; only rows of the reporting year count, as in the scorecard.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final, Literal

import polars as pl

from metrics import common
from metrics.experiments import proven_mask
from metrics.outcomes import actual_rows, application_rate, latest_rows, monetised_minor
from metrics.periods import year_bounds
from metrics.scorecard import scorecard_figures

__all__ = [
    "CHAIN_LINKS",
    "LINK_LABELS",
    "EvidenceStrength",
    "chain_of_evidence",
    "experiment_link",
    "link_label",
]

EvidenceStrength = Literal["none", "weak", "moderate", "strong"]
CHAIN_LINKS: Final[tuple[str, ...]] = (
    "reach",
    "reaction",
    "learning",
    "behaviour",
    "results",
    "roi",
)
LINK_LABELS: Final[dict[str, str]] = {
    "reach": "Reach",
    "reaction": "Reaction (L1)",
    "learning": "Learning (L2)",
    "behaviour": "Behaviour (L3)",
    "results": "Results (L4)",
    "roi": "ROI (L5)",
}
"""What each link of the chain (`CHAIN_LINKS`) is called on the pages and in the pack."""
_SCHEMA: Final[dict[str, pl.DataType]] = {
    "product_id": pl.Int64(),
    "link": pl.String(),
    "level": pl.Int64(),
    "measure": pl.String(),
    "value": pl.Float64(),
    "unit": pl.String(),
    "n": pl.Int64(),
    "period": pl.Date(),
    "age_days": pl.Int64(),
    "strength": pl.String(),
    "source": pl.String(),
}
_FIELDS: Final[tuple[str, ...]] = ("measure", "value", "unit", "n", "period", "age_days", "source")
_RANK: Final[dict[str, int]] = {"none": 0, "weak": 1, "moderate": 2, "strong": 3}
# Words of a primary metric, per link, first match wins: a customer's satisfaction is a
# business result, a learner's is reaction.
_METRIC_WORDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        "results",
        ("customer", "sales", "revenue", "cost", "error", "incident", "retention", "turnover",
         "attrition", "productiv", "quality", "kpi", "ticket", "defect", "accident", "complaint",
         "profit", "win rate", "handling time"),
    ),
    ("learning", ("score", "test", "quiz", "assessment", "exam", "knowledge", "pass rate")),
    ("behaviour", ("appl", "behavio", "practice", "on the job", "adoption")),
    ("reaction", ("nps", "net promoter", "satisf", "relevan", "recommend", "reaction")),
    ("reach", ("complet", "active", "enrol", "engag", "usage", "started", "reach", "sign-up")),
)  # fmt: skip
Row = dict[str, Any]


def _unit(measure: str | None) -> str:
    name = (measure or "").lower()
    if "%" in name:
        return "%"
    if "nps" in name or "net promoter" in name:
        return "NPS"
    if "gain" in name or "pts" in name or "points" in name:
        return "points"
    return "as recorded"


def experiment_link(metric: str | None) -> str | None:
    """The link of the chain an experiment's primary metric sits on; None when unclear.

    Examples
    --------
    >>> [experiment_link(m) for m in ("completion rate", "quiz score", "learner NPS",
    ...     "customer satisfaction", "applied on the job", "deals won", None)]
    ['reach', 'learning', 'reaction', 'results', 'behaviour', None, None]
    """
    name = (metric or "").lower()
    for link, words in _METRIC_WORDS:
        if any(word in name for word in words):
            return link
    return None


def _experiment_evidence(results: pl.DataFrame | None, as_of: date) -> dict[tuple[int, str], Row]:
    """Per product and link: the proven experiment with the most participants, as a link."""
    if results is None or results.is_empty():
        return {}

    out: dict[tuple[int, str], Row] = {}
    proven = results.filter(
        proven_mask() & (pl.col("ended").is_null() | (pl.col("ended") <= as_of))
    )
    for r in proven.sort("n", descending=True, nulls_last=True).iter_rows(named=True):
        link = experiment_link(r["metric"])
        if link is None or (r["product_id"], link) in out:
            continue
        rate = r["metric_kind"] == "rate"
        ended = r["ended"]
        out[(r["product_id"], link)] = {
            "measure": f"effect on {r['metric']} ({r['experiment']}: {r['variant']} vs control)",
            "value": r["effect"] * 100 if rate else r["effect"],
            "unit": "points" if rate else "as recorded",
            "n": r["n"],
            "period": ended,
            "age_days": (as_of - ended).days if ended else None,
            "source": "experiment",
        }
    return out


def _as_link(row: Row | None) -> Row:
    """An outcome row as a link: value in its unit, n, period, age; empty when None."""
    if row is None:
        return {}
    unit = _unit(row["measure"])
    value = row["value"]
    if unit == "%" and value is not None:
        value = value / 100
    return {
        "measure": row["measure"],
        "value": value,
        "unit": unit,
        "n": row["n"],
        "period": row["period"],
        "age_days": row["age_days"],
        "source": row.get("source") or "template",
    }


def _by_product(df: pl.DataFrame) -> dict[int, Row]:
    return {row["product_id"]: row for row in df.iter_rows(named=True)}


def _latest_rows(rows: pl.DataFrame, as_of: date) -> dict[int, Row]:
    return _by_product(latest_rows(rows, ["product_id"], as_of))


def _last_activity(usage: pl.DataFrame, year: int, as_of: date) -> dict[int, Row]:
    """Per product: the last day its usage in the year places a row on, and its age."""
    start, end = year_bounds(year)
    lo, hi = pl.lit(start, dtype=pl.Date()), pl.lit(end, dtype=pl.Date())

    def within(name: str) -> pl.Expr:
        return pl.when(pl.col(name).is_between(lo, hi)).then(pl.col(name))

    undated = pl.col("date").is_null() & pl.col("completed_date").is_null()
    period_end = pl.coalesce(pl.col("period_end"), pl.col("period_start"))
    day = pl.max_horizontal(
        within("date"),
        within("completed_date"),
        pl.when(undated).then(pl.min_horizontal(period_end, hi)),
    )
    last = (
        usage.lazy()  # filtered in place, not copied (ten million rows are 0.6 GB)
        .filter(common.row_in_window(start, end))
        .group_by("product_id")
        .agg(day.max().alias("last"))
        .with_columns(
            (pl.lit(as_of, dtype=pl.Date()) - pl.col("last"))
            .dt.total_days()
            .cast(pl.Int64)
            .alias("age_days")
        )
        .collect()
    )
    return _by_product(last)


def _strength(
    link: str,
    found: Row,
    *,
    isolated: bool,
    min_n: int,
    stale_after_days: int,
) -> EvidenceStrength:
    if found.get("value") is None:
        return "none"
    n, age = found.get("n"), found.get("age_days")
    if n is None or n < min_n or (age is not None and age > stale_after_days):
        return "weak"
    if link in ("results", "roi") and isolated:
        return "strong"
    return "moderate"


def link_label(link: str | None) -> str:
    """The label of a link of the chain (`LINK_LABELS`); an unknown link as written.

    Examples
    --------
    >>> link_label("behaviour"), link_label("custom")
    ('Behaviour (L3)', 'custom')
    """
    return LINK_LABELS.get(link or "", link or "")


def chain_of_evidence(
    products: pl.DataFrame,
    budgets: pl.DataFrame,
    contracts: pl.DataFrame,
    usage: pl.DataFrame,
    outcomes: pl.DataFrame,
    *,
    year: int,
    as_of: date,
    currency: str,
    min_n: int,
    stale_after_days: int,
    experiments: pl.DataFrame | None = None,
    sources: pl.DataFrame | None = None,
    figures: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Each product's chain of evidence for the year, one row per link.

    Parameters
    ----------
    products, budgets, contracts, usage, outcomes
        Frames in `metrics.schema` shapes, in the order of every entry
        point (`product_scorecard`, `tdrp_report`, `metrics.FrameSet`).
    year
        The reporting year: usage and outcome rows of this year count.
    as_of
        The report's "today", for the ages and for leaving out outcome rows
        dated after it.
    currency
        The reporting currency of the frames' money (the ROI link is the
        scorecard's ROI on it).
    min_n, stale_after_days
        Thresholds of the strength labels (the LP_EVIDENCE_MIN_N and
        LP_EVIDENCE_STALE_AFTER_DAYS settings): fewer respondents than
        `min_n`, or evidence older than `stale_after_days`, is weak.
    experiments
        `metrics.experiment_results` (with `n` and `ended`); a proven one
        is evidence for its metric's link.
    sources
        `models.frames.outcome_sources`: where each outcome row came from.
    figures
        The year's scorecard of these frames (`metrics.product_scorecard`, or
        any frame with its `product_id`, `reach`, `active_learners` and `roi`),
        when the caller holds it: its figures are taken instead of computing
        them again (a pass over the usage). None computes them.

    Returns
    -------
    pl.DataFrame
        Columns `product_id`, `link` (`CHAIN_LINKS`), `level` (0-5),
        `measure`, `value`, `unit`, `n`, `period`, `age_days`, `strength`
        ("none", "weak", "moderate", "strong"), `source`; six rows per product of
        `products`, in its order, links in chain order. A link with no
        evidence has a null value and strength "none".

    Notes
    -----
    See the module docstring for each link's value, the units and the
    strength rules. Reach and ROI are the scorecard's figures, so the
    chain and the scorecard never disagree: reach's n is the year's active
    learners, its period the month of the product's last usage row in the
    year and its age the days from that day to `as_of`.

    Examples
    --------
    A product with 330 active learners in an audience of 1,200, a level-1
    NPS of 42 (n 88, 2026-10) and nothing else, as of 2026-11-23: reach
    0.275 (n 330, moderate), reaction 42 NPS (n 88, 53 days, moderate),
    learning, behaviour, results and roi "none".
    """
    wanted = ("product_id", "reach", "active_learners", "roi")
    if figures is None:
        figures = scorecard_figures(
            products, budgets, contracts, usage, outcomes, year=year, currency=currency
        )
    card = products.select("product_id").join(
        figures.select(wanted), on="product_id", how="left", maintain_order="left"
    )
    rows = actual_rows(outcomes, year)
    if sources is not None:
        key = ["product_id", "period", "level", "measure", "kind"]
        rows = rows.join(sources.select(*key, "source"), on=key, how="left", nulls_equal=True)
    proven = _experiment_evidence(experiments, as_of)
    measure = pl.col("measure").str.to_lowercase().fill_null("")
    is_nps = measure.str.contains("nps", literal=True) | measure.str.contains(
        "net promoter", literal=True
    )
    level = pl.col("level")
    nps = _latest_rows(rows.filter((level == 1) & is_nps), as_of)
    latest = {k: _latest_rows(rows.filter(level == k), as_of) for k in (1, 2, 3, 4)}
    applying = _by_product(application_rate(outcomes, year=year, as_of=as_of))
    monetised = (
        rows.filter((level == 4) & monetised_minor().is_not_null())
        .group_by("product_id")
        .agg(
            pl.col("n").min().alias("n"),
            pl.col("n").null_count().alias("_unknown_n"),
            pl.col("period").max().alias("period"),
        )
    )
    money_rows = _by_product(monetised)
    activity = _last_activity(usage, year, as_of)

    out: list[Row] = []
    for product in card.iter_rows(named=True):
        pid = product["product_id"]
        last = activity.get(pid, {})
        reach = {
            "measure": "active learners ÷ target audience",
            "value": product["reach"],
            "unit": "%",
            "n": product["active_learners"],
            "period": last["last"].replace(day=1) if last.get("last") else None,
            "age_days": last.get("age_days"),
            "source": "usage",
        }
        behaviour = applying.get(pid)
        if behaviour is not None:
            behaviour = {
                **behaviour,
                "value": behaviour["application_rate"],
                "unit": "%",
                "source": behaviour.get("source") or "template",
            }
        else:
            behaviour = _as_link(latest[3].get(pid))
        result_row = latest[4].get(pid)
        money = money_rows.get(pid)
        roi_link: Row = {
            "measure": "ROI on actual cost",
            "value": product["roi"],
            "unit": "%",
            "source": "benefits",
        }
        if money is not None:
            roi_link |= {
                "n": None if money["_unknown_n"] else money["n"],
                "period": money["period"],
                "age_days": (as_of - money["period"]).days,
            }
        links = {
            "reach": reach,
            "reaction": _as_link(nps.get(pid) or latest[1].get(pid)),
            "learning": _as_link(latest[2].get(pid)),
            "behaviour": behaviour,
            "results": _as_link(result_row),
            "roi": roi_link,
        }
        isolated = {
            "results": result_row is not None
            and result_row["attribution_pct"] is not None
            and result_row["confidence_pct"] is not None,
            "roi": money is not None,
        }
        for position, link in enumerate(CHAIN_LINKS):
            found = links[link]
            strength = _strength(
                link,
                found,
                isolated=isolated.get(link, False),
                min_n=min_n,
                stale_after_days=stale_after_days,
            )
            tested = proven.get((pid, link))
            if tested is not None:
                # A control group isolates the effect: the experiment is isolated evidence.
                tested_strength = _strength(
                    link, tested, isolated=True, min_n=min_n, stale_after_days=stale_after_days
                )
                if _RANK[tested_strength] > _RANK[strength]:
                    found, strength = tested, tested_strength
            out.append(
                {
                    "product_id": pid,
                    "link": link,
                    "level": position,
                    **{name: found.get(name) for name in _FIELDS if name != "source"},
                    "strength": strength,
                    "source": found.get("source") if found.get("value") is not None else None,
                }
            )
    return pl.DataFrame(out, schema=_SCHEMA, orient="row")
