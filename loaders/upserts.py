"""Learners and content items found or created in bulk, inside an import's transaction.

Each distinct learner (`loaders.identity`: who a row is about, and the
keyed hash stored for it) and each distinct content item is looked up or
written once per import, never per row, and the ids are mapped back onto
the rows with joins.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection

from loaders.identity import learner_keys
from loaders.references import hold
from loaders.writer import insert_frame, insert_new_returning, select_chunked, utc_now

__all__ = ["LearnerPlan", "plan_learners", "upsert_content_items", "upsert_learners"]

_LIMITS = {"email": 320, "display_name": 300, "org_unit": 300}
_KEY_IDS = {"key": pl.String, "learner_id": pl.Int64}
_BY_KEY = 'SELECT "key", id FROM learner WHERE "key" IN ({keys})'  # learners by key
# Scan the whole learner table when it holds at most this many times the file's learners.
_SCAN_FACTOR = 4


@dataclass(frozen=True)
class LearnerPlan:
    """Every learner of a file with its id; the new ones' rows, when not yet written.

    `ids` has `key_kind, ident, learner_id`. `pending` holds the rows of new
    learners whose ids were assigned but not yet inserted (SQLite only);
    `write` inserts them, so a caller may do other work first.
    """

    ids: pl.DataFrame
    pending: pl.DataFrame | None = None

    def write(self, conn: Connection) -> None:
        """Insert the pending new learners (nothing when there are none)."""
        if self.pending is not None:
            insert_frame(conn, "learner", self.pending)


def plan_learners(
    conn: Connection, learners: pl.DataFrame, *, secret: str, store_identities: bool
) -> LearnerPlan:
    """Find each distinct learner or give it an id; see `upsert_learners`.

    On SQLite new learners get their ids here (the table's maximum id + 1,
    + 2, ...: the import holds the write lock, so no other writer can take
    them) and are left in `LearnerPlan.pending`; elsewhere they are inserted
    and read back in one query, as the database numbers them.
    """
    pairs = zip(
        learners.get_column("key_kind").to_list(),
        learners.get_column("ident").to_list(),
        strict=True,
    )
    frame = learners.with_columns(
        pl.Series("key", learner_keys(list(pairs), secret=secret), dtype=pl.String)
    )
    before = int(conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM learner").scalar_one())
    known = _known_learners(conn, frame.get_column("key"), table_size=before)
    new = frame.join(known, on="key", how="anti")
    pending = None
    if not new.is_empty():
        show = pl.lit(store_identities)
        rows = new.sort("key").select(
            "key",
            "key_kind",
            pl.when(show).then(pl.col("email").str.slice(0, _LIMITS["email"])).alias("email"),
            pl.when(show)
            .then(pl.col("name").str.slice(0, _LIMITS["display_name"]))
            .alias("display_name"),
            pl.col("org_unit").str.slice(0, _LIMITS["org_unit"]),
            pl.lit(utc_now()).alias("created_at"),
        )
        if conn.dialect.name == "sqlite":
            pending = rows.with_row_index("id", offset=before + 1).with_columns(
                pl.col("id").cast(pl.Int64)
            )
            added = pending.select("key", pl.col("id").alias("learner_id"))
        else:  # insert-or-get: another import may be adding the same learners right now
            inserted = insert_new_returning(conn, "learner", rows, returning=("key", "id"))
            added = pl.DataFrame(inserted, schema=_KEY_IDS, orient="row")
            hold(conn, "learner", "id", added.get_column("learner_id"))  # ours until commit
            taken = rows.join(added, on="key", how="anti").get_column("key").to_list()
            if taken:  # written by that other import: read back by key
                found = pl.DataFrame(
                    select_chunked(conn, _BY_KEY, taken), schema=_KEY_IDS, orient="row"
                )
                added = pl.concat([added, found])
        known = pl.concat([known, added])
    ids = frame.join(known, on="key", how="left").select("key_kind", "ident", "learner_id")
    return LearnerPlan(ids, pending)


def upsert_learners(
    conn: Connection, learners: pl.DataFrame, *, secret: str, store_identities: bool
) -> pl.DataFrame:
    """Find or create each distinct learner; return `key_kind, ident, learner_id`.

    Parameters
    ----------
    conn
        The import's connection (inside its transaction).
    learners
        One row per distinct (key_kind, ident), with `email`, `name`,
        `org_unit` (text or null) for new learners. Existing learners keep
        what they have: an import never rewrites a learner, so undo need not.
    secret
        The pseudonymisation key (`Settings.pseudonym_key`).
    store_identities
        Whether e-mail and name are stored beside the key.

    Notes
    -----
    One keyed hash per distinct learner. Existing learners are found with
    one scan of the learner table when it is not much larger than the file's
    learners (else by key, in chunks), and not looked for at all in an empty
    table. `plan_learners` and `LearnerPlan.write` are the two halves, for a
    caller that has other work to do while the new learners are written.
    """
    plan = plan_learners(conn, learners, secret=secret, store_identities=store_identities)
    plan.write(conn)
    return plan.ids


def _key_ids(conn: Connection, sql: str) -> pl.DataFrame:
    """`key, learner_id` rows of a query returning learner keys and ids."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        found = cursor.fetchall()
    finally:
        cursor.close()
    return pl.DataFrame(found, schema=_KEY_IDS, orient="row")


def _known_learners(conn: Connection, keys: pl.Series, *, table_size: int) -> pl.DataFrame:
    """`key, learner_id` of the learners among `keys` who already exist."""
    if table_size == 0:
        return pl.DataFrame(schema=_KEY_IDS)
    if table_size <= _SCAN_FACTOR * len(keys):
        everyone = _key_ids(conn, 'SELECT "key", id FROM learner')
        return everyone.join(keys.to_frame("key"), on="key", how="semi")
    return pl.DataFrame(
        select_chunked(conn, _BY_KEY, keys.to_list()), schema=_KEY_IDS, orient="row"
    )


def upsert_content_items(conn: Connection, items: pl.DataFrame) -> pl.DataFrame:
    """Find or create content items; return `product_id, content_key, content_item_id`.

    `items` has one row per distinct (product_id, content_key) with `title`
    and `content_type`. A content item is its product's, keyed by the
    vendor's id (else its title).
    """
    found: list[tuple[int, str, int]] = []
    for product_id, group in items.partition_by("product_id", as_dict=True).items():
        pid = int(product_id[0])  # type: ignore[arg-type]
        keys = group.get_column("content_key").to_list()
        sql = (
            "SELECT external_id, id FROM content_item"
            " WHERE product_id = {p} AND external_id IN ({keys})"
        )
        existing = dict(select_chunked(conn, sql, keys, params=(pid,)))
        new = group.filter(~pl.col("content_key").is_in(list(existing)))
        if not new.is_empty():
            insert_frame(  # insert-or-get, as learners
                conn,
                "content_item",
                new.select(
                    "product_id",
                    pl.col("content_key").alias("external_id"),
                    pl.col("title").str.slice(0, 500),
                    pl.col("content_type").str.slice(0, 100),
                ),
                skip_existing=True,
            )
            existing.update(
                select_chunked(conn, sql, new.get_column("content_key").to_list(), params=(pid,))
            )
        found.extend((pid, key, cid) for key, cid in existing.items())
    return pl.DataFrame(
        found,
        schema={"product_id": pl.Int64, "content_key": pl.String, "content_item_id": pl.Int64},
        orient="row",
    )
