"""The README points only at files inside the repository, and says where `make run` serves."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_link_and_image_resolves_inside_the_repository() -> None:
    targets = re.findall(r"\]\(([^)\s]+)\)", README)
    local = [t for t in targets if not re.match(r"[a-z]+://", t)]
    assert "docs/overview.png" in local  # the screenshot is one of them
    for target in local:
        path = (ROOT / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), target
        assert path.exists(), target


def test_no_path_leaves_the_repository() -> None:
    assert "../" not in README
    assert "shared/" not in README


def test_the_address_and_port_are_said() -> None:
    assert "http://localhost:8501" in README
    assert "make run" in README and "STREAMLIT_SERVER_PORT" in README
