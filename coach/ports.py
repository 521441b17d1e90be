"""What the coach needs from persistence; the API implements these with SQLAlchemy."""

from __future__ import annotations

from typing import Protocol

from coach.domain import NewTicket, Reply, Turn


class UnknownConversationError(LookupError):
    pass


class ConversationLog(Protocol):
    def start(self) -> str:
        """Create a conversation and return its id."""
        ...

    def history(self, conversation_id: str, limit: int = 20) -> list[Turn]:
        """The last `limit` turns, oldest first; raises UnknownConversationError."""
        ...

    def record_exchange(self, conversation_id: str, message: str, reply: Reply) -> None:
        """Store the user's message and the coach's reply together (one transaction)."""
        ...


class TicketDesk(Protocol):
    def open_ticket(self, ticket: NewTicket) -> str:
        """Persist the ticket (committed before returning) and return its id."""
        ...
