"""Tickets for Learning Ops: a status workflow, idempotent creation, and a notification
outbox row written in the same transaction as the ticket."""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from api.models import Conversation, Escalation, OutboxMessage, utcnow
from coach.domain import NewTicket, TicketUpdate
from coach.ports import UnknownConversationError

TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "resolved", "closed"}),
    "in_progress": frozenset({"open", "resolved", "closed"}),
    "resolved": frozenset({"open", "closed"}),
    "closed": frozenset(),
}
ROUTE_NAMES = {"learning_ops": "Learning Ops", "hr": "HR", "wellbeing": "wellbeing"}


class InvalidTransitionError(ValueError):
    pass


class IdempotencyConflictError(ValueError):
    """The idempotency key was used before with a different request."""


@dataclass(frozen=True)
class Page:
    items: Sequence[Escalation]
    total: int


def fingerprint(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def notification(row: Escalation) -> dict[str, Any]:
    """Slack-compatible: `text` is what a Slack incoming webhook shows."""
    return {
        "text": (
            f"New {ROUTE_NAMES.get(row.route, row.route)} ticket {row.id}: {row.summary[:300]}"
            f"\nWhy: {row.reason[:300]}"
        ),
        "ticket": {
            "id": row.id,
            "route": row.route,
            "status": row.status,
            "summary": row.summary,
            "reason": row.reason,
            "conversation_id": row.conversation_id,
        },
    }


class SqlEscalations:
    def __init__(self, sessions: sessionmaker[Session], *, notify: bool) -> None:
        self._sessions = sessions
        self._notify = notify

    def create(
        self,
        ticket: NewTicket,
        *,
        idempotency_key: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> tuple[Escalation, bool]:
        """The ticket, and whether it is new. Ticket and outbox row commit together."""
        request_print = fingerprint(body) if body is not None else None
        if idempotency_key is not None and (
            existing := self._replay(ticket.requester, idempotency_key, request_print)
        ):
            return existing, False
        try:
            with self._sessions.begin() as session:
                if ticket.conversation_id is not None:
                    conversation = session.get(Conversation, ticket.conversation_id)
                    if conversation is None or conversation.owner != ticket.requester:
                        raise UnknownConversationError(ticket.conversation_id)
                row = Escalation(
                    route=ticket.route,
                    summary=ticket.summary,
                    reason=ticket.reason,
                    conversation_id=ticket.conversation_id,
                    requester=ticket.requester,
                    sources={"items": list(ticket.sources)},
                    idempotency_key=idempotency_key,
                    request_fingerprint=request_print,
                )
                session.add(row)
                session.flush()
                if self._notify:
                    session.add(OutboxMessage(escalation_id=row.id, payload=notification(row)))
                return row, True
        except IntegrityError:
            # A concurrent request with the same key won the race: answer as a replay.
            if idempotency_key is not None and (
                existing := self._replay(ticket.requester, idempotency_key, request_print)
            ):
                return existing, False
            raise

    def _replay(self, requester: str, key: str, request_print: str | None) -> Escalation | None:
        with self._sessions() as session:
            row = session.scalar(
                select(Escalation).where(
                    Escalation.requester == requester, Escalation.idempotency_key == key
                )
            )
        if row is not None and row.request_fingerprint != request_print:
            raise IdempotencyConflictError(key)
        return row

    def open_ticket(self, ticket: NewTicket, idempotency_key: str | None = None) -> str:
        return self.create(ticket, idempotency_key=idempotency_key)[0].id

    def get(self, escalation_id: str) -> Escalation | None:
        with self._sessions() as session:
            return session.get(Escalation, escalation_id)

    def page(
        self,
        *,
        requester: str | None,
        status: str | None = None,
        route: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Newest first; `requester=None` lists everyone's (for Learning Ops)."""
        query = select(Escalation)
        if requester is not None:
            query = query.where(Escalation.requester == requester)
        if status:
            query = query.where(Escalation.status == status)
        if route:
            query = query.where(Escalation.route == route)
        with self._sessions() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(
                query.order_by(Escalation.created_at.desc(), Escalation.id)
                .limit(limit)
                .offset(offset)
            ).all()
        return Page(rows, total)

    def list(self, limit: int = 100) -> Sequence[Escalation]:
        return self.page(requester=None, limit=limit).items

    def update(
        self,
        escalation_id: str,
        *,
        status: str | None = None,
        assignee: str | None = None,
        resolution_note: str | None = None,
    ) -> Escalation | None:
        with self._sessions.begin() as session:
            row = session.get(Escalation, escalation_id, with_for_update=True)
            if row is None:
                return None
            if status and status != row.status:
                if status not in TRANSITIONS[row.status]:
                    raise InvalidTransitionError(
                        f"A ticket that is {row.status} cannot become {status}."
                    )
                row.status = status
                now = utcnow()
                if status == "resolved":
                    row.resolved_at, row.requester_notified_at = now, None
                if status == "closed":
                    row.closed_at = now
            if assignee is not None:
                row.assignee = assignee or None
            if resolution_note is not None:
                row.resolution_note = resolution_note
            session.flush()
            return row

    def updates_for(self, conversation_id: str) -> builtins.list[TicketUpdate]:
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(Escalation).where(
                    Escalation.conversation_id == conversation_id,
                    Escalation.status.in_(("resolved", "closed")),
                    Escalation.requester_notified_at.is_(None),
                )
            ).all()
            now = utcnow()
            for row in rows:
                row.requester_notified_at = now
            return [TicketUpdate(r.id, r.status, r.resolution_note) for r in rows]
