"""What the coach needs from persistence; the API implements these with SQLAlchemy."""

from __future__ import annotations

from typing import Protocol

from coach.domain import NewTicket, Reply, RuleDecision, TicketUpdate, Turn
from coach.intents import Decision


class UnknownConversationError(LookupError):
    pass


class TurnRouter(Protocol):
    """What a turn asks for (coach.intents.TurnClassifier offline, or a model's reading)."""

    def classify(self, message: str) -> Decision: ...

    def warm(self) -> None:
        """Prepare now what the first turn would otherwise wait for."""
        ...


class ConversationLog(Protocol):
    def start(self, owner: str) -> str:
        """Create a conversation for `owner` and return its id."""
        ...

    def history(self, conversation_id: str, owner: str, limit: int = 20) -> list[Turn]:
        """The last `limit` turns, oldest first. Raises UnknownConversationError when the
        conversation does not exist or belongs to someone else (the same error, so that
        nobody learns which ids exist)."""
        ...

    def record_exchange(self, conversation_id: str, message: str, reply: Reply) -> str:
        """Store the user's message and the coach's reply together (one transaction);
        return the reply's message id."""
        ...


class TicketDesk(Protocol):
    def open_ticket(self, ticket: NewTicket, idempotency_key: str | None = None) -> str:
        """Persist the ticket (committed before returning) and return its id. With an
        idempotency key already used by the same requester, the ticket it opened."""
        ...

    def updates_for(self, conversation_id: str) -> list[TicketUpdate]:
        """Resolutions not yet shown in the conversation; marks them shown."""
        ...


class RuleCorrections(Protocol):
    """What Learning Ops decided about the rules the coach reads, keyed by the document and
    the sentence (so a decision survives re-indexing while the sentence is unchanged)."""

    def all(self) -> list[RuleDecision]:
        """Every decision, oldest first."""
        ...

    def save(self, decision: RuleDecision) -> None:
        """Record a decision, replacing any earlier one for the same source and sentence."""
        ...
