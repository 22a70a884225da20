"""Write validated usage rows: one fact per natural key, learners and content in bulk.

The natural key is (product, learner, content) for a snapshot report and
(product, learner, content, date) for events (DESIGN.md, "Overlap and
undo"). A key repeated inside one file keeps its last row; the repeat is
reported as a decision, not an error, because exports do repeat rows.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import polars as pl
from sqlalchemy import Connection
from sqlmodel import Session

from loaders.errors import ROW
from loaders.job import Job
from loaders.progress import LEARNERS, SAVING, WRITING
from loaders.pseudonym import checked_secret
from loaders.result import decision
from loaders.upserts import LearnerPlan, plan_learners, upsert_content_items
from loaders.writer import insert_frame
from models.enums import Grain

__all__ = ["dedupe_usage", "write_usage"]

_ID_SPAN = 2**32
_OVERLAP_ROWS = 100_000  # from this size the facts are built while the learners are written
_VALUES = ("activity_date", "minutes", "progress", "completed", "completed_date")


def dedupe_usage(job: Job, frame: pl.DataFrame) -> pl.DataFrame:
    """Keep the last row per natural key; record how many repeats there were."""
    key = ["product_id", "key_kind", "ident", "content_key"]
    if job.format.grain == Grain.event:
        key.append("activity_date")
    if frame.select(key).hash_rows().n_unique() == frame.height:
        return frame  # distinct hashes, so no repeats (the usual case): nothing to copy
    kept = frame.unique(subset=key, keep="last", maintain_order=True)
    dropped = frame.height - kept.height
    variants = frame.unique(subset=[*key, *_VALUES]).height - kept.height
    rows = frame.filter(~pl.col(ROW).is_in(kept.get_column(ROW).implode())).get_column(ROW)
    shown = ", ".join(str(r) for r in rows.head(10).to_list())
    what = "learner x content x date" if "activity_date" in key else "learner x content"
    job.note(
        decision(
            "repeated_keys",
            f"{dropped} row(s) repeat a {what} of an earlier row ({variants} with different "
            f"values); the last one is kept (repeated rows: {shown}"
            f"{', ...' if dropped > 10 else ''})",
            value=dropped,
            different=variants,
            rows=rows.head(50).to_list(),
        )
    )
    return kept


def _index_order(facts: pl.DataFrame) -> list[pl.Expr]:
    """Sort keys for `usage_record`'s unique index (import, learner, content, date).

    Learner and content ids packed into one integer when they fit (they do
    below 2^31 learners): one sort key instead of two, about twice as fast.
    """
    learner, content = pl.col("learner_id"), pl.col("content_item_id")
    top = facts.select(learner.max(), content.max()).row(0)
    if None not in top and top[0] < _ID_SPAN // 2 and top[1] < _ID_SPAN:
        return [learner * _ID_SPAN + content, pl.col("activity_date")]
    return [learner, content, pl.col("activity_date")]


def _facts(
    kept: pl.DataFrame, learner_ids: pl.DataFrame, content_ids: pl.DataFrame, import_id: int
) -> pl.DataFrame:
    """The `usage_record` rows, in the order of its unique index."""
    learner_ids = _keyed_like(learner_ids, kept, ("key_kind", "ident"))
    content_ids = _keyed_like(content_ids, kept, ("content_key",))
    facts = (
        kept.select("key_kind", "ident", "product_id", "content_key", *_VALUES)
        .join(learner_ids, on=["key_kind", "ident"], how="left")
        .join(content_ids, on=["product_id", "content_key"], how="left")
        .select(
            pl.lit(import_id, pl.Int64).alias("import_id"),
            "product_id",
            "learner_id",
            "content_item_id",
            "activity_date",
            "minutes",
            pl.col("progress").alias("progress_pct"),
            "completed",
            "completed_date",
        )
    )
    # Inserting in the index's order halves SQLite's write time.
    return facts.sort(*_index_order(facts))


def _keyed_like(frame: pl.DataFrame, kept: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """`frame` with its key columns cast to `kept`'s types (text, or categorical when streamed)."""
    if all(frame.schema[k] == kept.schema[k] for k in keys):
        return frame
    return frame.with_columns(pl.col(k).cast(kept.schema[k]) for k in keys)


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Categorical columns (a streamed import's) as text; a frame without any is returned as is."""
    if not any(isinstance(t, pl.Categorical) for t in frame.schema.values()):
        return frame
    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String))


