"""The fast reads give the frames the plain reads gave, on SQLite and PostgreSQL.

`models.frames.usage_frame` reads the facts straight from the DB-API cursor,
with the window and the active imports as literals; `_reference_usage_frame`
below is the read it replaced (SQLAlchemy rows, the import joined in SQL),
kept here as the yardstick. The Product and Plan vs actual readers read one
product's frames only; they must give the figures the portfolio's frames give.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import Connection, Engine, text

from metrics.schema import USAGE
from models import (
    ContentItem,
    DataImport,
    Grain,
    ImportKind,
    Learner,
    LearnerKeyKind,
    Product,
    UsageRecord,
    session_scope,
)
from models.frames import budgets_frame, pack_frames, usage_frame, year_frames

KEY = ["product_id", "learner_id", "content_id", "date", "period_end", "minutes"]


def _reference_usage_frame(
    conn: Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    product_ids: tuple[int, ...] | None = None,
) -> pl.DataFrame:
    """The usage read as it was before the fast path (the rules are the same)."""
    where = ["i.status = 'imported'"]
    params: dict[str, object] = {}
    if start is not None and end is not None:
        where.append(
            "((u.activity_date BETWEEN :start AND :end)"
            " OR (u.completed_date BETWEEN :start AND :end)"
            " OR (u.activity_date IS NULL AND u.completed_date IS NULL"
            "     AND i.period_start <= :end AND i.period_end >= :start))"
        )
        params.update(start=start, end=end)
    if product_ids is not None:
        if not product_ids:
            return pl.DataFrame(schema=USAGE)
        where.append(f"u.product_id IN ({', '.join(str(int(p)) for p in product_ids)})")
    sql = f"""
        SELECT u.import_id, i.grain, u.product_id, u.learner_id, u.content_item_id AS content_id,
               u.activity_date AS date, i.period_start, i.period_end, u.minutes,
               u.progress_pct, u.completed, u.completed_date
        FROM usage_record u JOIN data_import i ON i.id = u.import_id
        WHERE {" AND ".join(where)}
    """
    result = conn.execute(text(sql), params)
    columns = list(result.keys())
    rows = result.fetchall()
    if not rows:
        return pl.DataFrame(schema=USAGE)
    raw = pl.DataFrame(
        {name: [row[i] for row in rows] for i, name in enumerate(columns)},
        infer_schema_length=None,
        strict=False,
    )
    schema = {"import_id": pl.Int64(), "grain": pl.String(), **USAGE}
    df = raw.select(
        (
            pl.col(name).cast(pl.String).str.slice(0, 10).str.to_date("%Y-%m-%d")
            if dtype == pl.Date() and raw.schema[name] in (pl.String(), pl.Null())
            else pl.col(name).cast(dtype)
        ).alias(name)
        for name, dtype in schema.items()
    )
    events = df.filter(pl.col("grain") != "snapshot").sort("import_id")
    events = events.unique(subset=["product_id", "learner_id", "content_id", "date"], keep="last")
    snapshots = df.filter(pl.col("grain") == "snapshot")
    snapshots = snapshots.sort(["period_end", "import_id"], nulls_last=False).unique(
        subset=["product_id", "learner_id", "content_id"], keep="last"
    )
    return pl.concat([events, snapshots]).select(list(USAGE))


def _import(
    s, name: str, grain: Grain, period: tuple[date, date], *, status: str = "imported"
) -> int:
    imp = DataImport(
        file_name=name,
        content_hash=name,
        kind=ImportKind.usage,
        format="usage",
        grain=grain,
        period_start=period[0],
        period_end=period[1],
        status=status,
    )
    s.add(imp)
    s.flush()
    return imp.id


def _overlapping_portfolio(engine: Engine) -> dict[str, int]:
    """Two products, seven usage imports that overlap, one of them undone.

    Product A (events): import e1 (Jan-Mar) and e2 (January) report the same
    learner x content x date, and the same undated row; e2, the later
    import, counts. e3 is undone. Product B (snapshots): s1 (to 30 Jun) and
    s2 (to 31 Mar, imported later) report the same learner x content; s1,
    the later period end, counts. s3 is a 2025 snapshot of undated rows; e4
    holds a 2027 row. Ids are returned by name.
    """
    with session_scope(engine) as s:
        a, b = Product(name="Academy"), Product(name="Library")
        s.add_all([a, b])
        s.flush()
        learners = [Learner(key=f"k{n}", key_kind=LearnerKeyKind.email) for n in range(3)]
        s.add_all(learners)
        items = [
            ContentItem(product_id=a.id, external_id="a1"),
            ContentItem(product_id=a.id, external_id="a2"),
            ContentItem(product_id=b.id, external_id="b1"),
        ]
        s.add_all(items)
        s.flush()
        l1, l2, l3 = (x.id for x in learners)
        a1, a2, b1 = (x.id for x in items)
        q1 = (date(2026, 1, 1), date(2026, 3, 31))
        e1 = _import(s, "e1", Grain.event, q1)
        e2 = _import(s, "e2", Grain.event, (date(2026, 1, 1), date(2026, 1, 31)))
        e3 = _import(s, "e3", Grain.event, q1, status="undone")
        s1 = _import(s, "s1", Grain.snapshot, (date(2026, 1, 1), date(2026, 6, 30)))
        s2 = _import(s, "s2", Grain.snapshot, q1)
        s3 = _import(s, "s3", Grain.snapshot, (date(2025, 1, 1), date(2025, 12, 31)))
        e4 = _import(s, "e4", Grain.event, (date(2026, 7, 1), date(2027, 1, 31)))

        def fact(imp: int, product: int, learner: int, item: int, day: date | None, **kw):
            s.add(
                UsageRecord(
                    import_id=imp,
                    product_id=product,
                    learner_id=learner,
                    content_item_id=item,
                    activity_date=day,
                    **kw,
                )
            )

        jan10, feb1 = date(2026, 1, 10), date(2026, 2, 1)
        fact(e1, a.id, l1, a1, jan10, minutes=10.0, progress_pct=20.0, completed=False)
        fact(e1, a.id, l2, a1, feb1, minutes=5.5, completed=True, completed_date=feb1)
        fact(e1, a.id, l1, a2, None, minutes=7.25)
        fact(e1, a.id, l3, a2, date(2025, 12, 30), completed=True, completed_date=date(2026, 1, 2))
        fact(e2, a.id, l1, a1, jan10, minutes=37 / 3, progress_pct=100.0 / 3, completed=True)
        fact(e2, a.id, l1, a2, None, minutes=9.0)
        fact(e3, a.id, l2, a1, feb1, minutes=99.0)
        fact(s1, b.id, l1, b1, None, minutes=30.0, progress_pct=50.0)
        fact(s1, b.id, l2, b1, None, minutes=10.0)
        fact(s2, b.id, l1, b1, None, minutes=20.0)
        fact(s3, b.id, l3, b1, None, minutes=5.0)
        fact(e4, b.id, l2, b1, date(2027, 1, 5), minutes=1.0)
        return {"A": a.id, "B": b.id, "e2": e2, "s1": s1, "l1": l1, "a1": a1, "b1": b1}


def _sorted(df: pl.DataFrame) -> pl.DataFrame:
    return df.sort(KEY, nulls_last=True)


WINDOWS = [
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2025, 1, 1), date(2025, 12, 31)),
    (date(2026, 2, 1), date(2026, 2, 28)),
    (None, None),
]


@pytest.mark.parametrize(("start", "end"), WINDOWS)
def test_usage_frame_matches_the_plain_read(
    db_engine: Engine, start: date | None, end: date | None
) -> None:
    ids = _overlapping_portfolio(db_engine)
    with db_engine.connect() as conn:
        for products in (None, (ids["A"],), (ids["B"],), (ids["A"], ids["B"]), ()):
            fast = usage_frame(conn, start=start, end=end, product_ids=products)
            plain = _reference_usage_frame(conn, start=start, end=end, product_ids=products)
            assert fast.schema == plain.schema
            assert_frame_equal(_sorted(fast), _sorted(plain), check_exact=True)


def test_latest_import_wins_in_the_fast_read(db_engine: Engine) -> None:
    ids = _overlapping_portfolio(db_engine)
    with db_engine.connect() as conn:
        year = usage_frame(conn, start=date(2026, 1, 1), end=date(2026, 12, 31))
    mine = year.filter(pl.col("learner_id") == ids["l1"])
    jan10 = mine.filter(pl.col("content_id") == ids["a1"]).row(0, named=True)
    # e2 (imported after e1) reports 37/3 minutes for the same learner x content x date.
    assert jan10["minutes"] == 37 / 3 and jan10["completed"] is True
    assert jan10["period_end"] == date(2026, 1, 31)
    library = mine.filter(pl.col("content_id") == ids["b1"]).row(0, named=True)
    assert library["minutes"] == 30.0  # s1's period ends 30 Jun, s2's 31 Mar: s1 counts
    # 4 rows of A (one e1 row lost to e2, the undone e3 ignored) and 2 of B (s3 is 2025).
    assert year.height == 6
    with session_scope(db_engine) as s:
        s.get(DataImport, ids["e2"]).status = "undone"
    with db_engine.connect() as conn:
        year = usage_frame(conn, start=date(2026, 1, 1), end=date(2026, 12, 31))
    jan10 = year.filter(
        (pl.col("learner_id") == ids["l1"]) & (pl.col("content_id") == ids["a1"])
    ).row(0, named=True)
    assert jan10["minutes"] == 10.0  # e1's copy counts again


def test_one_products_year_frames_are_the_portfolios_rows(db_engine: Engine) -> None:
    ids = _overlapping_portfolio(db_engine)
    with db_engine.connect() as conn:
        whole = year_frames(conn, year=2026, with_previous=True, currency="GBP")
        one = year_frames(
            conn, year=2026, with_previous=True, product_ids=(ids["A"],), currency="GBP"
        )
    mine = pl.col("product_id") == ids["A"]
    for part in ("products", "budgets", "contracts", "outcomes"):
        assert_frame_equal(getattr(one, part), getattr(whole, part).filter(mine))
    assert_frame_equal(_sorted(one.usage), _sorted(whole.usage.filter(mine)), check_exact=True)


def _same(a: object, b: object) -> None:
    if isinstance(a, pl.DataFrame):
        assert isinstance(b, pl.DataFrame)
        assert_frame_equal(a, b, check_row_order=False)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys()
        for key in a:
            _same(a[key], b[key])
    elif isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-12)
    else:
        assert a == b


def test_product_and_tdrp_readers_match_the_portfolio_read(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading one product's frames changes no figure of the Product and TDRp pages."""
    from pages import product_reads, reads
    from tests.seeded import AS_OF

    as_of = date.fromisoformat(AS_OF)
    product_view = product_reads.product_view.__wrapped__  # the reader without its cache
    tdrp_view = reads.tdrp_view.__wrapped__
    ids = reads.product_ids.__wrapped__()
    narrow = {
        pid: (product_view(pid, 2026, as_of), tdrp_view(2026, as_of, pid)) for pid in ids.values()
    }
    read = reads.year_frames

    def whole_portfolio(conn: Connection, **kwargs: object):
        kwargs.pop("product_ids", None)
        return read(conn, **kwargs)

    monkeypatch.setattr(product_reads, "year_frames", whole_portfolio)
    monkeypatch.setattr(reads, "year_frames", whole_portfolio)
    for pid, (view, report) in narrow.items():
        wide = product_view(pid, 2026, as_of)
        for field in fields(view):
            _same(getattr(view, field.name), getattr(wide, field.name))
        assert_frame_equal(report, tdrp_view(2026, as_of, pid))


