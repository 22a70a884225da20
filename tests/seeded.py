"""A seeded sample database, built once per test session and copied per test.

Seeding goes through the real import path; copying the finished SQLite file
gives every test its own fresh database without paying for the import again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from models import make_engine
from sample_data.seed import seed
from tests.actors import EDITOR

AS_OF = "2026-11-23"


def build_template(folder: Path) -> Path:
    """Seed the sample portfolio into `folder/template.sqlite` and return its path."""
    path = folder / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    results = seed(engine=engine, actor=EDITOR)
    bad = [r for r in results if r.status != "imported"]
    assert not bad, [r.to_json() for r in bad]
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def copy_of(template: Path, target: Path) -> str:
    """Copy the seeded database to `target`; returns its SQLAlchemy URL."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"
