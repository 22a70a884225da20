"""Survey answers: imported per response, stored as the month's outcome measures with their n.

DESIGN.md ("Survey evidence"): per product and calendar month of the response
date, `learner NPS` (level 1) = 100 × (share answering 9–10 − share answering
0–6), `relevance (1-5)` (level 1) = the mean, `application rate` (level 3) =
yes ÷ (yes + no); each with n = the answers counted. An unanswered question
(blank, N/A) counts in no n. The rows are written as outcome measures of this
import, so the newest import wins for the same product, month, level and
measure, and undo restores the earlier one (`models.frames.outcomes_frame`).

Respondents are not stored: only the month's aggregates are.
"""

from __future__ import annotations

import polars as pl
from sqlmodel import Session

from loaders.errors import Rejected
from loaders.facts import _Sheet
from loaders.job import Job
from loaders.periods import month_end
from loaders.result import decision
from loaders.values import parse_bool, parse_scale
from loaders.writer import insert_frame
from models.enums import Direction, OutcomeKind

__all__ = ["MEASURES", "run_survey", "survey_measures"]

MEASURES: dict[str, tuple[str, int]] = {
    "recommend": ("learner NPS", 1),
    "relevance": ("relevance (1-5)", 1),
    "applied": ("application rate", 3),
}
"""Each answer column: the outcome measure it becomes and its Kirkpatrick level."""


def survey_measures(answers: pl.DataFrame) -> pl.DataFrame:
    """Per product and month, the three measures with their n (measures with no answer left out).

    Parameters
    ----------
    answers
        `product_id`, `month` (first day), `recommend` (0-10), `relevance`
        (1-5), `applied` (bool); nulls are unanswered.

    Examples
    --------
    Ten answers: 5 promoters (9-10), 3 passives, 2 detractors (0-6): NPS 30.

    >>> from datetime import date
    >>> rec = [10, 9, 9, 10, 9, 8, 7, 8, 6, 3]
    >>> df = pl.DataFrame({"product_id": [1] * 10, "month": [date(2026, 3, 1)] * 10,
    ...     "recommend": rec, "relevance": [5, 4, None, 4, 3, 4, 5, 4, 2, 4],
    ...     "applied": [True, False, None, True, True, None, None, False, True, None]})
    >>> rows = survey_measures(df).select("measure", "value", "n").rows()
    >>> [(m, round(v, 4), n) for m, v, n in rows]
    [('learner NPS', 30.0, 10), ('relevance (1-5)', 3.8889, 9), ('application rate', 0.6667, 6)]
    """
    keys = ["product_id", "month"]
    rec, rel, app = pl.col("recommend"), pl.col("relevance"), pl.col("applied")
    grouped = answers.group_by(keys).agg(
        nps_n=rec.count(),
        # (sums are unsigned: cast before subtracting, or more detractors wrap round)
        nps=100 * ((rec >= 9).sum().cast(pl.Int64) - (rec <= 6).sum().cast(pl.Int64)) / rec.count(),
        rel_n=rel.count(),
        rel=rel.mean(),
        app_n=app.count(),
        app=app.cast(pl.Float64).mean(),
    )
    parts = [
        grouped.select(
            *keys,
            pl.lit(MEASURES[column][0]).alias("measure"),
            pl.lit(MEASURES[column][1], pl.Int64).alias("level"),
            pl.col(value).cast(pl.Float64).alias("value"),
            pl.col(n).cast(pl.Int64).alias("n"),
        ).filter(pl.col("n") > 0)
        for column, value, n in (
            ("recommend", "nps", "nps_n"),
            ("relevance", "rel", "rel_n"),
            ("applied", "app", "app_n"),
        )
    ]
    order = {name: i for i, (name, _) in enumerate(MEASURES.values())}
    return (
        pl.concat(parts)
        .with_columns(pl.col("measure").replace_strict(order, return_dtype=pl.Int64).alias("_o"))
        .sort([*keys, "_o"])
        .drop("_o")
    )


def run_survey(job: Job, *, session: Session) -> None:
    """Check every answer (row and column named), aggregate, write the month's measures."""
    sheet = _Sheet(job, session)
    dates = sheet.dates(["date"])
    answers = pl.DataFrame(
        [
            sheet.product_id,
            dates["date"].dt.truncate("1mo").alias("month"),
            sheet.take("recommend", parse_scale, low=0, high=10).alias("recommend"),
            sheet.take("relevance", parse_scale, low=1, high=5).alias("relevance"),
            sheet.take("applied", parse_bool).alias("applied"),
        ]
    )
    if sheet.errors:
        raise Rejected(sheet.errors)
    measures = survey_measures(answers)
    months = answers.get_column("month")
    import_id = job.record(session=session, period=(months.min(), month_end(months.max())))  # type: ignore[arg-type]
    rows = measures.rename({"month": "period"}).with_columns(
        pl.lit(import_id, pl.Int64).alias("import_id"),
        pl.lit(Direction.higher.value).alias("direction"),
        pl.lit(OutcomeKind.actual.value).alias("kind"),
    )
    inserted = insert_frame(session.connection(), "outcome_measure", rows)
    job.note(
        decision(
            "survey",
            f"{answers.height:,} responses stored as {inserted:,} monthly measures "
            "(learner NPS, relevance, application rate, each with its n)",
        )
    )
    job.finish(answers.height)
