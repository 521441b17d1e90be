"""SQLAlchemy implementations of the coach's conversation port, and feedback."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.models import Conversation, Feedback, Message
from coach.domain import Handoff, Reply, Turn
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

    def start(self, owner: str) -> str:
        with self._sessions.begin() as session:
            conversation = Conversation(owner=owner)
            session.add(conversation)
            session.flush()
            return conversation.id

    def owned(self, session: Session, conversation_id: str, owner: str) -> Conversation:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None or conversation.owner != owner:
            raise UnknownConversationError(conversation_id)
        return conversation

    def history(self, conversation_id: str, owner: str, limit: int = 20) -> list[Turn]:
        with self._sessions() as session:
            self.owned(session, conversation_id, owner)
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
        """Earlier (question, answer) pairs a client kept itself, stored in one transaction."""
        with self._sessions.begin() as session:
            for question, answer in exchanges:
                session.add(Message(conversation_id=conversation_id, role="user", content=question))
                session.add(
                    Message(conversation_id=conversation_id, role="assistant", content=answer)
                )

    def conversations_of(self, owner: str, limit: int = 50) -> list[dict[str, Any]]:
        """The owner's conversations, newest first, with their first question as a title."""
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
                result.append({"id": row.id, "title": first or "", "created_at": row.created_at})
            return result

    def messages(self, conversation_id: str, owner: str) -> list[Message]:
        with self._sessions() as session:
            self.owned(session, conversation_id, owner)
            return list(
                session.scalars(
                    select(Message)
                    .where(Message.conversation_id == conversation_id)
                    .order_by(Message.seq)
                ).all()
            )


class UnknownMessageError(LookupError):
    pass


class SqlFeedback:
    def __init__(self, sessions: sessionmaker[Session], conversations: SqlConversationLog) -> None:
        self._sessions = sessions
        self._conversations = conversations

    def record(
        self,
        *,
        conversation_id: str,
        message_id: str,
        owner: str,
        rating: Literal["up", "down"],
        comment: str | None,
    ) -> Feedback:
        """Store a rating with the chunks the rated answer was built from."""
        with self._sessions.begin() as session:
            self._conversations.owned(session, conversation_id, owner)
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
            return row
