"""Conversations: what the chat flow stores (it is the chat's ConversationLog), and what a
person can list and read back."""

from __future__ import annotations

from coach.domain import Reply, Turn
from coach.ports import ConversationStore
from coach.records import StoredConversation, StoredMessage, Ticket


class Conversations:
    def __init__(self, store: ConversationStore) -> None:
        self._store = store

    def start(self, owner: str) -> str:
        return self._store.start(owner)

    def history(self, conversation_id: str, owner: str, limit: int = 20) -> list[Turn]:
        return self._store.history(conversation_id, owner, limit)

    def record_exchange(self, conversation_id: str, message: str, reply: Reply) -> str:
        return self._store.record_exchange(conversation_id, message, reply)

    def continue_from(self, owner: str, exchanges: list[tuple[str, str]]) -> str:
        """A new conversation holding the (question, answer) pairs a client kept itself, so
        that follow-ups resolve against them; its id."""
        conversation_id = self._store.start(owner)
        self._store.record_history(conversation_id, exchanges)
        return conversation_id

    def conversations_of(self, owner: str, limit: int = 50) -> list[StoredConversation]:
        """The owner's conversations, newest first, titled by their first question."""
        return self._store.conversations_of(owner, limit)

    def messages(self, conversation_id: str, owner: str) -> list[StoredMessage]:
        """One of the owner's conversations, oldest first (UnknownConversationError if it
        is not theirs)."""
        return self._store.messages(conversation_id, owner)

    def of_ticket(self, ticket: Ticket) -> list[StoredMessage] | None:
        """The conversation a ticket was opened from, for whoever handles the ticket; None
        when it was opened outside a conversation."""
        if ticket.conversation_id is None:
            return None
        owner = self._store.owner_of(ticket.conversation_id)
        if owner is None:
            return None
        return self._store.messages(ticket.conversation_id, owner)
