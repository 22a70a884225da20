"""Empty templates for the download buttons: just the header row.

The columns are the ones the template formats declare, so what can be
downloaded is always what can be imported.
"""

from __future__ import annotations

from loaders.formats import TEMPLATES

__all__ = ["TEMPLATE_NAMES", "template_csv"]

TEMPLATE_NAMES: tuple[str, ...] = tuple(TEMPLATES)


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
