"""What the coach needs from the outside world, and the errors those parts raise.

The use cases (coach.services) and the chat flow (coach.chat) depend on these protocols only.
The SQL adapters (coach.adapters.sql) implement the storage ones, the knowledge package
(knowledge.library) implements `DocumentLibrary`; the composition root (`wiring`) plugs them
in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from coach.domain import NewTicket, Reply, RuleDecision, SourceRef, TicketUpdate, Turn
from coach.intents import Decision
from coach.records import (
    DeadLetter,
    FeedbackRecord,
    IndexedDocument,
    Rating,
    SavedLearningPlan,
    SavedSessionPlan,
    SignInRecord,
    StoredConversation,
    StoredKey,
    StoredMessage,
    Ticket,
    TicketChange,
    TicketPage,
    Usage,
)


class UnknownConversationError(LookupError):
    """No such conversation, or it belongs to someone else (the same error, so that nobody
    learns which ids exist)."""


class UnknownMessageError(LookupError):
    pass


class IdempotencyConflictError(ValueError):
    """The idempotency key was used before with a different request."""


class UploadRejectedError(ValueError):
    """The upload cannot be stored; the message says why."""


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
        conversation does not exist or belongs to someone else."""
        ...

    def record_exchange(self, conversation_id: str, message: str, reply: Reply) -> str:
        """Store the user's message and the coach's reply together (one transaction);
        return the reply's message id."""
        ...


class ConversationStore(ConversationLog, Protocol):
    def record_history(self, conversation_id: str, exchanges: list[tuple[str, str]]) -> None:
        """Earlier (question, answer) pairs a client kept itself, stored in one transaction."""
        ...

    def conversations_of(self, owner: str, limit: int = 50) -> list[StoredConversation]:
        """The owner's conversations, newest first."""
        ...

    def messages(self, conversation_id: str, owner: str) -> list[StoredMessage]:
        """One of the owner's conversations, oldest first (UnknownConversationError if not
        theirs)."""
        ...

    def owner_of(self, conversation_id: str) -> str | None: ...


class TicketDesk(Protocol):
    def open_ticket(self, ticket: NewTicket, idempotency_key: str | None = None) -> str:
        """Persist the ticket (committed before returning) and return its id. With an
        idempotency key already used by the same requester, the ticket it opened."""
        ...

    def updates_for(self, conversation_id: str) -> list[TicketUpdate]:
        """Resolutions not yet shown in the conversation; marks them shown."""
        ...


class TicketStore(TicketDesk, Protocol):
    def create(
        self, ticket: NewTicket, *, idempotency_key: str | None, fingerprint: str | None
    ) -> tuple[Ticket, bool]:
        """The ticket, and whether it is new; with its notification, if any, in the same
        transaction. A key reused with another fingerprint raises IdempotencyConflictError."""
        ...

    def get(self, ticket_id: str) -> Ticket | None: ...

    def page(
        self,
        *,
        requester: str | None,
        status: str | None,
        route: str | None,
        limit: int,
        offset: int,
    ) -> TicketPage:
        """Newest first; `requester=None` lists everyone's."""
        ...

    def update(self, ticket_id: str, decide: Callable[[Ticket], TicketChange]) -> Ticket | None:
        """Apply what `decide` makes of the ticket as it is now, holding it locked meanwhile;
        None when there is no such ticket. Whatever `decide` raises aborts the update."""
        ...


class PlanStore(Protocol):
    def save_session_plan(
        self,
        *,
        request: dict[str, Any],
        plan: dict[str, Any],
        sources: Sequence[SourceRef],
        markdown: str,
        ics: str | None,
        conversation_id: str | None,
        owner: str,
    ) -> SavedSessionPlan: ...

    def save_learning_plan(
        self,
        *,
        goal: str,
        plan: dict[str, Any],
        sources: Sequence[SourceRef],
        markdown: str,
        conversation_id: str | None,
        owner: str,
    ) -> SavedLearningPlan: ...

    def session_plan(self, plan_id: str) -> SavedSessionPlan | None: ...

    def learning_plan(self, plan_id: str) -> SavedLearningPlan | None: ...

    def learning_plans_of(self, owner: str, limit: int = 50) -> list[SavedLearningPlan]: ...


class FeedbackStore(Protocol):
    def record(
        self,
        *,
        conversation_id: str,
        message_id: str,
        owner: str,
        rating: Rating,
        comment: str | None,
    ) -> FeedbackRecord:
        """Store a rating of one of the owner's answers with the chunks it was built from
        (UnknownConversationError, UnknownMessageError when there is no such answer)."""
        ...


class NotificationOutbox(Protocol):
    def dead_letters(self, limit: int = 200) -> list[DeadLetter]: ...

    def retry(self, notification_id: int) -> bool:
        """Queue a dead letter again; False when there is no such dead letter."""
        ...


class KeyStore(Protocol):
    """API keys by the SHA-256 of the key; the key itself is never stored."""

    def add(self, key_hash: str, role: str, user: str) -> None: ...

    def revoke_all(self, user: str) -> int: ...

    def count(self, *, include_revoked: bool) -> int: ...

    def find(self, key_hash: str) -> StoredKey | None:
        """The key's owner and role, if it exists and is not revoked."""
        ...


class SignInStore(Protocol):
    def add(self, record: SignInRecord) -> None: ...

    def get(self, session_id: str) -> SignInRecord | None: ...

    def revoke(self, session_id: str) -> None: ...

    def revoke_all_of(self, user: str) -> int: ...


class UsageLog(Protocol):
    def usage(self) -> Usage: ...


class IngestOutcome(Protocol):
    """What a sync of the library did (knowledge.ingest.IngestReport)."""

    failed: dict[str, str]

    @property
    def ok(self) -> bool: ...

    def counts(self) -> dict[str, int]: ...


class DocumentLibrary(Protocol):
    """The folders the index mirrors, plus uploads (knowledge.library.KnowledgeLibrary)."""

    def documents(self) -> list[IndexedDocument]: ...

    def upload(
        self, filename: str, data: bytes, kind: str = "document"
    ) -> tuple[str, IngestOutcome]:
        """Store and index a file; its source path and what the sync did. Raises
        UploadRejectedError with the reason."""
        ...

    def sync(self, roots: Sequence[Any] | None = None) -> IngestOutcome:
        """Make the index mirror `roots` (knowledge.ingest.Root; the remembered folders when
        None) and the uploads."""
        ...


class BackgroundWorker(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


class Database(Protocol):
    def dispose(self) -> None:
        """Close every pooled connection (at shutdown)."""
        ...


class RuleCorrections(Protocol):
    """What Learning Ops decided about the rules the coach reads, keyed by the document and
    the sentence (so a decision survives re-indexing while the sentence is unchanged)."""

    def all(self) -> list[RuleDecision]:
        """The decision in force for each source and sentence (the latest), oldest first."""
        ...

    def save(self, decision: RuleDecision) -> None:
        """Record a decision; it replaces any earlier one for the same source and sentence
        (which an implementation may keep as history)."""
        ...
