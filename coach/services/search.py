"""What the indexed knowledge says, for a door to show as it is: the passages that match a
query (with their citations) and the past sessions on a topic, with their hosts, dates and
lessons. The chat (coach.chat) answers from the same retrieval; these hand over the pieces."""

from __future__ import annotations

from coach.domain import Passage
from coach.flows.people import PastSession, find_past_sessions
from coach.retrieval import Filters, Mode, Retriever
from coach.store import KnowledgeStore

MAX_PAST_SESSIONS = 10


class Search:
    def __init__(self, retriever: Retriever, store: KnowledgeStore) -> None:
        self._retriever = retriever
        self._store = store

    def passages(
        self,
        query: str,
        k: int = 5,
        *,
        filters: Filters | None = None,
        mode: Mode = "hybrid",
        relevant_only: bool = False,
    ) -> list[Passage]:
        """The `k` best passages for `query` (at most 50), best first; with `relevant_only`,
        only those as close in meaning as an answer needs (COACH_MIN_RELEVANCE)."""
        found = self._retriever.retrieve(query, k, filters=filters or Filters(), mode=mode)
        return self._retriever.relevant(found) if relevant_only else found

    def past_sessions(self, topic: str, limit: int = 3) -> list[PastSession]:
        """The session notes closest to `topic` that name a host, best first, one per note:
        every fact from the note's front matter or text."""
        found = find_past_sessions(
            self._retriever, self._store, topic, limit=max(1, min(limit, MAX_PAST_SESSIONS))
        )
        return [session for session, _ in found]
