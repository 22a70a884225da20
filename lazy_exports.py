"""A package's public names, imported from their modules when first used (PEP 562).

Why: `python -m loaders` loads its package, and through it `models`, before the
command runs, and the command reads its first file while SQLAlchemy and the
tables load (`loaders.read_ahead`). A package `__init__` that imported its
public names eagerly would load them all first. With `module_getattr`, a
package lists where each name lives, and `from package import name` imports that
module on first use; type checkers read the same imports under
`TYPE_CHECKING`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["module_getattr"]


def module_getattr(package: str, home: Mapping[str, str]) -> Callable[[str], Any]:
    """The module `__getattr__` of `package`: `home` maps each public name to its module.

    A name not in `home` raises AttributeError, so `from package import
    submodule` still imports the submodule. A name is looked up once: it is
    then set on the package as a plain attribute.

    Examples
    --------
    >>> import loaders
    >>> getter = module_getattr("loaders", {"parse_period": "loaders.periods"})
    >>> getter("parse_period") is loaders.parse_period
    True
    """

    def __getattr__(name: str) -> Any:  # noqa: N807 (the name PEP 562 looks for)
        module = home.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
