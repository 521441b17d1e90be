"""Query embeddings, remembered: one chat turn embeds the question for the turn classifier,
the retriever and the grounding check, and people ask the same questions again and again."""

from __future__ import annotations

import threading
from collections import OrderedDict

from langchain_core.embeddings import Embeddings

QUERY_CACHE_SIZE = 512


class CachedQueryEmbeddings(Embeddings):
    """`embed_query` through a bounded LRU cache; `embed_documents` passes straight through
    (documents are embedded once, at ingest)."""

    def __init__(self, inner: Embeddings, size: int = QUERY_CACHE_SIZE) -> None:
        self.inner = inner
        self._size = size
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            if (vector := self._vectors.get(text)) is not None:
                self._vectors.move_to_end(text)
                return vector
        vector = self.inner.embed_query(text)  # outside the lock: other threads keep reading
        with self._lock:
            self._vectors[text] = vector
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        return vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)
