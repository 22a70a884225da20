"""Who a usage row is about: a learner's identity and the pseudonymous key stored for it.

Learners are compared by their trimmed, case-folded e-mail, else the
vendor's user id, else the name as written (a weak key, `key_kind` name).
The stored key is HMAC-SHA256 of "kind:value" under the deployment's
pseudonymisation key, so the database holds no identity unless
`LP_STORE_IDENTITIES` opts in (DESIGN.md, "Learners"). Finding or creating
the learners' rows is `loaders.upserts`; this module needs no database, so
the file readers (the xAPI format's identity rule) load without SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import hmac

import polars as pl

from models.enums import LearnerKeyKind

__all__ = ["learner_identity", "learner_key", "learner_keys"]

_BLOCK = 64  # SHA-256 block size, for HMAC


def learner_key(kind: str, value: str, *, secret: str) -> str:
    """The stored pseudonymous key: HMAC-SHA256(secret, "kind:value"), hex.

    `value` must already be normalised (see `learner_identity`).
    """
    message = f"{kind}:{value}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def learner_keys(pairs: list[tuple[str, str]], *, secret: str) -> list[str]:
    """`learner_key` for many learners, twice as fast: HMAC's padded key states built once.

    Same result as `hmac.new(secret, msg, sha256)` (RFC 2104), which
    re-derives both states per call; checked against it in the tests.
    """
    key = secret.encode()
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    out = []
    for kind, value in pairs:
        i = inner.copy()
        i.update(f"{kind}:{value}".encode())
        o = outer.copy()
        o.update(i.digest())
        out.append(o.hexdigest())
    return out


def learner_identity() -> list[pl.Expr]:
    """Expressions adding `key_kind` and `ident` (the normalised identity) to a usage frame.

    Needs text columns `email`, `user_id`, `name` (null when absent).
    """
    email = pl.col("email").str.strip_chars().str.to_lowercase()
    user_id = pl.col("user_id").str.strip_chars().str.to_lowercase()
    # Names are normalised only where they are the key (a regex over every row otherwise).
    weak = pl.when(pl.col("email").is_null() & pl.col("user_id").is_null()).then(pl.col("name"))
    name = weak.str.strip_chars().str.replace_all(r"\s+", " ")
    # Trimming and case-folding keep a cell null or not, so the kind reads the raw columns:
    # each normalisation then runs once, not twice (0.04 s of a 1M-row import).
    kind = (
        pl.when(pl.col("email").is_not_null())
        .then(pl.lit(LearnerKeyKind.email.value))
        .when(pl.col("user_id").is_not_null())
        .then(pl.lit(LearnerKeyKind.user_id.value))
        .when(pl.col("name").is_not_null())
        .then(pl.lit(LearnerKeyKind.name.value))
    )
    return [kind.alias("key_kind"), pl.coalesce(email, user_id, name).alias("ident")]
