"""The knowledge library Learning Ops manage: what is indexed, uploads, re-indexing, and the
sentences the injection check flagged for review.

Nothing flagged is removed: the sentences stay searchable and citable; the coach marks them as
data in prompts and never quotes them as guidance (coach.safety)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coach.ports import DocumentLibrary, IngestOutcome
from coach.records import IndexedDocument
from coach.safety import Flagged, review
from coach.store import KnowledgeStore


class Library:
    def __init__(self, documents: DocumentLibrary, store: KnowledgeStore) -> None:
        self._documents = documents
        self._store = store

    def documents(self) -> list[IndexedDocument]:
        """Every indexed source with its chunk count and when it was last indexed."""
        return self._documents.documents()

    def upload(
        self, filename: str, data: bytes, kind: str = "document"
    ) -> tuple[str, IngestOutcome]:
        """Add (or replace) a document and index it: its source path and what the sync did.
        UploadRejectedError says why a file cannot be stored."""
        return self._documents.upload(filename, data, kind)

    def sync(self, roots: Sequence[Any] | None = None) -> IngestOutcome:
        """Make the index mirror its folders (the remembered ones unless `roots` are given,
        see knowledge.library) and the uploads."""
        return self._documents.sync(roots)

    def flagged(self) -> list[Flagged]:
        """Sentences of the indexed documents that read as addressed to an assistant."""
        chunks = self._store.all_chunks()
        return review(
            (str(c.metadata.get("source", "")), str(c.metadata.get("title", "")), c.text)
            for c in sorted(chunks, key=lambda c: (str(c.metadata.get("source", "")), c.id))
        )
