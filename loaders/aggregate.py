"""Summary reports -> `AggregateUsage` facts, kept apart from learner x content usage.

A per-learner summary (LinkedIn Learning learner summary, Udemy users,
Coursera membership) stores one fact per learner x measure; a per-period
summary (LinkedIn Learning organization summary) one fact per period x
measure with no learner. Keeping them out of `usage_record` is what stops
hours and completions from being counted twice when a vendor sends both
detail and summary reports.

The period of every fact: the row's own period columns when the format has
them (the report's period is then their span), else `--period`, else the
span of the format's declared dates; a report with none of these is
rejected with a message asking for `--period` (DESIGN.md, "Overlap and
undo"). Facts are stored per import and resolved when read
(`models.frames.aggregates_frame`): per product x learner x period x
measure the latest import in force counts, so undoing an import brings back
what it had superseded.

Validation follows DESIGN.md, "Rejection": every problem is collected, and
one invalid row rejects the file. A row repeating the learner (and scope)
and period of an earlier one replaces it, with a note. Writing is the bulk
path of `usage_write`: one polars frame, learners found or created once
each, chunked executemany. `rows_imported` counts the report's rows stored
(each gives one fact per measure present; a blank cell is "not tracked" and
stores nothing); the `aggregate_facts` decision gives the number of values.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlmodel import Session

from loaders.checks import report
from loaders.dates import parse_date_columns
from loaders.durations import parse_duration, unit_from_header
from loaders.errors import ROW, ErrorLog, Rejected
from loaders.formats.aggregates import (
    DATE_PREFIX,
    MEASURE_PREFIX,
    SCOPE_SEPARATOR,
    AggregateMap,
    Measure,
)
from loaders.identity import learner_identity
from loaders.job import Job
from loaders.pseudonym import checked_secret
from loaders.result import decision
from loaders.routing import route_vendor_report
from loaders.upserts import upsert_learners
from loaders.values import Parsed, blank_missing, parse_int
from loaders.writer import insert_frame

__all__ = ["run_aggregate"]

_MEASURE_LENGTH = 100  # AggregateUsage.measure
_KEY_WORDS = {"ident": "learner", "scope": "scope", "period_start": "period"}
_PERIOD_HINT = "pass --period YYYY-MM[..YYYY-MM] with the period the report was run for"


def _spec(job: Job) -> AggregateMap:
    spec = job.format.to_canonical
    if not isinstance(spec, AggregateMap):
        msg = f"format {job.format.name!r} is an aggregate format without an AggregateMap"
        raise TypeError(msg)
    return spec


def _text(raw: pl.DataFrame, column: str) -> pl.Series:
    if column in raw.columns:
        return raw.get_column(column)
    return pl.Series(column, [None] * raw.height, dtype=pl.String)


def _learners(raw: pl.DataFrame, src: dict[str, str], errors: ErrorLog) -> pl.DataFrame:
    """`key_kind`, `ident` (DESIGN.md, "Learners") plus e-mail, name and org unit as read."""
    who = pl.DataFrame(
        [
            raw.get_column(ROW),
            blank_missing(_text(raw, "email")).alias("email"),
            blank_missing(_text(raw, "user_id")).alias("user_id"),
            _text(raw, "name").alias("name"),
            blank_missing(_text(raw, "org_unit")).alias("org_unit"),
        ]
    ).with_columns(learner_identity())
    named = " / ".join(dict.fromkeys(src[c] for c in ("email", "user_id", "name") if c in src))
    errors.add_rows(
        who.filter(pl.col("key_kind").is_null()).select(ROW),
        column=named or None,
        message=lambda _: "no learner: the e-mail, user id and name are all empty",
    )
    return who.drop(ROW, "user_id")


def _flag(raw: pl.Series, measure: Measure) -> Parsed:
    """A status text as 1 (`true_values`) or 0 (`false_prefixes`); anything else is a problem."""
    status = (
        blank_missing(raw).str.to_lowercase().str.replace_all(r"[\s_\-]+", " ").str.strip_chars()
    )
    starts = [pl.col("s").str.starts_with(p) for p in measure.false_prefixes]
    known_false = pl.any_horizontal(starts) if starts else pl.lit(False)
    values = (
        pl.DataFrame({"s": status})
        .select(
            pl.when(pl.col("s").is_in(list(measure.true_values)))
            .then(pl.lit(1.0))
            .when(known_false)
            .then(pl.lit(0.0))
            .otherwise(pl.lit(None, pl.Float64))
            .alias(measure.name)
        )
        .to_series()
    )
    ones = ", ".join(measure.true_values)
    zeros = ", ".join(f"{p}..." for p in measure.false_prefixes)
    words = f"is not a known status (read as 1: {ones}; as 0: {zeros})"
    bad = (status.is_not_null() & values.is_null()).fill_null(False)
    problem = pl.select(pl.when(pl.lit(bad)).then(pl.lit(words)).otherwise(None)).to_series()
    return Parsed(values, problem)


def _parse_measure(measure: Measure, raw: pl.Series, column: str) -> Parsed:
    if measure.kind == "duration":
        unit = unit_from_header(column, measure.unit)
        return parse_duration(raw, column=column, plain_unit=unit)
    if measure.kind == "flag":
        return _flag(raw, measure)
    whole = parse_int(raw, column=column, minimum=0)
    return Parsed(
        whole.values.cast(pl.Float64), whole.problem, whole.decision, whole.column_problem
    )


def _measures(
    job: Job, spec: AggregateMap, raw: pl.DataFrame, src: dict[str, str], errors: ErrorLog
) -> dict[str, pl.Series]:
    """Each present measure parsed to floats (minutes for durations, 1/0 for flags)."""
    rows = raw.get_column(ROW)
    out: dict[str, pl.Series] = {}
    for measure in spec.measures:
        canonical = MEASURE_PREFIX + measure.name
        if canonical not in raw.columns:
            continue
        text = raw.get_column(canonical)
        parsed = _parse_measure(measure, text, src[canonical])
        report(errors, text, rows, parsed, src[canonical])
        job.note(parsed.decision)
        out[measure.name] = parsed.values.alias(canonical)
    if not out:
        listed = ", ".join(m.name for m in spec.measures)
        msg = f"the file has none of the {job.format.title}'s measure columns ({listed})"
        raise Rejected.single(msg)
    return out


def _scope(raw: pl.DataFrame, src: dict[str, str], names: list[str], errors: ErrorLog) -> pl.Series:
    """The scope of each row's measures (stored as `<measure>/<scope>`); empty is an error."""
    scope = blank_missing(raw.get_column("scope"))
    room = _MEASURE_LENGTH - len(SCOPE_SEPARATOR) - max(len(n) for n in names)
    checked = pl.DataFrame([raw.get_column(ROW), scope.alias("value")])
    errors.add_rows(
        checked.filter(pl.col("value").is_null()).select(ROW),
        column=src["scope"],
        message=lambda _: "is empty; a value is required",
    )
    errors.add_rows(
        checked.filter(pl.col("value").str.len_chars() > room),
        column=src["scope"],
        message=lambda r: f"'{r['value']}' is longer than the {room} characters that can be stored",
    )
    return scope.alias("scope")


