"""Roles: every write path refuses a viewer (nothing changes), admins' paths refuse an editor.

Each write function in `loaders/` and `models/` is called directly as a viewer, the way a
crafted request or a stale page would reach it, on SQLite and on PostgreSQL; the whole
database (every row of every table) must be as it was.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from loaders import import_file, import_paths, undo_import
from loaders.edits import editable_rows, save_edits
from loaders.erase import erase_learner
from loaders.mappings import MappingSpec, delete_mapping, save_mapping
from loaders.preview import preview_file
from models import session_scope
from models.access import Actor, NotAllowedError, Role, resolve_role
from models.roles import grant_role, revoke_role
from models.scenarios import delete_scenario, save_scenario
from sample_data.seed import seed, seed_if_empty
from settings import get_settings, read_settings
from tests.actors import ADMIN, EDITOR, VIEWER

ROOT = Path(__file__).resolve().parents[1]

PRODUCTS = b"product,category,vendor\nAcademy,academy,\nLibrary,content_library,LinkedIn\n"
CONTRACTS = (
    b"product,vendor,start,end,seats,price_per_seat,currency\n"
    b"Library,LinkedIn,2026-01-01,2026-12-31,100,120,GBP\n"
)
USAGE = (
    b"product,learner,content_id,date,minutes,completed\n"
    b"Academy,ann@corp.example,m1,2026-03-02,30,yes\n"
    b"Academy,bob@corp.example,m1,2026-03-03,20,no\n"
)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    with engine.connect() as conn:
        return {
            name: sorted(
                (tuple(row) for row in conn.execute(text(f'SELECT * FROM "{name}"'))), key=repr
            )
            for name in SQLModel.metadata.tables
        }


@pytest.fixture
def filled(db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Two products, a contract, usage, a scenario and a mapping, written by an editor."""
    monkeypatch.setenv("LP_PSEUDONYM_KEY", "roles-test-key")
    get_settings.cache_clear()
    for name, data in [("p.csv", PRODUCTS), ("c.csv", CONTRACTS), ("u.csv", USAGE)]:
        assert import_file(data, file_name=name, engine=db_engine, actor=EDITOR).status == (
            "imported"
        )
    with session_scope(db_engine) as session:
        save_scenario(session=session, actor=EDITOR, name="Plan A", year=2026, payload={"a": 1})
    save_mapping(_mapping(), engine=db_engine, actor=EDITOR)
    yield db_engine
    get_settings.cache_clear()


def _mapping() -> MappingSpec:
    return MappingSpec(
        name="In-house LMS",
        columns={"learner": "Mail", "content_id": "Module", "activity_date": "When"},
        vendor=None,
    )


def _rows(engine: Engine, table: str) -> pl.DataFrame:
    with engine.connect() as conn:
        return editable_rows(conn, table, currency="GBP", product=None, year=2026)


def _writes(engine: Engine, tmp_path: Path) -> dict[str, Callable[[Actor], object]]:
    """Every write path, called as a given actor."""
    usage_file = tmp_path / "more.csv"
    usage_file.write_bytes(USAGE.replace(b"2026-03", b"2026-04"))
    contracts = _rows(engine, "contracts")
    raised = contracts.with_columns(pl.col("seats") + 1)
    with engine.connect() as conn:
        last = conn.execute(text("SELECT MAX(id) FROM data_import")).scalar_one()
        mapping = conn.execute(text("SELECT id FROM column_mapping")).scalar_one()

    def scenario(actor: Actor, *, delete: bool = False) -> object:
        with session_scope(engine) as session:
            if delete:
                return delete_scenario(session=session, actor=actor, name="Plan A")
            return save_scenario(
                session=session, actor=actor, name="Plan A", year=2026, payload={}, replace=True
            )

    return {
        "import a file": lambda a: import_file(
            USAGE.replace(b"03-0", b"05-0"), file_name="x.csv", engine=engine, actor=a
        ),
        "import files by path": lambda a: import_paths([usage_file], engine=engine, actor=a),
        "preview a file": lambda a: preview_file(USAGE, file_name="p.csv", engine=engine, actor=a),
        "undo an import": lambda a: undo_import(int(last), engine=engine, actor=a),
        "save a mapping": lambda a: save_mapping(_mapping(), engine=engine, actor=a),
        "delete a mapping": lambda a: delete_mapping(int(mapping), engine=engine, actor=a),
        "save a scenario": scenario,
        "delete a scenario": lambda a: scenario(a, delete=True),
        "seed": lambda a: seed(engine=engine, actor=a),
        "seed if empty": lambda a: seed_if_empty(engine=engine, actor=a),
        "edit data": lambda a: save_edits("contracts", contracts, raised, engine=engine, actor=a),
        "erase a learner": lambda a: erase_learner(
            "ann@corp.example", engine=engine, actor=a, settings=get_settings()
        ),
        "give a role": lambda a: grant_role(
            "corp.example", Role.editor, actor=a, engine=engine, configured={}
        ),
        "take a role back": lambda a: revoke_role("corp.example", actor=a, engine=engine),
    }


