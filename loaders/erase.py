"""Erase one learner's records on request (a data subject's right to erasure).

Why by key, not by name: learners are stored under a keyed hash of their
identity (`loaders.identity`), so the e-mail or employee id given is hashed
the same way and every usage fact keyed by that learner, from every import,
is deleted with the learner. The activity log records that an erasure
happened and how many facts it removed, never who was erased.

A later file that names the person again brings new facts in: erasure
removes what is stored, it does not block future imports.

From the command line (whoever runs it on the server can reach the database
anyway, so it acts as an admin, unless the instance is read-only):
`python -m loaders.erase ann@corp.example` — exit 0 when erased or nothing
matched, 2 on bad arguments or a read-only instance.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Engine, text

from loaders.errors import Rejected
from loaders.identity import learner_key
from loaders.pseudonym import checked_secret
from models.access import Actor, Role, require
from models.activity import log_activity
from models.db import bump_data_version, make_engine, session_scope
from models.enums import LearnerKeyKind
from settings import Settings, SettingsError, get_settings

__all__ = ["Erasure", "erase_learner"]


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed: learner rows, usage facts, and the imports they came from."""

    learners: int
    facts: int
    imports: int


def _keys(identity: str, secret: str) -> list[str]:
    """The stored keys `identity` may have: as an e-mail, a vendor user id, or a name."""
    cleaned = identity.strip()
    folded = cleaned.lower()
    kinds = [(LearnerKeyKind.email, folded)] if "@" in folded else []
    kinds += [(LearnerKeyKind.user_id, folded), (LearnerKeyKind.name, " ".join(cleaned.split()))]
    return [learner_key(kind.value, value, secret=secret) for kind, value in kinds]


def erase_learner(identity: str, *, engine: Engine, actor: Actor, settings: Settings) -> Erasure:
    """Delete every stored fact of the learner known by `identity`, in one transaction.

    Raises
    ------
    models.access.NotAllowedError
        Unless `actor` is an admin; nothing is changed.
    ValueError
        When `identity` is blank, or the pseudonym key cannot be used.
    """
    require(actor, Role.admin, "erase a learner's records")
    if not identity.strip():
        msg = "give the learner's e-mail or employee id"
        raise ValueError(msg)
    with session_scope(engine) as session:
        try:
            secret = checked_secret(session, settings)
        except Rejected as exc:  # no usable key, or not the key this database was keyed with
            msg = (
                "the pseudonym key (LP_PSEUDONYM_KEY or its key file) cannot be used, so no "
                "learner can be found by e-mail or id; fix the key first"
            )
            raise ValueError(msg) from exc
        params = {f"k{i}": key for i, key in enumerate(_keys(identity, secret))}
        names = ", ".join(f":{name}" for name in params)
        ids = [
            int(row[0])
            for row in session.execute(
                text(f"SELECT id FROM learner WHERE key IN ({names})"),
                params,
            )
        ]
        # A roster names people by the same key, and a manager too: neither stays.
        session.execute(text(f"DELETE FROM person WHERE learner_key IN ({names})"), params)
        session.execute(
            text(f"UPDATE person SET manager_key = NULL WHERE manager_key IN ({names})"), params
        )
        if not ids:
            return Erasure(0, 0, 0)
        listed = ", ".join(str(i) for i in ids)
        imports = {
            int(row[0])
            for table in ("usage_record", "aggregate_usage")
            for row in session.execute(
                text(f"SELECT DISTINCT import_id FROM {table} WHERE learner_id IN ({listed})")
            )
        }
        facts = 0
        for table in ("usage_record", "aggregate_usage"):
            deleted = session.execute(text(f"DELETE FROM {table} WHERE learner_id IN ({listed})"))
            facts += int(deleted.rowcount or 0)  # type: ignore[attr-defined]
        session.execute(text(f"DELETE FROM learner_unit WHERE learner_id IN ({listed})"))
        session.execute(text(f"DELETE FROM learner WHERE id IN ({listed})"))
        log_activity(
            session,
            actor,
            "erase_learner",
            detail=f"{facts:,} usage fact(s) from {len(imports):,} import(s)",
        )
        bump_data_version(session=session)
    return Erasure(len(ids), facts, len(imports))


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m loaders.erase IDENTITY`: erase one learner's records; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m loaders.erase",
        description="Erase every stored usage fact of one learner (their e-mail or id).",
    )
    parser.add_argument("identity", help="the learner's e-mail address or employee id")
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    from loaders.cli import writing_operator  # the command lines' one rule (no import cycle)

    operator = writing_operator(parser.prog, settings, "erased")
    if operator is None:
        return 2
    engine = make_engine(settings.database_url)
    try:
        done = erase_learner(
            args.identity,
            engine=engine,
            actor=replace(operator, role=Role.admin),
            settings=settings,
        )
    except ValueError as exc:
        print(f"{parser.prog}: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if done.learners == 0:
        print("no stored learner matches: nothing was erased")
    else:
        print(f"erased {done.facts:,} usage fact(s) from {done.imports:,} import(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
