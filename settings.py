"""One settings object for the whole app, read from the environment and checked once.

Everything a deployment may want to change lives here, so that `metrics/`,
`loaders/`, `planning/`, `exports/` and the pages never read the
environment themselves, and every default exists once: the field defaults
of `Settings` (and `DEFAULT_HEALTH` for the health cut-offs). Functions
elsewhere take these values as keyword arguments without defaults, so a
caller that forgets one fails loudly instead of silently using a second,
drifting copy.

`get_settings` reads the environment once per process and checks every
variable before anything else runs: all the problems are collected and
raised together as one `SettingsError` naming each variable, the value
given and what is allowed. The app shows that message and stops; the
command lines print it and exit 2.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Final, Literal, get_args

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from metrics.currency import check_currency
from metrics.health import HealthThresholds
from models.access import is_subject
from models.enums import Role

__all__ = [
    "DEFAULT_HEALTH",
    "MODES",
    "VARIABLES",
    "HealthThresholds",
    "Mode",
    "Settings",
    "SettingsError",
    "Variable",
    "get_settings",
    "read_settings",
]

ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = ROOT / "data" / "learning_portfolio.sqlite"
DEFAULT_KEY_FILE = ROOT / "data" / "pseudonym.key"

Mode = Literal["local", "production"]
MODES: Final[tuple[Mode, ...]] = get_args(Mode)
"""`local`: one person's machine (a random pseudonym key is generated in a file on first use);
`production`: served to others, often by several servers (LP_PSEUDONYM_KEY must be set, so
every server keys learners alike)."""

DEFAULT_HEALTH: Final = HealthThresholds(
    utilisation_fix_below=0.5,
    utilisation_sunset_below=0.2,
    roi_invest_at_least=0.0,
    roi_sunset_below=-0.5,
    overspend_fix_above=0.10,
    strategic_fit_sunset_at_most=2,
    compliance_reach_fix_below=0.9,
)
"""The Invest / Fix / Sunset cut-offs unless an LP_HEALTH_* variable changes one."""


@dataclass(frozen=True)
class Settings:
    """Deployment settings; build with `get_settings()` (checked) or directly in tests."""

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    mode: Mode = "local"
    pseudonym_key: str | None = None
    pseudonym_key_file: str = str(DEFAULT_KEY_FILE)
    store_identities: bool = False
    reporting_currency: str = "GBP"
    as_of: date | None = None
    amortisation_years: int = 2
    loaded_hourly_rate: float = 45.0
    rag_amber: float = 0.05
    rag_red: float = 0.10
    evidence_min_n: int = 30
    evidence_stale_after_days: int = 365
    min_group_size: int = 5  # figures about fewer people are hidden (DESIGN.md, People roster)
    stale_after_days: int = 45  # usage running to more days before as_of is stale (Freshness)
    reclaim_after_days: int = 60  # a seat unused this many days is one to reclaim (issue 19)
    chromium_path: str | None = None
    health: HealthThresholds = DEFAULT_HEALTH
    roles: tuple[tuple[str, Role], ...] = ()
    read_only: bool = False
    warm_up: bool = True  # fill the pages' caches after an import (pages.warm_up)

    def role_map(self) -> dict[str, Role]:
        """`LP_ROLES` as subject (e-mail, domain or ``*``) -> role."""
        return dict(self.roles)

    def today(self) -> date:
        """The "as of" date the app reports on: the setting, else the real date."""
        return self.as_of or date.today()


class SettingsError(ValueError):
    """The environment's settings are not valid; the message lists every problem.

    Attributes
    ----------
    problems
        One line per problem, each naming the variable, the value given and
        what is allowed.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        super().__init__(f"the settings (environment variables) have {count}:\n{lines}")


# --- parsers: text of one variable -> its value, or ValueError saying what is wrong ---------


def _text(raw: str) -> str:
    return raw