def _after(
    errors: ErrorLog,
    rows: pl.Series,
    raw: pl.Series,
    values: pl.Series,
    column: str,
    limits: list[tuple[date, str]],
) -> None:
    """Dates after each limit (checked in order, one error per cell) are row errors."""
    cells = pl.DataFrame({ROW: rows, "d": values, "raw": raw})
    for limit, words in limits:
        late = cells.filter(pl.col("d") > limit)
        cells = cells.filter(~(pl.col("d") > limit).fill_null(False))
        errors.add_rows(
            late,
            column=column,
            message=lambda r, w=words: f"'{r['raw']}' ({r['d']}) is after {w}",
        )


def _own_periods(
    job: Job, raw: pl.DataFrame, src: dict[str, str], errors: ErrorLog
) -> tuple[pl.DataFrame, tuple[date, date]]:
    """Each row's period from the report's period columns; the report's period is their span."""
    rows = raw.get_column(ROW)
    named = {src[c]: raw.get_column(c) for c in ("period_start", "period_end")}
    parsed = parse_date_columns(
        named, default=job.format.date_order, override=job.options.date_order
    )
    values = {}
    for canonical in ("period_start", "period_end"):
        column = src[canonical]
        report(errors, raw.get_column(canonical), rows, parsed[column], column)
        job.note(parsed[column].decision)
        values[canonical] = parsed[column].values.alias(canonical)
    frame = pl.DataFrame([rows, values["period_start"], values["period_end"]])
    for canonical in ("period_start", "period_end"):
        missing = blank_missing(raw.get_column(canonical)).is_null()  # "", N/A, NULL…
        errors.add_rows(
            raw.filter(missing).select(ROW),
            column=src[canonical],
            message=lambda _: "is empty; each row needs its period's start and end",
        )
    errors.add_rows(
        frame.filter(pl.col("period_end") < pl.col("period_start")),
        column=src["period_end"],
        message=lambda r: (
            f"the period ends ({r['period_end']}) before it starts ({r['period_start']})"
        ),
    )
    today = job.settings.today()
    _after(
        errors,
        rows,
        raw.get_column("period_start"),
        values["period_start"],
        src["period_start"],
        [(today, f"today ({today})")],
    )
    if job.options.period is not None:
        job.note(decision("period", "--period ignored: the report gives every row its period"))
    job.note(decision("period", "from the report's own period columns"))
    span = (values["period_start"].min(), values["period_end"].max())
    return frame, span  # type: ignore[return-value]


