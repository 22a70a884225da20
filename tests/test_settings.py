"""Settings: one source for every default, every variable checked at start-up and documented.

`settings.read_settings` takes the environment as a mapping, so each rule is checked here
without touching the process environment; `get_settings` is `read_settings(os.environ)`.
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

import settings
from metrics.health import HealthThresholds
from models.enums import Role
from settings import (
    DEFAULT_HEALTH,
    MODES,
    VARIABLES,
    Settings,
    SettingsError,
    get_settings,
    read_settings,
)
from tests.metrics import factories

ROOT = Path(__file__).resolve().parents[1]


def problems_of(**environ: str) -> tuple[str, ...]:
    with pytest.raises(SettingsError) as caught:
        read_settings(environ)
    return caught.value.problems


def only_problem(**environ: str) -> str:
    found = problems_of(**environ)
    assert len(found) == 1, found
    return found[0]


# --- defaults and reading -----------------------------------------------------------------------


def test_an_empty_environment_gives_the_defaults() -> None:
    assert read_settings({}) == Settings()
    assert read_settings({}).health == DEFAULT_HEALTH


def test_the_shipped_defaults_are_the_ones_the_hand_computed_tests_use() -> None:
    # tests/metrics/factories writes them out for its hand-computed figures.
    s = Settings()
    assert s.health == factories.HEALTH
    assert (s.rag_amber, s.rag_red) == (factories.AMBER, factories.RED)
    assert (s.evidence_min_n, s.evidence_stale_after_days) == (
        factories.MIN_N,
        factories.STALE_AFTER_DAYS,
    )
    assert (s.amortisation_years, s.loaded_hourly_rate, s.reporting_currency) == (2, 45, "GBP")


def test_every_variable_sets_its_field() -> None:
    environ = {
        "DATABASE_URL": "postgresql+psycopg://lp@db.example/portfolio",
        "LP_MODE": "Production",
        "LP_PSEUDONYM_KEY": "s3cret",
        "LP_PSEUDONYM_KEY_FILE": "/etc/learning-portfolio/key",
        "LP_STORE_IDENTITIES": "yes",
        "LP_CURRENCY": " jpy ",
        "LP_AS_OF": "2026-11-23",
        "LP_AMORTISATION_YEARS": "3",
        "LP_LOADED_HOURLY_RATE": "52.5",
        "LP_RAG_AMBER": "0.02",
        "LP_RAG_RED": "0.2",
        "LP_EVIDENCE_MIN_N": "50",
        "LP_EVIDENCE_STALE_AFTER_DAYS": "180",
        "LP_MIN_GROUP_SIZE": "10",
        "LP_STALE_AFTER_DAYS": "30",
        "LP_RECLAIM_AFTER_DAYS": "90",
        "LP_CHROMIUM": "/opt/chromium/chrome",
        "LP_HEALTH_UTILISATION_FIX_BELOW": "0.6",
        "LP_HEALTH_UTILISATION_SUNSET_BELOW": "0.25",
        "LP_HEALTH_ROI_INVEST_AT_LEAST": "0.1",
        "LP_HEALTH_ROI_SUNSET_BELOW": "-0.4",
        "LP_HEALTH_OVERSPEND_FIX_ABOVE": "0.15",
        "LP_HEALTH_STRATEGIC_FIT_SUNSET_AT_MOST": "1",
        "LP_HEALTH_COMPLIANCE_REACH_FIX_BELOW": "0.95",
        "LP_ROLES": "Lead@Corp.example=Admin; corp.example=viewer, *=viewer",
        "LP_READ_ONLY": "on",
        "LP_WARM_UP": "no",
    }
    assert {v.name for v in VARIABLES} == set(environ)  # every variable is exercised
    got = read_settings(environ)
    assert got == Settings(
        database_url="postgresql+psycopg://lp@db.example/portfolio",
        mode="production",
        pseudonym_key="s3cret",
        pseudonym_key_file="/etc/learning-portfolio/key",
        store_identities=True,
        reporting_currency="JPY",
        as_of=date(2026, 11, 23),
        amortisation_years=3,
        loaded_hourly_rate=52.5,
        rag_amber=0.02,
        rag_red=0.2,
        evidence_min_n=50,
        evidence_stale_after_days=180,
        min_group_size=10,
        stale_after_days=30,
        reclaim_after_days=90,
        chromium_path="/opt/chromium/chrome",
        health=HealthThresholds(
            utilisation_fix_below=0.6,
            utilisation_sunset_below=0.25,
            roi_invest_at_least=0.1,
            roi_sunset_below=-0.4,
            overspend_fix_above=0.15,
            strategic_fit_sunset_at_most=1,
            compliance_reach_fix_below=0.95,
        ),
        roles=(
            ("lead@corp.example", Role.admin),
            ("corp.example", Role.viewer),
            ("*", Role.viewer),
        ),
        read_only=True,
        warm_up=False,
    )
    assert got.today() == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("roles", "problem"),
    [
        ("lead@corp.example", "is not who=role pairs (at 'lead@corp.example')"),
        ("lead@corp.example=boss", "is not a known role (at 'lead@corp.example=boss')"),
        ("a b=viewer", "is not who=role pairs (at 'a b=viewer')"),
        ("@corp=viewer", "is not who=role pairs (at '@corp=viewer')"),
        ("x@corp.example=viewer,X@corp.example=admin", "is listing X@corp.example twice"),
    ],
)
def test_lp_roles_is_checked_with_what_is_wrong(roles: str, problem: str) -> None:
    with pytest.raises(SettingsError) as refused:
        read_settings({"LP_ROLES": roles})
    assert f"LP_ROLES={roles!r} {problem}; allowed: who=role pairs" in str(refused.value)


def test_a_blank_variable_is_unset() -> None:
    assert read_settings({"LP_RAG_AMBER": "  ", "LP_CURRENCY": ""}) == Settings()


def test_every_settings_field_has_its_variable() -> None:
    covered = {v.field for v in VARIABLES}
    expected = {f.name for f in fields(Settings) if f.name != "health"}
    expected |= {f"health.{f.name}" for f in fields(HealthThresholds)}
    assert covered == expected


def test_get_settings_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LP_RAG_AMBER", "0.02")
    monkeypatch.setenv("LP_EVIDENCE_MIN_N", "50")
    get_settings.cache_clear()
    try:
        got = get_settings()
        assert (got.rag_amber, got.rag_red, got.evidence_min_n) == (0.02, 0.10, 50)
    finally:
        get_settings.cache_clear()


def test_a_bad_environment_is_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LP_RAG_AMBER", "abc")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="LP_RAG_AMBER"):
            get_settings()
        monkeypatch.setenv("LP_RAG_AMBER", "0.03")
        assert get_settings().rag_amber == 0.03
    finally:
        get_settings.cache_clear()


# --- each rule ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "two"])
def test_amortisation_is_a_whole_number_of_years_of_at_least_one(value: str) -> None:
    problem = only_problem(LP_AMORTISATION_YEARS=value)
    assert problem.startswith(f"LP_AMORTISATION_YEARS={value!r} is ")
    assert problem.endswith("allowed: a whole number of years, 1 or more")


def test_a_negative_hourly_rate_is_refused_and_zero_is_allowed() -> None:
    assert only_problem(LP_LOADED_HOURLY_RATE="-5") == (
        "LP_LOADED_HOURLY_RATE='-5' is out of range; allowed: an amount, 0 or more"
    )
    assert read_settings({"LP_LOADED_HOURLY_RATE": "0"}).loaded_hourly_rate == 0.0


def test_amber_above_red_is_refused_naming_both() -> None:
    assert only_problem(LP_RAG_AMBER="0.3", LP_RAG_RED="0.2") == (
        "LP_RAG_AMBER='0.3' is above LP_RAG_RED='0.2'; "
        "allowed: a fraction from 0 to 1, at most LP_RAG_RED"
    )
    # against the default red (0.10) the message says it is the default
    assert "LP_RAG_RED (default 0.1)" in only_problem(LP_RAG_AMBER="0.2")
    assert read_settings({"LP_RAG_AMBER": "0.1", "LP_RAG_RED": "0.1"}).rag_amber == 0.1


@pytest.mark.parametrize(("name", "value"), [("LP_RAG_AMBER", "-0.01"), ("LP_RAG_RED", "1.5")])
def test_tolerances_are_fractions(name: str, value: str) -> None:
    assert only_problem(**{name: value}).startswith(f"{name}={value!r} is out of range; allowed: ")


@pytest.mark.parametrize("value", ["nan", "inf", "5%", "0,1"])
def test_a_number_must_be_a_finite_number(value: str) -> None:
    problem = only_problem(LP_RAG_RED=value)
    assert re.match(rf"LP_RAG_RED={value!r} is not a (finite )?number; allowed: ", problem)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LP_EVIDENCE_MIN_N", "0"),
        ("LP_EVIDENCE_MIN_N", "2.5"),
        ("LP_EVIDENCE_STALE_AFTER_DAYS", "0"),
    ],
)
def test_evidence_thresholds_are_whole_numbers_of_at_least_one(name: str, value: str) -> None:
    assert only_problem(**{name: value}).startswith(f"{name}={value!r} is ")


@pytest.mark.parametrize("value", ["0", "-30", "45.5", "two months"])
def test_reclaim_after_days_is_a_whole_number_of_days_of_at_least_one(value: str) -> None:
    problem = only_problem(LP_RECLAIM_AFTER_DAYS=value)
    assert problem.startswith(f"LP_RECLAIM_AFTER_DAYS={value!r} is ")
    assert problem.endswith("allowed: a whole number of days, 1 or more")
    assert Settings().reclaim_after_days == 60
    assert read_settings({"LP_RECLAIM_AFTER_DAYS": "1"}).reclaim_after_days == 1


def test_an_unknown_currency_is_refused() -> None:
    assert only_problem(LP_CURRENCY="EURO") == (
        "LP_CURRENCY='EURO' is not an ISO 4217 currency code; "
        "allowed: an ISO 4217 code such as GBP, USD, JPY"
    )
    assert read_settings({"LP_CURRENCY": "kwd"}).reporting_currency == "KWD"


@pytest.mark.parametrize("value", ["2026-02-30", "23/11/2026", "yesterday"])
def test_a_malformed_as_of_date_is_refused(value: str) -> None:
    assert only_problem(LP_AS_OF=value) == (
        f"LP_AS_OF={value!r} is not a date; allowed: a date YYYY-MM-DD"
    )


def test_an_unknown_mode_is_refused() -> None:
    assert MODES == ("local", "production")
    assert only_problem(LP_MODE="prod") == (
        "LP_MODE='prod' is not a known mode; allowed: local or production"
    )


def test_production_needs_a_pseudonym_key_of_its_own() -> None:
    problem = only_problem(LP_MODE="production")
    assert problem.startswith("LP_PSEUDONYM_KEY is not set while LP_MODE='production'")
    assert read_settings({"LP_MODE": "production", "LP_PSEUDONYM_KEY": "k"}).mode == "production"


def test_a_flag_must_say_true_or_false() -> None:
    assert only_problem(LP_STORE_IDENTITIES="ture") == (
        "LP_STORE_IDENTITIES='ture' is not true or false; "
        "allowed: true or false (1/0, yes/no, on/off)"
    )
    assert read_settings({"LP_STORE_IDENTITIES": "OFF"}).store_identities is False


def test_a_malformed_database_url_is_refused_without_showing_its_password() -> None:
    problem = only_problem(DATABASE_URL="postgresql://lp:hunter2@db:port/x")
    assert problem.startswith("DATABASE_URL='postgresql://lp:***@db:port/x' is not a database URL")
    assert "hunter2" not in problem
    assert "does not know" in only_problem(DATABASE_URL="nosuchdb://x")


def test_health_thresholds_out_of_range_or_out_of_order_are_refused() -> None:
    found = problems_of(
        LP_HEALTH_UTILISATION_FIX_BELOW="1.2",
        LP_HEALTH_COMPLIANCE_REACH_FIX_BELOW="-0.1",
        LP_HEALTH_OVERSPEND_FIX_ABOVE="-0.05",
        LP_HEALTH_STRATEGIC_FIT_SUNSET_AT_MOST="6",
        LP_HEALTH_ROI_SUNSET_BELOW="0.5",
    )
    assert [p.split("=")[0].split(" ")[0] for p in found] == [
        "LP_HEALTH_UTILISATION_FIX_BELOW",
        "LP_HEALTH_OVERSPEND_FIX_ABOVE",
        "LP_HEALTH_STRATEGIC_FIT_SUNSET_AT_MOST",
        "LP_HEALTH_COMPLIANCE_REACH_FIX_BELOW",
        "LP_HEALTH_ROI_SUNSET_BELOW",
    ]
    assert found[-1] == (
        "LP_HEALTH_ROI_SUNSET_BELOW='0.5' is above LP_HEALTH_ROI_INVEST_AT_LEAST (default 0.0); "
        "allowed: a number, at most LP_HEALTH_ROI_INVEST_AT_LEAST"
    )
    assert "is above LP_HEALTH_UTILISATION_FIX_BELOW='0.3'" in only_problem(
        LP_HEALTH_UTILISATION_SUNSET_BELOW="0.4", LP_HEALTH_UTILISATION_FIX_BELOW="0.3"
    )


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as caught:
        read_settings(
            {
                "LP_AMORTISATION_YEARS": "-2",
                "LP_RAG_AMBER": "0.5",
                "LP_RAG_RED": "0.4",
                "LP_CURRENCY": "XYZ",
                "LP_EVIDENCE_MIN_N": "many",
            }
        )
    error = caught.value
    assert isinstance(error, ValueError)
    assert len(error.problems) == 4
    text = str(error)
    assert text.startswith("the settings (environment variables) have 4 problems:\n  - ")
    for name in ("LP_AMORTISATION_YEARS", "LP_RAG_AMBER", "LP_CURRENCY", "LP_EVIDENCE_MIN_N"):
        assert name in text


def test_the_pseudonym_key_never_appears_in_a_message() -> None:
    text = "\n".join(problems_of(LP_PSEUDONYM_KEY="top-secret", LP_MODE="nope"))
    assert "top-secret" not in text


# --- the README lists every setting -----------------------------------------------------------


def readme_rows() -> dict[str, list[str]]:
    """The Configuration table of README.md: variable -> its cells."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        found = re.fullmatch(r"`([A-Z_]+)`", cells[0]) if line.startswith("|") else None
        if found:
            rows[found.group(1)] = cells[1:]
    return rows


def test_the_readme_lists_every_variable_and_nothing_else() -> None:
    source = Path(settings.__file__).read_text(encoding="utf-8")
    read_in_code = set(re.findall(r'"((?:LP_|DATABASE_URL)[A-Z_]*)"', source))
    documented = set(readme_rows())
    assert {v.name for v in VARIABLES} == documented
    assert read_in_code <= documented


def test_the_readme_gives_each_default_as_settings_has_it() -> None:
    rows = readme_rows()
    for variable in VARIABLES:
        default, allowed, meaning = rows[variable.name]
        value = variable.default()
        if isinstance(value, bool):
            shown = "`true`" if value else "`false`"
        elif isinstance(value, int | float) and not isinstance(value, bool):
            shown = f"`{value:g}`"
        elif isinstance(value, str) and variable.name not in (
            "DATABASE_URL",
            "LP_PSEUDONYM_KEY_FILE",
        ):
            shown = f"`{value}`"
        else:
            shown = None  # a path, a secret or "unset": described in words
        if shown is not None:
            assert default == shown, variable.name
        assert allowed and meaning, variable.name
