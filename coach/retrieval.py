"""Find the passages that answer a question: vector similarity and BM25, fused by rank."""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from langchain_core.embeddings import Embeddings

from coach.domain import Passage
from coach.keyword import KeywordIndex
from coach.store import Chunk, KnowledgeStore, passage_from

MAX_K = 50
RRF_K = 60  # the usual constant of reciprocal rank fusion
CANDIDATES = 40
QUERY_CACHE_SIZE = 512

Mode = Literal["hybrid", "vector", "keyword"]


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval by kind (`playbook`, `session_note`, `document`), tag or date."""

    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    since: str | None = None  # ISO dates compare correctly as strings
    until: str | None = None

    def where(self) -> dict[str, Any] | None:
        return {"kind": {"$in": list(self.kinds)}} if self.kinds else None

    def keeps(self, metadata: Any) -> bool:
        if self.kinds and metadata.get("kind") not in self.kinds:
            return False
        if self.tags:
            tags = {t.strip().lower() for t in str(metadata.get("tags", "")).split(",")}
            if not tags & {t.lower() for t in self.tags}:
                return False
        date = str(metadata.get("date") or metadata.get("updated") or "")
        if self.since and (not date or date < self.since):
            return False
        return not (self.until and (not date or date > self.until))

    @property
    def narrows(self) -> bool:
        return bool(self.tags or self.since or self.until)


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


class Retriever:
    def __init__(self, store: KnowledgeStore, *, min_relevance: float) -> None:
        self._store = store
        self._keywords = KeywordIndex(store)
        self.min_relevance = min_relevance
        self._query_vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def embeddings(self) -> Embeddings:
        return self._store.embeddings

    def embed_query(self, query: str) -> list[float]:
        """Query embeddings are cached: people ask the same questions again and again."""
        with self._cache_lock:
            if (vector := self._query_vectors.get(query)) is not None:
                self._query_vectors.move_to_end(query)
                return vector
        vector = self._store.embeddings.embed_query(query)
        with self._cache_lock:
            self._query_vectors[query] = vector
            while len(self._query_vectors) > QUERY_CACHE_SIZE:
                self._query_vectors.popitem(last=False)
        return vector

    def retrieve(
        self,
        query: str,
        k: int = 5,
        *,
        kinds: Sequence[str] | None = None,
        filters: Filters | None = None,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        """The `k` best passages for `query`, best first, at most one per identical text.

        `hybrid` fuses vector and BM25 rankings; `vector` and `keyword` use one of them.
        """
        k = max(1, min(k, MAX_K))
        filters = filters or Filters(kinds=tuple(kinds or ()))
        vector = self.embed_query(query)
        pool = max(CANDIDATES, 4 * k)
        semantic: list[Passage] = []
        if mode != "keyword":
            semantic = [
                p
                for p in self._store.search(vector, pool, filters.where())
                if filters.keeps(p.metadata)
            ]
        if mode == "vector":
            return _deduplicated(semantic)[:k]
        lexical = self._keywords.search(query, pool, lambda c: filters.keeps(c.metadata))
        return _deduplicated(self._fuse(vector, semantic, lexical))[:k]

    def _fuse(
        self, vector: list[float], semantic: list[Passage], lexical: list[Chunk]
    ) -> list[Passage]:
        fused: dict[str, float] = {}
        for ranking in ([p.chunk_id for p in semantic], [c.id for c in lexical]):
            for rank, chunk_id in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        passages = {p.chunk_id: p for p in semantic}
        keyword_only = [c for c in lexical if c.id not in passages]
        vectors = self._store.embeddings_of([c.id for c in keyword_only])
        for chunk in keyword_only:
            similarity = _cosine(vector, vectors[chunk.id]) if chunk.id in vectors else 0.0
            passages[chunk.id] = passage_from(chunk.id, chunk.text, chunk.metadata, similarity)
        ranked = sorted(fused, key=lambda i: fused[i], reverse=True)
        return [replace(passages[i], score=round(fused[i], 6)) for i in ranked]

    def relevant(self, passages: Sequence[Passage]) -> list[Passage]:
        return [p for p in passages if p.similarity >= self.min_relevance]


def _deduplicated(passages: list[Passage]) -> list[Passage]:
    seen: set[str] = set()
    unique = []
    for passage in passages:
        digest = hashlib.sha1(passage.text.encode()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            unique.append(passage)
    return unique