def _report_period(
    job: Job, spec: AggregateMap, raw: pl.DataFrame, src: dict[str, str], errors: ErrorLog
) -> tuple[pl.DataFrame, tuple[date, date]]:
    """Every row's period: its own columns, else `--period`, else the span of the dates."""
    if "period_start" in src and "period_end" in src:
        return _own_periods(job, raw, src, errors)
    rows = raw.get_column(ROW)
    dated = [c for c in raw.columns if c.startswith(DATE_PREFIX)]
    parsed = parse_date_columns(
        {src[c]: raw.get_column(c) for c in dated},
        default=job.format.date_order,
        override=job.options.date_order,
    )
    for c in dated:
        report(errors, raw.get_column(c), rows, parsed[src[c]], src[c])
        job.note(parsed[src[c]].decision)
    if errors:
        raise Rejected(errors)
    if job.options.period is not None:
        start, end = job.options.period
        job.note(decision("period", "from --period"))
    else:
        found = pl.concat([parsed[src[c]].values for c in dated]).drop_nulls() if dated else None
        if found is None or found.is_empty():
            raise Rejected.single(_no_period(job, spec, [src[c] for c in dated]))
        start, end = found.min(), found.max()
        labels = ", ".join(src[c] for c in dated)
        job.note(decision("period", f"from the span of the report's dates ({labels})"))
    today = job.settings.today()
    for c in dated:
        limits = [(end, f"the report period end {end}"), (today, f"today ({today})")]
        _after(errors, rows, raw.get_column(c), parsed[src[c]].values, src[c], limits)  # type: ignore[list-item]
    frame = pl.DataFrame(
        [
            rows,
            pl.Series("period_start", [start] * raw.height, dtype=pl.Date),
            pl.Series("period_end", [end] * raw.height, dtype=pl.Date),
        ]
    )
    return frame, (start, end)  # type: ignore[return-value]


def _no_period(job: Job, spec: AggregateMap, dated: list[str]) -> str:
    title = job.format.title
    if not spec.dates:
        return (
            f"a {title} carries no dates, so the period it covers cannot be known; {_PERIOD_HINT}"
        )
    listed = ", ".join(dated) or ", ".join(str(h) for h in spec.dates)
    return f"the {title} has no dates ({listed} are empty) and no period; {_PERIOD_HINT}"


def _dedupe(job: Job, frame: pl.DataFrame, key: list[str], measures: list[str]) -> pl.DataFrame:
    """Keep the last row per key (exports do repeat rows); say how many repeats there were."""
    kept = frame.unique(subset=key, keep="last", maintain_order=True)
    dropped = frame.height - kept.height
    if dropped:
        different = frame.unique(subset=[*key, *measures]).height - kept.height
        rows = frame.filter(~pl.col(ROW).is_in(kept.get_column(ROW).implode())).get_column(ROW)
        shown = ", ".join(str(r) for r in rows.head(10).to_list())
        what = " x ".join(_KEY_WORDS[k] for k in key if k in _KEY_WORDS)
        job.note(
            decision(
                "repeated_keys",
                f"{dropped} row(s) repeat the {what} of an earlier row ({different} with "
                f"different values); the last one is kept (repeated rows: {shown}"
                f"{', ...' if dropped > 10 else ''})",
                value=dropped,
                different=different,
                rows=rows.head(50).to_list(),
            )
        )
    return kept


