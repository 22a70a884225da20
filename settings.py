"""One settings object for the whole app, read from the environment.

Everything a deployment may want to change lives here, so that `metrics/`,
`loaders/` and the pages never read the environment themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from metrics.health import HealthThresholds

__all__ = ["HealthThresholds", "Settings", "get_settings"]

ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = ROOT / "data" / "learning_portfolio.sqlite"
_LOCAL_DEV_KEY = "local-development-key-change-me"


@dataclass(frozen=True)
class Settings:
    """Deployment settings; build with `get_settings()`."""

    database_url: str
    mode: str = "local"
    pseudonym_key: str = _LOCAL_DEV_KEY
    store_identities: bool = False
    reporting_currency: str = "GBP"
    as_of: date | None = None
    amortisation_years: float = 2.0
    loaded_hourly_rate: float = 45.0
    rag_amber: float = 0.05
    rag_red: float = 0.10
    evidence_min_n: int = 30
    evidence_stale_after_days: int = 365
    health: HealthThresholds = field(default_factory=HealthThresholds)

    def today(self) -> date:
        """The "as of" date the app reports on: the setting, else the real date."""
        return self.as_of or date.today()


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per process.

    Refuses the built-in pseudonymisation key outside local mode: learner
    keys hashed with a public key can be reversed by anyone with a staff list.
    """
    url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{DEFAULT_SQLITE_PATH}"
    mode = os.environ.get("LP_MODE", "local").strip().lower() or "local"
    key = os.environ.get("LP_PSEUDONYM_KEY", "").strip() or _LOCAL_DEV_KEY
    if mode != "local" and key == _LOCAL_DEV_KEY:
        msg = "LP_PSEUDONYM_KEY must be set to a secret value when LP_MODE is not 'local'."
        raise RuntimeError(msg)
    as_of_raw = os.environ.get("LP_AS_OF", "").strip()
    return Settings(
        database_url=url,
        mode=mode,
        pseudonym_key=key,
        store_identities=_env_bool("LP_STORE_IDENTITIES", default=False),
        reporting_currency=os.environ.get("LP_CURRENCY", "GBP").strip().upper() or "GBP",
        as_of=date.fromisoformat(as_of_raw) if as_of_raw else None,
        amortisation_years=_env_float("LP_AMORTISATION_YEARS", 2.0),
        loaded_hourly_rate=_env_float("LP_LOADED_HOURLY_RATE", 45.0),
        rag_amber=_env_float("LP_RAG_AMBER", 0.05),
        rag_red=_env_float("LP_RAG_RED", 0.10),
        evidence_min_n=_env_int("LP_EVIDENCE_MIN_N", 30),
        evidence_stale_after_days=_env_int("LP_EVIDENCE_STALE_AFTER_DAYS", 365),
    )
