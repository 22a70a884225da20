"""The funding pack as JSON, for automation (DESIGN, "Funding-pack export").

Why so little here: the payload is already JSON-ready (`exports.payload`),
so this writer only fixes the encoding: UTF-8 with names as stored (no
escaped non-ASCII letters, no formula neutralising: the JSON keeps names exactly),
two-space indentation for people who open the file, and a refusal of NaN,
which is not JSON.
"""

from __future__ import annotations

import json

from exports.payload import FundingPack

__all__ = ["render_json"]


def render_json(pack: FundingPack) -> bytes:
    """The pack as UTF-8 JSON text ending in a newline.

    Raises ValueError if a value is NaN or infinite (the payload turns those
    into null, so this would be a bug upstream, not bad data).
    """
    text = json.dumps(pack, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")
