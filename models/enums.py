"""Closed vocabularies of the domain.

Member names equal their values (SQLModel stores enums by member name), and
SQLite adds no CHECK constraint, so loaders validate values through
`parse_enum` before anything is written. A new member is a schema change (a
PostgreSQL enum type gains a value, a SQLite column may grow): it needs a
migration, as revision 0002 did for `LifecycleStage.discovery`.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

__all__ = [
    "SYNONYMS",
    "CostCategory",
    "Direction",
    "ExperimentDesign",
    "Grain",
    "ImportKind",
    "ImportStatus",
    "LearnerKeyKind",
    "LifecycleStage",
    "OutcomeKind",
    "ProductCategory",
    "ReleaseKind",
    "Role",
    "parse_enum",
]


class ProductCategory(StrEnum):
    """What kind of learning offer a product is."""

    content_library = "content_library"
    academy = "academy"
    programme = "programme"
    compliance = "compliance"
    coaching = "coaching"
    platform = "platform"
    other = "other"


class LifecycleStage(StrEnum):
    """Where a product is in its life; drives how much evidence we expect.

    A product in `discovery` (the problem is being explored, nothing is run
    yet) or in `pilot` is not expected to show usage or evidence yet.
    """

    discovery = "discovery"
    pilot = "pilot"
    growth = "growth"
    mature = "mature"
    decline = "decline"
    retiring = "retiring"


class CostCategory(StrEnum):
    """Budget line categories (Phillips fully-loaded cost build-up)."""

    licence = "licence"
    design_development = "design_development"
    delivery = "delivery"
    participant_time = "participant_time"
    evaluation = "evaluation"
    overhead = "overhead"
    other = "other"


class Direction(StrEnum):
    """Whether more of an outcome measure is better (sales) or worse (errors)."""

    higher = "higher"
    lower = "lower"


class OutcomeKind(StrEnum):
    """A measured result, or a forecast recorded before the results were in."""

    actual = "actual"
    forecast = "forecast"


class Grain(StrEnum):
    """How a usage report's rows relate to each other across reports.

    *event*: one row per thing that happened (key includes the date);
    *snapshot*: cumulative state as of the report's end (the newest report wins);
    *aggregate*: per-learner or per-period totals, kept apart from learner x content facts.
    """

    event = "event"
    snapshot = "snapshot"
    aggregate = "aggregate"


class ImportKind(StrEnum):
    """Which table family an import wrote to."""

    usage = "usage"
    aggregate = "aggregate"
    products = "products"
    budgets = "budgets"
    contracts = "contracts"
    outcomes = "outcomes"
    experiments = "experiments"
    survey = "survey"
    releases = "releases"
    people = "people"


class ImportStatus(StrEnum):
    """An import stays `imported` until it is undone; rejected files are never recorded."""

    imported = "imported"
    undone = "undone"


class LearnerKeyKind(StrEnum):
    """What a learner key was derived from; `name` is a weak key and shown as such."""

    email = "email"
    user_id = "user_id"
    name = "name"


E = TypeVar("E", bound=StrEnum)

# Words people use for a member, by enum (keys normalised as `parse_enum` does).
# DESIGN.md, "Settled for the next capabilities", lists the lifecycle ones.
SYNONYMS: dict[type[StrEnum], dict[str, StrEnum]] = {
    LifecycleStage: {
        "idea": LifecycleStage.discovery,
        "exploration": LifecycleStage.discovery,
        "beta": LifecycleStage.pilot,
        "mvp": LifecycleStage.pilot,
        "sunset": LifecycleStage.retiring,
        "retire": LifecycleStage.retiring,
    },
}


def parse_enum(enum_type: type[E], raw: str) -> E:
    """Map user text ("Content library", "content-library", "MVP") onto an enum member.

    Case, spaces and punctuation do not matter, and the `SYNONYMS` of the enum
    are accepted ("Idea" is `LifecycleStage.discovery`).

    Raises
    ------
    ValueError
        Naming the value and the accepted ones, so a loader can show it verbatim.

    Examples
    --------
    >>> parse_enum(LifecycleStage, " Beta ").value
    'pilot'
    >>> parse_enum(LifecycleStage, "launched")
    Traceback (most recent call last):
    ...
    ValueError: 'launched' is not one of: discovery, pilot, growth, mature, decline, retiring
    """
    key = re.sub(r"[^a-z0-9]+", "_", raw.strip().lower()).strip("_")
    synonym = SYNONYMS.get(enum_type, {}).get(key)
    if synonym is not None:
        return enum_type(synonym.value)
    try:
        return enum_type(key)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_type)
        msg = f"'{raw}' is not one of: {allowed}"
        raise ValueError(msg) from None


class ReleaseKind(StrEnum):
    """What a release of a product was: new content, a feature, a fix, or a campaign."""

    content = "content"
    feature = "feature"
    fix = "fix"
    campaign = "campaign"


class ExperimentDesign(StrEnum):
    """How an experiment compares: randomised A/B, a pilot against a control, or before/after."""

    ab = "ab"
    pilot_control = "pilot_control"
    before_after = "before_after"


class Role(StrEnum):
    """What a person may do in the app, from least to most (DESIGN.md, "Roles").

    `viewer` reads every page, moves sliders and downloads packs; `editor`
    also imports, undoes, edits data and saves scenarios; `admin` also
    manages roles and erases a learner's records.
    """

    viewer = "viewer"
    editor = "editor"
    admin = "admin"

    @property
    def rank(self) -> int:
        """0 for viewer, 1 for editor, 2 for admin: a higher role may do all a lower one may."""
        return list(Role).index(self)
