"""Which products a chart leaves out, and why, in one line under the chart.

Why: a chart that silently drops a product (no usage, no licence, no
measured benefits) reads as if that product did not exist; a finance
partner counting bars then distrusts every figure. Each chart keeps only
the rows it can draw; this says who is missing and why. Words, not numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from metrics.text import name_list

__all__ = ["not_shown"]


def not_shown(groups: Mapping[str, Iterable[str]]) -> str | None:
    """The line under a chart naming who is left out and why; None when nobody is.

    E.g. "Not shown: A and B (usage not tracked); C (no licence)."

    Parameters
    ----------
    groups
        Why → the names left out for that reason, in the order to write
        them. Empty groups are skipped; a long group is cut to four names
        and "N more".

    Examples
    --------
    >>> not_shown({"usage not tracked": ["Skills Marketplace"], "no actual cost": []})
    'Not shown: Skills Marketplace (usage not tracked).'
    >>> not_shown({"no licence": ["A", "B", "C", "D", "E", "F"]})
    'Not shown: A, B, C, D and 2 more (no licence).'
    >>> not_shown({"usage not tracked": []}) is None
    True
    """
    parts = []
    for why, names in groups.items():
        listed = list(names)
        if listed:
            parts.append(f"{name_list(listed)} ({why})")
    return f"Not shown: {'; '.join(parts)}." if parts else None
