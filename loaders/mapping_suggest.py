"""A first guess at a column mapping, scored on each column's values as well as its name.

Header words alone mislead: "Coursename" contains "name", so a guess by
substring maps the learner's name to the course. Each candidate column is
therefore scored twice: its header (whole words weigh more than a word
buried inside another) and its values (e-mails for a learner; person names
many distinct per content item for a name; a few titles repeated for
content; dates that parse for a date; numbers for minutes; 0-100 for
progress; a few statuses for completion). A column whose values do not
fit a field is never suggested for it, and a field nothing fits well is
left unmapped for the person to choose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from loaders.dates import parse_date_columns
from loaders.durations import parse_duration
from loaders.reading import normalise_header
from loaders.values import blank_missing

__all__ = ["THRESHOLD", "ColumnProfile", "profile", "score", "suggest_mapping"]

THRESHOLD = 0.5
"""The least score (0-1) a column needs to be suggested for a field."""
_NAME_WEIGHT = 0.4  # the rest is the values' fit; a name alone never reaches THRESHOLD
_SAMPLE = 500

# Header words per field: a whole-word match scores 1, a match inside a longer word 0.3.
_HINTS: dict[str, tuple[str, ...]] = {
    "learner": ("email", "e-mail", "mail", "employee id", "user id", "userid", "learner", "login"),
    "name": ("full name", "name", "learner name", "user name", "employee name"),
    "org_unit": ("department", "team", "group", "org unit", "division", "business unit"),
    "product": ("product", "library", "provider", "platform"),
    "content_id": ("course id", "content id", "item id", "activity id", "module id", "id"),
    "content_title": ("course", "title", "content", "activity", "module", "course name"),
    "content_type": ("content type", "type", "format"),
    "activity_date": ("last accessed", "last viewed", "date", "viewed", "accessed", "when", "day"),
    "minutes": ("minutes", "min", "duration", "time spent", "hours", "seconds", "time"),
    "progress": ("progress", "percent", "%", "pct", "completion %"),
    "completed": ("completed", "status", "complete", "result", "passed"),
    "completed_date": ("completion date", "completed on", "completed", "completion", "finished"),
    # Survey answers (survey.csv)
    "date": ("timestamp", "date", "submitted", "response date", "completion time", "end date"),
    "respondent": ("respondent", "email", "e-mail", "respondent id", "response id", "name"),
    "recommend": ("recommend", "likely", "nps", "net promoter"),
    "relevance": ("relevant", "relevance", "useful", "applicable to my job"),
    "applied": ("applied", "apply", "put into practice", "used what", "using what"),
    # KPI series (kpis.csv)
    "month": ("month", "period", "date"),
    "kpi": ("kpi", "measure", "metric", "indicator"),
    "value": ("value", "actual", "result"),
    "baseline": ("baseline", "before", "prior"),
    "unit_value": ("unit value", "value per unit", "worth", "price"),
    "attribution_pct": ("attribution", "attributed", "isolation"),
    "confidence_pct": ("confidence", "sure", "certainty"),
    "n": ("n", "sample", "count", "people", "respondents"),
    "direction": ("direction", "better", "good when"),
    # HR roster (people.csv); learner and org_unit are the usage fields' hints
    "manager": ("manager", "line manager", "supervisor", "reports to", "manager email"),
    "cost_centre": ("cost centre", "cost center", "cost code", "cost centre code"),
    "start_date": ("start date", "hire date", "joined", "date of joining", "start"),
    "end_date": ("end date", "leaving date", "termination date", "left", "leaver"),
}
_USAGE_FIELDS = tuple(_HINTS)[: tuple(_HINTS).index("completed_date") + 1]
"""The usage report's fields (the default); the rest are the templates' (survey, KPI series)."""
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_PERSON = r"^[A-Za-zÀ-ÿ'’.-]+(?:[ ,]+[A-Za-zÀ-ÿ'’.-]+){1,3}$"
_CODE = r"^[A-Za-z0-9][A-Za-z0-9_./:-]*$"  # one token, no spaces: an id
_NUMBER = r"^-?\d+(?:[.,]\d+)?\s*%?$"
_BOOL = ("yes", "no", "true", "false", "y", "n", "1", "0")


@dataclass(frozen=True)
class ColumnProfile:
    """What a column's filled cells look like (shares are 0-1 of the filled cells)."""

    filled: int
    distinct_ratio: float  # distinct values / filled cells
    distinct: int
    emails: float
    person_names: float
    codes: float
    letters: float
    dates: float
    durations: float
    numbers: float
    in_0_100: float
    booleans: float
    scale_0_10: float = 0.0  # a leading whole number 0-10 ("10 - Extremely likely")
    scale_1_5: float = 0.0  # a leading whole number 1-5 ("4 - Relevant")


