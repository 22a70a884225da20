"""Who is acting, and whether their role lets them write.

Why every writer checks for itself: a viewer's write must be refused however
it is reached (a page, a callback, a stale browser tab, a crafted link), so
the check sits in the function that writes, not only in the page that offers
the button. Every write function in `loaders/` and `models/` takes an
`Actor` and calls `require` before it opens its transaction.

Roles come from three places, most specific first (`resolve_role`): an exact
e-mail, then the e-mail's domain and its parent domains, then `*`. For one
subject, `LP_ROLES` (the deployment's own list) wins over a grant an admin
made in the app, so the people who run the server cannot be locked out from
inside it. Someone matched by nothing has no role and sees no data.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Mapping
from dataclasses import dataclass

from models.enums import Role

__all__ = [
    "Actor",
    "NotAllowedError",
    "Role",
    "command_line_actor",
    "is_subject",
    "require",
    "resolve_role",
    "subjects_of",
]


@dataclass(frozen=True)
class Actor:
    """The person (or process) doing something, as the activity log records them.

    `name` is the signed-in e-mail, "local user" without sign-in, or a
    process's own description ("command line (alice)", "sample seeding").
    """

    name: str
    role: Role

    def may(self, needed: Role) -> bool:
        """Whether this actor's role includes `needed`."""
        return self.role.rank >= needed.rank

    @property
    def read_only(self) -> bool:
        """A viewer: reads, moves sliders, downloads; changes nothing stored."""
        return not self.may(Role.editor)


def command_line_actor(*, read_only: bool) -> Actor:
    """Who a command line acts as: its OS user, an editor unless the instance is read-only.

    Why an editor: whoever can run the command line on the server can reach
    the database anyway; `LP_READ_ONLY=1` still stops it, so a read-only
    instance stays read-only from every door.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        user = "unknown user"
    return Actor(f"command line ({user})", Role.viewer if read_only else Role.editor)


class NotAllowedError(PermissionError):
    """The actor's role does not allow this write; nothing was changed.

    The message names the action, the role it needs and the actor's role, so
    a page can show it as it is.
    """

    def __init__(self, actor: Actor, needed: Role, action: str) -> None:
        self.actor, self.needed, self.action = actor, needed, action
        advice = (
            "this instance is read-only"
            if actor.role is Role.viewer
            else f"ask an admin for the {needed.value} role"
        )
        super().__init__(
            f"{actor.name} is signed in as {actor.role.value} and cannot {action}: "
            f"that needs the {needed.value} role ({advice}). Nothing was changed."
        )


def require(actor: Actor, needed: Role, action: str) -> None:
    """Refuse unless `actor` has `needed` (or a higher role).

    Raises
    ------
    NotAllowedError
        Saying what was refused and why; the caller has changed nothing yet.

    Examples
    --------
    >>> require(Actor("ann@corp.example", Role.editor), Role.editor, "import a file")
    >>> require(Actor("bob@corp.example", Role.viewer), Role.editor, "import a file")
    Traceback (most recent call last):
    ...
    models.access.NotAllowedError: bob@corp.example is signed in as viewer and cannot import \
a file: that needs the editor role (this instance is read-only). Nothing was changed.
    """
    if not isinstance(actor, Actor):  # a caller passing a name or None is a bug, not a viewer
        msg = f"an Actor is required to {action}, not {actor!r}"
        raise TypeError(msg)
    if not actor.may(needed):
        raise NotAllowedError(actor, needed, action)


_SUBJECT = re.compile(
    r"^(\*|[^@\s=,;]+@[^@\s=,;.]+(\.[^@\s=,;.]+)*|[^@\s=,;.*]+(\.[^@\s=,;.*]+)*)$"
)


def is_subject(text: str) -> bool:
    """Whether `text` (case-folded, trimmed) is an e-mail, a domain or `*`, as roles take them.

    Examples
    --------
    >>> [is_subject(t) for t in ["ann@corp.example", "corp.example", "*", "@corp", "a b", "x@"]]
    [True, True, True, False, False, False]
    """
    return bool(_SUBJECT.match(text))


def subjects_of(email: str) -> list[str]:
    """What a role can be given to for `email`, most specific first.

    Examples
    --------
    >>> subjects_of(" Ann.Lee@Finance.Corp.Example ")
    ['ann.lee@finance.corp.example', 'finance.corp.example', 'corp.example', 'example', '*']
    """
    address = email.strip().casefold()
    _, at, domain = address.rpartition("@")
    subjects = [address]
    if at:
        parts = domain.split(".")
        subjects += [".".join(parts[i:]) for i in range(len(parts)) if parts[i]]
    return [*subjects, "*"]


def resolve_role(
    email: str, *, configured: Mapping[str, Role], granted: Mapping[str, Role]
) -> Role | None:
    """The role of `email`: the most specific subject listed, `LP_ROLES` before app grants.

    Parameters
    ----------
    email
        The signed-in user's e-mail, as the identity provider gave it.
    configured
        `LP_ROLES`: subject (e-mail, domain or ``*``) -> role, case-folded.
    granted
        Grants an admin made in the app, same shape.

    Examples
    --------
    >>> env = {"corp.example": Role.viewer, "lead@corp.example": Role.admin}
    >>> resolve_role("Lead@corp.example", configured=env, granted={}).value
    'admin'
    >>> resolve_role("sam@corp.example", configured=env, granted={"sam@corp.example": Role.editor})
    <Role.editor: 'editor'>
    >>> resolve_role("eve@elsewhere.example", configured=env, granted={}) is None
    True
    """
    for subject in subjects_of(email):
        if subject in configured:
            return configured[subject]
        if subject in granted:
            return granted[subject]
    return None
