from datetime import date

from sqlalchemy import Engine

from models import (
    BudgetLine,
    CostCategory,
    DataImport,
    ImportKind,
    Product,
    bump_data_version,
    data_version,
    session_scope,
)
from models.frames import budgets_frame


def test_data_version_counts_every_write(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        assert data_version(session=s) == 0
        bump_data_version(session=s)
    with session_scope(db_engine) as s:
        bump_data_version(session=s)
    with session_scope(db_engine) as s:
        assert data_version(session=s) == 2


def test_latest_import_wins_and_undo_restores(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        p = Product(name="Library")
        s.add(p)
        s.flush()
        for n, plan in ((1, 100_00), (2, 250_00)):
            imp = DataImport(
                file_name=f"b{n}.csv",
                content_hash=f"h{n}",
                kind=ImportKind.budgets,
                format="budgets",
            )
            s.add(imp)
            s.flush()
            s.add(
                BudgetLine(
                    import_id=imp.id,
                    product_id=p.id,
                    month=date(2026, 1, 1),
                    cost_category=CostCategory.licence,
                    plan_minor=plan,
                )
            )
    with db_engine.connect() as conn:
        df = budgets_frame(conn)
    assert df["plan_minor"].to_list() == [250_00]  # the later import's copy counts
    with session_scope(db_engine) as s:
        s.get(DataImport, 2).status = "undone"
    with db_engine.connect() as conn:
        df = budgets_frame(conn)
    assert df["plan_minor"].to_list() == [100_00]
    assert df["month"].to_list() == [date(2026, 1, 1)]
