"""xAPI statements: flattened to CSV (one row per statement), or read from JSON.

Three spellings of the same columns arrive: the flat-CSV convention below
(`actor_mbox`), pandas' `json_normalize` (`actor.mbox`, `verb.display.en-US`,
often with an unnamed index column), and JSON statements, which
`loaders.json_records` flattens to the dotted names. `undotted` turns the
dotted spellings into the flat one before detection, so one format reads
all three.

Columns follow the common flat-CSV convention (`timestamp, actor_name,
actor_mbox, verb_id, verb_display, object_id, object_name, result_completion,
duration, context_platform, statement_id`, ...; shared/research/
vendor_report_formats.md section 14). Statements are events (event grain).

* Learner: `actor_mbox` without its `mailto:`, else `actor_account_name`
  when the export has it, else `actor_name` (a weak key).
* Content: `object_id` (an IRI), title `object_name`. Date: `timestamp`
  (ISO with a zone: the date as written in that offset). Minutes: the
  ISO-8601 `duration` (`PT1H23M12S`).
* Completion: the verb completed, passed, mastered or satisfied (cmi5),
  or `result_completion` true. Other verbs (attempted, failed, experienced...)
  are activity: `completed` is false for them, not null, because a
  statement stream does record completions.
* A statement re-sent with the same `statement_id` counts once.
* A voiding statement (verb `voided`, object a StatementRef) removes the
  statement it names; neither counts as activity. Voiding reaches the
  statements of the same file (a dump holds both); a note says how many.
* Learner (DESIGN.md): `actor.mbox` (mailto: removed), else
  `mbox_sha1sum` (kept as `sha1:<sum>`), else `account.homePage` +
  `account.name` (`<homePage>/<name>`), else `actor.name` (weak).
* Facts are one per learner x activity x day (the event key), so a day's
  statements are rolled up into one fact: minutes summed, completed when
  any statement completes. An overlapping later export holding the same
  statements plus new ones then replaces each day it covers. (A later
  export covering only part of a day would replace that day with its part.)
* xAPI has no vendor: the import goes to `--product`, or to the product
  naming `--vendor`; `context_platform` is reported as information only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import polars as pl

from loaders.dates import parse_date_columns
from loaders.durations import parse_duration, unit_from_header
from loaders.errors import ROW
from loaders.formats.base import Format, Mapped, UsageMap, resolve
from loaders.identity import learner_identity
from loaders.reading import Table
from loaders.result import decision
from loaders.values import Parsed, blank_missing, parse_bool
from models.enums import Grain, ImportKind

__all__ = [
    "COMPLETION_VERBS",
    "STATEMENTS",
    "parsed_events",
    "roll_up_events",
    "rolled_events",
    "undotted",
]

COMPLETION_VERBS = ("completed", "passed", "mastered", "satisfied")
VOIDED = "voided"
_ACTOR = ("actor_mbox", "actor_account_name", "actor_name")
_VERB = ("verb_id", "verb_display")
_TEXT = ("email", "user_id", "name", "content_id", "content_title", "content_type")


# pandas' json_normalize names (normalised) -> the flat-CSV names, one to one.
_DOTTED: dict[str, str] = {
    "timestamp": "timestamp",
    "stored": "stored",
    "id": "statement_id",
    "actor.name": "actor_name",
    "actor.mbox": "actor_mbox",
    "actor.objecttype": "actor_type",
    "verb.id": "verb_id",
    "object.id": "object_id",
    "object.objecttype": "object_type",
    "result.completion": "result_completion",
    "result.success": "result_success",
    "result.duration": "duration",
    "result.score.scaled": "result_score_scaled",
    "context.platform": "context_platform",
}
# Language maps: the bare name (JSON, one language picked) or one column per language.
_LANGUAGE_MAPS = {"verb.display": "verb_display", "object.definition.name": "object_name"}


def _language_column(cols: dict[str, str], prefix: str) -> str | None:
    """The column of a language map: the bare name, else English first, else any language."""
    if prefix in cols:
        return cols[prefix]
    tagged = [h for h in cols if h.startswith(prefix + ".")]
    english = [h for h in tagged if h.removeprefix(prefix + ".").startswith("en")]
    chosen = (english or tagged or [None])[0]
    return cols[chosen] if chosen else None


def undotted(table: Table) -> Table:
    """Dotted xAPI columns (`actor.mbox`, `verb.id`...) renamed to the flat-CSV names.

    Left as it is unless the table has `verb.id` and an `actor.` column, so
    no other report is touched. The learner's id is built as DESIGN.md says:
    `mbox_sha1sum` as `sha1:<sum>`, else `<account.homePage>/<account.name>`.
    """
    cols = table.normalised
    if "verb.id" not in cols or not any(h.startswith("actor.") for h in cols):
        return table
    picked = {flat: cols[dotted] for dotted, flat in _DOTTED.items() if dotted in cols}
    for prefix, flat in _LANGUAGE_MAPS.items():
        if (found := _language_column(cols, prefix)) is not None:
            picked[flat] = found
    frame = table.frame

    def text(name: str) -> pl.Expr:
        return pl.col(cols[name]) if name in cols else pl.lit(None, pl.String)

    home = text("actor.account.homepage").str.strip_chars_end("/")
    account = pl.when(text("actor.account.name").is_not_null()).then(
        pl.when(home.is_not_null())
        .then(home + "/" + text("actor.account.name"))
        .otherwise(text("actor.account.name"))
    )
    sha1 = pl.lit("sha1:") + text("actor.mbox_sha1sum")
    out = frame.select(
        pl.col(ROW),
        *(pl.col(source).alias(flat) for flat, source in picked.items()),
        pl.coalesce(sha1, account).alias("actor_account_name"),
    )
    headers = tuple(c for c in out.columns if c != ROW)
    source = table.source if table.delimiter == "json" else "flattened xAPI statements (CSV)"
    return replace(table, frame=out, headers=headers, source=source)


def _verb(table: Table) -> pl.Series:
    """The verb's last IRI segment ("…/verbs/passed" -> passed), else its display, lower-cased."""
    cols, frame = table.normalised, table.frame
    parts = []
    if (verb_id := resolve("verb_id", cols)) is not None:
        parts.append(blank_missing(frame.get_column(verb_id)).str.extract(r"([^/#]+)/?$"))
    if (display := resolve("verb_display", cols)) is not None:
        parts.append(blank_missing(frame.get_column(display)))
    parts.append(pl.Series([None] * frame.height, dtype=pl.String))
    return pl.select(pl.coalesce(parts)).to_series().str.strip_chars().str.to_lowercase()


