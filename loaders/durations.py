"""Time spent, in minutes, from every shape vendors write it.

LinkedIn writes `H:MM:SS` (hours past 24: `1284:12:55`), Udemy plain minutes
(`1,234.5`), Pluralsight and Percipio seconds, Coursera decimal hours, xAPI
ISO-8601 (`PT1H23M12S`); people write `1h 23m`. Shaped values read
themselves; plain numbers take a unit from the column's name ("…seconds",
"…hours", "…minutes") else the format's declared unit, and that choice is
reported as a decision.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

import polars as pl

from loaders.result import decision
from loaders.values import Parsed, ascii_digits, blank_missing, on_distinct, parse_number

__all__ = ["DurationUnit", "parse_duration", "unit_from_header"]

DurationUnit = Literal["seconds", "minutes", "hours"]

_NUM = r"\d+(?:\.\d+)?"
_HMS = rf"^(?<h>\d+):(?<m>\d{{1,2}}):(?<s>{_NUM})$"
_HM = r"^(?<h>\d+):(?<m>\d{2})$"
_ISO = rf"^p(?:(?<d>{_NUM})d)?(?:t(?:(?<h>{_NUM})h)?(?:(?<m>{_NUM})m)?(?:(?<s>{_NUM})s)?)?$"
_WORDS = (
    rf"^(?:(?<h>{_NUM})\s*h(?:ours?|rs?)?)?\s*(?:(?<m>{_NUM})\s*m(?:in(?:ute)?s?)?)?"
    rf"\s*(?:(?<s>{_NUM})\s*s(?:ec(?:ond)?s?)?)?$"
)
_PLAIN_HMS = r"^[0-9]+:[0-9]{1,2}:[0-9]{1,2}$"
_PER_MINUTE = {"seconds": 1 / 60, "minutes": 1.0, "hours": 60.0}


def unit_from_header(header: str, default: DurationUnit) -> DurationUnit:
    """The unit a column's name announces ("Usage in seconds" -> seconds), else `default`."""
    name = header.casefold()
    for word, unit in (("second", "seconds"), ("minute", "minutes"), ("hour", "hours")):
        if word in name:
            return unit  # type: ignore[return-value]
    return default


def _minutes(frame: pl.DataFrame, *, days: bool = False) -> pl.Series:
    """d/h/m/s text groups -> minutes; null when no group matched."""
    parts = {k: frame.get_column(k).cast(pl.Float64) for k in ("h", "m", "s")}
    total = parts["h"].fill_null(0) * 60 + parts["m"].fill_null(0) + parts["s"].fill_null(0) / 60
    any_part = parts["h"].is_not_null() | parts["m"].is_not_null() | parts["s"].is_not_null()
    if days:
        d = frame.get_column("d").cast(pl.Float64)
        total = total + d.fill_null(0) * 1440
        any_part = any_part | d.is_not_null()
    return total.set(~any_part.fill_null(False), None)


def parse_duration(raw: pl.Series, *, column: str, plain_unit: DurationUnit) -> Parsed:
    """Durations as minutes (float), whatever their shape.

    Examples
    --------
    >>> parse_duration(pl.Series(["1:23:45", "PT1H23M", "1h 30m", "90"]), column="t",
    ...                plain_unit="minutes").values.to_list()
    [83.75, 83.0, 90.0, 90.0]
    """
    return on_distinct(raw, partial(_parse_duration, column=column, plain_unit=plain_unit))


def _parse_duration(raw: pl.Series, *, column: str, plain_unit: DurationUnit) -> Parsed:
    cleaned = ascii_digits(blank_missing(raw))[0]
    if cleaned.drop_nulls().str.contains(_PLAIN_HMS).all():  # fast path: LinkedIn's H:MM:SS
        # Digits and colons only: nothing to lower-case or trim (each a copy of the column).
        parts = cleaned.str.split_exact(":", 2).struct.unnest()
        values = (
            parts["field_0"].cast(pl.Float64) * 60
            + parts["field_1"].cast(pl.Float64)
            + parts["field_2"].cast(pl.Float64) / 60
        )
        note = decision(
            "duration_unit",
            "read as minutes from: H:MM:SS",
            column=column,
            value=plain_unit,
            shapes=["H:MM:SS"],
        )
        problem = pl.repeat(None, len(raw), dtype=pl.String, eager=True)
        return Parsed(values.alias(column), problem, note)
    s = cleaned.str.to_lowercase().str.strip_chars()
    if s.drop_nulls().str.contains(_ISO).all():  # fast path: xAPI's ISO-8601 durations
        minutes = _minutes(s.str.extract_groups(_ISO).struct.unnest(), days=True).alias(column)
        note = decision(
            "duration_unit",
            "read as minutes from: ISO-8601",
            column=column,
            value=plain_unit,
            shapes=["ISO-8601"],
        )
        empty = (s.is_not_null() & minutes.is_null()).fill_null(False)  # a bare "P" or "PT"
        problem = pl.select(pl.when(pl.lit(empty)).then(pl.lit("is not a duration"))).to_series()
        return Parsed(minutes, problem, note)
    hms = s.str.extract_groups(_HMS).struct.unnest()
    hm = s.str.extract_groups(_HM).struct.unnest().with_columns(s=pl.lit(None, pl.String))
    iso = s.str.extract_groups(_ISO).struct.unnest()
    lettered = s.str.contains(r"[a-z]").fill_null(False)
    words = s.set(~lettered, None).str.extract_groups(_WORDS).struct.unnest()
    plain = parse_number(s.set(s.str.contains(r"[a-z:]").fill_null(False), None), column=column)
    shaped = {
        "H:MM:SS": _minutes(hms),
        "H:MM": _minutes(hm),
        "ISO-8601": _minutes(iso, days=True),
        "1h 23m": _minutes(words),
    }
    plain_minutes = plain.values * _PER_MINUTE[plain_unit]
    values = pl.select(pl.coalesce(*shaped.values(), plain_minutes).alias(column)).to_series()
    seen = [label for label, v in shaped.items() if v.is_not_null().any()]
    if plain.values.is_not_null().any():
        seen.append(f"plain numbers as {plain_unit}")
    bad = (s.is_not_null() & values.is_null()).fill_null(False)
    negative = (values < 0).fill_null(False)
    problem = pl.select(
        pl.when(pl.lit(bad))
        .then(pl.lit("is not a duration"))
        .when(pl.lit(negative))
        .then(pl.lit("is negative"))
        .otherwise(None)
    ).to_series()
    note = decision(
        "duration_unit",
        f"read as minutes from: {', '.join(seen) or 'no values'}",
        column=column,
        value=plain_unit,
        shapes=seen,
    )
    return Parsed(values, problem, note, plain.column_problem)
