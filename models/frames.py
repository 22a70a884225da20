"""Read the database into the polars frames `metrics/` takes (see `metrics.schema`).

This is where "which imported copy of a fact counts" is decided:

* budgets, contracts and outcomes: per natural key, the copy from the most
  recent import that is still in force;
* usage, event grain: one row per (product, learner, content, date);
* usage, snapshot grain: per (product, learner, content), the row from the
  report with the latest period end (ties: the later import);
* aggregate (summary) facts: per (product, learner, period start, period
  end, measure), the copy from the most recent import still in force.

Undoing an import only flips its status, or deletes its rows, so the copy it
had superseded counts again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import polars as pl
import pyarrow as pa
from sqlalchemy import Connection, text

from metrics.currency import check_currency
from metrics.releases import RELEASES
from metrics.schema import BUDGETS, CONTRACTS, EXPERIMENTS, LEARNERS, OUTCOMES, PRODUCTS, USAGE
from models.arrow_read import fetch_arrow

__all__ = [
    "YearFrames",
    "budgets_frame",
    "contract_versions_frame",
    "contracts_frame",
    "experiments_frame",
    "learner_identities_frame",
    "learner_keys_frame",
    "learners_frame",
    "outcome_sources",
    "outcomes_frame",
    "pack_frames",
    "products_frame",
    "releases_frame",
    "roster_frame",
    "usage_frame",
    "usage_imports_frame",
    "usage_units_frame",
    "usage_window",
    "year_frames",
]

_ACTIVE = "i.status = 'imported'"


def _read(
    conn: Connection, sql: str, schema: dict[str, pl.DataType], **params: object
) -> pl.DataFrame:
    """Run `sql` and cast its columns to `schema` (SQLite hands dates back as text)."""
    result = conn.execute(text(sql), params)
    columns = list(result.keys())
    rows = result.fetchall()
    wanted = {name: dtype for name, dtype in schema.items() if name in columns}
    if not rows:
        return pl.DataFrame(schema=wanted)
    raw = pl.DataFrame(
        {name: [row[i] for row in rows] for i, name in enumerate(columns)},
        infer_schema_length=None,
        strict=False,
    )
    return raw.select(_cast(raw, name, dtype) for name, dtype in wanted.items())


# Usage columns stored per fact (the import's grain and period are joined on).
_PERIOD_COLUMNS = {"period_start": pl.Date(), "period_end": pl.Date()}
_FACT_COLUMNS = {name: dtype for name, dtype in USAGE.items() if name not in _PERIOD_COLUMNS}
# Rows per fetch of a large read: big enough to amortise, small enough to keep
# only one chunk's Python tuples alive at a time.
_CHUNK = 100_000


# The Arrow type a DB-API value is converted to, per wire type of `_wire_type`.
_ARROW: dict[pl.DataType, pa.DataType] = {
    pl.Int64(): pa.int64(),
    pl.Float64(): pa.float64(),
    pl.String(): pa.string(),
    pl.Date(): pa.date32(),
    pl.Boolean(): pa.bool_(),
}


def _date_literal(day: date) -> str:
    """`day` as an SQL literal that compares as a date on SQLite (ISO text) and PostgreSQL."""
    if not isinstance(day, date):
        msg = f"expected a date, got {day!r}"
        raise TypeError(msg)
    return f"'{day.isoformat()}'"


def _id_list(ids: Iterable[int]) -> str:
    """Ids as the inside of an SQL `IN (...)` (each checked to be an integer)."""
    return ", ".join(str(int(i)) for i in ids)


def _wire_type(conn: Connection, dtype: pl.DataType) -> pl.DataType:
    """The type the DB-API driver hands back for a column meant to become `dtype`."""
    if conn.dialect.name == "sqlite":
        if dtype == pl.Date():
            return pl.String()  # ISO text
        if dtype == pl.Boolean():
            return pl.Int64()  # 0 / 1
    return dtype


def _fetch_frame(conn: Connection, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run `sql` (no parameters) on the connection's DB-API cursor into a `schema` frame.

    The columns of `sql` must be those of `schema`, in its order. Where ADBC
    can read it (`models.arrow_read`: PostgreSQL, outside a transaction that wrote)
    the result comes into Arrow in C. Otherwise rows are
    fetched in chunks and each chunk of tuples goes to Arrow as one struct
    array (pyarrow's converter, about half the cost of polars' row builder
    and a third of SQLAlchemy rows turned into Python lists). The cursor
    belongs to the SQLAlchemy connection, so the read runs in its
    transaction.
    """
    wire = {name: _wire_type(conn, dtype) for name, dtype in schema.items()}
    parts = fetch_arrow(conn, sql, lambda chunk: _cast_frame(chunk, schema))
    if parts is not None:
        return pl.concat(parts, rechunk=False)
    row = pa.struct([(name, _ARROW[dtype]) for name, dtype in wire.items()])
    # Each chunk is converted as it comes (SQLite's dates are text), so only one chunk's
    # raw values are alive beside the result: ten million rows peaked at five times
    # their frame's size when every chunk was kept raw and cast at the end.
    frames = []
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_CHUNK):
            raw = pl.from_arrow(pa.array(rows, type=row)).struct.unnest()  # type: ignore[union-attr]
            frames.append(raw.select(_cast(raw, name, dtype) for name, dtype in schema.items()))
    finally:
        cursor.close()
    if not frames:
        raw = pl.DataFrame(schema=wire)
        return raw.select(_cast(raw, name, dtype) for name, dtype in schema.items())
    return pl.concat(frames, rechunk=False)


