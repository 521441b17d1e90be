"""The knowledge library Learning Ops manage: what is indexed, uploads, re-indexing, and the
sentences the injection check flagged for review.

Nothing flagged is removed: the sentences stay searchable and citable; the coach marks them as
data in prompts and never quotes them as guidance (coach.safety)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from coach.ports import DocumentLibrary, IngestOutcome
from coach.records import DocumentText, IndexedDocument
from coach.safety import Flagged, review
from coach.store import Chunk, KnowledgeStore

# Neighbouring chunks of a section repeat a few words (knowledge.chunking's overlap, ~120
# characters). A repeat shorter than the minimum is kept rather than risk cutting words that
# merely recur.
_MIN_OVERLAP, _MAX_OVERLAP = 20, 400
_LINE_ITEM = re.compile(r"[-*+|]\s|\d+[.)]\s")  # a list item or a table row starts a line


class Library:
    def __init__(self, documents: DocumentLibrary, store: KnowledgeStore) -> None:
        self._documents = documents
        self._store = store

    def documents(self) -> list[IndexedDocument]:
        """Every indexed source with its chunk count and when it was last indexed."""
        return self._documents.documents()

    def read(self, source: str) -> DocumentText | None:
        """One indexed document's text as the coach reads it (title and facts first, then its
        sections in order), or None when nothing is indexed under `source`."""
        chunks = self._store.chunks_of(source)
        if not chunks:
            return None
        first = chunks[0].metadata
        return DocumentText(
            source=source,
            title=str(first.get("title", "")),
            kind=str(first.get("kind", "document")),
            text=joined_text(chunks),
        )

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


def joined_text(chunks: Sequence[Chunk]) -> str:
    """The chunks of one document (in order) as one text: the first chunk's heading lines
    (title, and a session note's facts), then each section under its heading, without the
    context every chunk repeats or the overlap between neighbours."""
    heading, _, _ = chunks[0].text.partition("\n\n")
    title, *facts = heading.split("\n")
    title = str(chunks[0].metadata.get("title", "")) or title.split(" — ")[0]
    parts = [f"# {title}", *[f for f in facts if f.strip()]]
    section, previous = None, ""
    for chunk in chunks:
        body = chunk.text.partition("\n\n")[2] or chunk.text
        here = str(chunk.metadata.get("section", ""))
        if here != section:
            section, previous = here, ""
            if here:
                parts.append("#" * (here.count(" > ") + 2) + " " + here.split(" > ")[-1])
        rest = _after_overlap(previous, body)
        if rest is None:
            parts.append(body)
        elif rest:
            # Split inside a paragraph: it goes on where the previous chunk stopped.
            parts[-1] += ("\n" if _LINE_ITEM.match(rest) else " ") + rest
        previous = body
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def _after_overlap(previous: str, body: str) -> str | None:
    """What `body` adds after the words it repeats from the end of `previous` (the
    splitter's overlap); None when it repeats nothing."""
    for size in range(min(len(previous), len(body), _MAX_OVERLAP), _MIN_OVERLAP - 1, -1):
        ends_a_word = size == len(body) or body[size].isspace()
        starts_a_word = size == len(previous) or previous[-size - 1].isspace()
        if ends_a_word and starts_a_word and previous.endswith(body[:size]):
            return body[size:].strip()
    return None
