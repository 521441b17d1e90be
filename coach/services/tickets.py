"""Tickets for Learning Ops, HR and wellbeing: idempotent creation (with its notification),
the status workflow, and who may see which ticket."""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from coach.domain import NewTicket, TicketUpdate
from coach.ports import TicketStore
from coach.records import Ticket, TicketChange, TicketPage
from coach.services.access import Principal

TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "resolved", "closed"}),
    "in_progress": frozenset({"open", "resolved", "closed"}),
    "resolved": frozenset({"open", "closed"}),
    "closed": frozenset(),
}
ROUTE_NAMES = {"learning_ops": "Learning Ops", "hr": "HR", "wellbeing": "wellbeing"}


class InvalidTransitionError(ValueError):
    pass


def fingerprint(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def ticket_notification(ticket: Ticket) -> dict[str, Any]:
    """What a new ticket posts to the webhook. Slack-compatible: `text` is what a Slack
    incoming webhook shows."""
    return {
        "text": (
            f"New {ROUTE_NAMES.get(ticket.route, ticket.route)} ticket {ticket.id}: "
            f"{ticket.summary[:300]}\nWhy: {ticket.reason[:300]}"
        ),
        "ticket": {
            "id": ticket.id,
            "route": ticket.route,
            "status": ticket.status,
            "summary": ticket.summary,
            "reason": ticket.reason,
            "conversation_id": ticket.conversation_id,
        },
    }


def next_status(ticket: Ticket, wanted: str | None) -> str | None:
    """The status a ticket may move to, or InvalidTransitionError; None keeps it."""
    if not wanted or wanted == ticket.status:
        return None
    if wanted not in TRANSITIONS[ticket.status]:
        raise InvalidTransitionError(f"A ticket that is {ticket.status} cannot become {wanted}.")
    return wanted


class Tickets:
    def __init__(self, store: TicketStore) -> None:
        self._store = store

    def create(
        self,
        ticket: NewTicket,
        *,
        idempotency_key: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> tuple[Ticket, bool]:
        """The ticket, and whether it is new. With an idempotency key, a retry of the same
        request (`body`) returns the first ticket; another request with the same key raises
        IdempotencyConflictError."""
        request_print = fingerprint(body) if body is not None else None
        return self._store.create(
            ticket, idempotency_key=idempotency_key, fingerprint=request_print
        )

    def hand_off(
        self, ticket: NewTicket, *, idempotency_key: str | None = None
    ) -> tuple[Ticket, bool]:
        """A hand-off a client may send again without opening a second ticket (the ticket, and
        whether it is new). With `idempotency_key`, as `create`; without one, a conversation
        has one ticket per route whatever its wording, and a hand-off outside a conversation
        is the ticket of the same request sent before."""
        request = {
            "route": ticket.route,
            "summary": ticket.summary,
            "reason": ticket.reason,
            "conversation_id": ticket.conversation_id,
        }
        if idempotency_key is not None:
            return self.create(ticket, idempotency_key=idempotency_key, body=request)
        if ticket.conversation_id is not None:
            same = {"route": ticket.route, "conversation_id": ticket.conversation_id}
            key = f"hand-off:{ticket.conversation_id}:{ticket.route}"
            return self.create(ticket, idempotency_key=key, body=same)
        return self.create(ticket, idempotency_key=f"hand-off:{fingerprint(request)}", body=request)

    def open_ticket(self, ticket: NewTicket, idempotency_key: str | None = None) -> str:
        return self._store.open_ticket(ticket, idempotency_key)

    def updates_for(self, conversation_id: str) -> builtins.list[TicketUpdate]:
        return self._store.updates_for(conversation_id)

    def get(self, ticket_id: str) -> Ticket | None:
        return self._store.get(ticket_id)

    def visible(self, ticket_id: str, viewer: Principal) -> Ticket | None:
        """Learning Ops see every ticket; anyone else only their own (others look unknown)."""
        ticket = self._store.get(ticket_id)
        if ticket is None or not (viewer.is_learning_ops or ticket.requester == viewer.user):
            return None
        return ticket

    def page(
        self,
        *,
        requester: str | None,
        status: str | None = None,
        route: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> TicketPage:
        """Newest first; `requester=None` lists everyone's (for Learning Ops)."""
        return self._store.page(
            requester=requester, status=status, route=route, limit=limit, offset=offset
        )

    def seen_by(
        self,
        viewer: Principal,
        *,
        status: str | None = None,
        route: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> TicketPage:
        """The whole queue for Learning Ops; their own tickets for anyone else."""
        requester = None if viewer.is_learning_ops else viewer.user
        return self.page(
            requester=requester, status=status, route=route, limit=limit, offset=offset
        )

    def list(self, limit: int = 100) -> Sequence[Ticket]:
        return self.page(requester=None, limit=limit).items

    def update(
        self,
        ticket_id: str,
        *,
        status: str | None = None,
        assignee: str | None = None,
        resolution_note: str | None = None,
    ) -> Ticket | None:
        """Move a ticket along the workflow (InvalidTransitionError when it may not), assign
        it ("" unassigns), note how it was resolved; None when there is no such ticket."""
        return self._store.update(
            ticket_id,
            lambda ticket: TicketChange(next_status(ticket, status), assignee, resolution_note),
        )
