"""The SQLModel tables: the one place the database schema is written down.

Money is stored exactly as integer minor units (pence, cents) of the
reporting currency in `*_minor` columns; SQLite would keep NUMERIC as a float.

Facts that arrive by import (usage, budgets, contracts, outcomes) are stored
per import and never overwritten: each is unique on (import, natural key), and
which copy counts is decided when reading (`models.frames`). That is what
makes undoing any import restore exactly what it had superseded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.enums import (
    CostCategory,
    Direction,
    ExperimentDesign,
    Grain,
    ImportKind,
    ImportStatus,
    LearnerKeyKind,
    LifecycleStage,
    OutcomeKind,
    ProductCategory,
    ReleaseKind,
    Role,
)

__all__ = [
    "Activity",
    "AggregateUsage",
    "AppState",
    "BudgetLine",
    "ColumnMapping",
    "ContentItem",
    "Contract",
    "DataImport",
    "Experiment",
    "ExperimentResult",
    "Learner",
    "OutcomeMeasure",
    "Product",
    "ProductBase",
    "Release",
    "RoleGrant",
    "SavedScenario",
    "UsageRecord",
    "Vendor",
]


def utcnow() -> datetime:
    """Timestamps are stored in UTC; pages convert for display."""
    return datetime.now(UTC)


def _money(*, nullable: bool = True) -> object:
    """A BigInteger column for minor units (a 64-bit count of pence never overflows)."""
    return Field(default=None, sa_type=BigInteger, nullable=nullable)


class AppState(SQLModel, table=True):
    """Small key/value counters; `data_version` is bumped by every write.

    Cached readers take the data version as an argument, so an import in one
    browser shows in every other at the next rerun.
    """

    __tablename__ = "app_state"

    key: str = Field(primary_key=True, max_length=64)
    value: int = Field(default=0, sa_type=BigInteger)


class Vendor(SQLModel, table=True):
    """A supplier named by contracts and products; matched by `name_key`."""

    __tablename__ = "vendor"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class DataImport(SQLModel, table=True):
    """One imported file: where every stored fact came from, and the handle to undo it."""

    __tablename__ = "data_import"
    # One live import per content (migration 0003): two uploads racing land once.
    __table_args__ = (
        Index(
            "ux_data_import_live_content",
            "content_hash",
            unique=True,
            sqlite_where=text("status = 'imported'"),
            postgresql_where=text("status = 'imported'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(max_length=500)
    content_hash: str = Field(max_length=64, index=True)
    kind: ImportKind
    format: str = Field(max_length=100)
    vendor: str | None = Field(default=None, max_length=200)
    product_id: int | None = Field(default=None, foreign_key="product.id")
    grain: Grain | None = None
    period_start: date | None = None
    period_end: date | None = None
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    status: ImportStatus = Field(default=ImportStatus.imported, index=True)
    # JSON: decisions taken while parsing (date order, percent scale, units), for display.
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # JSON: what the import replaced in the registry tables, so undo can restore it.
    undo_data: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    undone_at: datetime | None = None
    created_by: str | None = Field(default=None, max_length=320)  # None: before roles existed


class ProductBase(SQLModel):
    """Fields a user types or uploads for a product (validated on the way in)."""

    name: str = Field(min_length=1, max_length=200)
    category: ProductCategory = ProductCategory.other
    lifecycle_stage: LifecycleStage = LifecycleStage.mature
    owner: str | None = Field(default=None, max_length=200)
    sponsor: str | None = Field(default=None, max_length=200)
    target_audience: str | None = Field(default=None, max_length=500)
    target_audience_size: int | None = Field(default=None, ge=0)
    business_problem: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    business_goal: str | None = Field(default=None, max_length=500)
    strategic_fit: int | None = Field(default=None, ge=1, le=5)
    is_core: bool | None = None


class Product(ProductBase, table=True):
    """A learning offer the organisation pays for, run as a product."""

    __tablename__ = "product"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(min_length=1, max_length=200, unique=True, index=True)
    vendor_id: int | None = Field(default=None, foreign_key="vendor.id")
    import_id: int | None = Field(default=None, foreign_key="data_import.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Contract(SQLModel, table=True):
    """A licence contract: seats bought for a term at a price per seat."""

    __tablename__ = "contract"
    __table_args__ = (
        UniqueConstraint("import_id", "product_id", "vendor_id", "start", name="uq_contract_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="data_import.id", index=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    vendor_id: int = Field(foreign_key="vendor.id")
    start: date
    end: date
    seats: int = Field(ge=0)
    price_per_seat_minor: int = Field(sa_type=BigInteger, ge=0)
    currency: str = Field(min_length=3, max_length=3)
    renewal_date: date | None = None


class BudgetLine(SQLModel, table=True):
    """Plan and actual of one cost category of one product in one month.

    A null actual is "not yet known"; a 0 is a known zero.
    """

    __tablename__ = "budget_line"
    __table_args__ = (
        UniqueConstraint(
            "import_id", "product_id", "month", "cost_category", name="uq_budget_line_key"
        ),
        Index("ix_budget_line_product_month", "product_id", "month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="data_import.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    month: date  # first day of the month
    cost_category: CostCategory
    plan_minor: int | None = _money()
    actual_minor: int | None = _money()


class OutcomeMeasure(SQLModel, table=True):
    """One measured (or forecast) outcome at a Kirkpatrick level, with its sample size."""

    __tablename__ = "outcome_measure"
    __table_args__ = (
        UniqueConstraint(
            "import_id",
            "product_id",
            "period",
            "level",
            "measure",
            "kind",
            name="uq_outcome_key",
        ),
        Index("ix_outcome_product_period", "product_id", "period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="data_import.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    period: date  # first day of the month
    level: int = Field(ge=1, le=4)
    measure: str = Field(max_length=200)
    value: float
    n: int | None = Field(default=None, ge=0)
    baseline: float | None = None
    unit_value_minor: int | None = _money()
    attribution_pct: float | None = Field(default=None, ge=0, le=100)
    confidence_pct: float | None = Field(default=None, ge=0, le=100)
    direction: Direction = Direction.higher
    kind: OutcomeKind = OutcomeKind.actual


class Release(SQLModel, table=True):
    """Something released on a product (content, a feature, a fix, a campaign), by import."""

    __tablename__ = "product_release"
    __table_args__ = (
        UniqueConstraint("import_id", "product_id", "date", "title", name="uq_release_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="data_import.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    date: date
    title: str = Field(max_length=300)
    kind: ReleaseKind


class Person(SQLModel, table=True):
    """One person of an HR roster (people.csv), by import: the newest roster import is the roster.

    The person is their learner key (the keyed hash `loaders.identity` gives
    an e-mail or employee id), never the identity itself, so a roster joins
    the usage it explains without putting names in the database. Why per
    import: the roster is a snapshot, and undoing the newest brings back the
    one before it (DESIGN.md, "People roster").
    """

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("import_id", "learner_key", name="uq_person_key"),)

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="data_import.id", index=True)
    learner_key: str = Field(max_length=64)
    key_kind: LearnerKeyKind
    org_unit: str = Field(max_length=300)
    manager_key: str | None = Field(default=None, max_length=64)  # the manager, hashed alike
    cost_centre: str | None = Field(default=None, max_length=100)
    start_date: date | None = None
    end_date: date | None = None


class LearnerUnit(SQLModel, table=True):
    """The org unit a usage import gave a learner, with the day of its latest dated row.

    Why: DESIGN.md places a learner missing from the roster in the org unit
    of their most recent dated usage row, across products. One row per
    learner and import (not per fact) keeps that answer cheap and undoable.
    """

    __tablename__ = "learner_unit"
    __table_args__ = (UniqueConstraint("import_id", "learner_id", name="uq_learner_unit_key"),)

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="data_import.id", index=True)
    learner_id: int = Field(foreign_key="learner.id")
    org_unit: str = Field(max_length=300)
    last_date: date | None = None


class ImportProduct(SQLModel, table=True):
    """A product fed by an import spread over several (usage template, summaries).

    Why: an import of one product names it in `data_import.product_id`; one
    of many would otherwise be found only by reading every one of its facts
    (`SELECT DISTINCT product_id` over a million rows: a quarter of a second
    on every cold page, two and a half at ten million). Written with the
    facts; an undone import's rows are left, as its status already excludes
    them.
    """

    __tablename__ = "import_product"

    import_id: int = Field(foreign_key="data_import.id", primary_key=True)
    product_id: int = Field(primary_key=True)


class Experiment(SQLModel, table=True):
    """An experiment registered on a product before (or while) it runs.

    Its results come from experiments.csv rows with the same product and
    `name` (`ExperimentResult`); the registration says what was hoped for.
    """

    __tablename__ = "experiment"
    __table_args__ = (UniqueConstraint("product_id", "name", name="uq_experiment_name"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    name: str = Field(max_length=200)
    hypothesis: str = Field(sa_column=Column(Text, nullable=False))
    design: ExperimentDesign
    primary_metric: str = Field(max_length=200)
    hoped_effect: float | None = None  # a fraction for rates (0.05 = 5 points)
    start: date
    end: date
    owner: str | None = Field(default=None, max_length=200)
    created_by: str = Field(max_length=320)
    created_at: datetime = Field(default_factory=utcnow)


class ExperimentResult(SQLModel, table=True):
    """One variant's numbers in an experiment, as one import reported them.

    `position` is the variant's order in its experiment (0 = the control, the
    first row of the experiment in the file). A rate metric has
    `conversions`; a continuous one `mean` and `sd`. Which import counts is
    decided per experiment when reading: the newest import of it wins whole.
    """

    __tablename__ = "experiment_result"
    __table_args__ = (
        UniqueConstraint(
            "import_id", "product_id", "experiment", "variant", name="uq_experiment_result_key"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="data_import.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    experiment: str = Field(max_length=200)
    variant: str = Field(max_length=200)
    position: int = Field(ge=0)
    participants: int = Field(ge=0)
    conversions: int | None = Field(default=None, ge=0)
    mean: float | None = None
    sd: float | None = Field(default=None, ge=0)
    metric: str | None = Field(default=None, max_length=200)
    hoped_effect: float | None = None


class Learner(SQLModel, table=True):
    """A pseudonymous learner: a keyed hash of the identity, not the identity.

    `email` and `display_name` stay empty unless storing identities is opted in.
    """

    __tablename__ = "learner"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True, index=True)
    key_kind: LearnerKeyKind
    email: str | None = Field(default=None, max_length=320)
    display_name: str | None = Field(default=None, max_length=300)
    org_unit: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow)


class ContentItem(SQLModel, table=True):
    """A course, video, book or session of a product, by the vendor's id (else its title)."""

    __tablename__ = "content_item"
    __table_args__ = (UniqueConstraint("product_id", "external_id", name="uq_content_item_key"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    external_id: str = Field(max_length=500)
    title: str | None = Field(default=None, max_length=500)
    content_type: str | None = Field(default=None, max_length=100)


class UsageRecord(SQLModel, table=True):
    """Canonical learner x content usage fact, as one import reported it.

    `activity_date` is the row's own date; null means the row belongs to its
    import's report period. Unique within an import on the natural key.

    The unique key is the only index: reads (`models.frames.usage_frame`)
    and undo find an import's rows by its leading `import_id`, and every
    further index costs about a second per million rows imported (measured
    in `bench/import_bench.py`), so none is added without a read that needs it.
    """

    __tablename__ = "usage_record"
    __table_args__ = (
        UniqueConstraint(
            "import_id",
            "learner_id",
            "content_item_id",
            "activity_date",
            name="uq_usage_record_key",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="data_import.id")
    product_id: int = Field(foreign_key="product.id")
    learner_id: int = Field(foreign_key="learner.id")
    content_item_id: int = Field(foreign_key="content_item.id")
    activity_date: date | None = None
    minutes: float | None = Field(default=None, ge=0)
    progress_pct: float | None = Field(default=None, ge=0, le=100)
    completed: bool | None = None
    completed_date: date | None = None


class AggregateUsage(SQLModel, table=True):
    """A per-learner or per-period total from a summary report (hours, views, logins).

    Kept apart from `UsageRecord` so that hours and completions are never
    counted twice when a vendor sends both detail and summary reports.
    """

    __tablename__ = "aggregate_usage"
    __table_args__ = (
        UniqueConstraint(
            "import_id",
            "learner_id",
            "period_start",
            "period_end",
            "measure",
            name="uq_aggregate_usage_key",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="data_import.id", index=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    learner_id: int | None = Field(default=None, foreign_key="learner.id")
    period_start: date
    period_end: date
    measure: str = Field(max_length=100)
    value: float


class ColumnMapping(SQLModel, table=True):
    """A user's column mapping for a report no built-in detector knows.

    Saved from the upload page, it becomes a detector: next month's file
    with the same header is recognised without asking again.
    """

    __tablename__ = "column_mapping"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    vendor: str | None = Field(default=None, max_length=200)
    grain: Grain = Grain.event
    # JSON object: canonical field -> the file's header, normalised.
    columns: str = Field(sa_column=Column(Text, nullable=False))
    date_order: str | None = Field(default=None, max_length=3)
    created_at: datetime = Field(default_factory=utcnow)


class SavedScenario(SQLModel, table=True):
    """A named what-if state of the Prioritise page, kept for the funding review.

    The state itself (weights, budget changes, forced choices, cap,
    assumptions) is `planning.scenarios.Scenario.to_dict()` as JSON text:
    the planning package owns its shape and validates it on the way back,
    so adding a slider does not need a schema change.
    """

    __tablename__ = "saved_scenario"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(min_length=1, max_length=120, unique=True, index=True)
    year: int
    payload: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str | None = Field(default=None, max_length=320)


class Activity(SQLModel, table=True):
    """Who changed what, and when: one row per write, in the write's own transaction.

    `subject` names what was changed (a file name, a scenario name, a role's
    subject); an erased learner is recorded by counts only, never by who.
    """

    __tablename__ = "activity"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=320)
    role: Role
    action: str = Field(max_length=40)
    subject: str | None = Field(default=None, max_length=500)
    detail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    import_id: int | None = Field(default=None)  # no foreign key: the log outlives what it names


class RoleGrant(SQLModel, table=True):
    """A role an admin gave in the app to an e-mail, a domain or `*`.

    `LP_ROLES` is the deployment's own list and wins for the same subject
    (`models.access.resolve_role`).
    """

    __tablename__ = "role_grant"

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=320, unique=True)
    role: Role
    granted_by: str = Field(max_length=320)
    granted_at: datetime = Field(default_factory=utcnow)