def test_pack_frames_read_every_years_budgets_once(seeded_url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(seeded_url)
    with engine.connect() as conn:
        pack = pack_frames(conn, year=2026, currency="GBP")
        year = year_frames(conn, year=2026, with_previous=True, currency="GBP")
        budgets = budgets_frame(conn)
    engine.dispose()
    assert_frame_equal(pack.budgets, budgets)
    assert pack.budgets["month"].dt.year().unique().len() > 2  # not only 2025 and 2026
    for part in ("products", "contracts", "outcomes"):
        assert_frame_equal(getattr(pack, part), getattr(year, part))
    assert_frame_equal(_sorted(pack.usage), _sorted(year.usage), check_exact=True)


BUDGETS_CSV = b"product,month,cost_category,plan,actual\n" + (
    b"Linked Library,2025-12,licence,100,90\n"
    b"Linked Library,2026-01,licence,100,95\n"
    b"Linked Library,2026-01,delivery,20,\n"
    b"Udemy Seats,2026-02,licence,300,310\n"
    b"Udemy Seats,2027-01,licence,400,\n"
)
RESTATED_CSV = b"product,month,cost_category,plan,actual\n" + (
    b"Linked Library,2026-01,licence,120,95\nUdemy Seats,2027-01,licence,450,\n"
)


def test_budget_reads_limited_in_sql_match_the_whole_read(db_engine: Engine) -> None:
    """Years and products limited in SQL give the lines the whole read gives, restated or not."""
    from loaders import import_file
    from models.frames import budget_years
    from tests.actors import EDITOR
    from tests.loaders.conftest import PRODUCTS_CSV

    for name, data in (
        ("products.csv", PRODUCTS_CSV),
        ("budgets.csv", BUDGETS_CSV),
        ("restated.csv", RESTATED_CSV),
    ):
        made = import_file(data, file_name=name, engine=db_engine, actor=EDITOR)
        assert made.status == "imported", made.errors
    with db_engine.connect() as conn:
        whole = budgets_frame(conn)
        ids = {name: pid for name, pid in conn.execute(text("SELECT name, id FROM product"))}
        library, udemy = ids["Linked Library"], ids["Udemy Seats"]
        assert budget_years(conn) == [2027, 2026, 2025]
        for years, products in (
            ((2026,), None),
            ((2025, 2027), None),
            (None, (udemy,)),
            ((2026,), (library,)),
            ((), None),
            (None, ()),
        ):
            part = budgets_frame(conn, years=years, product_ids=products)
            expected = whole
            if years is not None:
                expected = expected.filter(pl.col("month").dt.year().is_in(list(years)))
            if products is not None:
                expected = expected.filter(pl.col("product_id").is_in(list(products)))
            assert_frame_equal(part, expected)
    # The restatement counts: 120 plan for January's licence, 450 for Udemy's 2027.
    plans = {
        (product, month): plan
        for product, month, category, plan, _ in whole.iter_rows()
        if category == "licence"
    }
    assert plans[library, date(2026, 1, 1)] == 12_000
    assert plans[udemy, date(2027, 1, 1)] == 45_000
    assert whole.height == 5