def _cast_frame(chunk: pa.Table, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """One Arrow chunk as a `schema` frame (types as `_cast` converts them)."""
    raw = pl.from_arrow(chunk)
    assert isinstance(raw, pl.DataFrame)
    return raw.select(_cast(raw, name, dtype) for name, dtype in schema.items())


def _cast(df: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(name)
    source = df.schema[name]
    if source == pl.String() and dtype == pl.Date():
        return col.str.slice(0, 10).str.to_date("%Y-%m-%d").alias(name)
    if isinstance(dtype, pl.Datetime):  # naive UTC, whatever the database hands back
        if source == pl.String():
            return col.str.slice(0, 26).str.to_datetime(time_unit="us").alias(name)
        if isinstance(source, pl.Datetime) and source.time_zone is not None:
            col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    if source == pl.Null():
        return pl.lit(None, dtype=dtype).alias(name)
    return col.cast(dtype).alias(name)


def _latest_per_key(
    df: pl.DataFrame, key: list[str], schema: dict[str, pl.DataType]
) -> pl.DataFrame:
    resolved = df.sort("import_id").unique(subset=key, keep="last", maintain_order=True)
    return resolved.select(list(schema)).sort(key)


def products_frame(conn: Connection) -> pl.DataFrame:
    """Every product with its vendor name, in `metrics.schema.PRODUCTS` shape."""
    sql = """
        SELECT p.id AS product_id, p.name AS product, p.category, p.lifecycle_stage,
               v.name AS vendor, p.owner, p.sponsor, p.target_audience,
               p.target_audience_size, p.business_problem, p.business_goal,
               p.strategic_fit, p.is_core
        FROM product p LEFT JOIN vendor v ON v.id = p.vendor_id
        ORDER BY p.name
    """
    df = _read(conn, sql, PRODUCTS)
    # Enum columns are stored by member name, which equals the value.
    return df.select(list(PRODUCTS))


def budgets_frame(
    conn: Connection,
    *,
    years: tuple[int, ...] | None = None,
    product_ids: tuple[int, ...] | None = None,
) -> pl.DataFrame:
    """Budget lines (latest import per product x month x category), optionally for some years.

    The key holds the month and the product, so limiting either in SQL
    before the latest import is picked gives the same lines as limiting
    after. Twelve lines per product, category and year make this the second
    largest read (144,000 rows at 2,000 products), so it takes the cursor's
    Arrow path (`_fetch_frame`), not SQLAlchemy rows.
    """
    where = [_ACTIVE]
    if years is not None:
        if not years:
            return pl.DataFrame(schema=BUDGETS)
        spans = (
            f"b.month BETWEEN {_date_literal(date(year, 1, 1))}"
            f" AND {_date_literal(date(year, 12, 31))}"
            for year in sorted(set(years))
        )
        where.append("(" + " OR ".join(spans) + ")")
    if product_ids is not None:
        if not product_ids:
            return pl.DataFrame(schema=BUDGETS)
        where.append(f"b.product_id IN ({_id_list(product_ids)})")
    # The category is an enum on PostgreSQL: cast, so every driver hands back text.
    sql = f"""
        SELECT b.import_id, b.product_id, b.month,
               CAST(b.cost_category AS VARCHAR(40)) AS cost_category,
               b.plan_minor, b.actual_minor
        FROM budget_line b JOIN data_import i ON i.id = b.import_id
        WHERE {" AND ".join(where)}
    """
    df = _fetch_frame(conn, sql, {"import_id": pl.Int64(), **BUDGETS})
    return _latest_per_key(df, ["product_id", "month", "cost_category"], BUDGETS)


def budget_years(conn: Connection) -> list[int]:
    """Years that have budget lines in an import in force, newest first.

    The year picker's question, answered from the distinct months rather
    than by reading every line (which lines count does not change which
    months have one).
    """
    sql = f"""
        SELECT DISTINCT b.month FROM budget_line b JOIN data_import i ON i.id = b.import_id
        WHERE {_ACTIVE}
    """
    months = _fetch_frame(conn, sql, {"month": pl.Date()})
    return sorted(months["month"].dt.year().unique().to_list(), reverse=True)


def contracts_frame(conn: Connection) -> pl.DataFrame:
    """Licence contracts (latest import per product x vendor x start)."""
    versions = contract_versions_frame(conn)
    return _latest_per_key(versions, ["product_id", "vendor", "start"], CONTRACTS)


def outcomes_frame(conn: Connection) -> pl.DataFrame:
    """Outcome measures (latest import per product x period x level x measure x kind)."""
    sql = f"""
        SELECT o.import_id, o.product_id, o.period, o.level, o.measure, o.value, o.n,
               o.baseline, o.unit_value_minor, o.attribution_pct, o.confidence_pct,
               o.direction, o.kind
        FROM outcome_measure o JOIN data_import i ON i.id = o.import_id
        WHERE {_ACTIVE}
    """
    df = _read(conn, sql, {"import_id": pl.Int64(), **OUTCOMES})
    return _latest_per_key(df, ["product_id", "period", "level", "measure", "kind"], OUTCOMES)


OUTCOME_SOURCES: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "period": pl.Date(),
    "level": pl.Int64(),
    "measure": pl.String(),
    "kind": pl.String(),
    "source": pl.String(),
}


def outcome_sources(conn: Connection) -> pl.DataFrame:
    """Where each outcome measure in force came from: template, survey or KPI series.

    "template" is an outcomes.csv row, "survey" survey.csv's answers
    aggregated, "kpi series" a kpis.csv month.

    Keyed as `outcomes_frame` resolves them (the newest import per product,
    period, level, measure and kind), so the two frames join one to one.
    """
    sql = f"""
        SELECT o.import_id, o.product_id, o.period, o.level, o.measure, o.kind,
               CASE WHEN i.kind = 'survey' THEN 'survey'
                    WHEN i.format = 'kpis' THEN 'kpi series'
                    ELSE 'template' END AS source
        FROM outcome_measure o JOIN data_import i ON i.id = o.import_id
        WHERE {_ACTIVE}
    """
    df = _read(conn, sql, {"import_id": pl.Int64(), **OUTCOME_SOURCES})
    return _latest_per_key(
        df, ["product_id", "period", "level", "measure", "kind"], OUTCOME_SOURCES
    )


def releases_frame(conn: Connection) -> pl.DataFrame:
    """Releases in force (one per product, date and title: the newest import's), by date."""
    sql = f"""
        SELECT r.import_id, r.product_id, r.date, r.title, r.kind
        FROM product_release r JOIN data_import i ON i.id = r.import_id
        WHERE {_ACTIVE}
    """
    df = _read(conn, sql, {"import_id": pl.Int64(), **RELEASES})
    return _latest_per_key(df, ["product_id", "date", "title"], RELEASES)


def experiments_frame(conn: Connection) -> pl.DataFrame:
    """Experiment variants: per product and experiment, the newest import of it, whole.

    Why whole: an experiment's variants are read together (the first is the
    control), so a re-import that drops a variant must not leave the old one.
    A registration made in the app (`models.experiments`) of the same product
    and name gives the primary metric and the effect hoped for.
    """
    sql = f"""
        SELECT e.import_id, e.product_id, e.experiment, e.variant, e.position, e.participants,
               e.conversions, e.mean, e.sd,
               COALESCE(x.primary_metric, e.metric) AS metric,
               COALESCE(x.hoped_effect, e.hoped_effect) AS hoped_effect,
               x."end" AS registered_end, i.created_at AS imported_on
        FROM experiment_result e JOIN data_import i ON i.id = e.import_id
        LEFT JOIN experiment x ON x.product_id = e.product_id AND x.name = e.experiment
        WHERE {_ACTIVE}
    """
    dates = {"registered_end": pl.Date(), "imported_on": pl.Date()}
    df = _read(conn, sql, {"import_id": pl.Int64(), **EXPERIMENTS, **dates})
    if df.is_empty():
        return pl.DataFrame(schema=EXPERIMENTS)
    newest = pl.col("import_id") == pl.col("import_id").max().over("product_id", "experiment")
    return (
        df.filter(newest)
        .with_columns(ended=pl.coalesce("registered_end", "imported_on"))
        .select(list(EXPERIMENTS))
        .sort("product_id", "experiment", "position")
    )


ROSTER: dict[str, pl.DataType] = {
    "learner_key": pl.String(),
    "key_kind": pl.String(),
    "org_unit": pl.String(),
    "cost_centre": pl.String(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
}
LEARNER_KEYS: dict[str, pl.DataType] = {"learner_id": pl.Int64(), "key": pl.String()}
USAGE_UNITS: dict[str, pl.DataType] = {
    "learner_id": pl.Int64(),
    "org_unit": pl.String(),
    "day": pl.Date(),
    "import_id": pl.Int64(),
}


def roster_frame(conn: Connection) -> pl.DataFrame:
    """The roster: every person of the newest people.csv import still in force (a snapshot)."""
    sql = f"""
        SELECT p.learner_key, p.key_kind, p.org_unit, p.cost_centre, p.start_date, p.end_date
        FROM person p JOIN data_import i ON i.id = p.import_id
        WHERE {_ACTIVE} AND p.import_id = (
            SELECT MAX(j.id) FROM data_import j WHERE j.kind = 'people' AND j.status = 'imported'
        )
        ORDER BY p.org_unit, p.learner_key
    """
    return _read(conn, sql, ROSTER).select(list(ROSTER))


def learner_keys_frame(conn: Connection) -> pl.DataFrame:
    """Every learner's id and key (the keyed hash the roster is keyed by; no identity)."""
    sql = 'SELECT id AS learner_id, "key" FROM learner ORDER BY id'
    return _fetch_frame(conn, sql, LEARNER_KEYS)  # one row per learner: hundreds of thousands


LEARNER_IDENTITIES: dict[str, pl.DataType] = {
    "learner_id": pl.Int64(),
    "email": pl.String(),
    "display_name": pl.String(),
}
_ID_CHUNK = 5_000  # ids per IN (...) list, well under every database's limit


def learner_identities_frame(conn: Connection, learner_ids: Iterable[int]) -> pl.DataFrame:
    """These learners' stored e-mail and name (both null unless identities are opted in).

    Read only for a list a leader acts on (the seats to reclaim), never for a
    figure: figures count keys.
    """
    ids = sorted({int(i) for i in learner_ids})
    sql = "SELECT id AS learner_id, email, display_name FROM learner WHERE id IN ({ids})"
    chunks = [
        _read(conn, sql.format(ids=_id_list(ids[i : i + _ID_CHUNK])), LEARNER_IDENTITIES)
        for i in range(0, len(ids), _ID_CHUNK)
    ]
    empty = pl.DataFrame(schema=LEARNER_IDENTITIES)
    return pl.concat([empty, *chunks], how="vertical_relaxed").select(list(LEARNER_IDENTITIES))


def usage_units_frame(conn: Connection) -> pl.DataFrame:
    """Per usage import in force, each learner's org unit and the day it was last seen there.

    `day` is the learner's latest dated row of the import, else the report's
    end (a snapshot without dates is as of its period).
    """
    sql = f"""
        SELECT u.learner_id, u.org_unit, COALESCE(u.last_date, i.period_end) AS day, u.import_id
        FROM learner_unit u JOIN data_import i ON i.id = u.import_id
        WHERE {_ACTIVE}
    """
    return _read(conn, sql, USAGE_UNITS).select(list(USAGE_UNITS))


USAGE_IMPORTS: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "created_at": pl.Datetime("us"),
    "feed": pl.String(),
}


def usage_imports_frame(conn: Connection) -> pl.DataFrame:
    """Every usage import in force with the products it fed, when it was made, and its feed.

    An import of one product names it; one spread over several products (the
    usage template) lists them in `import_product`, written with its facts.
    Only an import without that list (written by an older version and not
    migrated, or by a writer that did not list them) is looked up in its
    facts, through their import index.

    Notes
    -----
    Those unlisted imports are found first, by a query over the imports alone,
    and their facts are read only when there are any: asked in one statement,
    PostgreSQL joined every fact to its import before ruling the import out
    (0.18 s per cold page at a million rows, for no row).
    """
    feed = "COALESCE(i.vendor, i.format)"
    sql = f"""
        SELECT i.product_id, i.created_at, {feed} AS feed
        FROM data_import i
        WHERE {_ACTIVE} AND i.kind IN ('usage', 'aggregate') AND i.product_id IS NOT NULL
        UNION
        SELECT p.product_id, i.created_at, {feed} AS feed
        FROM data_import i JOIN import_product p ON p.import_id = i.id
        WHERE {_ACTIVE} AND i.kind IN ('usage', 'aggregate') AND i.product_id IS NULL
    """
    unlisted = conn.execute(
        text(f"""
            SELECT i.id, i.kind FROM data_import i
            WHERE {_ACTIVE} AND i.kind IN ('usage', 'aggregate') AND i.product_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM import_product p WHERE p.import_id = i.id)
        """)
    ).all()
    for kind, table in (("usage", "usage_record"), ("aggregate", "aggregate_usage")):
        ids = [import_id for import_id, of_kind in unlisted if str(of_kind) == kind]
        if ids:
            sql += f"""
                UNION
                SELECT DISTINCT f.product_id, i.created_at, {feed} AS feed
                FROM {table} f JOIN data_import i ON i.id = f.import_id
                WHERE f.import_id IN ({_id_list(ids)})
            """
    return _read(conn, sql, USAGE_IMPORTS).select(list(USAGE_IMPORTS))


def learners_frame(conn: Connection) -> pl.DataFrame:
    """Learners with their key kind and org unit (no identities)."""
    sql = "SELECT id AS learner_id, key_kind, org_unit FROM learner ORDER BY id"
    return _read(conn, sql, LEARNERS).select(list(LEARNERS))


def usage_frame(
    conn: Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    product_ids: tuple[int, ...] | None = None,
) -> pl.DataFrame:
    """Counted usage facts, overlapping imports resolved, optionally limited to a window.

    A row is in the window [start, end] when its own date (or, failing that,
    its completion date) falls in it, or when it has no date and its report
    period overlaps the window.

    Notes
    -----
    This is the pages' largest read (a million rows a year is ordinary), so
    it skips SQLAlchemy's row objects: the facts come straight from the
    DB-API cursor into Arrow (`_fetch_frame`), only the fact table's own
    columns per row; each active import's grain and period are read once
    and joined in polars, and the active imports and the window go into
    the SQL as literals (no join). Dates that SQLite hands back as text are
    parsed vectorised. Which copy of a fact counts is still decided here,
    in polars, as the module docstring says.
    """
    imports = _read(
        conn,
        f"SELECT i.id AS import_id, i.grain, i.period_start, i.period_end"
        f" FROM data_import i WHERE {_ACTIVE}",
        {"import_id": pl.Int64(), "grain": pl.String(), **_PERIOD_COLUMNS},
    )
    if imports.is_empty() or (product_ids is not None and not product_ids):
        return pl.DataFrame(schema=USAGE)
    # `+` keeps SQLite from walking the unique index by import and looking up
    # each row: a plain scan of the table is faster (PostgreSQL ignores it).
    where = [f"+u.import_id IN ({_id_list(imports['import_id'])})"]
    if start is not None and end is not None:
        lo, hi = _date_literal(start), _date_literal(end)
        in_window = [
            f"u.activity_date BETWEEN {lo} AND {hi}",
            f"u.completed_date BETWEEN {lo} AND {hi}",
        ]
        overlapping = imports.filter(
            (pl.col("period_start") <= end) & (pl.col("period_end") >= start)
        )
        if not overlapping.is_empty():
            in_window.append(
                "u.activity_date IS NULL AND u.completed_date IS NULL"
                f" AND +u.import_id IN ({_id_list(overlapping['import_id'])})"
            )
        where.append("(" + " OR ".join(f"({term})" for term in in_window) + ")")
    if product_ids is not None:
        where.append(f"u.product_id IN ({_id_list(product_ids)})")
    sql = f"""
        SELECT u.import_id, u.product_id, u.learner_id, u.content_item_id AS content_id,
               u.activity_date AS date, u.minutes, u.progress_pct, u.completed, u.completed_date
        FROM usage_record u
        WHERE {" AND ".join(where)}
    """
    facts = _fetch_frame(conn, sql, {"import_id": pl.Int64(), **_FACT_COLUMNS})
    if facts.is_empty():
        return pl.DataFrame(schema=USAGE)
    return _resolved(facts, imports)


def _resolved(facts: pl.DataFrame, imports: pl.DataFrame) -> pl.DataFrame:
    """The counted copy of each fact, with its import's period (module docstring's rules).

    One lazy query, so a ten-million-row read holds the facts and the result,
    not a copy per step.
    """
    # An import of no grain counts neither way, as before grains were split here.
    event_ids = imports.filter(pl.col("grain") != "snapshot")["import_id"]
    snapshot_ids = imports.filter(pl.col("grain") == "snapshot")["import_id"]
    facts_lazy = facts.lazy()
    events = facts_lazy
    if event_ids.len() < imports.height:
        events = facts_lazy.filter(pl.col("import_id").is_in(event_ids.implode()))
    shape = events.select(
        pl.col("import_id").n_unique().alias("imports"),
        pl.col("date").null_count().alias("undated"),
    ).collect()
    # One import's dated rows are unique on the key already (its unique index), so
    # there is nothing to resolve; undated rows are not (an index lets nulls repeat).
    if shape["imports"][0] > 1 or shape["undated"][0] > 0:
        events = events.sort("import_id").unique(
            subset=["product_id", "learner_id", "content_id", "date"], keep="last"
        )
    periods = imports.lazy().select("import_id", *_PERIOD_COLUMNS)
    parts = [events.join(periods, on="import_id", how="left")]
    if not snapshot_ids.is_empty():
        in_snapshot = pl.col("import_id").is_in(snapshot_ids.implode())
        snapshots = facts_lazy.filter(in_snapshot).join(periods, on="import_id", how="left")
        parts.append(
            snapshots.sort(["period_end", "import_id"], nulls_last=False).unique(
                subset=["product_id", "learner_id", "content_id"], keep="last"
            )
        )
    return pl.concat(parts).select(list(USAGE)).collect()


@dataclass(frozen=True)
class YearFrames:
    """Everything `metrics.product_scorecard` needs for one year, read in one go.

    `currency` is the reporting currency (ISO 4217) the `*_minor` money
    columns are stored in: the database keeps integers only, so the unit
    travels with the frames (`metrics.scorecard.FrameSet`).
    """

    products: pl.DataFrame
    budgets: pl.DataFrame
    contracts: pl.DataFrame
    usage: pl.DataFrame
    outcomes: pl.DataFrame
    currency: str
    experiments: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=EXPERIMENTS))
    outcome_sources: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=OUTCOME_SOURCES)
    )
    releases: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=RELEASES))
    roster: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ROSTER))
    learner_keys: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=LEARNER_KEYS))
    usage_units: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=USAGE_UNITS))
    usage_imports: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=USAGE_IMPORTS))


