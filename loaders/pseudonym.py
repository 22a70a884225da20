"""The secret learner keys are hashed with: set by the deployment, else generated per install.

A keyed hash is only as private as its key. A key shipped with the code is
public, and anyone with a staff list can then re-identify every learner by
hashing the list, so no key is built in: `LP_PSEUDONYM_KEY` when set, else a
random key generated on first use into `LP_PSEUDONYM_KEY_FILE` (outside the
database, readable only by the app's user, like an SSH private key).

The database records a short check value of the key it was first used with
(an HMAC of a fixed text, not the key), so a server started with another key
(a lost key file, a second server with its own file) is refused before it
keys the same people differently and counts them twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path

from sqlmodel import Session

from loaders.errors import Rejected
from models.db import claim_state
from settings import Settings

__all__ = [
    "KEY_CHECK_STATE",
    "KeyFileError",
    "checked_secret",
    "install_key",
    "key_check",
    "pseudonym_secret",
]

KEY_CHECK_STATE = "pseudonym_key_check"
_KEY_BYTES = 32  # 256 bits, HMAC-SHA256's block-sized strength
_MIN_KEY_CHARS = 16
_CHECK_TEXT = b"learning-portfolio pseudonym key check"


class KeyFileError(ValueError):
    """The key file cannot be used as it is; the message names the file and the fix."""


def install_key(path: Path) -> str:
    """The key in `path`, generating it (random, owner-only) when the file does not exist.

    Creation is atomic: the key is written to a private temporary file and
    linked into place, so a second process starting at the same moment reads
    the winner's complete key, never a half-written one or a key of its own.

    Raises
    ------
    KeyFileError
        When the file is readable by other users, or empty or too short to be
        a key someone generated.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _create(path)
    mode = path.stat().st_mode
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        msg = (
            f"the pseudonym key file {path} can be read by other users; "
            f"make it private with `chmod 600 {path}`"
        )
        raise KeyFileError(msg)
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < _MIN_KEY_CHARS:
        msg = (
            f"the pseudonym key file {path} holds no usable key (fewer than "
            f"{_MIN_KEY_CHARS} characters); restore it from a backup, or set LP_PSEUDONYM_KEY"
        )
        raise KeyFileError(msg)
    return key


def _create(path: Path) -> None:
    fd, temp = tempfile.mkstemp(prefix=".pseudonym-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(_KEY_BYTES) + "\n")
        with contextlib.suppress(FileExistsError):  # another process won the race: use theirs
            os.link(temp, path)
    finally:
        os.unlink(temp)


def key_check(secret: str) -> int:
    """A 60-bit check value of `secret`: tells two keys apart, reveals nothing of either."""
    digest = hmac.new(secret.encode(), _CHECK_TEXT, hashlib.sha256).hexdigest()
    return int(digest[:15], 16)


def pseudonym_secret(settings: Settings) -> str:
    """`LP_PSEUDONYM_KEY` when set, else the install's key file (generated on first use).

    Raises
    ------
    KeyFileError
        When the key file cannot be used (see `install_key`).
    """
    if settings.pseudonym_key is not None:
        return settings.pseudonym_key
    return install_key(Path(settings.pseudonym_key_file))


def checked_secret(session: Session, settings: Settings) -> str:
    """The key to hash learners with, checked against the one this database was keyed with.

    The first import that keys learners records the check value (in its own
    transaction, so a rejected import records nothing).

    Raises
    ------
    Rejected
        When the key file cannot be used, or the key differs from the one
        the database's learners were keyed with.
    """
    try:
        secret = pseudonym_secret(settings)
    except (KeyFileError, OSError) as exc:
        raise Rejected.single(f"cannot use the pseudonym key: {exc}") from exc
    source = (
        "LP_PSEUDONYM_KEY"
        if settings.pseudonym_key is not None
        else f"the key file {settings.pseudonym_key_file}"
    )
    check = key_check(secret)
    if claim_state(session, KEY_CHECK_STATE, check) != check:
        msg = (
            f"this database's learners were keyed with a different pseudonym key than "
            f"{source}; importing now would count the same people twice. Set "
            "LP_PSEUDONYM_KEY (or LP_PSEUDONYM_KEY_FILE) to the key the database was "
            "first used with; nothing was imported"
        )
        raise Rejected.single(msg)
    return secret
