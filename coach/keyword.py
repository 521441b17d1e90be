"""BM25 over every indexed chunk (bm25s), for the names, acronyms and exact terms that
embeddings blur. Rebuilt lazily when the store's generation changes (or loaded, when a
previous run saved that generation's index)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from coach.keyword_cache import KeywordIndexCache
from coach.lru import Lru
from coach.store import Chunk, KnowledgeStore

ChunkFilter = Callable[[Chunk], bool]
MASK_CACHE_SIZE = 32


def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


class KeywordIndex:
    def __init__(self, store: KnowledgeStore, saved: KeywordIndexCache | None = None) -> None:
        self._store = store
        self._saved = saved
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._chunks: list[Chunk] = []
        self._by_id: dict[str, Chunk] = {}
        self._bm25: Any = None
        self._stem = _stemmer()
        # Filter masks by the caller's key, for the current generation: computing one calls the
        # filter on every chunk (100k Python calls at 100k chunks).
        self._masks = Lru(MASK_CACHE_SIZE)

    def _tokenize(self, texts: list[str]) -> Any:
        import bm25s

        return bm25s.tokenize(texts, stopwords="en", stemmer=self._stem, show_progress=False)

    def _current(self) -> tuple[Any, list[Chunk]]:
        generation = self._store.generation()
        with self._lock:
            if generation != self._generation:
                saved = self._saved.load(generation) if self._saved else None
                bm25, chunks = saved or self._build(generation)
                self._bm25, self._chunks, self._generation = bm25, chunks, generation
                self._by_id = {c.id: c for c in chunks}
                self._masks.clear()
            return self._bm25, self._chunks

    def _build(self, generation: str) -> tuple[Any, list[Chunk]]:
        import bm25s

        chunks = self._store.all_chunks()
        if not chunks:
            return None, chunks
        bm25 = bm25s.BM25()
        bm25.index(self._tokenize([c.text for c in chunks]), show_progress=False)
        if self._saved:
            self._saved.save(generation, bm25, chunks)
        return bm25, chunks

    def known(self, ids: list[str]) -> dict[str, Chunk]:
        """The chunks of `ids` that the index holds (as of its last search), by id."""
        by_id = self._by_id
        return {i: by_id[i] for i in ids if i in by_id}

    def warm(self) -> None:
        """Build the index now rather than on the first search (seconds at 100k chunks)."""
        self._current()

    def _mask(
        self, chunks: list[Chunk], keep: ChunkFilter, key: Hashable | None
    ) -> np.ndarray[Any, Any]:
        # Under the index's lock: a rebuild in between must not pair a mask with other chunks.
        with self._lock:
            current = key is not None and chunks is self._chunks
            if current and (mask := self._masks.get(key)) is not None:
                return mask  # type: ignore[no-any-return]
        mask = np.fromiter((keep(c) for c in chunks), dtype=np.float32, count=len(chunks))
        mask.flags.writeable = False  # shared between searches
        with self._lock:
            if key is not None and chunks is self._chunks:
                self._masks.put(key, mask)
        return mask

    def search(
        self,
        query: str,
        k: int,
        keep: ChunkFilter | None = None,
        *,
        keep_key: Hashable | None = None,
    ) -> list[Chunk]:
        """Chunks ranked by BM25 score, best first; chunks sharing no term are left out.

        `keep_key` names the filter (equal keys, same filter) so its mask is computed once per
        index generation instead of on every search.
        """
        bm25, chunks = self._current()
        if bm25 is None:
            return []
        mask = None
        if keep is not None:
            mask = self._mask(chunks, keep, keep_key)
            if not mask.any():
                return []
        tokens = self._tokenize([query])
        k = min(k, len(chunks))
        documents, scores = bm25.retrieve(tokens, k=k, show_progress=False, weight_mask=mask)
        return [chunks[int(i)] for i, s in zip(documents[0], scores[0], strict=True) if s > 0]
