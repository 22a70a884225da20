"""Funding review: the sponsor's units of the products under review, and their reach.

One line per product, in the words of the take-away packs
(`metrics.sponsor_units.sponsor_units_line`), so the screen and the files
say the same. No figure is computed here: each is read from the funding
pack; a figure about fewer than `LP_MIN_GROUP_SIZE` people is never shown,
only "fewer than 5". Names and target audiences are user text, shown with
`pages.safe_text.literal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from metrics.sponsor_units import sponsor_units_line, unit_figure
from metrics.text import day
from pages.safe_text import literal

__all__ = ["sponsor_units"]

_DEFAULT_MIN_GROUP = 5


def _who(product: Mapping[str, Any]) -> str:
    """The product's name in bold and its target audience, as Markdown showing them as typed."""
    audience = (product.get("profile") or {}).get("target_audience") or "no target audience"
    return f"**{literal(product['product'])}** ({literal(audience)})"


def sponsor_units(pack: Mapping[str, Any]) -> None:
    """The sponsor's units section: products naming units, then those naming none, in pack order."""
    products = list(pack["products"])
    if not products:
        return
    st.header("Reach in the sponsor's units")
    whole = pack["portfolio"].get("organisation_reach")
    if whole is None:
        st.caption(
            "No roster imported: reach by org unit is not tracked. Import a people.csv on "
            "Import data to see each product's sponsor's units and their reach."
        )
        return
    group = (pack.get("assumptions") or {}).get("min_group_size") or _DEFAULT_MIN_GROUP
    st.caption(
        "A product's sponsor's units are the roster's org units its target audience (else its "
        f"sponsor) names. Reach = active learners ÷ people in post on {day(pack['as_of'])}; "
        f"“fewer than {group}”: a figure about so few people is hidden. The selection across "
        f"the whole organisation: {unit_figure(whole, min_group=group)}."
    )
    named = [p for p in products if p.get("sponsor_units")]
    if named:
        lines = [
            f"- {_who(p)}: "
            + literal(
                sponsor_units_line(
                    p["sponsor_units"],
                    p.get("reach_by_org_unit") or [],
                    p.get("organisation_reach"),
                    min_group=group,
                )
            )
            for p in named
        ]
        st.markdown("\n".join(lines))
    others = [p for p in products if not p.get("sponsor_units")]
    if others:
        st.markdown(
            "**Products whose target audience names no org unit**: the whole organisation's "
            "reach is shown."
        )
        lines = [
            f"- {_who(p)}: " + literal(unit_figure(p.get("organisation_reach"), min_group=group))
            for p in others
        ]
        st.markdown("\n".join(lines))
