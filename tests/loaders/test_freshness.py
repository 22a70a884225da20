"""Freshness in the JSON pack (DESIGN.md, "Freshness"): usage_as_of, last_import_at and stale
per product, hand-checked against what was imported and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from loaders import import_file, undo_import
from models.frames import usage_imports_frame
from tests.actors import EDITOR
from tests.loaders.conftest import PRODUCTS_CSV, year_pack_of

HEADER = b"product,learner,content_id,date,minutes,progress_pct,completed\n"
# Leadership Academy's file runs to 30 Sep (54 days before 23 Nov: stale after 45). A later file
# feeds two products to 10 Nov (13 days: fresh): Compliance Hub, and Linked Library whose last
# activity is 2 Oct; the file reports to 10 Nov for both (the report period end counts).
# Udemy Seats has no usage at all.
LEADERSHIP = HEADER + (
    b"Leadership Academy,a@x.example,m1,2026-09-01,10,,no\n"
    b"Leadership Academy,b@x.example,m1,2026-09-30,10,,no\n"
)
TWO_PRODUCTS = HEADER + (
    b"Linked Library,a@x.example,l1,2026-10-02,10,,no\n"
    b"Compliance Hub,a@x.example,c1,2026-11-10,5,,yes\n"
)


def test_each_product_says_how_fresh_its_usage_is(portfolio: Engine) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    result = import_file(LEADERSHIP, file_name="usage.csv", engine=portfolio, actor=EDITOR)
    assert result.status == "imported", result.errors
    both = import_file(TWO_PRODUCTS, file_name="usage2.csv", engine=portfolio, actor=EDITOR)
    assert both.status == "imported", both.errors
    leadership = year_pack_of(portfolio, "Leadership Academy")
    assert (leadership["usage_as_of"], leadership["stale"]) == ("2026-09-30", True)
    made = datetime.fromisoformat(leadership["last_import_at"])
    assert before <= made <= datetime.now(UTC) + timedelta(seconds=1)
    hub = year_pack_of(portfolio, "Compliance Hub")
    assert (hub["usage_as_of"], hub["stale"]) == ("2026-11-10", False)
    library = year_pack_of(portfolio, "Linked Library")
    assert (library["usage_as_of"], library["stale"]) == ("2026-11-10", False)
    assert hub["last_import_at"] == library["last_import_at"] >= leadership["last_import_at"]
    udemy = year_pack_of(portfolio, "Udemy Seats")
    assert (udemy["usage_as_of"], udemy["last_import_at"], udemy["stale"]) == (None, None, None)
    assert leadership["_pack"]["assumptions"]["stale_after_days"] == 45
    # Undone, the usage and its import time go: not tracked again, never "stale".
    undo_import(result.import_id, engine=portfolio, actor=EDITOR)
    gone = year_pack_of(portfolio, "Leadership Academy")
    assert (gone["usage_as_of"], gone["last_import_at"], gone["stale"]) == (None, None, None)


def test_a_file_of_several_products_lists_them_for_the_freshness_read(portfolio: Engine) -> None:
    """Migration 0007: the products are listed with the import, not found in its facts."""
    both = import_file(TWO_PRODUCTS, file_name="usage2.csv", engine=portfolio, actor=EDITOR)
    assert both.status == "imported", both.errors
    with portfolio.connect() as conn:
        listed = conn.execute(
            text(
                "SELECT p.name FROM import_product i JOIN product p ON p.id = i.product_id"
                " WHERE i.import_id = :i ORDER BY p.name"
            ),
            {"i": both.import_id},
        ).scalars()
        assert list(listed) == ["Compliance Hub", "Linked Library"]
        # A database written before 0007 has no list: the facts are read instead, same answer.
        conn.execute(text("DELETE FROM import_product"))
        conn.commit()
    for name in ("Compliance Hub", "Linked Library"):
        assert year_pack_of(portfolio, name)["usage_as_of"] == "2026-11-10"


def test_an_unlisted_import_is_read_from_its_facts_on_each_database(db_engine: Engine) -> None:
    """The fallback scan runs only for imports without a list, on SQLite and PostgreSQL alike."""
    made = import_file(PRODUCTS_CSV, file_name="products.csv", engine=db_engine, actor=EDITOR)
    assert made.status == "imported", made.errors
    both = import_file(TWO_PRODUCTS, file_name="usage2.csv", engine=db_engine, actor=EDITOR)
    assert both.status == "imported", both.errors
    with db_engine.connect() as conn:
        listed = usage_imports_frame(conn)
        conn.execute(text("DELETE FROM import_product"))
        unlisted = usage_imports_frame(conn)
    assert listed.height == 2
    assert unlisted.sort("product_id").equals(listed.sort("product_id"))
