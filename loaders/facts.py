"""The portfolio templates' facts: budgets, contracts, outcomes, KPIs, experiments, releases.

Rows are inserted as facts of this import; which copy counts is resolved
when reading (latest import per natural key, `models.frames`), so undoing
the import brings back what it had superseded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl
from sqlmodel import Session

from loaders.checks import known_products, parse_enum_column, repeated_keys, report, required_text
from loaders.dates import parse_date_columns, parse_months
from loaders.errors import ROW, ErrorLog, Rejected
from loaders.formats import vendor_key
from loaders.job import Job
from loaders.periods import month_end
from loaders.routing import product_lookup
from loaders.values import (
    Parsed,
    blank_missing,
    parse_int,
    parse_money,
    parse_number,
    parse_percent,
)
from loaders.vendors import upsert_vendors
from loaders.writer import insert_frame
from models.enums import CostCategory, Direction, OutcomeKind, ReleaseKind

__all__ = [
    "run_budgets",
    "run_contracts",
    "run_experiments",
    "run_kpis",
    "run_outcomes",
    "run_releases",
]


class _Sheet:
    """One template file being validated: raw text, typed columns, errors."""

    def __init__(self, job: Job, session: Session, *, product: bool = True) -> None:
        mapped = job.format.canonical(job.table)
        self.job, self.raw, self.src = job, mapped.frame, dict(mapped.sources)
        self.errors = ErrorLog()
        self.rows = self.raw.get_column(ROW)
        self.comma = job.table.delimiter == ";"
        self.currency = job.settings.reporting_currency
        if not product:  # a template of people, not of products (people.csv)
            self.product_id = pl.Series("product_id", [None] * self.raw.height, pl.Int64)
            self._required(job)
            return
        if "product" not in self.src and job.options.product:
            # A mapped export of one product's survey or KPI has no product column: the
            # product chosen for the upload fills it (loaders.mappings).
            self.raw = self.raw.with_columns(product=pl.lit(job.options.product))
            self.src["product"] = "product (chosen for the upload)"
        if "product" not in self.src:
            msg = (
                "the file has no product column: choose the product it feeds above the files "
                "(--product on the command line), or map a product column"
            )
            raise Rejected.single(msg)
        self._required(job)
        self.product_id = known_products(
            self.errors, self.raw, self.src["product"], product_lookup(session)
        )

    def _required(self, job: Job) -> None:
        for column in (job.format.fills or job.format).required:
            if isinstance(column, str):
                required_text(self.errors, self.raw, column, self.src[column])

    def has(self, column: str) -> bool:
        return column in self.src

    def take(self, column: str, parse: Callable[..., Parsed], **kwargs: object) -> pl.Series:
        """Parse a column (all null when the file lacks it) and log its problems."""
        if not self.has(column):
            return pl.Series(column, [None] * self.raw.height)
        raw = self.raw.get_column(column)
        parsed = parse(raw, column=self.src[column], **kwargs)
        report(self.errors, raw, self.rows, parsed, self.src[column])
        self.job.note(parsed.decision)
        return parsed.values.alias(column)

    def money(self, column: str) -> pl.Series:
        return self.take(column, parse_money, currency=self.currency, comma_default=self.comma)

    def enum(self, column: str, enum_type: type, default: object = None) -> pl.Series:
        if not self.has(column):
            return pl.Series(column, [getattr(default, "value", None)] * self.raw.height)
        return parse_enum_column(
            self.errors, self.raw, column, self.src[column], enum_type, default
        )  # type: ignore[arg-type]

    def dates(self, columns: Sequence[str]) -> dict[str, pl.Series]:
        present = {self.src[c]: self.raw.get_column(c) for c in columns if self.has(c)}
        fmt, options = self.job.format, self.job.options
        parsed = parse_date_columns(present, default=fmt.date_order, override=options.date_order)
        out = {}
        for column in columns:
            if self.has(column):
                p = parsed[self.src[column]]
                report(self.errors, self.raw.get_column(column), self.rows, p, self.src[column])
                self.job.note(p.decision)
                out[column] = p.values.alias(column)
        return out

    def month(self, column: str) -> pl.Series:
        fmt, options = self.job.format, self.job.options
        return self.take(column, parse_months, default=fmt.date_order, override=options.date_order)

    def finish(
        self, frame: pl.DataFrame, key: Sequence[str], label: str, shown: Sequence[str]
    ) -> None:
        """Check repeated natural keys, then reject if anything was wrong."""
        named = frame.with_columns(self.rows, product=blank_missing(self.raw.get_column("product")))
        repeated_keys(self.errors, named, key, label, shown=shown)
        if self.errors:
            raise Rejected(self.errors)


def run_budgets(job: Job, *, session: Session) -> None:
    """Plan and actual per product, month and cost category."""
    sheet = _Sheet(job, session)
    frame = pl.DataFrame(
        [
            sheet.product_id,
            sheet.month("month"),
            sheet.enum("cost_category", CostCategory),
            sheet.money("plan").alias("plan_minor"),
            sheet.money("actual").alias("actual_minor"),
        ]
    )
    key = ["month", "cost_category"]
    sheet.finish(frame, ["product_id", *key], "product, month and category", ["product", *key])
    months = frame.get_column("month")
    period = (months.min(), month_end(months.max()))  # type: ignore[arg-type]
    import_id = job.record(session=session, period=period)  # type: ignore[arg-type]
    rows = frame.with_columns(pl.lit(import_id, pl.Int64).alias("import_id"))
    job.finish(insert_frame(session.connection(), "budget_line", rows))


def run_contracts(job: Job, *, session: Session) -> None:
    """Licence contracts; their currency must be the reporting currency."""
    sheet = _Sheet(job, session)
    dates = sheet.dates(["start", "end", "renewal_date"])
    currency = blank_missing(sheet.raw.get_column("currency")) if sheet.has("currency") else None
    reporting = job.settings.reporting_currency
    frame = pl.DataFrame(
        [
            sheet.product_id,
            dates["start"],
            dates["end"],
            sheet.take("seats", parse_int, minimum=0).alias("seats"),
            sheet.money("price_per_seat").alias("price_per_seat_minor"),
            (
                currency.str.to_uppercase().fill_null(reporting)
                if currency is not None
                else pl.Series([reporting] * sheet.raw.height)
            ).alias("currency"),
            dates.get(
                "renewal_date", pl.Series("renewal_date", [None] * sheet.raw.height, dtype=pl.Date)
            ),
        ]
    )
    checked = frame.with_columns(sheet.rows, vendor=blank_missing(sheet.raw.get_column("vendor")))
    sheet.errors.add_rows(
        checked.filter(pl.col("end") < pl.col("start")),
        column=sheet.src["end"],
        message=lambda r: f"the end {r['end']} is before the start {r['start']}",
    )
    sheet.errors.add_rows(
        checked.filter(pl.col("currency") != reporting).select(ROW, "currency"),
        column=sheet.src.get("currency"),
        message=lambda r: (
            f"currency {r['currency']} differs from the reporting currency {reporting}; "
            "exchange rates are not supported yet"
        ),
    )
    keyed = checked.with_columns(
        pl.col("vendor").map_elements(vendor_key, return_dtype=pl.String).alias("vendor_key"),
    )
    # Vendors are matched by their letters and digits (`vendor_key`): a name of
    # punctuation alone ("'", "--") matches nothing and would name no vendor.
    sheet.errors.add_rows(
        keyed.filter(pl.col("vendor").is_not_null() & (pl.col("vendor_key") == "")),
        column=sheet.src["vendor"],
        message=lambda r: f"vendor '{r['vendor']}' has no letter or digit to name a vendor by",
    )
    sheet.finish(
        keyed.drop(ROW),
        ["product_id", "vendor_key", "start"],
        "product, vendor and start",
        ["product", "vendor", "start"],
    )
    ids, created = upsert_vendors(session, keyed.get_column("vendor").drop_nulls().to_list())
    starts, ends = frame.get_column("start"), frame.get_column("end")
    import_id = job.record(
        session=session,
        period=(starts.min(), ends.max()),  # type: ignore[arg-type]
        undo_data={"vendors_created": created},
    )
    rows = frame.with_columns(
        pl.lit(import_id, pl.Int64).alias("import_id"),
        keyed.get_column("vendor_key")
        .replace_strict(ids, return_dtype=pl.Int64)
        .alias("vendor_id"),
    )
    job.finish(insert_frame(session.connection(), "contract", rows))


def _write_outcomes(
    job: Job, sheet: _Sheet, frame: pl.DataFrame, shown: Sequence[str], *, session: Session
) -> None:
    """Check repeated keys, record the import over its months, insert the rows."""
    key = ["period", "level", "measure", "kind"]
    # The KPI template's words for the same columns, so its messages say "month" and "kpi".
    named = frame.with_columns(month=pl.col("period"), kpi=pl.col("measure"))
    sheet.finish(named, ["product_id", *key], "outcome", shown)
    periods = frame.get_column("period")
    import_id = job.record(session=session, period=(periods.min(), month_end(periods.max())))  # type: ignore[arg-type]
    rows = frame.with_columns(pl.lit(import_id, pl.Int64).alias("import_id"))
    job.finish(insert_frame(session.connection(), "outcome_measure", rows))


def _benefit_columns(sheet: _Sheet) -> list[pl.Series]:
    """The columns that turn a level-4 measure into money: n, baseline, unit value, isolation."""
    pct = {"comma_default": sheet.comma}
    return [
        sheet.take("n", parse_int, minimum=0),
        sheet.take("baseline", parse_number, comma_default=sheet.comma),
        sheet.money("unit_value").alias("unit_value_minor"),
        sheet.take("attribution_pct", parse_percent, **pct),
        sheet.take("confidence_pct", parse_percent, **pct),
        sheet.enum("direction", Direction, Direction.higher),
    ]


def run_outcomes(job: Job, *, session: Session) -> None:
    """Outcome measures per product, month, Kirkpatrick level and measure."""
    sheet = _Sheet(job, session)
    frame = pl.DataFrame(
        [
            sheet.product_id,
            sheet.month("period"),
            sheet.take("level", parse_int, minimum=1, maximum=4),
            blank_missing(sheet.raw.get_column("measure")).str.slice(0, 200).alias("measure"),
            sheet.take("value", parse_number, comma_default=sheet.comma),
            *_benefit_columns(sheet),
            sheet.enum("kind", OutcomeKind, OutcomeKind.actual),
        ]
    )
    _write_outcomes(
        job, sheet, frame, ["product", "period", "level", "measure", "kind"], session=session
    )


def run_kpis(job: Job, *, session: Session) -> None:
    """A KPI series: one level-4 actual measure per product, month and KPI (kpis.csv).

    Why its own template: the people who hold business KPIs (sales, quality,
    service) keep them as a monthly series with a baseline and a unit value;
    they should not have to know Kirkpatrick levels or the outcome kinds.
    """
    sheet = _Sheet(job, session)
    height = sheet.raw.height
    frame = pl.DataFrame(
        [
            sheet.product_id,
            sheet.month("month").alias("period"),
            pl.Series("level", [4] * height, dtype=pl.Int64),
            blank_missing(sheet.raw.get_column("kpi")).str.slice(0, 200).alias("measure"),
            sheet.take("value", parse_number, comma_default=sheet.comma),
            *_benefit_columns(sheet),
            pl.Series("kind", [OutcomeKind.actual.value] * height),
        ]
    )
    _write_outcomes(job, sheet, frame, ["product", "month", "kpi"], session=session)


def run_experiments(job: Job, *, session: Session) -> None:
    """Experiment results: one row per variant, the first row of an experiment its control.

    Each experiment is all rates (participants and conversions) or all means
    (participants, mean and sd) and has at least two variants; conversions
    cannot exceed participants. Refusals name the row and column.
    """
    sheet = _Sheet(job, session)
    frame = pl.DataFrame(
        [
            sheet.product_id,
            blank_missing(sheet.raw.get_column("experiment")).str.slice(0, 200).alias("experiment"),
            blank_missing(sheet.raw.get_column("variant")).str.slice(0, 200).alias("variant"),
            sheet.take("participants", parse_int, minimum=0).alias("participants"),
            sheet.take("conversions", parse_int, minimum=0).alias("conversions"),
            sheet.take("mean", parse_number, comma_default=sheet.comma).alias("mean"),
            sheet.take("sd", parse_number, comma_default=sheet.comma).alias("sd"),
            (
                blank_missing(sheet.raw.get_column("metric")).str.slice(0, 200)
                if sheet.has("metric")
                else pl.Series("metric", [None] * sheet.raw.height, dtype=pl.String)
            ).alias("metric"),
            sheet.take("hoped_effect", parse_number, comma_default=sheet.comma).alias(
                "hoped_effect"
            ),
        ]
    ).with_columns(sheet.rows)
    _check_experiments(sheet, frame)
    key = ["experiment", "variant"]
    sheet.finish(frame.drop(ROW), ["product_id", *key], "variant", ["product", *key])
    rows = frame.sort(ROW).with_columns(
        (pl.int_range(pl.len()).over("product_id", "experiment")).alias("position"),
    )
    import_id = job.record(session=session)
    rows = rows.drop(ROW).with_columns(pl.lit(import_id, pl.Int64).alias("import_id"))
    job.finish(insert_frame(session.connection(), "experiment_result", rows))


def _check_experiments(sheet: _Sheet, frame: pl.DataFrame) -> None:
    """Rows that cannot be compared: refused with their row and column."""
    errors, src = sheet.errors, sheet.src
    rate = pl.col("conversions").is_not_null()
    mean = pl.col("mean").is_not_null() & pl.col("sd").is_not_null()
    errors.add_rows(
        frame.filter(~rate & ~mean & pl.col("participants").is_not_null()).select(ROW),
        column=src.get("conversions") or src["participants"],
        message=lambda _: "give conversions (a rate) or a mean and an sd (a continuous metric)",
    )
    errors.add_rows(
        frame.filter(rate & (pl.col("conversions") > pl.col("participants"))).select(
            ROW, "conversions", "participants"
        ),
        column=src.get("conversions"),
        message=lambda r: (
            f"{r['conversions']} conversions is more than the {r['participants']} participants"
        ),
    )
    errors.add_rows(
        frame.filter(pl.col("sd") < 0).select(ROW),
        column=src.get("sd"),
        message=lambda _: "a standard deviation cannot be negative",
    )
    kinds = frame.filter(pl.col("experiment").is_not_null()).with_columns(
        pl.when(rate).then(pl.lit("rate")).when(mean).then(pl.lit("mean")).alias("metric_kind")
    )
    mixed = kinds.filter(pl.col("metric_kind").n_unique().over("product_id", "experiment") > 1)
    errors.add_rows(
        mixed.select(ROW, "experiment"),
        column=src["experiment"],
        message=lambda r: (
            f"experiment {r['experiment']!r} mixes rates and means: its variants "
            "must report the same kind of metric"
        ),
    )
    alone = kinds.filter(pl.len().over("product_id", "experiment") < 2)
    errors.add_rows(
        alone.select(ROW, "experiment"),
        column=src["variant"],
        message=lambda r: (
            f"experiment {r['experiment']!r} has one variant: it needs its "
            "control (the first row) and at least one treatment"
        ),
    )


def run_releases(job: Job, *, session: Session) -> None:
    """Releases per product and date: a title, and what kind (content by default)."""
    sheet = _Sheet(job, session)
    dates = sheet.dates(["date"])
    frame = pl.DataFrame(
        [
            sheet.product_id,
            dates["date"],
            blank_missing(sheet.raw.get_column("title")).str.slice(0, 300).alias("title"),
            sheet.enum("kind", ReleaseKind, ReleaseKind.content),
        ]
    )
    sheet.finish(frame, ["product_id", "date", "title"], "release", ["product", "date", "title"])
    days = frame.get_column("date")
    import_id = job.record(session=session, period=(days.min(), days.max()))  # type: ignore[arg-type]
    rows = frame.with_columns(pl.lit(import_id, pl.Int64).alias("import_id"))
    job.finish(insert_frame(session.connection(), "product_release", rows))
