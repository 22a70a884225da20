"""The database: tables, migrations, engine, sessions and the frame readers.

Only this package talks SQL; everything else goes through it. Alembic owns
the schema (`models.migrate`, `python -m models upgrade`).
"""

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
