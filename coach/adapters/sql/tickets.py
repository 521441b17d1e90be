"""Tickets in SQL (coach.ports.TicketStore): idempotent creation, with the notification
outbox row written in the same transaction as the ticket, and updates under a row lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.models import Conversation, Escalation, OutboxMessage, utcnow
from coach.domain import NewTicket, TicketUpdate
from coach.ports import IdempotencyConflictError, UnknownConversationError
from coach.records import Ticket, TicketChange, TicketPage

Notification = Callable[[Ticket], dict[str, Any]]


def ticket_of(row: Escalation) -> Ticket:
    return Ticket(
        id=row.id,
        route=row.route,
        status=row.status,
        summary=row.summary,
        reason=row.reason,
        conversation_id=row.conversation_id,
        requester=row.requester,
        assignee=row.assignee,
        resolution_note=row.resolution_note,
        sources=tuple(row.sources.get("items", [])),
        created_at=row.created_at,
        updated_at=row.updated_at,
        resolved_at=row.resolved_at,
        closed_at=row.closed_at,
    )


class SqlTickets:
    def __init__(
        self, sessions: sessionmaker[Session], *, notification: Notification | None
    ) -> None:
        """`notification` makes the payload each new ticket queues in the outbox (None: no
        webhook, nothing queued)."""
        self._sessions = sessions
        self._notification = notification

    def create(
        self, ticket: NewTicket, *, idempotency_key: str | None, fingerprint: str | None
    ) -> tuple[Ticket, bool]:
        if idempotency_key is not None and (
            existing := self._replay(ticket.requester, idempotency_key, fingerprint)
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
                    request_fingerprint=fingerprint,
                )
                session.add(row)
                session.flush()
                created = ticket_of(row)
                if self._notification is not None:
                    payload = self._notification(created)
                    session.add(OutboxMessage(escalation_id=row.id, payload=payload))
                return created, True
        except IntegrityError:
            # A concurrent request with the same key won the race: answer as a replay.
            if idempotency_key is not None and (
                existing := self._replay(ticket.requester, idempotency_key, fingerprint)
            ):
                return existing, False
            raise

    def _replay(self, requester: str, key: str, fingerprint: str | None) -> Ticket | None:
        with self._sessions() as session:
            row = session.scalar(
                select(Escalation).where(
                    Escalation.requester == requester, Escalation.idempotency_key == key
                )
            )
        if row is not None and row.request_fingerprint != fingerprint:
            raise IdempotencyConflictError(key)
        return ticket_of(row) if row is not None else None

    def open_ticket(self, ticket: NewTicket, idempotency_key: str | None = None) -> str:
        return self.create(ticket, idempotency_key=idempotency_key, fingerprint=None)[0].id

    def get(self, ticket_id: str) -> Ticket | None:
        with self._sessions() as session:
            row = session.get(Escalation, ticket_id)
            return ticket_of(row) if row is not None else None

    def page(
        self,
        *,
        requester: str | None,
        status: str | None,
        route: str | None,
        limit: int,
        offset: int,
    ) -> TicketPage:
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
            return TicketPage([ticket_of(r) for r in rows], total)

    def update(self, ticket_id: str, decide: Callable[[Ticket], TicketChange]) -> Ticket | None:
        with self._sessions.begin() as session:
            row = session.get(Escalation, ticket_id, with_for_update=True)
            if row is None:
                return None
            change = decide(ticket_of(row))
            if change.status and change.status != row.status:
                row.status = change.status
                now = utcnow()
                if change.status == "resolved":
                    row.resolved_at, row.requester_notified_at = now, None
                if change.status == "closed":
                    row.closed_at = now
            if change.assignee is not None:
                row.assignee = change.assignee or None
            if change.resolution_note is not None:
                row.resolution_note = change.resolution_note
            session.flush()
            return ticket_of(row)

    def updates_for(self, conversation_id: str) -> list[TicketUpdate]:
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