def year_frames(
    conn: Connection,
    *,
    year: int,
    currency: str,
    with_previous: bool = False,
    product_ids: tuple[int, ...] | None = None,
) -> YearFrames:
    """The frames for `year`: its budgets and the usage of the year and of its contract terms.

    Seat utilisation counts active learners over the whole term of the
    contracts in force in the year, which may reach into the previous or the
    next year, so usage is read for the union of the year and those terms.
    `with_previous` adds the previous year's budgets and usage (the TDRp
    "last year" column and the amortisation of one-off costs need them).

    `product_ids` limits every frame to those products (a product page
    reads one product's usage, not the portfolio's). The usage window is
    still set by every contract in force, so each product's rows are
    exactly those the whole portfolio's frames hold for it, and a figure
    computed per product comes out the same either way.

    `currency` is the reporting currency the money was imported in (the
    `reporting_currency` setting); the frames carry it.
    """
    return _frames(
        conn,
        year=year,
        currency=currency,
        with_previous=with_previous,
        product_ids=product_ids,
        budget_years=(year - 1, year) if with_previous else (year,),
    )


def usage_window(
    contracts: pl.DataFrame, *, year: int, with_previous: bool = False
) -> tuple[date, date]:
    """The days `year_frames` reads usage for: the year and the terms of its contracts in force.

    Seat utilisation counts active learners over a contract's whole term,
    which may start in the previous year or end in the next, so those days
    are read too; `with_previous` adds the whole previous year.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    first = date(year - 1, 1, 1) if with_previous else start
    in_force = contracts.filter((pl.col("start") <= end) & (pl.col("end") >= start))
    return min([first, *in_force["start"].to_list()]), max([end, *in_force["end"].to_list()])


def _frames(
    conn: Connection,
    *,
    year: int,
    currency: str,
    with_previous: bool,
    product_ids: tuple[int, ...] | None,
    budget_years: tuple[int, ...] | None,
) -> YearFrames:
    """`year_frames`, with the budgets of `budget_years` (None: every year)."""
    contracts = contracts_frame(conn)
    window_start, window_end = usage_window(contracts, year=year, with_previous=with_previous)
    frames = YearFrames(
        products=products_frame(conn),
        budgets=budgets_frame(conn, years=budget_years, product_ids=product_ids),
        contracts=contracts,
        usage=usage_frame(conn, start=window_start, end=window_end, product_ids=product_ids),
        outcomes=outcomes_frame(conn),
        currency=check_currency(currency),
        experiments=experiments_frame(conn),
        outcome_sources=outcome_sources(conn),
        releases=releases_frame(conn),
        roster=roster_frame(conn),
        learner_keys=learner_keys_frame(conn),
        usage_units=usage_units_frame(conn),
        usage_imports=usage_imports_frame(conn),
    )
    if product_ids is None:
        return frames
    chosen = pl.col("product_id").is_in(list(product_ids))
    return YearFrames(
        products=frames.products.filter(chosen),
        budgets=frames.budgets.filter(chosen),
        contracts=frames.contracts.filter(chosen),
        usage=frames.usage,
        outcomes=frames.outcomes.filter(chosen),
        currency=frames.currency,
        experiments=frames.experiments.filter(chosen),
        outcome_sources=frames.outcome_sources.filter(chosen),
        releases=frames.releases.filter(chosen),
        roster=frames.roster,
        learner_keys=frames.learner_keys,
        usage_units=frames.usage_units,
        usage_imports=frames.usage_imports.filter(chosen),
    )


def pack_frames(conn: Connection, *, year: int, currency: str) -> YearFrames:
    """The funding pack's inputs: `year_frames` with the previous year, and every year's budgets.

    The one-pager needs earlier years' one-off costs (amortisation) and
    next year's plan (the ask), so budgets are read for every year; the
    command line and the Funding review page read through this one function.
    """
    return _frames(
        conn,
        year=year,
        currency=currency,
        with_previous=True,
        product_ids=None,
        budget_years=None,
    )


# One row per counted summary fact (DESIGN.md: kept apart from learner x content
# usage). learner_id is null for per-period facts (an organisation summary).
# `measure` is the stored name before any "/"; `scope` what follows it (a
# Coursera program's slug), null when the measure has none. Durations are
# minutes; flags (licence_active, member) are 1.0 or 0.0.
# (Belongs beside the other shapes in metrics.schema once metrics read it.)
AGGREGATES: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "learner_id": pl.Int64(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "measure": pl.String(),
    "scope": pl.String(),
    "value": pl.Float64(),
}


def aggregates_frame(
    conn: Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    product_ids: tuple[int, ...] | None = None,
) -> pl.DataFrame:
    """Counted summary facts (per-learner and per-period measures), optionally in a window.

    Resolved like budgets: per (product, learner, period start, period end,
    measure as stored) the copy from the latest import still in force, so a
    re-exported summary of the same period replaces the earlier one and
    undoing it brings the earlier one back. A fact is in the window
    [start, end] when its period overlaps it.
    """
    where = [_ACTIVE]
    params: dict[str, object] = {}
    if start is not None and end is not None:
        where.append("a.period_start <= :end AND a.period_end >= :start")
        params.update(start=start, end=end)
    if product_ids is not None:
        if not product_ids:
            return pl.DataFrame(schema=AGGREGATES)
        where.append(f"a.product_id IN ({', '.join(str(int(p)) for p in product_ids)})")
    sql = f"""
        SELECT a.import_id, a.product_id, a.learner_id, a.period_start, a.period_end,
               a.measure, a.value
        FROM aggregate_usage a JOIN data_import i ON i.id = a.import_id
        WHERE {" AND ".join(where)}
    """
    stored = {name: dtype for name, dtype in AGGREGATES.items() if name != "scope"}
    df = _read(conn, sql, {"import_id": pl.Int64(), **stored}, **params)
    if df.is_empty():
        return pl.DataFrame(schema=AGGREGATES)
    key = ["product_id", "learner_id", "period_start", "period_end", "measure"]
    resolved = df.sort("import_id").unique(subset=key, keep="last", maintain_order=True)
    parts = pl.col("measure").str.splitn("/", 2).struct
    split = resolved.with_columns(
        parts.field("field_0").alias("measure"), parts.field("field_1").alias("scope")
    )
    return split.select(list(AGGREGATES)).sort(
        ["product_id", "measure", "scope", "period_start", "learner_id"], nulls_last=False
    )


CONTRACT_VERSIONS: dict[str, pl.DataType] = {
    "import_id": pl.Int64(),
    "imported_at": pl.Datetime("us"),
    **CONTRACTS,
}


def contract_versions_frame(conn: Connection) -> pl.DataFrame:
    """Every imported version of every contract, from the imports in force, with their time.

    `contracts_frame` keeps the newest import's version per product x vendor
    x start; this keeps them all, oldest import first within each key, so a
    term restated by a later import can be told (`metrics.suppliers`).
    `imported_at` is the import's time (naive UTC).
    """
    sql = f"""
        SELECT c.import_id, i.created_at AS imported_at, c.product_id, v.name AS vendor,
               c.start, c."end", c.seats, c.price_per_seat_minor, c.currency
        FROM contract c JOIN data_import i ON i.id = c.import_id
        JOIN vendor v ON v.id = c.vendor_id
        WHERE {_ACTIVE}
    """
    df = _read(conn, sql, CONTRACT_VERSIONS).select(list(CONTRACT_VERSIONS))
    return df.sort("product_id", "vendor", "start", "import_id")