def _url(raw: str) -> str:
    try:
        make_url(raw).get_dialect()
    except NoSuchModuleError as exc:
        msg = "a URL of a database kind SQLAlchemy does not know"
        raise ValueError(msg) from exc
    except (ArgumentError, ValueError) as exc:
        msg = "not a database URL"
        raise ValueError(msg) from exc
    return raw


def _mode(raw: str) -> str:
    value = raw.lower()
    if value not in MODES:
        msg = "not a known mode"
        raise ValueError(msg)
    return value


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _flag(raw: str) -> bool:
    value = raw.lower()
    if value not in _TRUE | _FALSE:
        msg = "not true or false"
        raise ValueError(msg)
    return value in _TRUE


def _currency(raw: str) -> str:
    try:
        return check_currency(raw)
    except ValueError as exc:
        msg = "not an ISO 4217 currency code"
        raise ValueError(msg) from exc


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        msg = "not a date"
        raise ValueError(msg) from exc


def _number(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        msg = "not a number"
        raise ValueError(msg) from exc
    if not math.isfinite(value):
        msg = "not a finite number"
        raise ValueError(msg)
    return value


def _whole(raw: str) -> int:
    value = _number(raw)
    if value != int(value):
        msg = "not a whole number"
        raise ValueError(msg)
    return int(value)


def _at_least(low: float, parse: Callable[[str], float]) -> Callable[[str], float]:
    def parsed(raw: str) -> float:
        value = parse(raw)
        if value < low:
            msg = "out of range"
            raise ValueError(msg)
        return value

    return parsed


def _between(low: float, high: float, parse: Callable[[str], float]) -> Callable[[str], float]:
    def parsed(raw: str) -> float:
        value = parse(raw)
        if not low <= value <= high:
            msg = "out of range"
            raise ValueError(msg)
        return value

    return parsed


_FRACTION = _between(0.0, 1.0, _number)


def _roles(raw: str) -> tuple[tuple[str, Role], ...]:
    """`who=role` pairs separated by commas or semicolons; who is an e-mail, a domain or `*`."""
    pairs: dict[str, Role] = {}
    for item in re.split(r"[,;]", raw):
        if not item.strip():
            continue
        who, equals, role = (part.strip() for part in item.partition("="))
        subject = who.casefold()
        if not equals or not is_subject(subject):
            msg = f"not who=role pairs (at {item.strip()!r})"
            raise ValueError(msg)
        if role.casefold() not in Role.__members__:
            msg = f"not a known role (at {item.strip()!r})"
            raise ValueError(msg)
        if subject in pairs:
            msg = f"listing {who} twice"
            raise ValueError(msg)
        pairs[subject] = Role(role.casefold())
    return tuple(pairs.items())


@dataclass(frozen=True)
class Variable:
    """One environment variable: the `Settings` field it sets and what it accepts.

    `field` is a `Settings` field name, or ``health.<name>`` for a
    `HealthThresholds` field. `allowed` is the plain-English rule quoted in
    a `SettingsError` and in the README's Configuration table.
    """

    name: str
    field: str
    parse: Callable[[str], object]
    allowed: str

    def default(self) -> object:
        """The value the field takes when the variable is unset or blank."""
        owner, _, name = self.field.rpartition(".")
        source: object = DEFAULT_HEALTH if owner == "health" else Settings()
        return getattr(source, name)


_HEALTH_VARIABLES: Final[dict[str, tuple[Callable[[str], object], str]]] = {
    "utilisation_fix_below": (_FRACTION, "a fraction from 0 to 1"),
    "utilisation_sunset_below": (
        _FRACTION,
        "a fraction from 0 to 1, at most LP_HEALTH_UTILISATION_FIX_BELOW",
    ),
    "roi_invest_at_least": (_number, "a number (a fraction: 0 = break-even)"),
    "roi_sunset_below": (_number, "a number, at most LP_HEALTH_ROI_INVEST_AT_LEAST"),
    "overspend_fix_above": (_at_least(0.0, _number), "a fraction, 0 or more"),
    "strategic_fit_sunset_at_most": (
        _between(0, 5, _whole),
        "a whole number from 0 to 5 (0 turns the rule off)",
    ),
    "compliance_reach_fix_below": (_FRACTION, "a fraction from 0 to 1"),
}

VARIABLES: Final[tuple[Variable, ...]] = (
    Variable(
        "DATABASE_URL",
        "database_url",
        _url,
        "a SQLAlchemy URL, e.g. sqlite:///path/file.sqlite or postgresql+psycopg://user@host/db",
    ),
    Variable("LP_MODE", "mode", _mode, " or ".join(MODES)),
    Variable(
        "LP_PSEUDONYM_KEY",
        "pseudonym_key",
        _text,
        "any secret text; required when LP_MODE is not local",
    ),
    Variable(
        "LP_PSEUDONYM_KEY_FILE",
        "pseudonym_key_file",
        _text,
        "a file path; created with a random key, readable only by its owner, when "
        "LP_PSEUDONYM_KEY is not set",
    ),
    Variable(
        "LP_STORE_IDENTITIES", "store_identities", _flag, "true or false (1/0, yes/no, on/off)"
    ),
    Variable(
        "LP_CURRENCY", "reporting_currency", _currency, "an ISO 4217 code such as GBP, USD, JPY"
    ),
    Variable("LP_AS_OF", "as_of", _date, "a date YYYY-MM-DD"),
    Variable(
        "LP_AMORTISATION_YEARS",
        "amortisation_years",
        _at_least(1, _whole),
        "a whole number of years, 1 or more",
    ),
    Variable(
        "LP_LOADED_HOURLY_RATE",
        "loaded_hourly_rate",
        _at_least(0.0, _number),
        "an amount, 0 or more",
    ),
    Variable("LP_RAG_AMBER", "rag_amber", _FRACTION, "a fraction from 0 to 1, at most LP_RAG_RED"),
    Variable("LP_RAG_RED", "rag_red", _FRACTION, "a fraction from 0 to 1, at least LP_RAG_AMBER"),
    Variable(
        "LP_EVIDENCE_MIN_N", "evidence_min_n", _at_least(1, _whole), "a whole number, 1 or more"
    ),
    Variable(
        "LP_EVIDENCE_STALE_AFTER_DAYS",
        "evidence_stale_after_days",
        _at_least(1, _whole),
        "a whole number of days, 1 or more",
    ),
    Variable(
        "LP_MIN_GROUP_SIZE",
        "min_group_size",
        _at_least(1, _whole),
        "a whole number of people, 1 or more",
    ),
    Variable(
        "LP_STALE_AFTER_DAYS",
        "stale_after_days",
        _at_least(1, _whole),
        "a whole number of days, 1 or more",
    ),
    Variable(
        "LP_RECLAIM_AFTER_DAYS",
        "reclaim_after_days",
        _at_least(1, _whole),
        "a whole number of days, 1 or more",
    ),
    Variable("LP_CHROMIUM", "chromium_path", _text, "the path or name of a Chromium executable"),
    Variable(
        "LP_ROLES",
        "roles",
        _roles,
        "who=role pairs separated by commas: who is an e-mail, a domain (corp.example, "
        "covering its sub-domains) or *; role is viewer, editor or admin "
        "(read when sign-in is configured)",
    ),
    Variable(
        "LP_READ_ONLY",
        "read_only",
        _flag,
        "true or false: true serves every visitor as a viewer, whatever LP_ROLES says",
    ),
    Variable("LP_WARM_UP", "warm_up", _flag, "true or false (1/0, yes/no, on/off)"),
    *(
        Variable(f"LP_HEALTH_{name.upper()}", f"health.{name}", parse, allowed)
        for name, (parse, allowed) in _HEALTH_VARIABLES.items()
    ),
)
"""Every environment variable the app reads, in the README's order."""

_BY_FIELD: Final[dict[str, Variable]] = {v.field: v for v in VARIABLES}
_PASSWORD = re.compile(r"(?<=:)[^:/@]*(?=@)")


def _given(variable: Variable, raw: str) -> str:
    """The value as a message may show it: never the key, never a database password."""
    if variable.name == "LP_PSEUDONYM_KEY":
        return "(hidden)"
    if variable.name == "DATABASE_URL":
        return repr(_PASSWORD.sub("***", raw))
    return repr(raw)


def _shown(variable: Variable, environ: Mapping[str, str]) -> str:
    """`NAME='raw'` as given, or `NAME (default …)` when it is unset."""
    raw = environ.get(variable.name, "").strip()
    if raw:
        return f"{variable.name}={_given(variable, raw)}"
    return f"{variable.name} (default {variable.default()})"


_ORDERED: Final[tuple[tuple[str, str], ...]] = (
    ("rag_amber", "rag_red"),
    ("health.utilisation_sunset_below", "health.utilisation_fix_below"),
    ("health.roi_sunset_below", "health.roi_invest_at_least"),
)
"""Pairs of fields whose first value must not be above the second."""


def _relations(values: Mapping[str, object], environ: Mapping[str, str]) -> list[str]:
    """Problems that involve two settings, each valid on its own (`values` by field)."""
    problems: list[str] = []
    for low_field, high_field in _ORDERED:
        low, high = values[low_field], values[high_field]
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            low_var, high_var = _BY_FIELD[low_field], _BY_FIELD[high_field]
            problems.append(
                f"{_shown(low_var, environ)} is above {_shown(high_var, environ)}; "
                f"allowed: {low_var.allowed}"
            )
    if values["mode"] != "local" and values["pseudonym_key"] is None:
        problems.append(
            f"LP_PSEUDONYM_KEY is not set while LP_MODE={values['mode']!r}; allowed: a secret "
            "value of your own, the same on every server (a key file generated on one server "
            "would key the same learners differently on another)"
        )
    return problems


def read_settings(environ: Mapping[str, str]) -> Settings:
    """The settings `environ` describes, after checking every variable.

    Parameters
    ----------
    environ
        Variable name -> text, as `os.environ`. An unset or blank variable
        takes its default (the `Settings` field default).

    Returns
    -------
    Settings
        The checked settings.

    Raises
    ------
    SettingsError
        Listing every problem at once: a value its variable cannot take
        (not a number, out of range, an unknown currency or mode, a
        malformed date or URL) and every broken relation (LP_RAG_AMBER
        above LP_RAG_RED, a Sunset cut-off above its Fix one, production
        mode without LP_PSEUDONYM_KEY).

    Examples
    --------
    >>> read_settings({"LP_CURRENCY": "jpy", "LP_RAG_RED": "0.2"}).reporting_currency
    'JPY'
    >>> read_settings({"LP_RAG_AMBER": "lots"})
    Traceback (most recent call last):
    ...
    settings.SettingsError: the settings (environment variables) have 1 problem:
      - LP_RAG_AMBER='lots' is not a number; allowed: a fraction from 0 to 1, at most LP_RAG_RED
    """
    problems: list[str] = []
    given: dict[str, object] = {}
    for variable in VARIABLES:
        raw = environ.get(variable.name, "").strip()
        if not raw:
            continue
        try:
            given[variable.field] = variable.parse(raw)
        except ValueError as exc:
            problems.append(
                f"{variable.name}={_given(variable, raw)} is {exc}; allowed: {variable.allowed}"
            )
    # Relations are checked on every value that parsed, defaults standing in for the rest,
    # so that one message reports every problem.
    values = {v.field: given.get(v.field, v.default()) for v in VARIABLES}
    problems += _relations(values, environ)
    if problems:
        raise SettingsError(problems)
    health = {k.removeprefix("health."): v for k, v in given.items() if k.startswith("health.")}
    top = {k: v for k, v in given.items() if not k.startswith("health.")}
    return Settings(**top, health=replace(DEFAULT_HEALTH, **health))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read from the environment once.

    Raises
    ------
    SettingsError
        When any variable is not valid (see `read_settings`); nothing is
        cached then, so a corrected environment is read on the next call.
    """
    return read_settings(os.environ)
