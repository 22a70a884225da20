"""`lazy_exports`: the packages' public names, imported on first use, are the modules' own."""

from __future__ import annotations

import importlib

import pytest

import loaders
import models


@pytest.mark.parametrize("package", [loaders, models], ids=lambda p: p.__name__)
def test_every_public_name_is_its_module_s_object(package: object) -> None:
    home = package._HOME  # type: ignore[attr-defined]
    assert sorted(home) == sorted(package.__all__)  # type: ignore[attr-defined]
    for name, module in home.items():
        assert getattr(package, name) is getattr(importlib.import_module(module), name)


def test_an_unknown_name_is_an_attribute_error_and_submodules_still_import() -> None:
    with pytest.raises(AttributeError, match="module 'loaders' has no attribute 'nothing'"):
        _ = loaders.nothing  # type: ignore[attr-defined]
    from models import tables  # a submodule, not a listed name

    assert tables.__name__ == "models.tables"
