"""Empty templates for the download buttons: just the header row, and the values it takes.

The columns are the ones the template formats declare, so what can be
downloaded is always what can be imported. The closed columns (category,
lifecycle stage, cost category, direction, kind) take the values of their
enum in `models.enums`, plus its synonyms: `template_choices` words them
for the page next to the download button.
"""

from __future__ import annotations

from enum import StrEnum

from loaders.formats import TEMPLATES
from models.enums import (
    SYNONYMS,
    CostCategory,
    Direction,
    LifecycleStage,
    OutcomeKind,
    ProductCategory,
    ReleaseKind,
)

__all__ = ["TEMPLATE_NAMES", "template_choices", "template_csv"]

TEMPLATE_NAMES: tuple[str, ...] = tuple(TEMPLATES)

# The closed columns of each template and the enum their values come from.
_CHOICES: dict[str, dict[str, type[StrEnum]]] = {
    "products.csv": {"category": ProductCategory, "lifecycle_stage": LifecycleStage},
    "budgets.csv": {"cost_category": CostCategory},
    "outcomes.csv": {"direction": Direction, "kind": OutcomeKind},
    "releases.csv": {"kind": ReleaseKind},
}


def template_csv(name: str) -> bytes:
    r"""The empty template `name` ("products.csv" or "products") as UTF-8 CSV bytes.

    Raises
    ------
    KeyError
        For an unknown template, listing the known ones.

    Examples
    --------
    >>> template_csv("budgets")
    b'product,month,cost_category,plan,actual\n'
    """
    key = name if name.endswith(".csv") else f"{name}.csv"
    if key not in TEMPLATES:
        msg = f"unknown template {name!r}; known: {', '.join(TEMPLATE_NAMES)}"
        raise KeyError(msg)
    return (",".join(TEMPLATES[key].template) + "\n").encode("utf-8")


def template_choices(name: str) -> dict[str, str]:
    """The values each closed column of template `name` accepts, one line per column.

    Raises
    ------
    KeyError
        For an unknown template, listing the known ones.

    Examples
    --------
    >>> stages = template_choices("products")["lifecycle_stage"]
    >>> stages.split(" (also")[0]
    'discovery, pilot, growth, mature, decline, retiring'
    >>> stages.split("(also: ")[1]
    'idea, exploration → discovery; beta, mvp → pilot; sunset, retire → retiring)'
    >>> template_choices("contracts")
    {}
    """
    key = name if name.endswith(".csv") else f"{name}.csv"
    if key not in TEMPLATES:
        msg = f"unknown template {name!r}; known: {', '.join(TEMPLATE_NAMES)}"
        raise KeyError(msg)
    lines = {}
    for column, enum_type in _CHOICES.get(key, {}).items():
        line = ", ".join(member.value for member in enum_type)
        synonyms: dict[str, list[str]] = {}
        for word, member in SYNONYMS.get(enum_type, {}).items():
            synonyms.setdefault(member.value, []).append(word)
        if synonyms:
            also = "; ".join(f"{', '.join(words)} → {value}" for value, words in synonyms.items())
            line += f" (also: {also})"
        lines[column] = line
    return lines
