"""Usage reports (vendor formats and `usage.csv`) -> validated canonical usage rows.

Every step is a polars expression over whole columns; the only Python loops
run once per distinct learner or content item (see `usage_write`). Any
invalid row rejects the file (DESIGN.md, "Rejection"): all problems are
collected first so the user sees them together.
"""

from __future__ import annotations

import polars as pl
from sqlmodel import Session

from loaders.checks import report
from loaders.dates import parse_date_columns
from loaders.durations import parse_duration, unit_from_header
from loaders.errors import ROW, ErrorLog, Rejected
from loaders.formats.base import USAGE_COLUMNS, UsageMap
from loaders.identity import learner_identity
from loaders.job import Job
from loaders.periods import check_late_dates, report_period
from loaders.progress import CHECKING
from loaders.result import decision
from loaders.routing import product_lookup, route_vendor_report
from loaders.usage_write import write_usage
from loaders.values import Parsed, blank_missing, parse_bool, parse_percent

__all__ = [
    "blank_tokens",
    "check_and_write",
    "derived_keys",
    "derived_typed",
    "parse_typed",
    "run_usage",
]

_BLANKABLE = ("email", "user_id", "content_id", "org_unit", "product")
_TYPED = {
    "activity_date": pl.Date(),
    "completed_date": pl.Date(),
    "progress": pl.Float64(),
    "minutes": pl.Float64(),
    "completed_flag": pl.Boolean(),
}


def blank_tokens(raw: pl.DataFrame, src: dict[str, str]) -> pl.DataFrame:
    """Key columns (e-mail, user id, content id, org unit, product) with N/A and the like null."""
    return raw.with_columns(
        blank_missing(raw.get_column(c)).alias(c) for c in _BLANKABLE if c in src
    )


def _parse(job: Job, raw: pl.DataFrame, src: dict[str, str], errors: ErrorLog) -> pl.DataFrame:
    """Typed columns: dates, progress (0-100), minutes, explicit completion."""
    return parse_typed(job, blank_tokens(raw, src), raw, src, errors)


def parse_typed(
    job: Job, out: pl.DataFrame, raw: pl.DataFrame, src: dict[str, str], errors: ErrorLog
) -> pl.DataFrame:
    """`out` with the typed columns parsed from `raw`'s text (problems logged to `errors`).

    `raw` needs `ROW` and the text of the columns parsed here; `out` is the
    frame the typed columns are added to (the same rows).
    """
    spec = job.format.usage
    assert spec is not None
    rows = raw.get_column(ROW)
    date_cols = [c for c in ("activity_date", "completed_date") if c in src]
    dates = parse_date_columns(
        {src[c]: raw.get_column(c) for c in date_cols},
        default=job.format.date_order,
        override=job.options.date_order,
    )
    typed: dict[str, pl.Series] = {}
    reported: set[str] = set()
    for c in date_cols:
        parsed = dates[src[c]]
        typed[c] = parsed.values
        if src[c] not in reported:  # two canonical columns may share one source column
            reported.add(src[c])
            report(errors, raw.get_column(c), rows, parsed, src[c])
            job.note(parsed.decision)
    comma = job.table.delimiter == ";"
    if "progress" in src:
        parsed = parse_percent(
            raw.get_column("progress"), column=src["progress"], comma_default=comma
        )
        typed["progress"] = parsed.values
        report(errors, raw.get_column("progress"), rows, parsed, src["progress"])
        job.note(parsed.decision)
    if "minutes" in src:
        unit = unit_from_header(src["minutes"], spec.minutes_unit)
        parsed = parse_duration(raw.get_column("minutes"), column=src["minutes"], plain_unit=unit)
        typed["minutes"] = parsed.values
        report(errors, raw.get_column("minutes"), rows, parsed, src["minutes"])
        job.note(parsed.decision)
    if "completed" in src:
        parsed = _completion(raw.get_column("completed"), spec, src["completed"])
        typed["completed_flag"] = parsed.values
        report(errors, raw.get_column("completed"), rows, parsed, src["completed"])
    for name, dtype in _TYPED.items():
        if name not in typed:
            typed[name] = pl.repeat(None, raw.height, dtype=dtype, eager=True)
    return out.with_columns(s.alias(name) for name, s in typed.items())


def _completion(raw: pl.Series, spec: UsageMap, column: str) -> Parsed:
    """A yes/no column, or a status column whose listed statuses mean completed."""
    if not spec.completed_values:
        return parse_bool(raw, column=column)
    status = blank_missing(raw).str.to_lowercase()
    done = status.is_in(list(spec.completed_values)).set(status.is_null(), None)
    return Parsed(done, pl.Series([None] * len(raw), dtype=pl.String))


def derived_keys(spec: UsageMap) -> list[pl.Expr]:
    """The content key and the learner identity (`key_kind`, `ident`): text of each row."""
    key = pl.coalesce(pl.col("content_id"), pl.col("content_title").str.strip_chars())
    if spec.content_key_with_type:
        typed = pl.concat_str([key, pl.col("content_type")], separator=" | ")
        key = pl.when(pl.col("content_type").is_not_null()).then(typed).otherwise(key)
    return [key.str.slice(0, 500).alias("content_key"), *learner_identity()]


