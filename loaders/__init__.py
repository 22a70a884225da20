"""Vendor-report and portfolio-template import.

Detect the format from the header, parse with polars, validate, normalise
to the canonical tables, write in one transaction; `python -m loaders` is
the command line. Never imports streamlit.
"""

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
