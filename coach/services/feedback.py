"""👍/👎 on the coach's answers, kept with the passages each answer was built from."""

from __future__ import annotations

from coach.ports import FeedbackStore
from coach.records import FeedbackRecord, Rating


class Feedback:
    def __init__(self, store: FeedbackStore) -> None:
        self._store = store

    def record(
        self,
        *,
        conversation_id: str,
        message_id: str,
        owner: str,
        rating: Rating,
        comment: str | None,
    ) -> FeedbackRecord:
        """Rate one of the owner's answers (UnknownConversationError or UnknownMessageError
        when there is no such answer in their conversation)."""
        return self._store.record(
            conversation_id=conversation_id,
            message_id=message_id,
            owner=owner,
            rating=rating,
            comment=comment,
        )
