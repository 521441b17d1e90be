"""Find the passages that answer a question: vector similarity and BM25, fused by rank."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Literal

from langchain_core.embeddings import Embeddings

from coach.domain import Passage
from coach.keyword import ChunkFilter, KeywordIndex
from coach.keyword_cache import KeywordIndexCache
from coach.store import Chunk, KnowledgeStore, passage_from
from coach.text import cosine, names_all, proper_names

MAX_K = 50
RRF_K = 60  # the usual constant of reciprocal rank fusion
CANDIDATES = 40

Mode = Literal["hybrid", "vector", "keyword"]

# BM25 needs no query vector: it runs here while the question is embedded. The encoder spends
# most of its time in native code without the interpreter lock, so the two overlap. Only for a
# search running alone: under concurrent searches the cores are busy anyway, and more threads
# wanting the interpreter would only keep the server's event loop waiting longer.
_KEYWORD_SEARCHES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyword-search")


class _InFlight:
    """How many retrievals are running in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    def __enter__(self) -> int:
        with self._lock:
            self._count += 1
            return self._count

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._count -= 1


_IN_FLIGHT = _InFlight()


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

    @property
    def restricts(self) -> bool:
        return bool(self.kinds) or self.narrows


class Retriever:
    def __init__(
        self,
        store: KnowledgeStore,
        *,
        min_relevance: float,
        keyword_cache: KeywordIndexCache | None = None,
    ) -> None:
        self._store = store
        self._keywords = KeywordIndex(store, keyword_cache)
        self.min_relevance = min_relevance

    @property
    def embeddings(self) -> Embeddings:
        return self._store.embeddings

    def warm(self) -> None:
        """Build the keyword index now (a server can call this at start-up, off the event
        loop), so the first search does not pay for it."""
        self._keywords.warm()

    def embed_query(self, query: str) -> list[float]:
        return self._store.embeddings.embed_query(query)

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
        pool = max(CANDIDATES, 4 * k)
        if mode == "vector":
            vector = self.embed_query(query)
            semantic = self._store.search(vector, pool, filters.where())
            return _deduplicated([p for p in semantic if filters.keeps(p.metadata)])[:k]
        # Without a restriction, no mask: one that keeps everything still costs a call per chunk.
        keep = _keeps(filters) if filters.restricts else None
        search = partial(self._keywords.search, query, pool, keep, keep_key=filters)
        with _IN_FLIGHT as running:
            beside = _KEYWORD_SEARCHES.submit(search) if running == 1 else None
            vector = self.embed_query(query)
            semantic = self._semantic(vector, pool, filters) if mode == "hybrid" else []
            lexical = beside.result() if beside else search()
        return self._fuse(vector, semantic, lexical, k)

    def _semantic(self, vector: list[float], pool: int, filters: Filters) -> list[Passage]:
        """The nearest chunks, as `KnowledgeStore.search` finds them, but with their texts and
        metadata from the keyword index's copy: only ids and distances come from Chroma (a
        chunk the copy lacks, e.g. one added since, is read from the store)."""
        hits = self._store.nearest(vector, pool, filters.where())
        ids = [chunk_id for chunk_id, _ in hits]
        chunks = self._keywords.known(ids)
        if missing := [i for i in ids if i not in chunks]:
            chunks |= self._store.chunks_by_id(missing)
        return [
            passage_from(i, chunks[i].text, chunks[i].metadata, similarity)
            for i, similarity in hits
            if i in chunks and filters.keeps(chunks[i].metadata)
        ]

    def _fuse(
        self, vector: list[float], semantic: list[Passage], lexical: list[Chunk], k: int
    ) -> list[Passage]:
        """The `k` best by reciprocal rank fusion, at most one per identical text. Only the
        keyword-only passages among them need their embeddings (for `similarity`)."""
        fused: dict[str, float] = {}
        for ranking in ([p.chunk_id for p in semantic], [c.id for c in lexical]):
            for rank, chunk_id in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        found = {p.chunk_id: p for p in semantic}
        texts = {p.chunk_id: p.text for p in semantic} | {c.id: c.text for c in lexical}
        ranked = sorted(fused, key=lambda i: fused[i], reverse=True)
        best = _deduplicated_ids(ranked, texts)[:k]
        keyword_only = {c.id: c for c in lexical if c.id in best and c.id not in found}
        vectors = self._store.embeddings_of(list(keyword_only))
        for chunk in keyword_only.values():
            similarity = cosine(vector, vectors[chunk.id]) if chunk.id in vectors else 0.0
            found[chunk.id] = passage_from(chunk.id, chunk.text, chunk.metadata, similarity)
        return [replace(found[i], score=round(fused[i], 6)) for i in best]

    def relevant(self, passages: Sequence[Passage], query: str | None = None) -> list[Passage]:
        """The passages close enough in meaning, and those that name what the query names (a
        room, a person, a tool: a name the embedding barely sees, in a table row, say)."""
        names = proper_names(query) if query else frozenset()
        return [
            p for p in passages if p.similarity >= self.min_relevance or names_all(names, p.text)
        ]


def _keeps(filters: Filters) -> ChunkFilter:
    return lambda chunk: filters.keeps(chunk.metadata)


def _deduplicated(passages: list[Passage]) -> list[Passage]:
    seen: set[str] = set()
    unique = []
    for passage in passages:
        digest = hashlib.sha1(passage.text.encode()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            unique.append(passage)
    return unique


def _deduplicated_ids(ids: list[str], texts: dict[str, str]) -> list[str]:
    """`ids` in order, without those whose text an earlier one already has."""
    seen: set[str] = set()
    unique = []
    for chunk_id in ids:
        digest = hashlib.sha1(texts[chunk_id].encode()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            unique.append(chunk_id)
    return unique
