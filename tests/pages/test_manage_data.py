"""Manage data and Activity through app.py: edit a table, a refused edit, read-only mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    eng = create_engine(url)
    with eng.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql)).all()]
    eng.dispose()
    return rows


def _page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _seats(url: str) -> int:
    (seats,) = _rows(
        url,
        "SELECT c.seats FROM contract c JOIN product p ON p.id = c.product_id "
        "WHERE p.name = 'LinkedIn Learning' AND c.start = '2026-01-01' "
        "ORDER BY c.import_id DESC LIMIT 1",
    )[0]
    return int(seats)


def _edit_contract(at: AppTest, seats: int) -> None:
    """Set the first contract row's seats in the page's editor (as a click would)."""
    editor = next(e for e in at.dataframe if "contracts.edit" in (e.key or ""))
    state = {"edited_rows": {"0": {"seats": seats}}, "added_rows": [], "deleted_rows": []}
    at.session_state[editor.key] = state


@pytest.mark.parametrize("seats", [1600])
def test_an_editor_changes_seats_saved_as_an_import_with_who_and_when(
    seeded_url: str, seats: int
) -> None:
    at = _page("pages/manage_data.py")
    assert at.title[0].value == "Manage data"
    at.selectbox(key="manage.product").set_value("LinkedIn Learning").run()
    before_imports = len(_rows(seeded_url, "SELECT id FROM data_import"))
    _edit_contract(at, seats)
    at.button(key="manage.contracts.save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _seats(seeded_url) == seats
    newest = _rows(
        seeded_url,
        "SELECT file_name, created_by, rows_imported FROM data_import ORDER BY id DESC LIMIT 1",
    )[0]
    assert newest == ("contracts.csv (edited in the app)", "local user", 1)
    assert len(_rows(seeded_url, "SELECT id FROM data_import")) == before_imports + 1
    logged = _rows(
        seeded_url, "SELECT actor, role, action, subject FROM activity ORDER BY id DESC LIMIT 1"
    )[0]
    assert logged == ("local user", "editor", "edit", "contracts.csv (edited in the app)")
    # The Activity page lists it
    log = _page("pages/activity.py")
    table = log.dataframe[0].value
    assert table["What"].iloc[0] == "edited data" and table["Who"].iloc[0] == "local user"


def test_a_negative_seat_count_is_refused_with_row_and_column_and_nothing_saved(
    seeded_url: str,
) -> None:
    at = _page("pages/manage_data.py")
    at.selectbox(key="manage.product").set_value("LinkedIn Learning").run()
    seats = _seats(seeded_url)
    count = len(_rows(seeded_url, "SELECT id FROM data_import"))
    _edit_contract(at, -5)
    at.button(key="manage.contracts.save").click().run()
    assert not at.exception
    shown = " ".join(str(e.value) for e in at.error) + " ".join(
        str(df.value.to_dict()) for df in at.dataframe
    )
    assert "seats" in shown and "0 or more" in shown, shown
    assert _seats(seeded_url) == seats
    assert len(_rows(seeded_url, "SELECT id FROM data_import")) == count


def test_read_only_serves_viewers_who_cannot_change_anything(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from settings import get_settings

    monkeypatch.setenv("LP_READ_ONLY", "1")
    get_settings.cache_clear()
    logged = _rows(seeded_url, "SELECT COUNT(*) FROM activity")
    manage = _page("pages/manage_data.py")
    assert manage.dataframe  # the tables are shown, as tables
    assert all(".edit." not in (e.key or "") for e in manage.dataframe)
    assert any("Read-only" in i.value for i in manage.info)
    assert not [b for b in manage.button if (b.key or "").endswith(".save")]
    imports = _page("pages/import_data.py")
    assert not imports.get("file_uploader")
    assert any("Read-only" in i.value for i in imports.info)
    prio = _page("pages/prioritise.py")
    assert not [b for b in prio.button if b.key in ("prio.save", "prio.delete")]
    assert any("Read-only" in c.value for c in prio.sidebar.caption)
    assert _rows(seeded_url, "SELECT COUNT(*) FROM activity") == logged