def _completion(table: Table, verb: pl.Series) -> tuple[pl.Series, str]:
    """Per statement, text for the `completed` column and the column errors should name.

    `verb` is `_verb(table)`.
    """
    cols = table.normalised
    flag = resolve("result_completion", cols)
    given = (
        blank_missing(table.frame.get_column(flag))
        if flag is not None
        else pl.Series([None] * table.frame.height, dtype=pl.String)
    )
    text = pl.select(
        pl.when(pl.lit(verb).is_in(COMPLETION_VERBS).fill_null(False))
        .then(pl.lit("true"))
        .when(pl.lit(given).is_not_null())
        .then(pl.lit(given))
        .when(pl.lit(verb).is_not_null())
        .then(pl.lit("false"))
        .alias("completed")
    ).to_series()
    column = flag or resolve(_VERB, cols) or "verb"
    return text, column


def _resent(table: Table) -> tuple[pl.Series, dict | None]:
    """Which statements to keep: not those repeating an earlier row's `statement_id`."""
    sid = resolve("statement_id", table.normalised)
    if sid is None:
        return pl.Series([True] * table.frame.height), None
    ids = blank_missing(table.frame.get_column(sid)).str.to_lowercase()
    repeated = ~ids.is_first_distinct() & ids.is_not_null()
    count = int(repeated.sum())
    if not count:
        return ~repeated, None
    rows = table.frame.filter(repeated).get_column(ROW).head(50).to_list()
    note = decision(
        "repeated_statements",
        f"{count} statement(s) repeat the {sid} of an earlier row (re-sent): counted once",
        column=sid,
        value=count,
        rows=rows,
    )
    return ~repeated, note


