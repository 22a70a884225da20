"""`python -m loaders` starts without the heavy libraries it never uses."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

# scipy.stats alone took most of a second of every import's start (issue 20); the loaders
# reach metrics (through metrics.currency), whose experiments import it only when comparing.
_UNUSED = ("scipy", "streamlit", "plotly")


def test_the_import_command_loads_no_scipy_streamlit_or_plotly() -> None:
    probe = (
        "import sys, loaders.cli, loaders.streaming, loaders.pipeline; "
        f"print(sorted(m for m in {_UNUSED!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
