"""Validation shared by the handlers: each check reports offending rows to an `ErrorLog`.

Checks work on whole columns; Python runs once per distinct value at most
(enum spellings, product names), never once per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import polars as pl

from loaders.errors import ROW, ErrorLog
from loaders.values import Parsed, blank_missing
from models.enums import parse_enum

__all__ = ["known_products", "parse_enum_column", "repeated_keys", "report", "required_text"]


def report(errors: ErrorLog, raw: pl.Series, rows: pl.Series, parsed: Parsed, column: str) -> None:
    """Log a parsed column's problems as "'<value as written>' <problem>"."""
    if parsed.column_problem:
        errors.add(parsed.column_problem, column=column)
    bad = pl.DataFrame({ROW: rows, "value": raw, "problem": parsed.problem})
    errors.add_rows(
        bad.filter(pl.col("problem").is_not_null()),
        column=column,
        message=lambda r: f"'{r['value']}' {r['problem']}",
    )


def required_text(errors: ErrorLog, frame: pl.DataFrame, column: str, source: str) -> None:
    """Rows where a required cell is empty (or a missing token such as N/A)."""
    empty = blank_missing(frame.get_column(column)).is_null()
    errors.add_rows(
        frame.filter(empty).select(ROW),
        column=source,
        message=lambda _: "is empty; a value is required",
    )


def parse_enum_column(
    errors: ErrorLog,
    frame: pl.DataFrame,
    column: str,
    source: str,
    enum_type: type[StrEnum],
    default: StrEnum | None,
) -> pl.Series:
    """Map a column through `parse_enum` (once per distinct spelling); blanks get `default`."""
    raw = blank_missing(frame.get_column(column))
    mapping: dict[str, str | None] = {}
    problems: dict[str, str] = {}
    for value in raw.drop_nulls().unique().to_list():
        try:
            mapping[value] = parse_enum(enum_type, value).value
        except ValueError as exc:
            mapping[value] = None
            problems[value] = str(exc)
    parsed = raw.replace_strict(mapping, default=None, return_dtype=pl.String)
    bad = frame.select(ROW, pl.Series("value", raw)).filter(pl.col("value").is_in(list(problems)))
    errors.add_rows(bad, column=source, message=lambda r: problems[str(r["value"])])
    if default is not None:
        parsed = parsed.fill_null(default.value).set(raw.is_in(list(problems)), None)
    return parsed.alias(column)


def repeated_keys(
    errors: ErrorLog,
    frame: pl.DataFrame,
    key: Sequence[str],
    label: str,
    *,
    shown: Sequence[str] | None = None,
) -> None:
    """A natural key repeated inside one file is an error naming both rows.

    `key` columns are compared (normalise them first where case should not
    matter); `shown` columns (default: `key`) word the message.
    """
    present = frame.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
    first = present.group_by(key, maintain_order=True).agg(pl.col(ROW).min().alias("__first"))
    repeats = present.join(first, on=list(key), nulls_equal=True).filter(
        pl.col(ROW) != pl.col("__first")
    )

    def message(r: dict[str, object]) -> str:
        what = ", ".join(f"{k} {r[k]}" for k in shown or key)
        return f"repeats row {r['__first']} ({label}: {what}); each may appear only once"

    errors.add_rows(repeats, column=None, message=message)


def known_products(
    errors: ErrorLog,
    frame: pl.DataFrame,
    source: str,
    products: dict[str, tuple[int, str]],
    *,
    also_known: Sequence[str] = (),
) -> pl.Series:
    """`product_id` per row from the `product` column; unknown names are errors.

    `also_known` are names defined by the same file (products.csv), which
    count as existing although they have no id yet.
    """
    raw = blank_missing(frame.get_column("product"))
    keys = raw.str.strip_chars().str.to_lowercase()
    ids = keys.replace_strict(
        {k: v[0] for k, v in products.items()}, default=None, return_dtype=pl.Int64
    )
    extra = {n.strip().lower() for n in also_known}
    unknown = raw.is_not_null() & ids.is_null() & ~keys.is_in(list(extra))
    bad = frame.select(ROW, pl.Series("value", raw)).filter(unknown.fill_null(False))
    errors.add_rows(
        bad,
        column=source,
        message=lambda r: f"product '{r['value']}' does not exist; add it with products.csv first",
    )
    return ids.alias("product_id")
