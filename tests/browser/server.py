"""Run the real app (`streamlit run app.py`) and drive it with Debian's headless Chromium.

Playwright's own browser download does not work on these machines, so it is
pointed at /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def streamlit_server(
    env: dict[str, str],
    *,
    secrets: str | Callable[[str], str] | None = None,
    script: Path | None = None,
) -> Iterator[str]:
    """Start the app on a free port; yields its base URL; stops it afterwards.

    `secrets` is a secrets.toml text, or a function of the base URL returning one
    (`lambda url: auth_secrets(provider, url)`: the OIDC redirect_uri needs the
    port). It goes to a temporary file given with `--secrets.files`, so the
    repository's `.streamlit/` is never written and `~/.streamlit/secrets.toml`
    is not read. `script` runs instead of app.py.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_dir = tempfile.TemporaryDirectory(prefix="lp-secrets-")
    secrets_args: list[str] = []
    if secrets is not None:
        secrets_file = Path(secrets_dir.name) / "secrets.toml"
        secrets_file.write_text(secrets if isinstance(secrets, str) else secrets(url), "utf-8")
        secrets_args = ["--secrets.files", str(secrets_file)]
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script or ROOT / "app.py"),
        *secrets_args,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            msg = "streamlit did not become healthy within 60 s"
            raise RuntimeError(msg)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        secrets_dir.cleanup()


def wait_for_app(page: object, timeout_ms: int = 60_000) -> None:
    """Wait until the script finished running (no 'Running' indicator) and charts drew."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")",
        timeout=timeout_ms,
    )
