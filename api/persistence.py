"""SQLAlchemy implementations of the coach's ports, and escalation storage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.models import Conversation, Escalation, Message
from coach.domain import Handoff, NewTicket, Reply, Turn
from coach.ports import UnknownConversationError


def _handoff_json(handoff: Handoff | None) -> dict[str, Any] | None:
    if handoff is None:
        return None
    return {"route": handoff.route, "reason": handoff.reason, "ticket_id": handoff.ticket_id}


def _handoff_from(data: dict[str, Any] | None) -> Handoff | None:
    return Handoff(data["route"], data["reason"], data.get("ticket_id")) if data else None


class SqlConversationLog:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def start(self) -> str:
        with self._sessions.begin() as session:
            conversation = Conversation()
            session.add(conversation)
            session.flush()
            return conversation.id

    def exists(self, conversation_id: str) -> bool:
        with self._sessions() as session:
            return session.get(Conversation, conversation_id) is not None

    def history(self, conversation_id: str, limit: int = 20) -> list[Turn]:
        with self._sessions() as session:
            if session.get(Conversation, conversation_id) is None:
                raise UnknownConversationError(conversation_id)
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(Message.seq.desc())
                .limit(limit)
            ).all()
        return [
            Turn(
                role="user" if m.role == "user" else "assistant",
                content=m.content,
                handoff=_handoff_from(m.details.get("handoff")),
                sources=tuple(s["source"] for s in m.details.get("sources", [])),
                state=m.details.get("state"),
            )
            for m in reversed(rows)
        ]

    def record_exchange(self, conversation_id: str, message: str, reply: Reply) -> None:
        details = {
            "sources": [{"source": s.source, "title": s.title} for s in reply.sources],
            "chunk_ids": [p.chunk_id for p in reply.passages],
            "handoff": _handoff_json(reply.handoff),
            "state": dict(reply.state) if reply.state else None,
        }
        with self._sessions.begin() as session:
            session.add(Message(conversation_id=conversation_id, role="user", content=message))
            session.add(
                Message(
                    conversation_id=conversation_id,
                    role="assistant",
                    content=reply.answer,
                    details=details,
                )
            )


class SqlEscalations:
    """Tickets for Learning Ops. Every write commits before it returns."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(self, ticket: NewTicket) -> Escalation:
        with self._sessions.begin() as session:
            if ticket.conversation_id and not session.get(Conversation, ticket.conversation_id):
                raise UnknownConversationError(ticket.conversation_id)
            row = Escalation(
                route=ticket.route,
                summary=ticket.summary,
                reason=ticket.reason,
                conversation_id=ticket.conversation_id,
            )
            session.add(row)
            session.flush()
            return row

    def open_ticket(self, ticket: NewTicket) -> str:
        return self.create(ticket).id

    def get(self, escalation_id: str) -> Escalation | None:
        with self._sessions() as session:
            return session.get(Escalation, escalation_id)

    def list(self, limit: int = 100) -> Sequence[Escalation]:
        with self._sessions() as session:
            query = select(Escalation).order_by(Escalation.created_at.desc()).limit(limit)
            return session.scalars(query).all()

    def update(
        self, escalation_id: str, status: str, resolution_note: str | None
    ) -> Escalation | None:
        with self._sessions.begin() as session:
            row = session.get(Escalation, escalation_id)
            if row is None:
                return None
            row.status = status
            if resolution_note is not None:
                row.resolution_note = resolution_note
            session.flush()
            return row
