"""How far an import has got, for a progress bar: a fraction of the whole and a sentence.

`import_file(..., progress=callback)` calls `callback(fraction, message)`
as each phase starts and after each chunk of rows written; the upload page
passes a callback that updates `st.progress`, the command line passes none.
A phase's share of the bar is roughly its share of the time of a 1M-row
LinkedIn Learning report on these machines (`bench/import_bench.py`:
reading 12 %, checking the rows 15 %, learners and content 18 %, writing
the facts 49 %, committing the rest), so the bar moves at a steady pace.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["CHECKING", "LEARNERS", "READING", "SAVING", "WRITING", "Progress", "report"]

Progress = Callable[[float, str], None]

# Where each phase starts, as a fraction of the whole import.
READING = 0.0
CHECKING = 0.12
LEARNERS = 0.27
WRITING = 0.45
SAVING = 0.94


def report(progress: Progress | None, fraction: float, message: str) -> None:
    """Tell `progress` (when there is one) that the import is at `fraction` (0-1)."""
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), message)
