"""How far each product's usage runs, asked of the database, equals what the facts say.

`models.usage_sql.usage_runs_to` resolves overlapping imports in SQL; the
yardstick is `metrics.freshness.freshness` over `models.frames.usage_frame`
(the facts read and resolved in polars), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from sqlalchemy import Engine, text
from sqlmodel import Session

from metrics.freshness import freshness
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
from models.frames import usage_frame, usage_imports_frame
from models.tables import ImportProduct
from models.usage_sql import USAGE_RUNS_TO, usage_runs_to

YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)


def _import(
    s: Session,
    name: str,
    grain: Grain,
    period: tuple[date, date] | None,
    *,
    status: str = "imported",
    product_id: int | None = None,
) -> int:
    start, end = period or (None, None)
    imp = DataImport(
        file_name=name,
        content_hash=name,
        kind=ImportKind.usage,
        format="usage",
        grain=grain,
        period_start=start,
        period_end=end,
        status=status,
        product_id=product_id,
    )
    s.add(imp)
    s.flush()
    assert imp.id is not None
    return imp.id


def _fact(
    s: Session, imp: int, product: int, learner: int, item: int, day: date | None, **kw: object
) -> None:
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


def _base(engine: Engine) -> dict[str, int]:
    """Products A, B and C, learners l1 to l4, content items a1, a2, b1, b2, c1, c2."""
    with session_scope(engine) as s:
        products = {name: Product(name=name) for name in ("A", "B", "C")}
        s.add_all(products.values())
        learners = {
            f"l{n}": Learner(key=f"k{n}", key_kind=LearnerKeyKind.email) for n in range(1, 5)
        }
        s.add_all(learners.values())
        s.flush()
        items = {
            f"{p.lower()}{n}": ContentItem(product_id=products[p].id, external_id=f"{p}{n}")
            for p in products
            for n in (1, 2)
        }
        s.add_all(items.values())
        s.flush()
        return {
            name: int(row.id)  # type: ignore[arg-type]
            for group in (products, learners, items)
            for name, row in group.items()
        }


def _portfolio(engine: Engine) -> dict[str, int]:
    """A's event imports overlap, B's snapshots overlap, C has one import (dated facts).

    The copies that lose carry the latest days, so a maximum over every copy would
    be wrong: e1's l1 x a1 on 10 Jan was completed on 15 Jun, but e2 (imported later)
    reports the same fact without a completion; s2 (imported later, period to 31 Mar)
    has l1 x b1 completed on 1 Sep, but s1's copy wins by its later period end (30 Jun).
    """
    ids = _base(engine)
    a, b, c = ids["A"], ids["B"], ids["C"]
    l1, l2, l3 = ids["l1"], ids["l2"], ids["l3"]
    with session_scope(engine) as s:
        q1 = (date(2026, 1, 1), date(2026, 3, 31))
        e1 = _import(s, "e1", Grain.event, q1, product_id=a)
        e2 = _import(s, "e2", Grain.event, (date(2026, 1, 1), date(2026, 1, 31)), product_id=a)
        e3 = _import(s, "e3", Grain.event, (date(2026, 1, 1), date(2026, 8, 31)), product_id=a)
        s1 = _import(s, "s1", Grain.snapshot, (date(2026, 1, 1), date(2026, 6, 30)), product_id=b)
        s2 = _import(s, "s2", Grain.snapshot, q1, product_id=b)
        c1 = _import(s, "c1", Grain.event, (date(2026, 5, 1), date(2026, 5, 31)), product_id=c)
        jan10 = date(2026, 1, 10)
        _fact(s, e1, a, l1, ids["a1"], jan10, minutes=10.0, completed=True,
              completed_date=date(2026, 6, 15))  # fmt: skip
        _fact(s, e1, a, l2, ids["a1"], date(2026, 2, 1), minutes=5.0)
        _fact(s, e2, a, l1, ids["a1"], jan10, minutes=12.0, completed=False)
        _fact(s, e3, a, l3, ids["a2"], date(2026, 8, 1), minutes=99.0)
        _fact(s, s1, b, l1, ids["b1"], None, minutes=30.0)
        _fact(s, s2, b, l1, ids["b1"], None, minutes=20.0, completed=True,
              completed_date=date(2026, 9, 1))  # fmt: skip
        _fact(s, c1, c, l3, ids["c1"], date(2026, 5, 5), minutes=15.0)
        _fact(s, c1, c, l1, ids["c1"], date(2026, 5, 6), minutes=0.0)
    return {**ids, "e2": e2, "e3": e3}


def _frame(rows: list[tuple[int, date | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=USAGE_RUNS_TO, orient="row")


def _by_the_facts(conn, **window: object) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    """`usage_as_of` as the pages computed it: `freshness` over the resolved facts."""
    usage = usage_frame(conn, **window)  # type: ignore[arg-type]
    fresh = freshness(usage, usage_imports_frame(conn), as_of=YEAR_END, stale_after_days=45)
    return fresh.filter(pl.col("product_id").is_in(usage["product_id"].implode())).select(
        list(USAGE_RUNS_TO)
    )


def test_how_far_usage_runs_by_hand(db_engine: Engine) -> None:
    ids = _portfolio(db_engine)
    undone = {"e3": ids["e3"]}
    with session_scope(db_engine) as s:
        s.get(DataImport, undone["e3"]).status = "undone"  # type: ignore[union-attr]
    # A: e2's l1 x a1 (10 Jan, not completed) beats e1's; e1 keeps l2's 1 Feb row, so e1's
    #    period end (31 Mar) counts; e2's period ends 31 Jan: A runs to 31 Mar (not 15 Jun).
    # B: s1's l1 x b1 beats s2's: s1's period end, 30 Jun (not 1 Sep; s2 has no other fact).
    # C: c1's rows of 5 and 6 May, its period to 31 May.
    expected = _frame([(ids["A"], date(2026, 3, 31)), (ids["B"], date(2026, 6, 30)),
                       (ids["C"], date(2026, 5, 31))])  # fmt: skip
    with db_engine.connect() as conn:
        got = usage_runs_to(conn, start=YEAR_START, end=YEAR_END)
        assert_frame_equal(got, expected)
        assert_frame_equal(got, _by_the_facts(conn, start=YEAR_START, end=YEAR_END))
        only_b = usage_runs_to(conn, start=YEAR_START, end=YEAR_END, product_ids=(ids["B"],))
        assert_frame_equal(only_b, expected.filter(pl.col("product_id") == ids["B"]))
        assert usage_runs_to(conn, start=YEAR_START, end=YEAR_END, product_ids=()).is_empty()
        # A window of February alone: A's l2 row (e1, to 31 Mar) and B's undated row (s1's
        # period overlaps February); C has nothing in it.
        feb = usage_runs_to(conn, start=date(2026, 2, 1), end=date(2026, 2, 28))
        assert_frame_equal(feb, expected.filter(pl.col("product_id") != ids["C"]))


def test_undoing_an_import_brings_back_what_it_superseded(db_engine: Engine) -> None:
    ids = _portfolio(db_engine)
    with session_scope(db_engine) as s:
        s.get(DataImport, ids["e2"]).status = "undone"  # type: ignore[union-attr]
    # e1's l1 x a1 counts again, completed 15 Jun; e3 (to 31 Aug, a fact on 1 Aug) still in force.
    with db_engine.connect() as conn:
        got = usage_runs_to(conn, start=YEAR_START, end=YEAR_END, product_ids=(ids["A"],))
        assert got.rows() == [(ids["A"], date(2026, 8, 31))]
        assert_frame_equal(got, _by_the_facts(conn, start=YEAR_START, end=YEAR_END,
                                              product_ids=(ids["A"],)))  # fmt: skip
    with session_scope(db_engine) as s:
        s.get(DataImport, ids["e3"]).status = "undone"  # type: ignore[union-attr]
    with db_engine.connect() as conn:
        got = usage_runs_to(conn, start=YEAR_START, end=YEAR_END, product_ids=(ids["A"],))
    assert got.rows() == [(ids["A"], date(2026, 6, 15))]


def test_nothing_imported_gives_no_row(db_engine: Engine) -> None:
    _base(db_engine)
    with db_engine.connect() as conn:
        assert usage_runs_to(conn, start=YEAR_START, end=YEAR_END).is_empty()


def test_a_window_that_ends_before_it_starts_is_refused(db_engine: Engine) -> None:
    with db_engine.connect() as conn, pytest.raises(ValueError, match="before its start"):
        usage_runs_to(conn, start=YEAR_END, end=YEAR_START)


# --- property: random overlapping imports ---------------------------------------------------

# Few days, so that imports report the same learner x content x date.
DAYS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            date(2025, 12, 31),
            date(2026, 1, 1),
            date(2026, 3, 1),
            date(2026, 6, 30),
            date(2026, 12, 31),
            date(2027, 1, 1),
        ]
    ),
)
PERIODS = st.one_of(
    st.none(),
    st.tuples(
        st.dates(min_value=date(2025, 10, 1), max_value=date(2026, 12, 31)),
        st.integers(min_value=0, max_value=150),
    ).map(lambda p: (p[0], date.fromordinal(p[0].toordinal() + p[1]))),
)
# product, learner, content item of the product, activity date
KEYS = st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 1), DAYS)


@st.composite
def imports_of(draw: st.DrawFn) -> list[tuple]:
    """One to five usage imports whose facts share keys (so later ones supersede earlier)."""
    keys = draw(st.lists(KEYS, min_size=1, max_size=8))
    imports = []
    for _ in range(draw(st.integers(1, 5))):
        facts = draw(st.lists(st.tuples(st.sampled_from(keys), DAYS), max_size=10))
        imports.append(
            (
                draw(st.sampled_from([Grain.event, Grain.snapshot])),
                draw(PERIODS),
                draw(st.sampled_from(["imported", "imported", "imported", "undone"])),
                draw(st.sampled_from([True] * 7 + [False])),  # lists its products
                [(*key, done_on) for key, done_on in facts],
            )
        )
    return imports


def _reset(engine: Engine) -> dict[str, int]:
    """Remove the imports and facts of the previous example; the products and learners stay."""
    with engine.begin() as conn:
        for table in ("usage_record", "import_product", "data_import"):
            conn.execute(text(f"DELETE FROM {table}"))
        products = conn.execute(text("SELECT count(*) FROM product")).scalar_one()
    if not products:
        return _base(engine)
    with engine.connect() as conn:
        rows = list(conn.execute(text("SELECT name, id FROM product")))
        learners = conn.execute(text("SELECT id FROM learner ORDER BY id")).scalars()
        rows += [(f"l{n}", i) for n, i in enumerate(learners, 1)]
        rows += list(conn.execute(text("SELECT lower(external_id), id FROM content_item")))
    return {name: int(i) for name, i in rows}  # type: ignore[arg-type]


def _write(engine: Engine, ids: dict[str, int], imports: list[tuple]) -> None:
    products = ["A", "B", "C"]
    with session_scope(engine) as s:
        for n, (grain, period, status, listed, facts) in enumerate(imports):
            seen: dict[tuple, tuple] = {}
            for product, learner, item, day, done_on in facts:
                name = products[product]
                # One row per key within an import, as the loader writes them.
                key = (name, learner, item) + ((day,) if grain == Grain.event else ())
                seen[key] = (name, learner, item, day, done_on)
            fed = sorted({row[0] for row in seen.values()})
            single = ids[fed[0]] if listed and len(fed) == 1 else None
            imp = _import(s, f"i{n}", grain, period, status=status, product_id=single)
            if listed and len(fed) > 1:
                s.add_all(ImportProduct(import_id=imp, product_id=ids[p]) for p in fed)
            for name, learner, item, day, done_on in seen.values():
                item_id = ids[f"{name.lower()}{item + 1}"]
                _fact(s, imp, ids[name], ids[f"l{learner + 1}"], item_id, day,
                      completed=done_on is not None, completed_date=done_on)  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    imports=imports_of(),
    start=st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 12, 31)),
    days=st.integers(min_value=0, max_value=420),
    chosen=st.one_of(st.none(), st.sets(st.sampled_from(["A", "B", "C"]), min_size=1)),
)
def test_the_database_agrees_with_the_facts(
    db_engine: Engine, imports: list[tuple], start: date, days: int, chosen: set[str] | None
) -> None:
    ids = _reset(db_engine)
    _write(db_engine, ids, imports)
    end = date.fromordinal(start.toordinal() + days)
    product_ids = None if chosen is None else tuple(sorted(ids[p] for p in chosen))
    window = {"start": start, "end": end, "product_ids": product_ids}
    with db_engine.connect() as conn:
        assert_frame_equal(usage_runs_to(conn, **window), _by_the_facts(conn, **window))  # type: ignore[arg-type]
