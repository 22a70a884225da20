"""Saved column mappings become detectors; previews are dry runs that keep nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text

from loaders import import_file
from loaders.mappings import MappingSpec, all_formats, delete_mapping, save_mapping, saved_mappings
from loaders.preview import preview_file
from models.enums import Grain
from tests.actors import EDITOR

PRODUCTS = b"product,category,vendor\nSafety Academy,compliance,Acme LMS\n"
REPORT = (
    b"Mail,Module,Day,Minutes spent,Result\n"
    b"ann@x.example,Fire safety,2026-03-02,25,Passed\n"
    b"bob@x.example,Fire safety,2026-03-04,10,Started\n"
)
SPEC = MappingSpec(
    name="Acme LMS export",
    columns={
        "learner": "Mail",
        "content_title": "Module",
        "activity_date": "Day",
        "minutes": "Minutes spent",
        "completed": "Result",
    },
    vendor="Acme LMS",
    grain=Grain.event,
    completed_values=("Passed",),
)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one()
            for t in inspect(engine).get_table_names()
        }


def test_a_saved_mapping_detects_next_months_file_and_routes_by_its_vendor(engine: Engine) -> None:
    assert (
        import_file(PRODUCTS, file_name="products.csv", engine=engine, actor=EDITOR).status
        == "imported"
    )
    unknown = import_file(REPORT, file_name="march.csv", engine=engine, actor=EDITOR)
    assert unknown.status == "rejected"
    save_mapping(SPEC, engine=engine, actor=EDITOR)
    result = import_file(
        REPORT,
        file_name="march.csv",
        engine=engine,
        formats=all_formats(engine=engine),
        actor=EDITOR,
    )
    assert result.status == "imported", result.errors
    assert result.format == "mapping:Acme LMS export"
    assert result.products == ["Safety Academy"]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT minutes, completed FROM usage_record ORDER BY minutes"))
        assert [tuple(r) for r in rows] == [(10.0, False), (25.0, True)]


def test_mapping_problems_are_named_and_nothing_is_saved(engine: Engine) -> None:
    bad = MappingSpec(name="x", columns={"content_title": "Module"})
    assert "choose the column that identifies the learner" in bad.problems()
    with pytest.raises(ValueError, match="learner"):
        save_mapping(bad, engine=engine, actor=EDITOR)
    assert saved_mappings(engine=engine) == []


def test_saving_under_the_same_name_replaces_and_delete_forgets(engine: Engine) -> None:
    first = save_mapping(SPEC, engine=engine, actor=EDITOR)
    again = save_mapping(SPEC, engine=engine, actor=EDITOR)
    assert first == again and len(saved_mappings(engine=engine)) == 1
    delete_mapping(first, engine=engine, actor=EDITOR)
    assert saved_mappings(engine=engine) == []


def test_preview_shows_stored_rows_and_changes_nothing(engine: Engine) -> None:
    import_file(PRODUCTS, file_name="products.csv", engine=engine, actor=EDITOR)
    save_mapping(SPEC, engine=engine, actor=EDITOR)
    before = _counts(engine)
    preview = preview_file(
        REPORT,
        file_name="march.csv",
        engine=engine,
        formats=all_formats(engine=engine),
        limit=1,
        actor=EDITOR,
    )
    assert preview.result.status == "imported" and not preview.unknown
    assert preview.result.rows_read == 2  # the whole file was read; one row was dry-run
    assert preview.rows is not None and preview.rows.height == 1
    assert preview.rows["content_title"].to_list() == ["Fire safety"]
    assert _counts(engine) == before


def test_preview_of_an_unknown_file_offers_a_mapping(engine: Engine) -> None:
    preview = preview_file(REPORT, file_name="march.csv", engine=engine, actor=EDITOR)
    assert preview.unknown and preview.result.status == "rejected"
    assert preview.headers == ["Mail", "Module", "Day", "Minutes spent", "Result"]
