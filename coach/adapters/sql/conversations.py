"""Conversations, their messages and ratings in SQL (coach.ports.ConversationStore and
FeedbackStore)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.models import Conversation, Feedback, Message
from coach.domain import Handoff, Reply, SourceRef, Turn
from coach.ports import UnknownConversationError, UnknownMessageError
from coach.records import FeedbackRecord, Rating, StoredConversation, StoredMessage


def _handoff_json(handoff: Handoff | None) -> dict[str, Any] | None:
    if handoff is None:
        return None
    return {"route": handoff.route, "reason": handoff.reason, "ticket_id": handoff.ticket_id}


def _handoff_from(data: dict[str, Any] | None) -> Handoff | None:
    return Handoff(data["route"], data["reason"], data.get("ticket_id")) if data else None


def stored_message(row: Message) -> StoredMessage:
    return StoredMessage(
        id=row.id,
        role=row.role,
        content=row.content,
        created_at=row.created_at,
        sources=tuple(SourceRef(s["source"], s["title"]) for s in row.details.get("sources", [])),
        handoff=_handoff_from(row.details.get("handoff")),
        kind=row.details.get("kind"),
    )


def owned(session: Session, conversation_id: str, owner: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.owner != owner:
        raise UnknownConversationError(conversation_id)
    return conversation


class SqlConversationLog:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def start(self, owner: str) -> str:
        with self._sessions.begin() as session:
            conversation = Conversation(owner=owner)
            session.add(conversation)
            session.flush()
            return conversation.id

    def history(self, conversation_id: str, owner: str, limit: int = 20) -> list[Turn]:
        with self._sessions() as session:
            owned(session, conversation_id, owner)
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

    def record_exchange(self, conversation_id: str, message: str, reply: Reply) -> str:
        details = {
            "sources": [{"source": s.source, "title": s.title} for s in reply.sources],
            "chunk_ids": [p.chunk_id for p in reply.passages],
            "handoff": _handoff_json(reply.handoff),
            "state": dict(reply.state) if reply.state else None,
            "kind": reply.kind,
            "path": reply.path,
        }
        with self._sessions.begin() as session:
            session.add(Message(conversation_id=conversation_id, role="user", content=message))
            answer = Message(
                conversation_id=conversation_id,
                role="assistant",
                content=reply.answer,
                details=details,
            )
            session.add(answer)
            session.flush()
            return answer.id

    def record_history(self, conversation_id: str, exchanges: list[tuple[str, str]]) -> None:
        with self._sessions.begin() as session:
            for question, answer in exchanges:
                session.add(Message(conversation_id=conversation_id, role="user", content=question))
                session.add(
                    Message(conversation_id=conversation_id, role="assistant", content=answer)
                )

    def conversations_of(self, owner: str, limit: int = 50) -> list[StoredConversation]:
        with self._sessions() as session:
            rows = session.scalars(
                select(Conversation)
                .where(Conversation.owner == owner)
                .order_by(Conversation.created_at.desc())
                .limit(limit)
            ).all()
            result = []
            for row in rows:
                first = session.scalar(
                    select(Message.content)
                    .where(Message.conversation_id == row.id, Message.role == "user")
                    .order_by(Message.seq)
                    .limit(1)
                )
                result.append(StoredConversation(row.id, first or "", row.created_at))
            return result

    def messages(self, conversation_id: str, owner: str) -> list[StoredMessage]:
        with self._sessions() as session:
            owned(session, conversation_id, owner)
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(Message.seq)
            ).all()
            return [stored_message(row) for row in rows]

    def owner_of(self, conversation_id: str) -> str | None:
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id)
            return conversation.owner if conversation is not None else None


class SqlFeedback:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def record(
        self,
        *,
        conversation_id: str,
        message_id: str,
        owner: str,
        rating: Rating,
        comment: str | None,
    ) -> FeedbackRecord:
        with self._sessions.begin() as session:
            owned(session, conversation_id, owner)
            message = session.scalar(
                select(Message).where(
                    Message.id == message_id,
                    Message.conversation_id == conversation_id,
                    Message.role == "assistant",
                )
            )
            if message is None:
                raise UnknownMessageError(message_id)
            row = Feedback(
                conversation_id=conversation_id,
                message_id=message_id,
                owner=owner,
                rating=rating,
                comment=comment,
                chunk_ids={"ids": list(message.details.get("chunk_ids", []))},
            )
            session.add(row)
            session.flush()
            return FeedbackRecord(
                id=row.id,
                conversation_id=row.conversation_id,
                message_id=row.message_id,
                rating=row.rating,
                comment=row.comment,
                chunk_ids=tuple(row.chunk_ids.get("ids", [])),
                created_at=row.created_at,
            )
