"""Embeddings, remembered where it pays.

One chat turn embeds the question for the turn classifier, the retriever and the grounding
check, and people ask the same questions again and again. The grounding check also embeds
every sentence of the passages it cites, and the same passages come back for many questions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from coach.lru import Lru

QUERY_CACHE_SIZE = 512
SENTENCE_CACHE_SIZE = 8192  # float32 vectors: 1.5 KB each at 384 dimensions


class CachedQueryEmbeddings(Embeddings):
    """`embed_query` through a bounded LRU cache; `embed_sentences` likewise for the short
    texts the grounding check compares. `embed_documents` passes straight through: documents
    are embedded once, at ingest."""

    def __init__(
        self,
        inner: Embeddings,
        size: int = QUERY_CACHE_SIZE,
        sentences: int = SENTENCE_CACHE_SIZE,
    ) -> None:
        self.inner = inner
        self._queries = Lru(size)
        self._sentences = Lru(sentences)

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] | None = self._queries.get(text)
        if vector is None:
            vector = self.inner.embed_query(text)  # unlocked: other threads keep reading
            self._queries.put(text, vector)
        return vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_sentences(self, texts: Sequence[str]) -> list[list[float]]:
        """Like `embed_documents`, but only the texts not seen lately are embedded (in one
        batch)."""
        found = [self._sentences.get(text) for text in texts]
        missing = list(dict.fromkeys(t for t, v in zip(texts, found, strict=True) if v is None))
        if missing:
            fresh = dict(zip(missing, self.inner.embed_documents(missing), strict=True))
            for text, vector in fresh.items():
                self._sentences.put(text, np.asarray(vector, dtype=np.float32))
            found = [
                v if v is not None else np.asarray(fresh[t], dtype=np.float32)
                for t, v in zip(texts, found, strict=True)
            ]
        return [vector.tolist() for vector in found]


def embed_sentences(embeddings: Embeddings, texts: Sequence[str]) -> list[list[float]]:
    """Sentence embeddings, from the cache when `embeddings` keeps one."""
    if isinstance(embeddings, CachedQueryEmbeddings):
        return embeddings.embed_sentences(texts)
    return embeddings.embed_documents(list(texts))
