"""Who is acting: a person (an employee, possibly of the enabling team) or a key that many people
share (an embedded widget, an intranet bot), which is nobody in particular."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.community.errors import NotAllowedError, NotAPersonError

# Where notices for the enabling team go (drafts to review): its members read this inbox too.
TEAM_INBOX = "@learning-ops"


@dataclass(frozen=True)
class Caller:
    """`id` is the stable user id from the key or sign-in; `name` is how the person is named to
    others, when they agree to be."""

    id: str
    name: str
    is_person: bool = True
    is_learning_ops: bool = False

    @classmethod
    def person(cls, user: str, name: str | None = None, *, learning_ops: bool = False) -> Caller:
        return cls(user, (name or user).strip() or user, True, learning_ops)

    @classmethod
    def shared(cls, user: str) -> Caller:
        """A widget or bot key: it may chat, never own interests, notices or plans."""
        return cls(user, user, is_person=False)


def require_person(caller: Caller) -> None:
    if not caller.is_person:
        raise NotAPersonError()


def require_team(caller: Caller) -> None:
    """Only the enabling team (the `learning_ops` role) may do this."""
    require_person(caller)
    if not caller.is_learning_ops:
        raise NotAllowedError("Only Learning Ops can do this.")


def inboxes_of(caller: Caller) -> tuple[str, ...]:
    """The inboxes a caller reads: their own, and the team's when they are in the team."""
    return (caller.id, TEAM_INBOX) if caller.is_learning_ops else (caller.id,)


def person_key(name: str) -> str:
    """A name or id compared whatever its case and spacing ("Ana  Diaz" is "ana diaz")."""
    return re.sub(r"\s+", " ", name).strip().casefold()
