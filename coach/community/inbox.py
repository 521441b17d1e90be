"""A person's inbox: the notices the coach left for them, shown the next time they come (in the
UI, on the API, and at the start of a conversation)."""

from __future__ import annotations

from collections.abc import Sequence

from coach.community.people import Caller, inboxes_of, require_person
from coach.community.ports import Clock, NoticeStore
from coach.community.records import Notice

PAGE = 50


class InboxService:
    def __init__(self, notices: NoticeStore, clock: Clock) -> None:
        self._notices = notices
        self._clock = clock

    def notices(
        self, caller: Caller, *, unread_only: bool = False, limit: int = PAGE
    ) -> list[Notice]:
        """The caller's notices (and the team's, for Learning Ops), newest first."""
        require_person(caller)
        limit = max(1, min(limit, 200))
        return self._notices.of(inboxes_of(caller), unread_only=unread_only, limit=limit)

    def unread_count(self, caller: Caller) -> int:
        return len(self.notices(caller, unread_only=True, limit=200))

    def mark_read(self, caller: Caller, notice_ids: Sequence[str]) -> int:
        require_person(caller)
        return self._notices.mark_read(inboxes_of(caller), notice_ids, self._clock.now())

    def on_arrival(self, caller: Caller) -> list[Notice]:
        """What is new since the caller last came, oldest first, now marked read (for the
        start of a conversation). A shared key has no inbox: nothing."""
        if not caller.is_person:
            return []
        unread = list(reversed(self.notices(caller, unread_only=True)))
        if unread:
            self.mark_read(caller, [n.id for n in unread])
        return unread
