"""Find the passages that answer a question."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.embeddings import Embeddings

from coach.domain import Passage
from coach.store import KnowledgeStore

MAX_K = 50


class Retriever:
    def __init__(self, store: KnowledgeStore, *, min_relevance: float) -> None:
        self._store = store
        self.min_relevance = min_relevance

    @property
    def embeddings(self) -> Embeddings:
        return self._store.embeddings

    def retrieve(
        self, query: str, k: int = 5, *, kinds: Sequence[str] | None = None
    ) -> list[Passage]:
        """The `k` passages nearest to `query`, best first."""
        k = max(1, min(k, MAX_K))
        where: dict[str, Any] | None = None
        if kinds:
            where = {"kind": {"$in": list(kinds)}}
        vector = self._store.embeddings.embed_query(query)
        return self._store.search(vector, k, where)

    def relevant(self, passages: Sequence[Passage]) -> list[Passage]:
        return [p for p in passages if p.score >= self.min_relevance]
