"""Roles given in the app by an admin (`LP_ROLES` is the deployment's own list).

Every function that changes a grant takes the acting admin, checks the role
itself (`models.access.require`), logs the change and bumps the data version,
so every server reads the new grants at its next rerun.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.access import Actor, Role, is_subject, require
from models.activity import log_activity
from models.db import bump_data_version, session_scope
from models.tables import RoleGrant

__all__ = ["grant_role", "granted_roles", "revoke_role", "role_grants"]


def role_grants(session: Session) -> list[RoleGrant]:
    """Every grant made in the app, by subject."""
    return list(session.exec(select(RoleGrant).order_by(col(RoleGrant.subject))))


def granted_roles(session: Session) -> dict[str, Role]:
    """The app's grants as subject -> role (for `models.access.resolve_role`)."""
    return {grant.subject: Role(grant.role) for grant in role_grants(session)}


def _subject(raw: str) -> str:
    """An e-mail, a domain or `*`, case-folded; refused with a message otherwise."""
    subject = raw.strip().casefold()
    if not is_subject(subject):
        msg = f"{raw.strip()!r} is not an e-mail address, a domain or *"
        raise ValueError(msg)
    return subject


def grant_role(
    subject: str, role: Role, *, actor: Actor, engine: Engine, configured: Mapping[str, Role]
) -> str:
    """Give `subject` (an e-mail, a domain or `*`) `role`; returns the subject as stored.

    Raises
    ------
    models.access.NotAllowedError
        Unless `actor` is an admin.
    ValueError
        For a malformed subject, or one `LP_ROLES` lists (the deployment decides those).
    """
    require(actor, Role.admin, "manage roles")
    cleaned = _subject(subject)
    if cleaned in configured:
        msg = (
            f"{cleaned} is given {configured[cleaned].value} by LP_ROLES, the deployment's own "
            "list: change it there"
        )
        raise ValueError(msg)
    with session_scope(engine) as session:
        grant = session.exec(select(RoleGrant).where(RoleGrant.subject == cleaned)).first()
        if grant is None:
            session.add(RoleGrant(subject=cleaned, role=role, granted_by=actor.name))
        else:
            grant.role, grant.granted_by = role, actor.name
            session.add(grant)
        log_activity(session, actor, "role_grant", subject=cleaned, detail=role.value)
        bump_data_version(session=session)
    return cleaned


def revoke_role(subject: str, *, actor: Actor, engine: Engine) -> bool:
    """Take back the app's grant to `subject`; False when there was none.

    Raises
    ------
    models.access.NotAllowedError
        Unless `actor` is an admin.
    """
    require(actor, Role.admin, "manage roles")
    cleaned = subject.strip().casefold()
    with session_scope(engine) as session:
        grant = session.exec(select(RoleGrant).where(RoleGrant.subject == cleaned)).first()
        if grant is None:
            return False
        session.delete(grant)
        log_activity(session, actor, "role_revoke", subject=cleaned, detail=str(grant.role))
        bump_data_version(session=session)
    return True
