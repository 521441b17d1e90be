"""What the injection check flagged in the indexed knowledge, for Learning Ops to review.

Nothing flagged is removed: the sentences stay searchable and citable; the coach marks them as
data in prompts and never quotes them as guidance (coach.safety)."""

from __future__ import annotations

from coach.safety import Flagged, review
from coach.store import KnowledgeStore


def flagged_sentences(store: KnowledgeStore) -> list[Flagged]:
    chunks = store.all_chunks()
    return review(
        (str(c.metadata.get("source", "")), str(c.metadata.get("title", "")), c.text)
        for c in sorted(chunks, key=lambda c: (str(c.metadata.get("source", "")), c.id))
    )
