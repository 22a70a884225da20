"""Changes between two figures: by how much, and by what fraction.

Why a module: the pages show deltas beside their headline figures (spend
against plan, projected against today's learners, the funding line against
the best set), and each once computed its own with its own null rule. Here a
missing figure gives a missing change ("not tracked"), never a change from 0.
"""

from __future__ import annotations

__all__ = ["difference", "relative_change"]


def difference(value: float | None, base: float | None) -> float | None:
    """How much `value` exceeds `base`, in their unit.

    Parameters
    ----------
    value, base
        Two figures in the same unit (money already in one currency, people,
        points); None = not tracked.

    Returns
    -------
    float or None
        value − base; None when either is None (a change from an unknown
        figure is unknown, not the figure itself).

    Examples
    --------
    A scenario spending 450,000.00 against a plan of 500,000.00:

    >>> difference(450_000.0, 500_000.0)
    -50000.0
    >>> difference(None, 500_000.0) is None
    True
    """
    if value is None or base is None:
        return None
    return value - base


def relative_change(value: float | None, base: float | None) -> float | None:
    """By what fraction `value` differs from `base` (0.05 = 5 % above it).

    Parameters
    ----------
    value, base
        Two figures in the same unit; None = not tracked.

    Returns
    -------
    float or None
        value ÷ base − 1; None when either is None or `base` is 0 (no
        fraction of nothing).

    Examples
    --------
    A forecast of 10,500.00 against a plan of 10,000.00 is 5 % over plan:

    >>> round(relative_change(10_500.0, 10_000.0), 10)
    0.05
    >>> relative_change(10_500.0, 0.0) is None
    True
    """
    if value is None or base is None or base == 0:
        return None
    return value / base - 1
