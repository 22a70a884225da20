"""The schema of release f3672a3, the last one that used `create_all`.

Revision 0001, the first. It creates exactly what
`SQLModel.metadata.create_all` created at f3672a3, on SQLite and on
PostgreSQL (same tables, columns, types, constraint and index names, the
same native ENUM types on PostgreSQL), so that a database made by that
release can be stamped 0001 (`models.migrate.upgrade` does it) and then
take every later revision like one made here.

The values of the enums are written out as they were at f3672a3, not read
from `models.enums`: a revision describes a moment and must not change when
the models do. ``data_import.product_id`` and ``product.import_id`` refer to
each other; on PostgreSQL the first of the two foreign keys is added once
both tables exist (under the name PostgreSQL gives it, as create_all did),
on SQLite it stays inline, as create_all wrote it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GRAIN = sa.Enum("event", "snapshot", "aggregate", name="grain")
IMPORT_KIND = sa.Enum(
    "usage", "aggregate", "products", "budgets", "contracts", "outcomes", name="importkind"
)
IMPORT_STATUS = sa.Enum("imported", "undone", name="importstatus")
LEARNER_KEY_KIND = sa.Enum("email", "user_id", "name", name="learnerkeykind")
PRODUCT_CATEGORY = sa.Enum(
    "content_library",
    "academy",
    "programme",
    "compliance",
    "coaching",
    "platform",
    "other",
    name="productcategory",
)
LIFECYCLE_STAGE = sa.Enum("pilot", "growth", "mature", "decline", "retiring", name="lifecyclestage")
COST_CATEGORY = sa.Enum(
    "licence",
    "design_development",
    "delivery",
    "participant_time",
    "evaluation",
    "overhead",
    "other",
    name="costcategory",
)
DIRECTION = sa.Enum("higher", "lower", name="direction")
OUTCOME_KIND = sa.Enum("actual", "forecast", name="outcomekind")


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column:
    """SQLModel's UTCDateTime: an aware timestamp (``timestamp with time zone`` on PostgreSQL)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the thirteen tables of f3672a3 with their indexes and enum types."""
    inline_cycle = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "app_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "vendor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_vendor_name_key", "vendor", ["name_key"], unique=True)
    op.create_table(
        "learner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("key_kind", LEARNER_KEY_KIND, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("display_name", sa.String(length=300), nullable=True),
        sa.Column("org_unit", sa.String(length=300), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_learner_key", "learner", ["key"], unique=True)
    op.create_table(
        "data_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", IMPORT_KIND, nullable=False),
        sa.Column("format", sa.String(length=100), nullable=False),
        sa.Column("vendor", sa.String(length=200), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("grain", GRAIN, nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_imported", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("status", IMPORT_STATUS, nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("undo_data", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("undone_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *([sa.ForeignKeyConstraint(["product_id"], ["product.id"])] if inline_cycle else []),
    )
    op.create_index("ix_data_import_content_hash", "data_import", ["content_hash"])
    op.create_index("ix_data_import_status", "data_import", ["status"])
    op.create_table(
        "product",
        sa.Column("category", PRODUCT_CATEGORY, nullable=False),
        sa.Column("lifecycle_stage", LIFECYCLE_STAGE, nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("sponsor", sa.String(length=200), nullable=True),
        sa.Column("target_audience", sa.String(length=500), nullable=True),
        sa.Column("target_audience_size", sa.Integer(), nullable=True),
        sa.Column("business_problem", sa.Text(), nullable=True),
        sa.Column("business_goal", sa.String(length=500), nullable=True),
        sa.Column("strategic_fit", sa.Integer(), nullable=True),
        sa.Column("is_core", sa.Boolean(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendor.id"]),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
    )
    op.create_index("ix_product_name", "product", ["name"], unique=True)
    if not inline_cycle:
        op.create_foreign_key(
            "data_import_product_id_fkey", "data_import", "product", ["product_id"], ["id"]
        )
    op.create_table(
        "column_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("vendor", sa.String(length=200), nullable=True),
        sa.Column("grain", GRAIN, nullable=False),
        sa.Column("columns", sa.Text(), nullable=False),
        sa.Column("date_order", sa.String(length=3), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "saved_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_saved_scenario_name", "saved_scenario", ["name"], unique=True)
    op.create_table(
        "aggregate_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "import_id",
            "learner_id",
            "period_start",
            "period_end",
            "measure",
            name="uq_aggregate_usage_key",
        ),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.ForeignKeyConstraint(["learner_id"], ["learner.id"]),
    )
    op.create_index("ix_aggregate_usage_import_id", "aggregate_usage", ["import_id"])
    op.create_index("ix_aggregate_usage_product_id", "aggregate_usage", ["product_id"])
    op.create_table(
        "budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("cost_category", COST_CATEGORY, nullable=False),
        sa.Column("plan_minor", sa.BigInteger(), nullable=True),
        sa.Column("actual_minor", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "import_id", "product_id", "month", "cost_category", name="uq_budget_line_key"
        ),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
    )
    op.create_index("ix_budget_line_import_id", "budget_line", ["import_id"])
    op.create_index("ix_budget_line_product_month", "budget_line", ["product_id", "month"])
    op.create_table(
        "content_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("product_id", "external_id", name="uq_content_item_key"),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
    )
    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("price_per_seat_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("renewal_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "import_id", "product_id", "vendor_id", "start", name="uq_contract_key"
        ),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendor.id"]),
    )
    op.create_index("ix_contract_import_id", "contract", ["import_id"])
    op.create_index("ix_contract_product_id", "contract", ["product_id"])
    op.create_table(
        "outcome_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("unit_value_minor", sa.BigInteger(), nullable=True),
        sa.Column("attribution_pct", sa.Float(), nullable=True),
        sa.Column("confidence_pct", sa.Float(), nullable=True),
        sa.Column("direction", DIRECTION, nullable=False),
        sa.Column("kind", OUTCOME_KIND, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "import_id", "product_id", "period", "level", "measure", "kind", name="uq_outcome_key"
        ),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
    )
    op.create_index("ix_outcome_measure_import_id", "outcome_measure", ["import_id"])
    op.create_index("ix_outcome_product_period", "outcome_measure", ["product_id", "period"])
    op.create_table(
        "usage_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("content_item_id", sa.Integer(), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=True),
        sa.Column("minutes", sa.Float(), nullable=True),
        sa.Column("progress_pct", sa.Float(), nullable=True),
        sa.Column("completed", sa.Boolean(), nullable=True),
        sa.Column("completed_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "import_id",
            "learner_id",
            "content_item_id",
            "activity_date",
            name="uq_usage_record_key",
        ),
        sa.ForeignKeyConstraint(["import_id"], ["data_import.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.ForeignKeyConstraint(["learner_id"], ["learner.id"]),
        sa.ForeignKeyConstraint(["content_item_id"], ["content_item.id"]),
    )


def downgrade() -> None:
    """Forward only: restore the backup taken before the upgrade instead."""
    msg = "migrations are forward only: restore the backup taken before the upgrade"
    raise NotImplementedError(msg)
