"""Cell values: missing tokens, numbers, money, percentages, integers, booleans.

Each parser takes a whole text column (a polars Series, already trimmed,
null when blank) and returns a `Parsed`: the typed values, a `problem`
column (null where the cell is fine, else the end of a sentence such as
"is not a number") and, where the column's values decided how to read it,
a `decision` for the import result. Whole-column decisions (decimal comma or
point, a 0-1 or 0-100 percent scale) are taken once per column from its
values, never per cell, so "12,5" and "1,250" in one column cannot be read
two different ways.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

import polars as pl

from loaders.result import decision
from metrics.currency import CURRENCIES, check_currency, decimals, symbol

__all__ = [
    "INT_LIMIT",
    "MAX_MINOR",
    "MISSING_TOKENS",
    "Parsed",
    "ascii_digits",
    "blank_missing",
    "distinct_values",
    "on_distinct",
    "parse_bool",
    "parse_int",
    "parse_money",
    "parse_number",
    "parse_percent",
    "without_empty_chunks",
]

_Data = TypeVar("_Data", pl.DataFrame, pl.Series)

MISSING_TOKENS = frozenset({"", "n/a", "na", "#n/a", "-", "—", "–", "null", "none"})
_STRIP = r"[£$€¥\s\u00a0\u202f']"
_COMMA_DECIMAL = r"^[+-]?[\d.]*\d,\d+$"
_COMMA_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+$"
_POINT_DECIMAL = r"^[+-]?[\d,]*\d\.\d+$"
_POINT_THOUSANDS = r"^[+-]?\d{1,3}(\.\d{3})+$"
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"
# A money cell as written: an optional sign, a mark before (£, USD) and/or after the digits.
_MARKED = re.compile(
    r"^(?P<lead>[+-]?)\s*(?P<pre>[^\d\s.,+-]*)\s*"
    r"(?P<num>[+-]?[\d.,'\s\u00a0\u202f]*?)\s*(?P<post>[^\d\s.,]*)$"
)
# Mark (upper-cased) -> the ISO 4217 code it stands for: every code, every currency's sign
# from `metrics.currency.symbol` ("$" is USD, "¥" JPY, "CA$" CAD), and "US$".
_BY_MARK = {code: code for code in CURRENCIES}
_BY_MARK |= {symbol(code).strip().upper(): code for code in CURRENCIES} | {"US$": "USD"}
# Counts (seats, n, levels) are stored as 32-bit integers (PostgreSQL's INTEGER).
INT_LIMIT = 2**31 - 1
# Money is stored as 64-bit minor units; a cap a thousand times below that keeps any sum
# of a portfolio's amounts (budgets, contracts) from overflowing.
MAX_MINOR = 10**15 - 1
_OTHER_DIGIT = r"[\d&&[^0-9]]"  # a decimal digit of another script (polars' regex syntax)
_TRUE = ("yes", "y", "true", "t", "1")
_FALSE = ("no", "n", "false", "f", "0")


@dataclass(frozen=True)
class Parsed:
    """A parsed column: `values`, per-cell `problem` text (null = fine), optional decision.

    `column_problem` is set when the column as a whole cannot be read (for
    example dates written in both day-first and month-first order).
    """

    values: pl.Series
    problem: pl.Series
    decision: dict[str, Any] | None = None
    column_problem: str | None = None


_SAMPLE_ROWS = 10_000


def distinct_values(s: pl.Series, *, ordered: bool = False) -> pl.Series | None:
    """The distinct values of `s` when there are at most a quarter as many as rows, else None.

    A million-row report repeats its dates, percentages and durations: a few
    hundred or thousand distinct values, on which regular expressions cost
    next to nothing. A column whose first rows are nearly all distinct
    (date-times) is not worth the hashing and gives None at once.
    `ordered` keeps the first-seen order.
    """
    if len(s) <= _SAMPLE_ROWS:
        return None
    sample = s.head(_SAMPLE_ROWS)
    if sample.n_unique() * 20 > len(sample) * 19:
        return None
    distinct = s.unique(maintain_order=ordered)
    return distinct if len(distinct) * 4 <= len(s) else None


def on_distinct(
    raw: pl.Series,
    parse: Callable[[pl.Series], Parsed],
    *,
    distinct: pl.Series | None = None,
) -> Parsed:
    """`parse(raw)`, worked out on the distinct values when they are few and mapped back.

    Exact for a `parse` that reads each value on its own and takes its
    column-wide decisions from which values occur, not from how often or
    in which order (the parsers of dates, durations and percentages).
    `distinct` passes `distinct_values(raw)` when the caller has it already.
    """
    if distinct is None:
        distinct = distinct_values(raw)
    if distinct is None:
        return parse(raw)
    out = parse(distinct)
    lookup = pl.DataFrame({"k": distinct, "v": out.values, "p": out.problem})
    back = raw.to_frame("k").join(
        lookup, on="k", how="left", nulls_equal=True, maintain_order="left"
    )
    values = back.get_column("v").alias(out.values.name)
    return Parsed(values, back.get_column("p"), out.decision, out.column_problem)


def _spellings(token: str) -> set[str]:
    """Every upper/lower-case spelling of a token ("na" -> na, nA, Na, NA)."""
    out = {""}
    for ch in token:
        out = {p + c for p in out for c in {ch.lower(), ch.upper()}}
    return out


# Matching every spelling avoids lower-casing a whole column (a copy of it) first.
_MISSING_SPELLINGS = sorted(set().union(*(_spellings(t) for t in MISSING_TOKENS)))


def blank_missing(raw: pl.Series) -> pl.Series:
    """Null out the "no value" tokens vendors write: N/A, NA, -, —, null, None (any case)."""
    return raw.set(raw.is_in(_MISSING_SPELLINGS).fill_null(False), None)


def ascii_digits(raw: pl.Series) -> tuple[pl.Series, tuple[str, str] | None]:
    """`raw` with decimal digits of every script written 0-9, and one example of a change.

    Notes
    -----
    A decimal digit (Unicode category Nd: full-width "１２３", Arabic-Indic
    "١٢٣", Devanagari "१२३") has exactly one value, so reading it as that
    value is safe; other digit-like characters ("²", "①") are not decimal
    digits and are left alone (the value is then refused as not a number).
    Only values with non-ASCII characters are looked at, once per distinct
    value. A digit this Python does not know yet becomes U+FFFD, so the
    value is refused rather than read half-way.

    Examples
    --------
    >>> ascii_digits(pl.Series(["１２３", "45"]))[0].to_list()
    ['123', '45']
    """
    if raw.dtype != pl.String:
        return raw, None
    wide = (raw.str.len_bytes() != raw.str.len_chars()).fill_null(False)
    if not wide.any():
        return raw, None
    odd = raw.filter(wide).unique(maintain_order=True)
    odd = odd.filter(odd.str.contains(_OTHER_DIGIT))
    if odd.is_empty():
        return raw, None
    mapping = {v: _translated(v) for v in odd.to_list()}
    out = raw.replace(mapping).str.replace_all(_OTHER_DIGIT, "\ufffd")
    first = next(iter(mapping.items()))
    return out, first


def _translated(value: str) -> str:
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in value
    )


def _digits_noted(
    note: dict[str, Any] | None, example: tuple[str, str] | None, column: str
) -> dict[str, Any] | None:
    """`note` with a word on digits of another script read as 0-9 (when there were some)."""
    if example is None:
        return note
    text = f"digits of another script read as 0-9 ('{example[0]}' as '{example[1]}')"
    if note is None:
        return decision("digits", text, column=column, value="unicode")
    return note | {"message": f"{note['message']}; {text}", "digits": "unicode"}


def _flag(mask: pl.Series, text: str) -> pl.Series:
    """`text` where `mask` holds, else null (a problem column)."""
    return pl.select(pl.when(mask).then(pl.lit(text)).otherwise(None)).to_series()


def _normalised_numbers(
    raw: pl.Series, *, comma_default: bool, column: str
) -> tuple[pl.Series, dict[str, Any] | None, str | None]:
    """Strip currency signs and thousands separators; return "1234.5"-style text."""
    s = blank_missing(raw).str.replace_all(_STRIP, "")
    comma = (s.str.contains(_COMMA_DECIMAL) & ~s.str.contains(_COMMA_THOUSANDS)).fill_null(False)
    point = (s.str.contains(_POINT_DECIMAL) & ~s.str.contains(_POINT_THOUSANDS)).fill_null(False)
    note: dict[str, Any] | None = None
    if comma.any() and point.any():
        a, b = s.filter(comma)[0], s.filter(point)[0]
        return s, None, f"mixes decimal commas ('{a}') and decimal points ('{b}')"
    if comma.any():
        sep = ","
    elif point.any():
        sep = "."
    else:
        sep = "," if comma_default else "."
        if s.str.contains(r"\d[.,]\d").fill_null(False).any():
            word = "comma" if sep == "," else "point"
            note = decision(
                "decimal_separator",
                f"no value shows the decimal separator; read as decimal {word} (file default)",
                column=column,
                value=sep,
                ambiguous=True,
            )
    if sep == ",":
        s = s.str.replace_all(".", "", literal=True).str.replace_all(",", ".", literal=True)
        if note is None:
            note = decision(
                "decimal_separator", "read with a decimal comma", column=column, value=","
            )
    else:
        s = s.str.replace_all(",", "", literal=True)
    return s, note, None


def parse_number(raw: pl.Series, *, column: str, comma_default: bool = False) -> Parsed:
    """Numbers with either decimal separator, thousands separators and currency signs.

    Examples
    --------
    >>> parse_number(pl.Series(["1.234,5", "12,5"]), column="x").values.to_list()
    [1234.5, 12.5]
    """
    raw, example = ascii_digits(raw)
    whole = _whole_numbers(raw)
    if whole is not None:
        note = None
        if comma_default:  # what the general path says of a column it reads with a comma
            note = decision(
                "decimal_separator", "read with a decimal comma", column=column, value=","
            )
        problem = pl.repeat(None, len(raw), dtype=pl.String, eager=True)
        note = _digits_noted(note, example, column)
        return Parsed(whole.cast(pl.Float64).alias(raw.name), problem, note)
    text, note, trouble = _normalised_numbers(raw, comma_default=comma_default, column=column)
    valid = text.str.contains(_NUMBER).fill_null(True)
    values = text.set(~valid, None).cast(pl.Float64, strict=False)
    huge = (valid & text.is_not_null() & ~values.is_finite().fill_null(False)).fill_null(False)
    problem = _flag(~valid, "is not a number").zip_with(
        ~valid, _flag(huge, "is too large to be read as a number")
    )
    values = values.set(huge, None)
    return Parsed(values, problem, _digits_noted(note, example, column), trouble)


def _whole_numbers(raw: pl.Series) -> pl.Series | None:
    """The column as integers when every value is plain digits (the common case), else None.

    One cast instead of the general path's half-dozen regular expressions; a
    value the cast cannot read (a separator, a sign of currency, a space,
    an overflow) sends the whole column down the general path.
    """
    cleaned = blank_missing(raw)
    whole = cleaned.cast(pl.Int64, strict=False)
    return whole if whole.null_count() == cleaned.null_count() else None


def parse_money(
    raw: pl.Series, *, column: str, currency: str, comma_default: bool = False
) -> Parsed:
    """Money in exact integer minor units of `currency`, non-negative, via `Decimal`.

    Parameters
    ----------
    raw
        The column as written ("£1,234.56", "1.000,05", "3600").
    column
        The column's name as the file writes it (for the decisions).
    currency
        The reporting currency (ISO 4217): its minor unit, from
        `metrics.currency`, is the scale (pence for GBP, yen for JPY, fils
        for KWD).
    comma_default
        Read a column that never shows its decimal separator with a comma.

    Notes
    -----
    An amount with more decimals than the currency has is refused, never
    rounded: "3600.5" in JPY is "'3600.5' has more decimals than JPY allows
    (0)", as a rounded amount would silently differ from the file. Trailing
    zeros are only a way of writing: "3600.00" in JPY is 3,600 yen, and
    "1.230" in GBP is 123 pence. Floats are never involved.

    A sign or code of the reporting currency ("£1,200", "1200 GBP") is only
    a way of writing; another currency's ("$100", "USD 100" in a GBP
    portfolio) is refused, never read as pounds: there are no exchange rates.
    An ambiguous sign stands for its main currency ("$" is USD, "¥" JPY), so
    it is accepted only there; "CA$", "A$" or the code say the others.

    Examples
    --------
    >>> parse_money(pl.Series(["3600.00"]), column="plan", currency="JPY").values.to_list()
    [3600]
    >>> parse_money(pl.Series(["1.234"]), column="plan", currency="KWD").values.to_list()
    [1234]
    """
    code = check_currency(currency)
    places = decimals(code)
    digits, example = ascii_digits(blank_missing(raw))
    unmarked, foreign = _own_marks_removed(digits, code)
    text, note, trouble = _normalised_numbers(unmarked, comma_default=comma_default, column=column)
    valid = text.str.contains(_NUMBER).fill_null(True)
    minor: list[int | None] = []
    too_fine: list[bool] = []
    too_big: list[bool] = []
    for v, ok in zip(text.to_list(), valid.to_list(), strict=True):
        amount = _minor_units(v, places) if v is not None and ok else None
        minor.append(amount if isinstance(amount, int) else None)
        too_fine.append(amount == "fine")
        too_big.append(amount == "big")
    values = pl.Series(column, minor, dtype=pl.Int64).set(foreign.is_not_null(), None)
    largest = f"{Decimal(MAX_MINOR).scaleb(-places):,.{places}f}"
    problem = pl.select(
        pl.when(pl.lit(foreign).is_not_null())
        .then(pl.lit(foreign))
        .when(~pl.lit(valid))
        .then(pl.lit("is not an amount of money"))
        .when(pl.lit(pl.Series(too_big, dtype=pl.Boolean)))
        .then(pl.lit(f"is too large: amounts from 0 to {largest} are allowed"))
        .when(pl.lit(pl.Series(too_fine, dtype=pl.Boolean)))
        .then(pl.lit(f"has more decimals than {code} allows ({places})"))
        .when(pl.lit(values) < 0)
        .then(pl.lit("is negative; amounts must be 0 or more"))
        .otherwise(None)
    ).to_series()
    return Parsed(values, problem, _digits_noted(note, example, column), trouble)


def _minor_units(text: str, places: int) -> int | str:
    """Text such as "1234.5" in minor units (123450 for 2 places), or "fine" or "big".

    The length is checked before any arithmetic, so a cell of a million
    digits costs nothing.
    """
    whole_digits = len(text.lstrip("+-").split(".")[0].lstrip("0"))
    if whole_digits + places > len(str(MAX_MINOR)):
        return "big"
    scaled = Decimal(text).scaleb(places)
    if scaled != scaled.to_integral_value():
        return "fine"
    amount = int(scaled)
    return "big" if abs(amount) > MAX_MINOR else amount


def _own_marks_removed(cleaned: pl.Series, code: str) -> tuple[pl.Series, pl.Series]:
    """The column without `code`'s own marks, and a problem where a cell is in another currency.

    Worked out once per distinct value. A mark that names no currency ("kr",
    "%") is left in place, so the cell reads "is not an amount of money".
    """
    body: dict[str, str] = {}
    foreign: dict[str, str | None] = {}
    for value in cleaned.drop_nulls().unique().to_list():
        body[value], foreign[value] = value, None
        match = _MARKED.match(value)
        if match is None or not any(ch.isdigit() for ch in match["num"]):
            continue
        marks = [m for m in (match["pre"], match["post"]) if m]
        found = [_BY_MARK.get(m.upper()) for m in marks]
        if not marks or None in found:
            continue
        other = next((m for m, c in zip(marks, found, strict=True) if c != code), None)
        if other is None:
            body[value] = match["lead"] + match["num"]
        else:
            foreign[value] = _foreign(other, _BY_MARK[other.upper()], code)
    mapping = pl.DataFrame(
        {"k": list(body), "body": list(body.values()), "foreign": list(foreign.values())},
        schema={"k": pl.String, "body": pl.String, "foreign": pl.String},
    )
    back = cleaned.to_frame("k").join(mapping, on="k", how="left", maintain_order="left")
    return back.get_column("body"), back.get_column("foreign")


def _foreign(mark: str, other: str, code: str) -> str:
    """The problem of an amount in currency `other` (written `mark`) in a `code` portfolio."""
    text = (
        f"is in {other} ('{mark}'), not the reporting currency {code}; "
        "exchange rates are not supported yet"
    )
    own = symbol(code).strip()
    if own != code and own.endswith(mark):  # "$" in a CAD portfolio, "¥" in a CNY one
        text += f" (a bare '{mark}' is read as {other}: write '{own}' or '{code}' for {code})"
    return text


def parse_percent(raw: pl.Series, *, column: str, comma_default: bool = False) -> Parsed:
    """Percentages as 0-100, the scale decided for the whole column.

    Notes
    -----
    Any "%" in the column means percent. Otherwise, when every value is at
    most 1 and at least one is fractional, the column is a 0-1 share and is
    multiplied by 100; else it is already 0-100. Values outside 0-100 are
    problems, never clamped silently.
    """
    return on_distinct(raw, lambda s: _percent(s, column=column, comma_default=comma_default))


def _percent(raw: pl.Series, *, column: str, comma_default: bool) -> Parsed:
    cleaned, example = ascii_digits(blank_missing(raw))
    has_sign = cleaned.str.contains("%", literal=True).fill_null(False).any()
    unsigned = cleaned.str.replace_all("%", "", literal=True) if has_sign else cleaned
    number = parse_number(unsigned, column=column, comma_default=comma_default)
    values = number.values
    present = values.drop_nulls()
    fractions = (
        not has_sign
        and present.len() > 0
        and bool((present <= 1).all())
        and bool((present != present.floor()).any())
    )
    if has_sign:
        note = decision(
            "percent_scale", "values carry %: read as 0-100", column=column, value="0-100"
        )
    elif fractions:
        values = values * 100
        note = decision(
            "percent_scale",
            "all values 0-1 with fractions: read as shares",
            column=column,
            value="0-1",
        )
    else:
        note = decision("percent_scale", "read as 0-100", column=column, value="0-100")
    out_of_range = ((values < 0) | (values > 100)).fill_null(False)
    problem = number.problem.zip_with(
        number.problem.is_not_null(), _flag(out_of_range, "is not a percentage between 0 and 100")
    )
    return Parsed(values, problem, _digits_noted(note, example, column), number.column_problem)


def parse_int(
    raw: pl.Series,
    *,
    column: str,
    minimum: int | None = None,
    maximum: int | None = None,
) -> Parsed:
    """Whole numbers within [minimum, maximum] (either bound optional)."""
    raw, example = ascii_digits(raw)
    number = parse_number(raw, column=column)
    v = number.values
    whole = (v == v.floor()).fill_null(True)
    low = (v < minimum).fill_null(False) if minimum is not None else pl.Series([False] * len(v))
    high = (v > maximum).fill_null(False) if maximum is not None else pl.Series([False] * len(v))
    if minimum is not None and maximum is not None:
        span = f"is not a whole number from {minimum} to {maximum}"
    elif minimum is not None:
        span = f"is not a whole number of {minimum} or more"
    else:
        span = "is not a whole number"
    stored = (
        f"is too large: whole numbers up to {INT_LIMIT:,} are allowed"
        if minimum is not None
        else f"is out of range: whole numbers from {-INT_LIMIT:,} to {INT_LIMIT:,} are allowed"
    )
    beyond = (v.abs() > INT_LIMIT).fill_null(False) & ~low & ~high
    shape = _flag(~whole | low | high, span).zip_with(~beyond, _flag(beyond, stored))
    problem = number.problem.zip_with(number.problem.is_not_null(), shape)
    values = v.set(beyond, None).cast(pl.Int64, strict=False)
    note = _digits_noted(None, example, column)
    return Parsed(values, problem, note, number.column_problem)


def parse_bool(raw: pl.Series, *, column: str) -> Parsed:
    """yes/no, true/false, 1/0, y/n (any case) as booleans."""
    cleaned = blank_missing(raw)
    mapping = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
    values = cleaned.str.to_lowercase().replace_strict(
        mapping, default=None, return_dtype=pl.Boolean
    )
    bad = (cleaned.is_not_null() & values.is_null()).fill_null(False)
    return Parsed(values.alias(column), _flag(bad, "is not yes/no (true/false, 1/0 or y/n)"))


def parse_scale(raw: pl.Series, *, column: str, low: int, high: int) -> Parsed:
    """Answers on a whole-number scale, read from their leading number; blank or N/A unanswered.

    Survey tools export labelled answers ("10 - Extremely likely", "4 (agree)"):
    the leading whole number is the answer. Anything else, or a number off the
    scale, is a problem for that cell.

    Examples
    --------
    >>> raw = pl.Series(["10 - Extremely likely", " 7", "N/A", None, "Very likely", "11"])
    >>> parsed = parse_scale(raw, column="recommend", low=0, high=10)
    >>> parsed.values.to_list()
    [10, 7, None, None, None, None]
    >>> parsed.problem.to_list()[4:]
    ['is not an answer from 0 to 10', 'is not an answer from 0 to 10']
    """
    cleaned = blank_missing(raw.cast(pl.String).str.strip_chars())
    cleaned = cleaned.set((cleaned == "").fill_null(False), None)
    lead = cleaned.str.extract(r"^(\d+)(?:\s*$|\s*[-–—:(.,)]|\s+\D)", 1).cast(pl.Int64)
    fine = lead.is_between(low, high).fill_null(False)
    values = lead.set(~fine, None).alias(column)
    bad = (cleaned.is_not_null() & ~fine).fill_null(False)
    return Parsed(values, _flag(bad, f"is not an answer from {low} to {high}"))


def without_empty_chunks(data: _Data) -> _Data:
    """`data`, made one chunk when a filter left an empty chunk in it; else `data` itself.

    polars reads a big file in chunks; a chunk holding only rows that are
    then dropped (blank lines, blank-run markers, re-sent statements) is
    left empty, and polars 2.1 panics (`assertion failed: i < self.len()`)
    when `pl.format` or `pl.concat_str` meets such a column (issue 14: found
    by the fuzz test, in the date and month parsers). Copying costs the data's
    size again, so it is done only then.

    Examples
    --------
    >>> without_empty_chunks(pl.Series(["a"])).n_chunks()
    1
    """
    columns = data.iter_columns() if isinstance(data, pl.DataFrame) else [data]
    chunked = [c for c in columns if c.n_chunks() > 1]
    if any(chunk.len() == 0 for column in chunked for chunk in column.get_chunks()):
        return data.rechunk()
    return data
