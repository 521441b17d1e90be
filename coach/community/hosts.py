"""The library's session notes as the community reads them: past hosts of a topic (the people
finder, coach.flows.people) and every note's facts (for community pages and the autonomy
view). Implements `coach.community.ports.SessionNotes` over the knowledge store."""

from __future__ import annotations

from collections.abc import Mapping

from coach.community.records import NoteFacts
from coach.flows.people import find_past_sessions
from coach.retrieval import Retriever
from coach.store import KnowledgeStore


class StoreSessionNotes:
    def __init__(self, retriever: Retriever, store: KnowledgeStore) -> None:
        self._retriever = retriever
        self._store = store

    def about(self, query: str, limit: int) -> list[NoteFacts]:
        found = find_past_sessions(self._retriever, self._store, query, limit=limit)
        return [
            NoteFacts(
                source=s.source,
                title=s.title,
                host=s.host,
                date=s.date,
                format=s.format,
                attendees=_int(s.attendees),
                feedback_score=_float(s.feedback_score),
            )
            for s, _ in found
        ]

    def all(self) -> list[NoteFacts]:
        notes = []
        for chunk in self._store.all_chunks():
            meta = chunk.metadata
            if meta.get("kind") != "session_note" or int(meta.get("chunk_index", 0)) != 0:
                continue
            if facts := note_facts(meta):
                notes.append(facts)
        return sorted(notes, key=lambda n: (n.date, n.source))


def note_facts(meta: Mapping[str, str | int | float | bool]) -> NoteFacts | None:
    """A session note's facts from its indexed metadata (None without a host)."""
    if not meta.get("host"):
        return None
    tags = str(meta.get("tags", ""))
    return NoteFacts(
        source=str(meta.get("source", "")),
        title=str(meta.get("title", "")),
        host=str(meta["host"]),
        date=str(meta.get("date", "")),
        format=str(meta.get("format", "")),
        attendees=_int(meta.get("attendees")),
        feedback_score=_float(meta.get("feedback_score")),
        tags=tuple(t.strip().lower() for t in tags.split(",") if t.strip()),
    )


def _int(value: object) -> int | None:
    try:
        return int(float(str(value)))
    except ValueError:
        return None


def _float(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None