def _learner_aggregates() -> list[pl.Expr]:
    """Per learner: e-mail, last name and org unit given, and the unit of the latest dated row.

    Why the last two: a learner missing from the roster is placed in the org
    unit of their most recent dated usage row (DESIGN.md, "People roster");
    one row per learner and import answers that without a column on every
    fact. Worked out in the one pass over the rows that finds the learners
    (`__unit`, `__unit_date`): the rows that name a unit, sorted by their day
    (undated first, ties in file order), give the last one's unit and the
    latest day.
    """
    email = pl.when(pl.col("key_kind") == "email").then(pl.col("ident")).first().alias("email")
    last = [pl.col(c).drop_nulls().last().alias(c) for c in ("name", "org_unit")]
    given = pl.col("org_unit").is_not_null()
    day = pl.coalesce(pl.col("activity_date"), pl.col("completed_date")).filter(given)
    unit = pl.col("org_unit").filter(given).sort_by(day, nulls_last=False, maintain_order=True)
    return [email, *last, unit.last().alias("__unit"), day.max().alias("__unit_date")]


def _learner_units(
    learners: pl.DataFrame, ids: pl.DataFrame, import_id: int
) -> pl.DataFrame | None:
    """The `learner_unit` rows: each learner's org unit as of their latest dated row.

    `learners` is the file's learners with `_learner_aggregates`; None when
    no row names an org unit.
    """
    given = learners.filter(pl.col("__unit").is_not_null())
    if given.is_empty():
        return None
    # In learner order, the order of the table's unique index (import, learner): each row
    # lands at the index's end instead of at a random page (a third of the insert's time).
    return (
        given.join(ids, on=["key_kind", "ident"])
        .select(
            pl.lit(import_id, pl.Int64).alias("import_id"),
            "learner_id",
            pl.col("__unit").str.slice(0, 300).alias("org_unit"),
            pl.col("__unit_date").alias("last_date"),
        )
        .sort("learner_id")
    )


def _write_learners(conn: Connection, plan: LearnerPlan, units: pl.DataFrame | None) -> None:
    """Insert the new learners, then each learner's org unit of this import."""
    plan.write(conn)
    if units is not None:
        insert_frame(conn, "learner_unit", units)


def write_usage(
    job: Job, frame: pl.DataFrame, *, period: tuple[date, date], session: Session
) -> None:
    """Record the import, find or create learners and content, bulk-insert the facts.

    Notes
    -----
    On SQLite the new learners already have their ids before they are
    written (`upserts.plan_learners`), so a large file's facts are joined
    and sorted (polars) in a second thread while SQLite writes the learners
    and their org units (both release the GIL): about half a second of a
    1M-row import. Each learner's org unit comes out of the same pass over
    the rows that finds the learners (`_learner_aggregates`), so nothing is
    left to work out between the learners and the facts. The facts are
    built before they are written, so that the peak memory of a 10M-row
    import stays what it was.
    """
    kept = dedupe_usage(job, frame)
    total = kept.height
    job.report(LEARNERS, f"finding or adding the learners and content of {total:,} rows")
    product_ids = kept.get_column("product_id").unique().to_list()
    import_id = job.record(
        session=session,
        product_id=product_ids[0] if len(product_ids) == 1 else None,
        grain=job.format.grain,
        period=period,
    )
    conn = session.connection()
    learners = _as_text(kept.group_by("key_kind", "ident").agg(_learner_aggregates()))
    plan = plan_learners(
        conn,
        learners,
        secret=checked_secret(session, job.settings),
        store_identities=job.settings.store_identities,
    )
    units = _learner_units(learners, plan.ids, import_id)
    items = _as_text(
        kept.group_by("product_id", "content_key").agg(
            pl.col("content_title").drop_nulls().last().alias("title"),
            pl.col("content_type").drop_nulls().last().alias("content_type"),
        )
    )
    content_ids = upsert_content_items(conn, items)
    if plan.pending is not None and total >= _OVERLAP_ROWS:
        with ThreadPoolExecutor(max_workers=1) as pool:
            building = pool.submit(_facts, kept, plan.ids, content_ids, import_id)
            _write_learners(conn, plan, units)
            facts = building.result()
            del building  # so that `del kept` below frees the rows
    else:
        _write_learners(conn, plan, units)
        facts = _facts(kept, plan.ids, content_ids, import_id)
    if len(product_ids) > 1:  # listed, so freshness need not read every fact (migration 0007)
        fed = pl.DataFrame(
            {"import_id": [import_id] * len(product_ids), "product_id": sorted(product_ids)},
            schema={"import_id": pl.Int64, "product_id": pl.Int64},
        )
        insert_frame(conn, "import_product", fed)
    # The file's rows go before the facts are written: at 10M rows they are most of a GB.
    del kept, learners, items, plan, content_ids, units
    job.report(WRITING, f"writing {total:,} rows")

    def written(rows: int) -> None:
        job.report(WRITING + (SAVING - WRITING) * rows / total, f"written {rows:,} of {total:,}")

    on_chunk = written if job.progress is not None else None
    job.finish(insert_frame(conn, "usage_record", facts, on_chunk=on_chunk))
