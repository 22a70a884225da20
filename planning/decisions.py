"""What the user has already decided, and why the best set funds what it funds, in words.

Why a module: the best set must honour a decision (a product cut to −100 %
in the budget what-if, or labelled Sunset by the health rules) instead of
silently funding it again at 125 %, and a funding review needs one sentence
saying why the optimum funds what it funds. Both are rules over the planning
inputs and a solved selection, tested here rather than written in a view.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from metrics.text import name_list

__all__ = ["CUT", "SUNSET", "best_set_sentence", "decided_out"]

CUT = "cut to −100 % in your what-if"
SUNSET = "labelled Sunset"
_LISTED = 3
"""Names listed before "and N more" in a sentence."""


def decided_out(inputs: pl.DataFrame, budget_changes: Mapping[int, float]) -> dict[int, str]:
    """Products the user has decided against, with why: product_id → reason.

    Parameters
    ----------
    inputs
        The planning inputs (`product_id`, `health`).
    budget_changes
        The what-if's change per product_id (−1.0 = stopped).

    Returns
    -------
    dict of int to str
        `CUT` for a product cut to −100 %, else `SUNSET` for a product the
        health rules label Sunset; in the inputs' order.

    Examples
    --------
    >>> inputs = pl.DataFrame({"product_id": [1, 2, 3], "health": ["Invest", "Sunset", "Fix"]})
    >>> decided_out(inputs, {1: -1.0, 3: -0.5})
    {1: 'cut to −100 % in your what-if', 2: 'labelled Sunset'}
    """
    out: dict[int, str] = {}
    for pid, health in inputs.select("product_id", "health").iter_rows():
        if budget_changes.get(pid, 0.0) <= -1.0:
            out[pid] = CUT
        elif health == "Sunset":
            out[pid] = SUNSET
    return out


def _names(names: list[str]) -> str:
    return name_list(names, listed=_LISTED)


def best_set_sentence(
    levels: Mapping[int, float], names: Mapping[int, str], decided: Mapping[int, str]
) -> str:
    """Why the best set funds what it funds, in one sentence.

    Parameters
    ----------
    levels
        product_id → funding level of the best set (0 = not funded, 1 = plan).
    names
        product_id → name (as stored; the page escapes it).
    decided
        Products forced out by the user's decisions (`decided_out`) or by
        hand: product_id → reason.

    Returns
    -------
    str
        E.g. "The best set puts extra money (125 % of plan) into A and B,
        where more money buys the most value points; trims C (50 %), whose
        value falls least for the money saved; keeps D at plan; and leaves out
        E (labelled Sunset) and F (the least value for its cost)."

    Notes
    -----
    The reasons are the knapsack's: with diminishing returns (elasticity) a
    product's value per unit of money falls as it gets more, so the optimum
    raises those whose next step still buys the most points and trims those
    whose last step bought the least; a product left out without a decision
    is one whose value for its cost is the lowest that fits.
    """
    order = sorted(levels, key=lambda pid: names.get(pid, ""))
    raised = [names[p] for p in order if levels[p] > 1]
    kept = [names[p] for p in order if levels[p] == 1]
    trimmed = [p for p in order if 0 < levels[p] < 1]
    dropped = [p for p in order if levels[p] == 0]
    parts: list[str] = []
    if raised:
        top = max(levels[p] for p in order if levels[p] > 1)
        parts.append(
            f"puts extra money ({top:.0%} of plan) into {_names(raised)}, where more money buys "
            "the most value points".replace("%", " %")
        )
    if trimmed:
        shares = sorted({f"{levels[p]:.0%}".replace("%", " %") for p in trimmed})
        parts.append(
            f"trims {_names([names[p] for p in trimmed])} ({' or '.join(shares)}), whose value "
            "falls least for the money saved"
        )
    if kept:
        parts.append(f"keeps {_names(kept)} at plan")
    if dropped:
        reasons = [
            f"{names[p]} ({decided.get(p, 'the least value for its cost')})" for p in dropped
        ]
        parts.append(f"leaves out {_names(reasons)}")
    if not parts:
        return "The best set funds nothing: no product fits the cap."
    body = parts[0] if len(parts) == 1 else f"{'; '.join(parts[:-1])}; and {parts[-1]}"
    return f"The best set {body}."