def _long(kept: pl.DataFrame, key: list[str], measures: list[str]) -> pl.DataFrame:
    """One row per stored value: the row's key, `measure` (with its scope) and `value`."""
    parts = [
        kept.select(
            ROW,
            *key,
            pl.lit(name).alias("measure"),
            pl.col(MEASURE_PREFIX + name).alias("value"),
        )
        for name in measures
    ]
    long = pl.concat(parts).filter(pl.col("value").is_not_null())
    if "scope" in key:
        scoped = pl.concat_str([pl.col("measure"), pl.col("scope")], separator=SCOPE_SEPARATOR)
        long = long.with_columns(scoped.alias("measure"))
    return long


def run_aggregate(job: Job, *, session: Session) -> None:
    """Validate a summary report and write its measures as facts of a new import."""
    spec = _spec(job)
    mapped = job.format.canonical(job.table)
    job.note(*mapped.notes)
    raw, src = mapped.frame, mapped.sources
    errors = ErrorLog()
    parts = [raw.select(ROW)]
    key: list[str] = []
    if spec.per_learner:
        parts.append(_learners(raw, src, errors))
        key += ["key_kind", "ident"]
    values = _measures(job, spec, raw, src, errors)
    parts.append(pl.DataFrame(list(values.values())))
    if "scope" in raw.columns:
        parts.append(_scope(raw, src, list(values), errors).to_frame())
        key.append("scope")
    elif spec.scope:
        listed = ", ".join(str(h) for h in spec.scope)
        errors.add(f"missing a required column: one of {listed}")
    product_id, product = route_vendor_report(
        session, job.detection, product=job.options.product, formats=job.formats
    )
    job.result.product, job.result.products = product, [product]
    if errors:
        raise Rejected(errors)
    periods, span = _report_period(job, spec, raw, src, errors)
    if errors:
        raise Rejected(errors)
    job.result.period_start, job.result.period_end = span
    frame = pl.concat([*parts, periods.drop(ROW)], how="horizontal")
    key += ["period_start", "period_end"]
    kept = _dedupe(job, frame, key, [MEASURE_PREFIX + n for n in values])
    long = _long(kept, key, list(values))
    _write(job, spec, kept, long, product_id=product_id, period=span, session=session)


def _write(
    job: Job,
    spec: AggregateMap,
    kept: pl.DataFrame,
    long: pl.DataFrame,
    *,
    product_id: int,
    period: tuple[date, date],
    session: Session,
) -> None:
    """Record the import, find or create learners in bulk, insert the facts."""
    import_id = job.record(
        session=session, product_id=product_id, grain=job.format.grain, period=period
    )
    conn = session.connection()
    if spec.per_learner:
        email = pl.when(pl.col("key_kind") == "email").then(pl.col("ident")).first()
        learners = kept.group_by("key_kind", "ident").agg(
            email.alias("email"),
            pl.col("name").drop_nulls().last(),
            pl.col("org_unit").drop_nulls().last(),
        )
        ids = upsert_learners(
            conn,
            learners,
            secret=checked_secret(session, job.settings),
            store_identities=job.settings.store_identities,
        )
        long = long.join(ids, on=["key_kind", "ident"], how="left")
    else:
        long = long.with_columns(pl.lit(None, pl.Int64).alias("learner_id"))
    facts = long.select(
        pl.lit(import_id, pl.Int64).alias("import_id"),
        pl.lit(product_id, pl.Int64).alias("product_id"),
        "learner_id",
        "period_start",
        "period_end",
        "measure",
        "value",
    ).sort("learner_id", "period_start", "period_end", "measure")
    written = insert_frame(conn, "aggregate_usage", facts)
    stored = long.get_column(ROW).n_unique()
    names = ", ".join(  # "minutes_viewed" reads "minutes viewed"
        m.replace("_", " ")
        for m in sorted(long.get_column("measure").str.split(SCOPE_SEPARATOR).list.first().unique())
    )
    job.note(
        decision(
            "aggregate_facts",
            f"{written} summary value(s) stored from {stored} row(s) ({names}), kept apart "
            "from learner x content usage so that nothing is counted twice",
            value=written,
            rows=stored,
        )
    )
    job.finish(stored)
