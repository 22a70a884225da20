"""`make run` serves this machine only: the app is not reachable on the network's address."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path

import pytest

from tests.browser.server import streamlit_server

ROOT = Path(__file__).resolve().parents[1]


def _network_address() -> str | None:
    """This machine's address on its default route (no packet is sent), else None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: any routable address will do
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def test_the_config_serves_localhost_only() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "localhost"


def test_the_running_app_refuses_connections_from_the_network(tmp_path: Path) -> None:
    address = _network_address()
    if address is None:
        pytest.skip("this machine has no network address besides loopback")
    with streamlit_server({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}) as url:
        port = int(url.rsplit(":", 1)[1])
        assert _accepts("127.0.0.1", port)  # served here
        assert not _accepts(address, port)  # and not to the network
