"""`python -m loaders` starts without the heavy libraries it never uses, and reads first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from models.db import make_engine
from tests.conftest import ROOT

# scipy.stats alone took most of a second of every import's start (issue 20); the loaders
# reach metrics (through metrics.currency), whose experiments import it only when comparing.
_UNUSED = ("scipy", "streamlit", "plotly")


def _printed(probe: str) -> str:
    """What `python -c probe` prints, run from the repository in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_the_import_command_loads_no_scipy_streamlit_or_plotly() -> None:
    probe = (
        "import sys, loaders.cli, loaders.streaming, loaders.pipeline; "
        f"print(sorted(m for m in {_UNUSED!r} if m in sys.modules))"
    )
    assert _printed(probe) == "[]"


def test_a_current_database_starts_without_loading_alembic(tmp_path: Path) -> None:
    # Importing alembic (with mako and pygments) was 65 ms of every command's start; a
    # database at the newest revision is recognised without it (models.migrate._stored_head).
    url = f"sqlite:///{tmp_path / 'current.sqlite'}"
    make_engine(url).dispose()  # brought to the newest revision here
    probe = (
        "import sys; from models.db import make_engine; "
        f"make_engine({url!r}).dispose(); print('alembic' in sys.modules)"
    )
    assert _printed(probe) == "False"


def test_the_command_reads_its_first_file_before_loading_the_database_side() -> None:
    # The first file is read in a thread begun before SQLAlchemy, SQLModel and the tables
    # load (loaders.read_ahead): about 0.25 s of a 1M-row import. Any import of them by the
    # command's module, the reader's, or the packages' __init__ would serialise the two.
    probe = (
        "import sys, loaders.cli, loaders.read_ahead; "
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic') if m in sys.modules))"
    )
    assert _printed(probe) == "[]"
