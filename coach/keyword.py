"""BM25 over every indexed chunk (bm25s), for the names, acronyms and exact terms that
embeddings blur. Rebuilt lazily when the store's generation changes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from coach.store import Chunk, KnowledgeStore

ChunkFilter = Callable[[Chunk], bool]


def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


class KeywordIndex:
    def __init__(self, store: KnowledgeStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._chunks: list[Chunk] = []
        self._bm25: Any = None
        self._stem = _stemmer()

    def _tokenize(self, texts: list[str]) -> Any:
        import bm25s

        return bm25s.tokenize(texts, stopwords="en", stemmer=self._stem, show_progress=False)

    def _current(self) -> tuple[Any, list[Chunk]]:
        generation = self._store.generation()
        with self._lock:
            if generation != self._generation:
                import bm25s

                chunks = self._store.all_chunks()
                bm25 = None
                if chunks:
                    bm25 = bm25s.BM25()
                    bm25.index(self._tokenize([c.text for c in chunks]), show_progress=False)
                self._bm25, self._chunks, self._generation = bm25, chunks, generation
            return self._bm25, self._chunks

    def search(self, query: str, k: int, keep: ChunkFilter | None = None) -> list[Chunk]:
        """Chunks ranked by BM25 score, best first; chunks sharing no term are left out."""
        bm25, chunks = self._current()
        if bm25 is None:
            return []
        mask = None
        if keep is not None:
            mask = np.array([1.0 if keep(c) else 0.0 for c in chunks], dtype=np.float32)
            if not mask.any():
                return []
        tokens = self._tokenize([query])
        k = min(k, len(chunks))
        documents, scores = bm25.retrieve(tokens, k=k, show_progress=False, weight_mask=mask)
        return [chunks[int(i)] for i, s in zip(documents[0], scores[0], strict=True) if s > 0]