def profile(raw: pl.Series) -> ColumnProfile:
    """Describe a column's first filled cells (text as read from the file)."""
    s = blank_missing(raw.cast(pl.String)).drop_nulls().head(_SAMPLE)
    n = s.len()
    if n == 0:
        return ColumnProfile(0, 0.0, 0, *(0.0,) * 9)

    def share(mask: pl.Series) -> float:
        return float(mask.fill_null(False).sum()) / n

    numbers = s.str.replace_all(",", ".").str.strip_chars(" %").cast(pl.Float64, strict=False)
    dates = parse_date_columns({"c": s}, default="dmy")["c"].values
    durations = parse_duration(s, column="c", plain_unit="minutes").values
    distinct = s.n_unique()
    leading = s.str.extract(r"^\s*(\d{1,2})(?:\s|$|[-–:.)])", 1).cast(pl.Int64, strict=False)
    return ColumnProfile(
        filled=n,
        distinct_ratio=distinct / n,
        distinct=distinct,
        emails=share(s.str.contains(_EMAIL)),
        person_names=share(s.str.contains(_PERSON) & ~s.str.contains(r"\d")),
        codes=share(s.str.contains(_CODE) & s.str.contains(r"\d")),
        letters=share(s.str.contains(r"[^\W\d_]")),
        dates=share(dates.is_not_null()),
        durations=share(durations.is_not_null() & ~s.str.contains(_EMAIL)),
        numbers=share(s.str.contains(_NUMBER)),
        in_0_100=share(numbers.is_between(0, 100)),
        booleans=share(s.str.to_lowercase().is_in(_BOOL)),
        scale_0_10=share(leading.is_between(0, 10)),
        scale_1_5=share(leading.is_between(1, 5)),
    )


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z%]+", normalise_header(text)) if w]


def _name_score(field: str, header: str) -> float:
    """1 when a hint's words appear as whole words of the header, 0.3 inside a word, else 0."""
    words = _words(header)
    joined = " ".join(words)
    best = 0.0
    for hint in _HINTS[field]:
        hint_words = _words(hint)
        if hint_words and f" {' '.join(hint_words)} " in f" {joined} ":
            return 1.0
        if hint_words and "".join(hint_words) in "".join(words):
            best = 0.3
    return best