def test_a_viewer_is_refused_on_every_write_path_and_nothing_changes(
    filled: Engine, tmp_path: Path
) -> None:
    writes = _writes(filled, tmp_path)
    before = snapshot(filled)
    for action, write in writes.items():
        with pytest.raises(NotAllowedError, match="signed in as viewer") as refused:
            write(VIEWER)
            pytest.fail(f"{action}: a viewer was not refused")
        assert "Nothing was changed" in str(refused.value), action
        assert snapshot(filled) == before, f"{action} changed the database for a viewer"


def test_an_editor_is_refused_the_admins_paths(filled: Engine, tmp_path: Path) -> None:
    writes = _writes(filled, tmp_path)
    before = snapshot(filled)
    for action in ("erase a learner", "give a role", "take a role back"):
        with pytest.raises(NotAllowedError, match="needs the admin role"):
            writes[action](EDITOR)
        assert snapshot(filled) == before, action


def test_each_write_records_who_did_it(filled: Engine, tmp_path: Path) -> None:
    writes = _writes(filled, tmp_path)
    erased = writes["erase a learner"](ADMIN)
    assert (erased.learners, erased.facts, erased.imports) == (1, 1, 1)  # ann's one usage fact
    for action in ("edit data", "undo an import", "save a scenario", "give a role"):
        writes[action](ADMIN)
    with filled.connect() as conn:
        log = conn.execute(
            text("SELECT actor, role, action, subject, detail FROM activity ORDER BY id")
        ).all()
        by = conn.execute(text("SELECT created_by FROM data_import ORDER BY id")).scalars().all()
        scenario_by = conn.execute(text("SELECT updated_by FROM saved_scenario")).scalar_one()
    assert [row[2] for row in log] == [
        "import",
        "import",
        "import",
        "scenario_save",
        "mapping_save",
        "erase_learner",
        "edit",
        "undo",
        "scenario_save",
        "role_grant",
    ]
    assert {row[0] for row in log[:5]} == {"test editor"}
    assert {(row[0], str(row[1])) for row in log[5:]} == {("test admin", "admin")}
    assert by == ["test editor"] * 3 + ["test admin"]  # the edit is an import of its own
    assert scenario_by == "test admin"
    erasure = log[5]
    assert erasure[3] is None and "ann" not in (erasure[4] or "")  # counts only, never who


def test_an_edit_is_undone_like_any_import(filled: Engine) -> None:
    contracts = _rows(filled, "contracts")
    result = save_edits(
        "contracts",
        contracts,
        contracts.with_columns(pl.lit(150).alias("seats")),
        engine=filled,
        actor=EDITOR,
    )
    assert result is not None and result.status == "imported", result.errors
    assert _rows(filled, "contracts")["seats"].to_list() == [150]
    undo_import(result.import_id or 0, engine=filled, actor=EDITOR)
    assert _rows(filled, "contracts")["seats"].to_list() == [100]


