"""Ticket notifications the webhook refused until delivery gave up (dead letters), for
Learning Ops to see and queue again. Delivery itself runs in the background
(coach.adapters.sql.outbox)."""

from __future__ import annotations

from coach.ports import NotificationOutbox
from coach.records import DeadLetter


class Notifications:
    def __init__(self, outbox: NotificationOutbox) -> None:
        self._outbox = outbox

    def dead_letters(self, limit: int = 200) -> list[DeadLetter]:
        """Newest first."""
        return self._outbox.dead_letters(limit)

    def retry(self, notification_id: int) -> bool:
        """Queue a dead letter again, e.g. once the webhook is fixed; False when there is no
        such dead letter."""
        return self._outbox.retry(notification_id)