def _value_fit(field: str, p: ColumnProfile) -> float:
    """How well a column's values suit a field, 0-1 (0: never this field)."""
    if p.filled == 0:
        return 0.0
    text = p.letters * (1 - p.emails) * (1 - p.dates)
    repeated = 1 - p.distinct_ratio
    fits = {
        "learner": max(p.emails, 0.7 * p.codes * p.distinct_ratio * (1 - p.dates)),
        "name": p.person_names * (1 - p.emails) * min(1.0, 1.5 * p.distinct_ratio),
        "org_unit": text * repeated * (1 - p.codes),
        "product": text * repeated * (1.0 if p.distinct <= 3 else 0.5),
        "content_id": p.codes
        * (1 - 0.5 * p.numbers)  # plain numbers are more often minutes or scores
        * (1 - p.emails)
        * (1 - p.dates)
        * (1 - p.booleans),
        "content_title": text * (1 - p.codes) * (0.5 + 0.5 * repeated),
        "content_type": text * repeated * (1.0 if p.distinct <= 5 else 0.3),
        "activity_date": p.dates,
        "completed_date": p.dates,
        "minutes": p.durations * (1 - p.dates) * (1 - p.booleans),
        "progress": p.numbers * p.in_0_100 * (1 - p.dates) * (1 - p.booleans),
        "completed": max(
            p.booleans, text * (1.0 if p.distinct <= 6 else 0.0) * (0.5 + 0.5 * repeated)
        ),
        "date": p.dates,
        "respondent": max(p.emails, p.codes * p.distinct_ratio, p.person_names),
        # A 0-10 scale that is not all 1-5 (a 1-5 column also fits 0-10)
        "recommend": p.scale_0_10 * (1 - p.dates) * (1.0 - 0.5 * p.scale_1_5),
        "relevance": p.scale_1_5 * (1 - p.dates),
        "applied": p.booleans,
        "month": p.dates,
        "kpi": text * repeated,
        "value": p.numbers * (1 - p.dates),
        "baseline": p.numbers * (1 - p.dates),
        "unit_value": p.numbers * (1 - p.dates),
        "attribution_pct": p.numbers * p.in_0_100 * (1 - p.dates),
        "confidence_pct": p.numbers * p.in_0_100 * (1 - p.dates),
        "n": p.numbers * (1 - p.dates),
        "direction": 0.0,  # rare and worded freely: left for the person to choose
        "manager": max(p.emails, 0.7 * p.codes) * repeated,
        "cost_centre": max(p.codes, text) * repeated * (1 - p.dates),
        "start_date": p.dates,
        "end_date": p.dates,
    }
    return max(fits[field], 0.0)


def score(
    field: str, header: str, cells: pl.Series | None, *, most_distinct_names: int = 0
) -> float:
    """A column's score for a field, 0-1: its header's words and its values' fit.

    Without values (`cells` None), the header alone decides, and only whole
    words count. A column whose values do not fit at all scores 0 whatever
    its name. `most_distinct_names` is the most distinct values any column
    of person-like values has: people outnumber courses, so a column of
    such values with fewer distinct ones (course titles) fits the learner's
    name less.
    """
    name = _name_score(field, header)
    if cells is None:
        return name if name == 1.0 else 0.0
    p = profile(cells)
    fit = _value_fit(field, p)
    if field == "name" and most_distinct_names > 0:
        fit *= p.distinct / most_distinct_names
    if fit < 0.3:
        return 0.0
    return _NAME_WEIGHT * name + (1 - _NAME_WEIGHT) * fit


def suggest_mapping(
    headers: Sequence[str],
    cells: pl.DataFrame | Mapping[str, pl.Series] | None = None,
    *,
    fields: Sequence[str] = _USAGE_FIELDS,
) -> dict[str, str]:
    """Field -> header: the best-scoring column per field, each column used once.

    Pairs are taken best first; a field whose best remaining column scores
    under `THRESHOLD` stays unmapped, and so does the learner's name when an
    e-mail or id column was found (the name is the weak key). `cells` holds the file's first rows by
    header as written; without them only exact header words are trusted.
    """
    columns = {h: (cells[h] if cells is not None and h in cells else None) for h in headers}
    profiles = [profile(c) for c in columns.values() if c is not None]
    most = max((p.distinct for p in profiles if p.person_names >= 0.5), default=0)
    order = {f: i for i, f in enumerate(fields)}
    pairs = [
        (score(f, h, columns[h], most_distinct_names=most), -order[f], -i, f, h)
        for f in fields
        for i, h in enumerate(headers)
    ]
    out: dict[str, str] = {}
    taken: set[str] = set()
    for value, _, _, field, header in sorted(pairs, reverse=True):
        if value < THRESHOLD or field in out or header in taken:
            continue
        out[field] = header
        taken.add(header)
    if "learner" in out and "name" in out:  # a name is only the weak key of a file without ids
        del out["name"]
    return out
