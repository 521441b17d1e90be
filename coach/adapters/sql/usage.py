"""What analytics reads, from SQL (coach.ports.UsageLog)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from coach.adapters.sql.conversations import stored_message
from coach.adapters.sql.models import Conversation, Feedback, Message
from coach.records import Usage


class SqlUsage:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def usage(self) -> Usage:
        with self._sessions() as session:
            started = session.scalars(select(Conversation.created_at)).all()
            messages = session.scalars(select(Message).order_by(Message.seq)).all()
            ratings = session.execute(select(Feedback.message_id, Feedback.rating)).all()
            return Usage(
                conversations_started=list(started),
                messages=[stored_message(m) for m in messages],
                ratings=[(message_id, rating) for message_id, rating in ratings],
            )