def test_an_edit_back_to_an_earlier_state_is_not_a_duplicate(filled: Engine) -> None:
    start = _rows(filled, "contracts")
    for seats in (150, 100, 150):
        now = _rows(filled, "contracts")
        result = save_edits(
            "contracts",
            now,
            now.with_columns(pl.lit(seats).alias("seats")),
            engine=filled,
            actor=EDITOR,
        )
        assert seats == 100 or (result is not None and result.status == "imported")
    assert start["seats"].to_list() == [100]
    assert _rows(filled, "contracts")["seats"].to_list() == [150]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("seats", -3, "0 or more"),
        ("product", "No Such Product", "does not exist"),
        ("price_per_seat", None, "price_per_seat"),
    ],
)
def test_a_bad_edit_is_refused_with_the_tables_row_and_column(
    filled: Engine, column: str, value: object, message: str
) -> None:
    before = snapshot(filled)
    contracts = _rows(filled, "contracts")
    added = contracts.with_columns(pl.lit("2027-01-01").str.to_date().alias("start"))
    after = pl.concat([contracts, added]).with_columns(
        pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.lit(value))
        .otherwise(pl.col(column))
        .cast(contracts.schema[column])
        .alias(column)
    )
    result = save_edits("contracts", contracts, after, engine=filled, actor=EDITOR)
    assert result is not None and result.status == "rejected"
    assert any(
        e["row"] == 2 and e["column"] == column and message in (e["column"] + e["message"])
        for e in result.errors
    ), result.errors
    assert snapshot(filled) == before


def test_roles_resolve_most_specific_first_lp_roles_before_the_app() -> None:
    configured = dict(
        read_settings({"LP_ROLES": "lead@corp.example=admin, corp.example=viewer; *=viewer"}).roles
    )
    granted = {"sam@corp.example": Role.editor, "corp.example": Role.admin}
    assert resolve_role("LEAD@corp.example", configured=configured, granted=granted) is Role.admin
    assert resolve_role("sam@corp.example", configured=configured, granted=granted) is Role.editor
    # LP_ROLES wins for the same subject: the app cannot raise a whole domain past it
    assert resolve_role("kim@corp.example", configured=configured, granted=granted) is Role.viewer
    assert resolve_role("x@hr.corp.example", configured=configured, granted={}) is Role.viewer
    assert resolve_role("eve@other.example", configured={}, granted={}) is None


def test_grant_refuses_a_subject_lp_roles_decides(filled: Engine) -> None:
    with pytest.raises(ValueError, match="LP_ROLES"):
        grant_role(
            "corp.example",
            Role.admin,
            actor=ADMIN,
            engine=filled,
            configured={"corp.example": Role.viewer},
        )
    with pytest.raises(ValueError, match="not an e-mail address"):
        grant_role("not an address", Role.editor, actor=ADMIN, engine=filled, configured={})


def test_the_command_line_of_a_read_only_instance_imports_nothing(tmp_path: Path) -> None:
    data = tmp_path / "products.csv"
    data.write_bytes(PRODUCTS)
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ro.sqlite'}",
        "LP_READ_ONLY": "1",
        "LP_PSEUDONYM_KEY_FILE": str(tmp_path / "key"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "loaders", str(data)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "read-only" in done.stderr
    from models import make_engine

    engine = make_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM data_import")).scalar_one() == 0
    finally:
        engine.dispose()


def test_the_erase_command_line_acts_as_the_operator_and_names_no_one(tmp_path: Path) -> None:
    for name, data in [("p.csv", PRODUCTS), ("u.csv", USAGE)]:
        (tmp_path / name).write_bytes(data)
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'erase.sqlite'}",
        "LP_PSEUDONYM_KEY_FILE": str(tmp_path / "key"),
    }

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=False,
        )

    assert run("loaders", str(tmp_path / "p.csv"), str(tmp_path / "u.csv")).returncode == 0
    refused = run("loaders.erase", "ann@corp.example", LP_READ_ONLY="1")
    assert refused.returncode == 2 and "read-only" in refused.stderr
    done = run("loaders.erase", " Ann@Corp.Example ")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "erased 1 usage fact(s) from 1 import(s)"
    again = run("loaders.erase", "ann@corp.example")
    assert again.stdout.strip() == "no stored learner matches: nothing was erased"
    from models import make_engine

    engine = make_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM usage_record")).scalar_one() == 1
            log = conn.execute(
                text(
                    "SELECT actor, role, subject, detail FROM activity "
                    "WHERE action = 'erase_learner'"
                )
            ).one()
    finally:
        engine.dispose()
    assert log[0].startswith("command line (") and str(log[1]) == "admin"
    assert log[2] is None and log[3] == "1 usage fact(s) from 1 import(s)"
