"""The database: tables, migrations, engine, sessions and the frame readers.

Only this package talks SQL; everything else goes through it. Alembic owns
the schema (`models.migrate`, `python -m models upgrade`).

The public names below are imported when first used, not with the package,
so a module that needs only `models.enums` or `models.access` (the file
readers, the settings) does not load SQLAlchemy and SQLModel with them.
`python -m loaders` relies on it to read its first file while those load
(`loaders.read_ahead`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lazy_exports import module_getattr

if TYPE_CHECKING:  # what the names are, for type checkers and editors
    from models.db import (
        bump_data_version,
        data_version,
        has_products,
        make_engine,
        session_scope,
    )
    from models.enums import (
        CostCategory,
        Direction,
        Grain,
        ImportKind,
        ImportStatus,
        LearnerKeyKind,
        LifecycleStage,
        OutcomeKind,
        ProductCategory,
        parse_enum,
    )
    from models.migrate import SchemaStateError
    from models.tables import (
        AggregateUsage,
        AppState,
        BudgetLine,
        ColumnMapping,
        ContentItem,
        Contract,
        DataImport,
        Learner,
        OutcomeMeasure,
        Product,
        ProductBase,
        UsageRecord,
        Vendor,
    )

__all__ = [
    "AggregateUsage",
    "AppState",
    "BudgetLine",
    "ColumnMapping",
    "ContentItem",
    "Contract",
    "CostCategory",
    "DataImport",
    "Direction",
    "Grain",
    "ImportKind",
    "ImportStatus",
    "Learner",
    "LearnerKeyKind",
    "LifecycleStage",
    "OutcomeKind",
    "OutcomeMeasure",
    "Product",
    "ProductBase",
    "ProductCategory",
    "SchemaStateError",
    "UsageRecord",
    "Vendor",
    "bump_data_version",
    "data_version",
    "has_products",
    "make_engine",
    "parse_enum",
    "session_scope",
]

# Where each public name lives: imported on first use (`lazy_exports`).
_HOME = {
    "bump_data_version": "models.db",
    "data_version": "models.db",
    "has_products": "models.db",
    "make_engine": "models.db",
    "session_scope": "models.db",
    "CostCategory": "models.enums",
    "Direction": "models.enums",
    "Grain": "models.enums",
    "ImportKind": "models.enums",
    "ImportStatus": "models.enums",
    "LearnerKeyKind": "models.enums",
    "LifecycleStage": "models.enums",
    "OutcomeKind": "models.enums",
    "ProductCategory": "models.enums",
    "parse_enum": "models.enums",
    "SchemaStateError": "models.migrate",
    "AggregateUsage": "models.tables",
    "AppState": "models.tables",
    "BudgetLine": "models.tables",
    "ColumnMapping": "models.tables",
    "ContentItem": "models.tables",
    "Contract": "models.tables",
    "DataImport": "models.tables",
    "Learner": "models.tables",
    "OutcomeMeasure": "models.tables",
    "Product": "models.tables",
    "ProductBase": "models.tables",
    "UsageRecord": "models.tables",
    "Vendor": "models.tables",
}

__getattr__ = module_getattr(__name__, _HOME)
