"""Usage figures the database works out itself, so the facts never cross the wire.

`models.frames.usage_frame` reads every usage fact of a window and decides in
polars which copy of a fact counts ("latest import wins", module docstring of
`models.frames`). A figure that needs only a few numbers per product can be
asked of the database instead, with the same rule written in SQL: it costs a
scan where the facts are, and memory that does not grow with them (issue 20:
a ten-million-row year read into a page is 16 s on SQLite; the scan below is
a fraction of that).

Which copy counts, in SQL (`_counted`):

* the dated facts of an event import that is the only event import of its
  products are the only copy of their key already (the import's unique
  index), so they are taken as they are ("sure" facts, `_sure`); which
  products those are comes from the imports' own product lists
  (`data_import.product_id`, `import_product`), never from the facts;
* every other fact of the window goes through `row_number()` over its key:
  events per (product, learner, content, date), the latest import first;
  snapshots per (product, learner, content), the latest period end first (a
  missing one last), then the latest import. Within one import the latest row
  wins, where `usage_frame` leaves the choice to the sort (two undated rows of
  one key in one import, which no loader writes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

import polars as pl
from sqlalchemy import Connection

__all__ = ["USAGE_RUNS_TO", "usage_runs_to"]

USAGE_RUNS_TO: Final[dict[str, pl.DataType]] = {
    "product_id": pl.Int64(),
    "usage_as_of": pl.Date(),
}
"""One row per product with a counted fact in the window: the latest day its usage runs to."""


@dataclass(frozen=True)
class _Import:
    """A usage import in force that counts (it has a grain)."""

    id: int
    snapshot: bool
    period_start: date | None
    period_end: date | None


def usage_runs_to(
    conn: Connection,
    *,
    start: date,
    end: date,
    product_ids: tuple[int, ...] | None = None,
) -> pl.DataFrame:
    """Per product: the latest of its counted facts' dates, completion dates and period ends.

    Parameters
    ----------
    conn
        An open connection (SQLite or PostgreSQL).
    start, end
        The window, as `models.frames.usage_frame` takes it: a fact's own date
        or completion date in it, or neither and its import's period overlapping it.
    product_ids
        Only these products (None: every product).

    Returns
    -------
    pl.DataFrame
        `USAGE_RUNS_TO`, sorted by product: what `metrics.freshness` calls
        `usage_as_of`, equal to the maximum of `max(date, completed_date,
        period_end)` over `usage_frame(conn, start=start, end=end,
        product_ids=product_ids)`'s rows of each product. A product whose
        counted facts carry no date at all has a null.

    Notes
    -----
    The database returns one row per product and import (the latest date and
    completion date of its counted facts there); each import's period end is
    added in polars, from a list of a few rows.
    """
    if end < start:
        msg = f"window end {end.isoformat()} is before its start {start.isoformat()}"
        raise ValueError(msg)
    imports = _imports(conn)
    if not imports or (product_ids is not None and not product_ids):
        return pl.DataFrame(schema=USAGE_RUNS_TO)
    dialect = conn.dialect.name
    kept = _counted(conn, start, end, product_ids, imports)
    sql = f"""
        SELECT product_id, import_id, max(d) AS d, max(cd) AS cd FROM ({kept}) k
        GROUP BY product_id, import_id
    """
    rows = conn.exec_driver_sql(sql).fetchall()
    if not rows:
        return pl.DataFrame(schema=USAGE_RUNS_TO)
    periods = pl.DataFrame(
        [(i.id, i.period_end) for i in imports],
        schema={"import_id": pl.Int64(), "period_end": pl.Date()},
        orient="row",
    )
    text_dates = dialect == "sqlite"  # SQLite hands dates back as ISO text
    schema = {"product_id": pl.Int64(), "import_id": pl.Int64()}
    day_type = pl.String() if text_dates else pl.Date()
    found = pl.DataFrame(
        [tuple(row) for row in rows],
        schema={**schema, "d": day_type, "cd": day_type},
        orient="row",
    )
    if text_dates:
        found = found.with_columns(
            pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d") for name in ("d", "cd")
        )
    return (
        found.join(periods, on="import_id", how="left")
        .group_by("product_id")
        .agg(pl.max_horizontal("d", "cd", "period_end").max().alias("usage_as_of"))
        .cast(USAGE_RUNS_TO)  # type: ignore[arg-type]
        .sort("product_id")
    )


def _imports(conn: Connection) -> list[_Import]:
    """The usage imports in force with a grain (an import of no grain counts neither way)."""
    rows = conn.exec_driver_sql(
        "SELECT id, grain, period_start, period_end FROM data_import"
        " WHERE status = 'imported' AND grain IS NOT NULL ORDER BY id"
    ).fetchall()
    return [
        _Import(int(i), str(g) == "snapshot", _as_date(ps), _as_date(pe)) for i, g, ps, pe in rows
    ]


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite's ISO text


def _ids(values: Iterable[int]) -> str:
    """Ids as the inside of an SQL `IN (...)` (each checked to be an integer)."""
    return ", ".join(str(int(v)) for v in values)


def _day(value: date) -> str:
    """`value` as a literal that compares as a date on SQLite (ISO text) and PostgreSQL."""
    return f"'{value.isoformat()}'"


def _counted(
    conn: Connection,
    start: date,
    end: date,
    product_ids: tuple[int, ...] | None,
    imports: list[_Import],
) -> str:
    """A SELECT of the counted facts of the window: `product_id`, `import_id`, `d`, `cd`.

    The sure facts are taken as they are; the others, when the window has
    any, through `row_number()` (module docstring).
    """
    # `+` keeps SQLite from walking the unique index by import: a plain scan is faster,
    # as in `models.frames.usage_frame`. PostgreSQL must not see it: it then guesses
    # 0.5 % of the rows and sorts ten million of them on disk to group them.
    by_import = "+u.import_id" if conn.dialect.name == "sqlite" else "u.import_id"
    products = "" if product_ids is None else f" AND u.product_id IN ({_ids(product_ids)})"
    dated, window = _window(start, end, imports, by_import)
    sure = _sure(imports, _fed_products(conn), by_import)
    columns = "u.product_id, u.import_id, u.activity_date AS d, u.completed_date AS cd"
    parts = []
    if sure is not None:
        parts.append(f"SELECT {columns} FROM usage_record u WHERE {sure}{products} AND {dated}")
    not_sure = "" if sure is None else f" AND NOT ({sure})"
    in_force = f"{by_import} IN ({_ids(i.id for i in imports)})"
    if sure is None or _any(conn, f"{in_force}{not_sure}{products} AND {window}"):
        parts.append(_ranked(columns, imports, by_import, f"{not_sure}{products} AND {window}"))
    return " UNION ALL ".join(parts)


def _any(conn: Connection, condition: str) -> bool:
    """Whether any fact meets `condition` (a condition on `u`)."""
    sql = f"SELECT 1 FROM usage_record u WHERE {condition} LIMIT 1"
    return conn.exec_driver_sql(sql).first() is not None


def _ranked(columns: str, imports: list[_Import], by_import: str, condition: str) -> str:
    """The winning copy of each key among the facts meeting `condition`, per grain."""
    order = {
        False: "u.import_id DESC, u.id DESC",
        True: "i.period_end DESC NULLS LAST, u.import_id DESC, u.id DESC",
    }
    ranked = []
    for snapshot, key in ((False, ", u.activity_date"), (True, "")):
        ids = [i.id for i in imports if i.snapshot == snapshot]
        if ids:
            ranked.append(f"""
                SELECT {columns}, row_number() OVER (
                    PARTITION BY u.product_id, u.learner_id, u.content_item_id{key}
                    ORDER BY {order[snapshot]}
                ) AS copy
                FROM usage_record u JOIN data_import i ON i.id = u.import_id
                WHERE {by_import} IN ({_ids(ids)}){condition}""")
    union = " UNION ALL ".join(ranked)
    return f"SELECT product_id, import_id, d, cd FROM ({union}) r WHERE copy = 1"


def _window(start: date, end: date, imports: list[_Import], by_import: str) -> tuple[str, str]:
    """Conditions on `u` for a dated fact in [start, end], and for any fact in it.

    `models.frames.usage_frame`'s rule: a fact's own date or completion date
    in the window, or neither and its import's period overlapping it.
    """
    lo, hi = _day(start), _day(end)
    dated = f"(u.activity_date BETWEEN {lo} AND {hi} OR u.completed_date BETWEEN {lo} AND {hi})"
    overlapping = [
        i.id
        for i in imports
        if i.period_start is not None
        and i.period_end is not None
        and i.period_start <= end
        and i.period_end >= start
    ]
    if not overlapping:
        return dated, dated
    undated = (
        "u.activity_date IS NULL AND u.completed_date IS NULL"
        f" AND {by_import} IN ({_ids(overlapping)})"
    )
    return dated, f"({dated[1:-1]} OR ({undated}))"


def _fed_products(conn: Connection) -> tuple[set[int], set[int]] | None:
    """Products fed by one event import in force, and those fed by several; None: unknown.

    From the imports' own lists (`data_import.product_id` for an import of
    one product, `import_product` for one of several), so no fact is read.
    None when an event import in force lists neither (written before the
    lists existed and not migrated): every fact is then resolved.
    """
    event = "i.status = 'imported' AND i.grain IS NOT NULL AND i.grain <> 'snapshot'"
    unlisted = conn.exec_driver_sql(
        f"""
        SELECT count(*) FROM data_import i
        WHERE {event} AND i.product_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM import_product p WHERE p.import_id = i.id)
        """
    ).scalar()
    if unlisted:
        return None
    rows = conn.exec_driver_sql(
        f"""
        SELECT fed.product_id, count(*) FROM (
            SELECT i.id, i.product_id FROM data_import i
            WHERE {event} AND i.product_id IS NOT NULL
            UNION
            SELECT i.id, p.product_id FROM data_import i
            JOIN import_product p ON p.import_id = i.id
            WHERE {event} AND i.product_id IS NULL
        ) fed GROUP BY fed.product_id
        """
    ).fetchall()
    one = {int(product) for product, imports in rows if imports == 1}
    several = {int(product) for product, imports in rows if imports > 1}
    return one, several


def _sure(
    imports: list[_Import], fed: tuple[set[int], set[int]] | None, by_import: str
) -> str | None:
    """The facts that are the only copy of their key, as a condition on `u`; None: none known.

    The dated event facts of a product fed by one event import: that
    import's unique index makes them unique on their key, and no other
    import of the product's grain can repeat it.
    """
    events = [i.id for i in imports if not i.snapshot]
    if fed is None or not fed[0] or not events:
        return None
    if len(fed[0]) <= len(fed[1]):
        single = f" AND u.product_id IN ({_ids(sorted(fed[0]))})"
    elif fed[1]:  # every product with facts is in one list or the other
        single = f" AND u.product_id NOT IN ({_ids(sorted(fed[1]))})"
    else:
        single = ""
    return f"{by_import} IN ({_ids(events)}) AND u.activity_date IS NOT NULL{single}"
