"""Undo: describe first, then delete facts and restore products in one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from loaders import UndoRefused, describe_import, import_file, list_imports, undo_import
from models import Product, data_version, session_scope
from models.frames import budgets_frame, usage_frame
from tests.actors import EDITOR
from tests.loaders.conftest import counts, fk_violations
from tests.loaders.factories import linkedin_csv


def imp(engine: Engine, body: str, name: str = "f.csv", **kwargs: object):
    result = import_file(body.encode(), file_name=name, engine=engine, actor=EDITOR, **kwargs)
    assert result.status == "imported", result.errors
    return result


def version(engine: Engine) -> int:
    with session_scope(engine) as s:
        return data_version(session=s)


def test_undo_usage_import(portfolio: Engine) -> None:
    before = counts(portfolio)
    result = imp(portfolio, linkedin_csv(4), name="ll.csv")
    described = describe_import(result.import_id, engine=portfolio)
    assert described.facts["usage_record"] == 4
    assert described.blocked is None and described.status == "imported"
    v = version(portfolio)
    undone = undo_import(result.import_id, engine=portfolio, actor=EDITOR)
    assert undone.removed["usage_record"] == 4
    assert version(portfolio) == v + 1
    with portfolio.connect() as conn:
        assert usage_frame(conn).is_empty()
        status = conn.execute(text("SELECT status, undone_at FROM data_import WHERE id = :i"),
                              {"i": result.import_id}).one()  # fmt: skip
    assert status[0] == "undone" and status[1] is not None
    after = counts(portfolio)
    # Learners and content items stay (pseudonymous, harmless); facts are gone.
    assert after["usage_record"] == before["usage_record"]
    assert after["data_import"] == before["data_import"] + 1
    with pytest.raises(UndoRefused, match="already undone"):
        undo_import(result.import_id, engine=portfolio, actor=EDITOR)


def test_undo_restores_the_superseded_budget(portfolio: Engine) -> None:
    header = "product,month,cost_category,plan\n"
    imp(portfolio, header + "Linked Library,2026-01,licence,100\n")
    second = imp(portfolio, header + "Linked Library,2026-01,licence,250\n")
    undo_import(second.import_id, engine=portfolio, actor=EDITOR)
    with portfolio.connect() as conn:
        assert budgets_frame(conn)["plan_minor"].to_list() == [10000]


def test_undo_products_import_restores_previous_values(portfolio: Engine) -> None:
    update = imp(
        portfolio,
        "product,category,vendor,owner,strategic_fit\n"
        "Udemy Seats,academy,Acme Training,Zed,1\nBrand New,other,,,\n",
    )
    described = describe_import(update.import_id, engine=portfolio)
    assert described.products_updated == ["Udemy Seats"]
    assert described.products_created == ["Brand New"]
    undone = undo_import(update.import_id, engine=portfolio, actor=EDITOR)
    assert undone.products_restored == ["Udemy Seats"]
    assert undone.products_deleted == ["Brand New"]
    with session_scope(portfolio) as s:
        p = s.exec(select(Product).where(Product.name == "Udemy Seats")).one()
        names = sorted(x.name for x in s.exec(select(Product)).all())
        vendor = s.exec(text("SELECT COUNT(*) FROM vendor WHERE name_key = 'acmetraining'")).one()
    assert (p.category, p.owner, p.strategic_fit) == ("content_library", "Ben", 5)
    assert "Brand New" not in names
    assert vendor[0] == 0  # the vendor it created went with it
    assert fk_violations(portfolio) == []


def test_undo_refused_while_created_products_are_used(engine: Engine) -> None:
    products = imp(engine, "product,category,vendor\nLib,content_library,LinkedIn\n", "p.csv")
    usage = imp(engine, linkedin_csv(2), "usage.csv")
    before = counts(engine)
    described = describe_import(products.import_id, engine=engine)
    assert described.blocked is not None and f"{usage.import_id} (usage.csv)" in described.blocked
    with pytest.raises(UndoRefused, match="undo those first"):
        undo_import(products.import_id, engine=engine, actor=EDITOR)
    assert counts(engine) == before
    undo_import(usage.import_id, engine=engine, actor=EDITOR)
    undo_import(products.import_id, engine=engine, actor=EDITOR)  # now nothing uses the product
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM product")).scalar_one() == 0
    assert fk_violations(engine) == []


def test_undo_refused_when_a_later_products_import_changed_them(portfolio: Engine) -> None:
    first = imp(portfolio, "product,category,owner\nUdemy Seats,other,One\n")
    imp(portfolio, "product,category,owner\nUdemy Seats,other,Two\n")
    with pytest.raises(UndoRefused, match="changed again by import"):
        undo_import(first.import_id, engine=portfolio, actor=EDITOR)


def test_unknown_import_id(engine: Engine) -> None:
    with pytest.raises(LookupError, match="no import with id 99"):
        describe_import(99, engine=engine)


def test_list_imports_newest_first(portfolio: Engine) -> None:
    result = imp(portfolio, linkedin_csv(2), name="ll.csv")
    undo_import(result.import_id, engine=portfolio, actor=EDITOR)
    history = list_imports(engine=portfolio)
    assert [h.file for h in history] == ["ll.csv", "products.csv"]
    top = history[0]
    assert (top.status, top.product, top.vendor, top.grain, top.rows_imported) == (
        "undone", "Linked Library", "LinkedIn Learning", "snapshot", 2,
    )  # fmt: skip
    assert top.undone_at is not None and len(top.content_hash) == 64
