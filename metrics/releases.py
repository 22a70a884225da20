"""Releases and how they were received: active learners in the 28 days before and after.

DESIGN.md ("Releases"): for each release, `active_before` = distinct active
learners of its product in the 28 days before its date, `active_after` = in
the 28 days from it (the date and the 27 after); `active_after` stays null
until those 28 days have passed by `as_of` ("too early to tell"). Only usage
rows with a date of their own can be placed in a window.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from metrics.common import is_active
from metrics.text import count, day, signed

__all__ = ["RELEASES", "RELEASE_WINDOW_DAYS", "release_reception"]

RELEASE_WINDOW_DAYS = 28
"""The days compared on each side of a release."""

RELEASES: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "date": pl.Date(),
    "title": pl.String(),
    "kind": pl.String(),
}


def release_reception(releases: pl.DataFrame, usage: pl.DataFrame, *, as_of: date) -> pl.DataFrame:
    """Each release with `active_before`, `active_after` and `change` (after − before).

    Parameters
    ----------
    releases
        In `RELEASES` shape.
    usage
        In `metrics.schema.USAGE` shape (resolved facts).
    as_of
        The reporting day: `active_after` is null while fewer than 28 days
        have passed since the release.

    Examples
    --------
    Two learners active in the 28 days before 1 Mar, three in the 28 from it:

    >>> rel = pl.DataFrame({"product_id": [1], "date": [date(2026, 3, 1)],
    ...     "title": ["New module"], "kind": ["content"]})
    >>> days = [date(2026, 2, 1), date(2026, 2, 27), date(2026, 3, 1), date(2026, 3, 28),
    ...         date(2026, 3, 10), date(2026, 3, 29)]
    >>> use = pl.DataFrame({"product_id": [1] * 6, "learner_id": [1, 2, 1, 3, 4, 5],
    ...     "date": days, "minutes": [5.0] * 6, "progress_pct": [None] * 6,
    ...     "completed": [None] * 6, "completed_date": [None] * 6})
    >>> release_reception(rel, use, as_of=date(2026, 3, 29)).select(
    ...     "active_before", "active_after").rows()
    [(2, 3)]
    >>> release_reception(rel, use, as_of=date(2026, 3, 28))["active_after"].to_list()
    [None]
    """
    window = timedelta(days=RELEASE_WINDOW_DAYS)
    listed = releases.select(list(RELEASES)).with_row_index("release")
    released = listed.get_column("product_id").unique().to_list()
    active = (  # only the products with a release: the others' facts count for nothing here
        usage.filter(
            pl.col("product_id").is_in(released) & pl.col("date").is_not_null() & is_active()
        )
        .select("product_id", "learner_id", "date")
        .unique()
    )
    seen = listed.select("release", "product_id", pl.col("date").alias("released")).join(
        active, on="product_id"
    )
    before = (
        seen.filter(
            (pl.col("date") >= pl.col("released") - window) & (pl.col("date") < pl.col("released"))
        )
        .group_by("release")
        .agg(active_before=pl.col("learner_id").n_unique())
    )
    after = (
        seen.filter(
            (pl.col("date") >= pl.col("released")) & (pl.col("date") < pl.col("released") + window)
        )
        .group_by("release")
        .agg(active_after=pl.col("learner_id").n_unique())
    )
    passed = (pl.lit(as_of) - pl.col("date")).dt.total_days() >= RELEASE_WINDOW_DAYS
    return (
        listed.join(before, on="release", how="left")
        .join(after, on="release", how="left")
        .with_columns(
            pl.col("active_before").fill_null(0).cast(pl.Int64),
            pl.when(passed)
            .then(pl.col("active_after").fill_null(0))
            .otherwise(None)
            .cast(pl.Int64)
            .alias("active_after"),
        )
        .with_columns((pl.col("active_after") - pl.col("active_before")).alias("change"))
        .drop("release")
        .sort("product_id", "date", "title")
    )


def release_sentence(row: dict[str, object]) -> str:
    """One release's reception in words, "too early to tell" while its 28 days run.

    Examples
    --------
    >>> release_sentence({"date": date(2026, 3, 1), "title": "New module", "kind": "content",
    ...     "active_before": 2, "active_after": 5}).split(": ")[1]
    '5 active learners in the 28 days from it, against 2 in the 28 before (+3).'
    >>> release_sentence({"date": date(2026, 11, 5), "title": "Campaign", "kind": "campaign",
    ...     "active_before": 40, "active_after": None}).split("; ")[1]
    'too early to tell (28 days from it have not passed yet).'
    """
    head = f"{day(row['date'])} · {row['title']} ({row['kind']})"  # type: ignore[arg-type]
    before, after = row["active_before"], row["active_after"]
    if after is None:
        return (
            f"{head}: {count(before)} active learners in the {RELEASE_WINDOW_DAYS} days before; "  # type: ignore[arg-type]
            f"too early to tell ({RELEASE_WINDOW_DAYS} days from it have not passed yet)."
        )
    change = signed(int(after) - int(before), count)  # type: ignore[call-overload]
    return (
        f"{head}: {count(after)} active learners in the {RELEASE_WINDOW_DAYS} days from it, "  # type: ignore[arg-type]
        f"against {count(before)} in the {RELEASE_WINDOW_DAYS} before ({change})."  # type: ignore[arg-type]
    )