def _voided(table: Table, verb: pl.Series) -> tuple[pl.Series, dict | None]:
    """Which statements to keep: not voiding statements, nor the statements they void.

    `verb` is `_verb(table)`.
    """
    voiding = verb == VOIDED
    if not voiding.any():
        return pl.Series([True] * table.frame.height), None
    cols = table.normalised
    target = resolve("object_id", cols)
    sid = resolve("statement_id", cols)
    targets = (
        blank_missing(table.frame.get_column(target)).filter(voiding).str.to_lowercase()
        if target is not None
        else pl.Series([], dtype=pl.String)
    )
    hit = (
        blank_missing(table.frame.get_column(sid)).str.to_lowercase().is_in(targets.implode())
        if sid is not None
        else pl.Series([False] * table.frame.height)
    )
    removed = int(hit.fill_null(False).sum())
    n = int(voiding.sum())
    note = decision(
        "voided",
        f"{n} voiding statement(s) remove {removed} statement(s) of this file; neither counts "
        "as activity",
        value=removed,
        voiding=n,
    )
    return ~(voiding | hit.fill_null(False)), note


def _platforms(table: Table, kept: pl.Series) -> dict | None:
    """The platforms the statements name, for the import notes (never used to route)."""
    column = resolve("context_platform", table.normalised)
    if column is None:
        return None
    named = blank_missing(table.frame.get_column(column)).filter(kept).drop_nulls()
    seen = named.value_counts(sort=True)
    if seen.is_empty():
        return None
    listed = [f"{name} ({n})" for name, n in seen.head(10).iter_rows()]
    return decision(
        "platform",
        f"{column} (information only, not used to choose the product): {', '.join(listed)}",
        column=column,
        value=seen.get_column(column).head(10).to_list(),
    )


def parsed_events(frame: pl.DataFrame, sources: dict[str, str], fmt: Format) -> dict[str, Parsed]:
    """Day, minutes and completion per statement, to roll up by (the import parses again).

    xAPI timestamps are ISO, so the format's default date order (not the
    user's `--date-order`, which only matters for numeric dates) is safe here.
    """
    out: dict[str, Parsed] = {}
    column = sources["activity_date"]
    dates = parse_date_columns({column: frame.get_column("activity_date")}, default=fmt.date_order)
    out["activity_date"] = dates[column]
    if "minutes" in frame.columns:
        assert fmt.usage is not None
        unit = unit_from_header(sources["minutes"], fmt.usage.minutes_unit)
        out["minutes"] = parse_duration(
            frame.get_column("minutes"), column=sources["minutes"], plain_unit=unit
        )
    out["completed"] = parse_bool(frame.get_column("completed"), column=sources["completed"])
    return out


def roll_up_events(frame: pl.DataFrame, parsed: dict[str, Parsed]) -> pl.DataFrame:
    """One row per learner x activity x day: minutes summed, completed if any statement is."""
    nothing = pl.Series([None] * frame.height, dtype=pl.String)
    who = {c: frame.get_column(c) if c in frame.columns else nothing for c in ("email", "user_id")}
    learner = pl.DataFrame(
        {
            "email": blank_missing(who["email"]),
            "user_id": blank_missing(who["user_id"]),
            "name": frame.get_column("name") if "name" in frame.columns else nothing,
        }
    ).select(learner_identity())
    content = blank_missing(frame.get_column("content_id"))
    if "content_title" in frame.columns:
        content = content.fill_null(frame.get_column("content_title").str.strip_chars())
    minutes = parsed["minutes"].values if "minutes" in parsed else nothing.cast(pl.Float64)
    keyed = frame.with_columns(
        learner.get_column("key_kind").alias("__kind"),
        learner.get_column("ident").alias("__ident"),
        content.alias("__content"),
        parsed["activity_date"].values.alias("__day"),
        minutes.alias("__minutes"),
        parsed["completed"].values.alias("__done"),
    )
    # A statement without learner or content stays alone, so its error names its own row.
    alone = pl.col("__ident").is_null() | pl.col("__content").is_null()
    keyed = keyed.with_columns(pl.when(alone).then(pl.col(ROW)).alias("__alone"))
    seconds = pl.col("__minutes").sum() * 60
    rolled = keyed.group_by(
        "__kind", "__ident", "__content", "__day", "__alone", maintain_order=True
    ).agg(
        pl.col(ROW).first(),
        pl.col("activity_date").first(),
        *[pl.col(c).drop_nulls().first() for c in _TEXT if c in frame.columns],
        pl.when(pl.col("__minutes").is_not_null().any()).then(seconds.round(3)).alias("__secs"),
        pl.when(pl.col("__done").is_not_null().any()).then(pl.col("__done").any()).alias("__any"),
    )
    out = rolled.with_columns(
        pl.format("PT{}S", pl.col("__secs")).alias("minutes"),
        pl.when(pl.col("__any")).then(pl.lit("true")).when(~pl.col("__any")).then(pl.lit("false"))
        .alias("completed"),
    )  # fmt: skip
    return out.select(frame.columns).sort(ROW)


