"""The funding-review pack: the figures of a funding review, taken out of the app.

Why a package of its own: finance and sponsors take the pack away from the
review, and automation fetches it, so it must carry exactly the figures the
pages show. One payload (`exports.payload`) is built from the same
scorecard and portfolio summary the pages use; one module per format renders
it (`exports.json_writer` today; xlsx, html and pdf writers register in
`exports.formats`). `python -m exports` is the command line (`exports.cli`).
"""

from __future__ import annotations

from exports.formats import FORMATS, Format, writer_for
from exports.json_writer import render_json
from exports.payload import (
    PORTFOLIO_KEYS,
    PRODUCT_KEYS,
    FundingPack,
    funding_pack,
    pack_from_scorecard,
)
from exports.selection import ProductSelectionError, resolve_products

__all__ = [
    "FORMATS",
    "PORTFOLIO_KEYS",
    "PRODUCT_KEYS",
    "Format",
    "FundingPack",
    "ProductSelectionError",
    "funding_pack",
    "pack_from_scorecard",
    "render_json",
    "resolve_products",
    "writer_for",
]