def derived_typed(spec: UsageMap, src: dict[str, str]) -> list[pl.Expr]:
    """Completion and the row's own date, from the typed columns."""
    signals: list[pl.Expr] = []
    if spec.completed_if_date and "completed_date" in src:
        signals.append(pl.col("completed_date").is_not_null())
    if spec.completed_if_full_progress and "progress" in src:
        signals.append((pl.col("progress") >= 100).fill_null(False))
    derived = pl.any_horizontal(signals) if signals else pl.lit(None, pl.Boolean)
    activity = pl.col("activity_date")
    if spec.activity_from_completion and "activity_date" not in src:
        activity = pl.col("completed_date")
    return [
        pl.coalesce(pl.col("completed_flag"), derived).alias("completed"),
        activity.alias("activity_date"),
    ]


def _check_required(frame: pl.DataFrame, src: dict[str, str], errors: ErrorLog) -> None:
    learner_cols = " / ".join(
        dict.fromkeys(src[c] for c in ("email", "user_id", "name") if c in src)
    )
    errors.add_rows(
        frame.filter(pl.col("key_kind").is_null()).select(ROW),
        column=learner_cols or None,
        message=lambda _: "no learner: the e-mail, user id and name are all empty",
    )
    content_cols = " / ".join(src[c] for c in ("content_id", "content_title") if c in src)
    errors.add_rows(
        frame.filter(pl.col("content_key").is_null()).select(ROW),
        column=content_cols or None,
        message=lambda _: "no content: the content id and title are both empty",
    )


def _products(
    job: Job, frame: pl.DataFrame, src: dict[str, str], errors: ErrorLog, session: Session
) -> pl.DataFrame:
    """Attach `product_id`: from each row's product column, else by routing the report."""
    if "product" not in src:
        pid, name = route_vendor_report(
            session, job.detection, product=job.options.product, formats=job.formats
        )
        job.result.product, job.result.products = name, [name]
        return frame.with_columns(pl.lit(pid, pl.Int64).alias("product_id"))
    if job.options.product:
        job.note(decision("product", "--product ignored: the file names a product in every row"))
    known = product_lookup(session)
    lookup = pl.DataFrame(
        {
            "__pkey": list(known),
            "product_id": [v[0] for v in known.values()],
            "__pname": [v[1] for v in known.values()],
        },
        schema={"__pkey": pl.String, "product_id": pl.Int64, "__pname": pl.String},
    )
    keyed = frame.with_columns(
        pl.col("product").cast(pl.String).str.strip_chars().str.to_lowercase().alias("__pkey")
    )
    joined = keyed.join(lookup, on="__pkey", how="left", maintain_order="left")
    errors.add_rows(
        joined.filter(pl.col("product").is_null()).select(ROW),
        column=src["product"],
        message=lambda _: "no product: the product is empty",
    )
    errors.add_rows(
        joined.filter(pl.col("product").is_not_null() & pl.col("product_id").is_null()).select(
            ROW, "product"
        ),
        column=src["product"],
        message=lambda r: (
            f"product '{r['product']}' does not exist; add it with products.csv first"
        ),
    )
    names = joined.get_column("__pname").drop_nulls().unique(maintain_order=True).to_list()
    job.result.products = names
    job.result.product = names[0] if len(names) == 1 else None
    return joined.drop("__pkey", "__pname")


def run_usage(job: Job, *, session: Session) -> None:
    """Validate a usage report and write it as facts of a new import."""
    spec = job.format.usage
    assert spec is not None
    job.report(CHECKING, f"checking {job.table.frame.height:,} rows")
    mapped = job.format.canonical(job.table)
    job.note(*mapped.notes)
    src = mapped.sources
    raw = mapped.frame.with_columns(
        pl.lit(None, pl.String).alias(c) for c in USAGE_COLUMNS if c not in mapped.frame.columns
    )
    check_and_write(job, blank_tokens(raw, src), raw, src, session=session)


def check_and_write(
    job: Job,
    out: pl.DataFrame,
    raw: pl.DataFrame,
    src: dict[str, str],
    *,
    session: Session,
    keyed: bool = False,
) -> None:
    """Parse, check and write canonical usage rows; raise `Rejected` on any invalid row.

    `out` is the canonical frame with N/A tokens blanked (`blank_tokens`), `raw`
    the text the typed columns are parsed from (with `ROW`). `keyed` says `out`
    already has the content key and learner identity (`derived_keys`), as a
    streamed import's rows do (`loaders.streaming`).
    """
    spec = job.format.usage
    assert spec is not None
    errors = ErrorLog()
    typed = parse_typed(job, out, raw, src, errors)
    keys = [] if keyed else derived_keys(spec)
    frame = typed.with_columns(*derived_typed(spec, src), *keys)
    del typed
    _check_required(frame, src, errors)
    frame = _products(job, frame, src, errors, session)
    if errors:
        raise Rejected(errors)
    start, end = report_period(job, frame)
    job.result.period_start, job.result.period_end = start, end
    check_late_dates(job, frame, raw, src, end, errors)
    if errors:
        raise Rejected(errors)
    del raw
    write_usage(job, frame, period=(start, end), session=session)