def _statements(table: Table, fmt: Format) -> Mapped:
    """Map statements, drop re-sent ones, and roll each learner x activity x day into one row."""
    mapped = replace(fmt, to_canonical=None).canonical(table)
    verb = _verb(table)  # once: a regex over every statement (0.2 s a million)
    completed, column = _completion(table, verb)
    frame = mapped.frame.with_columns(completed)
    if "email" in frame.columns:
        mbox = pl.col("email").str.replace(r"(?i)^\s*mailto:", "").str.strip_chars()
        frame = frame.with_columns(pl.when(mbox.str.len_chars() > 0).then(mbox).alias("email"))
    sources = {**mapped.sources, "completed": column}
    kept, resent = _resent(table)
    live, voided = _voided(table, verb)
    kept = kept & live
    frame = frame.filter(kept)
    notes = [
        n
        for n in (
            resent,
            voided,
            _platforms(table, kept),
            decision(
                "completion",
                "completed when the verb is completed, passed, mastered or satisfied, or "
                "result_completion is true; other verbs (attempted, failed, ...) are activity, "
                "not completion",
                column=column,
            ),
        )
        if n is not None
    ]

    def said(statements: int, facts: int) -> dict[str, object]:
        return decision(
            "statements_per_day",
            f"{statements} statements rolled up into {facts} learner x activity x day facts: "
            "minutes summed, completed when any statement of the day completes",
            value=facts,
            statements=statements,
        )

    return rolled_events(frame, sources, fmt, notes, said)


def rolled_events(
    frame: pl.DataFrame,
    sources: dict[str, str],
    fmt: Format,
    notes: list[dict[str, object]],
    said: Callable[[int, int], dict[str, object]],
) -> Mapped:
    """Events parsed and rolled up per learner x content x day, `said(events, facts)` noted.

    A file that will be refused keeps one row per event, so each error names its own row.
    """
    parsed = parsed_events(frame, sources, fmt)
    if any(p.column_problem or p.problem.is_not_null().any() for p in parsed.values()):
        return Mapped(frame, sources, tuple(notes))
    rolled = roll_up_events(frame, parsed)
    if rolled.height < frame.height:
        notes.append(said(frame.height, rolled.height))
    return Mapped(rolled, sources, tuple(notes))


STATEMENTS = Format(
    name="xapi_statements",
    title="xAPI statements (flat CSV)",
    kind=ImportKind.usage,
    grain=Grain.event,
    date_order="mdy",
    required=("timestamp", _VERB, "object_id", _ACTOR),
    optional=(
        "stored",
        *_ACTOR,
        "actor_type",
        *_VERB,
        "object_type",
        "object_name",
        "result_completion",
        "result_success",
        "result_score_scaled",
        "duration",
        "context_platform",
        "statement_id",
    ),
    key_headers=(_ACTOR, "object_id"),
    usage=UsageMap(
        email="actor_mbox",
        user_id="actor_account_name",
        name=("actor_name",),
        content_id="object_id",
        content_title="object_name",
        activity_date="timestamp",
        minutes="duration",
        minutes_unit="seconds",
    ),
    to_canonical=_statements,
)
