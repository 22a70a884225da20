"""Vendor-report and portfolio-template import.

Detect the format from the header, parse with polars, validate, normalise
to the canonical tables, write in one transaction; `python -m loaders` is
the command line. Never imports streamlit.

The public names below are imported when first used, not with the package:
`python -m loaders` loads this package before its command runs, and the
command reads its first file while SQLAlchemy and the tables load
(`loaders.read_ahead`), which an eager import here would serialise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lazy_exports import module_getattr

if TYPE_CHECKING:  # what the names are, for type checkers and editors
    from loaders.history import describe_import, list_imports
    from loaders.periods import parse_period
    from loaders.pipeline import import_file, import_paths, import_upload
    from loaders.result import ImportDescription, ImportResult, ImportSummary, UndoResult
    from loaders.templates import TEMPLATE_NAMES, template_choices, template_csv
    from loaders.undo import UndoRefused, undo_import

__all__ = [
    "TEMPLATE_NAMES",
    "ImportDescription",
    "ImportResult",
    "ImportSummary",
    "UndoRefused",
    "UndoResult",
    "describe_import",
    "import_file",
    "import_paths",
    "import_upload",
    "list_imports",
    "parse_period",
    "template_choices",
    "template_csv",
    "undo_import",
]

# Where each public name lives: imported on first use (`lazy_exports`).
_HOME = {
    "describe_import": "loaders.history",
    "list_imports": "loaders.history",
    "parse_period": "loaders.periods",
    "import_file": "loaders.pipeline",
    "import_paths": "loaders.pipeline",
    "import_upload": "loaders.pipeline",
    "ImportDescription": "loaders.result",
    "ImportResult": "loaders.result",
    "ImportSummary": "loaders.result",
    "UndoResult": "loaders.result",
    "TEMPLATE_NAMES": "loaders.templates",
    "template_choices": "loaders.templates",
    "template_csv": "loaders.templates",
    "UndoRefused": "loaders.undo",
    "undo_import": "loaders.undo",
}

__getattr__ = module_getattr(__name__, _HOME)
