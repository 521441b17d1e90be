"""What the community use cases refuse, and why. The doors map these to their own errors (HTTP
403/404/409/422, a message in the UI)."""

from __future__ import annotations


class CommunityError(Exception):
    """Base of the errors below; the message is written for the person who acted."""


class NotAPersonError(CommunityError, PermissionError):
    """A key shared by many people (an embedded widget, an intranet bot) acted where only a
    person may: interests, inboxes, plans and debriefs belong to someone."""

    def __init__(self) -> None:
        super().__init__(
            "This is a shared key (a widget or a bot), not a person: interests, notices and "
            "plans belong to people. Sign in as yourself to use them."
        )


class NotAllowedError(CommunityError, PermissionError):
    """The caller is a person, but not one who may do this (e.g. publish a note)."""


class NotFoundError(CommunityError, LookupError):
    """No such thing, or not the caller's to see (the same error, so that nobody learns which
    ids exist)."""


class InvalidInputError(CommunityError, ValueError):
    """What was given cannot be used; the message says what to change."""


class PublishFailedError(CommunityError, RuntimeError):
    """The library could not store or index a note; the draft is kept as it was."""
