"""Who has done this before, and what they learned: answers built from session notes.

Every fact comes from a note's front matter or its text, so nothing here can be invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.domain import Passage
from coach.grounding import sentences
from coach.retrieval import Filters, Retriever
from coach.store import KnowledgeStore

LESSON_SECTIONS = ("what to change", "what went wrong", "lessons", "to improve")
REPEAT_SECTIONS = ("what to repeat", "what worked", "keep")


@dataclass(frozen=True)
class PastSession:
    source: str
    title: str
    host: str
    team: str
    date: str
    format: str
    attendees: str
    feedback_score: str
    lesson: str
    keep: str

    def describe(self) -> str:
        facts = [f"hosted by {self.host}" + (f" ({self.team})" if self.team else "")]
        if self.date:
            facts.append(f"on {self.date}")
        if self.format:
            facts.append(f"as a {self.format}")
        line = f"**{self.title}** — " + " ".join(facts)
        extras = []
        if self.attendees:
            extras.append(f"{self.attendees} attendees")
        if self.feedback_score:
            extras.append(f"feedback {self.feedback_score}/5")
        if extras:
            line += f" ({', '.join(extras)})"
        line += "."
        if self.keep:
            line += f"\n  - Worked well: {self.keep}"
        if self.lesson:
            line += f"\n  - Lesson recorded: {self.lesson}"
        return line


def _first_point(store: KnowledgeStore, source: str, headings: tuple[str, ...]) -> str:
    for chunk in store.chunks_of(source):
        section = str(chunk.metadata.get("section", "")).lower()
        if any(h in section for h in headings):
            body = chunk.text.split("\n\n", 1)[-1]
            points = sentences(body)
            if points:
                return re.sub(r"\s+", " ", points[0])
    return ""


def past_session(store: KnowledgeStore, passage: Passage) -> PastSession | None:
    meta = passage.metadata
    if not meta.get("host"):
        return None
    return PastSession(
        source=passage.source,
        title=passage.title,
        host=str(meta["host"]),
        team=str(meta.get("team", "")),
        date=str(meta.get("date", "")),
        format=str(meta.get("format", "")),
        attendees=str(meta.get("attendees", "")),
        feedback_score=str(meta.get("feedback_score", "")),
        lesson=_first_point(store, passage.source, LESSON_SECTIONS),
        keep=_first_point(store, passage.source, REPEAT_SECTIONS),
    )


def find_past_sessions(
    retriever: Retriever, store: KnowledgeStore, query: str, limit: int = 3
) -> list[tuple[PastSession, Passage]]:
    """The most relevant past sessions (one entry per note), best first."""
    passages = retriever.relevant(
        retriever.retrieve(query, 12, filters=Filters(kinds=("session_note",)))
    )
    found: dict[str, tuple[PastSession, Passage]] = {}
    for passage in passages:
        if passage.source in found:
            continue
        if (session := past_session(store, passage)) is not None:
            found[passage.source] = (session, passage)
        if len(found) == limit:
            break
    return list(found.values())


def people_answer(sessions: list[tuple[PastSession, Passage]]) -> str:
    lines = ["These past sessions are the closest match; their hosts are good people to ask:"]
    lines += [f"- {session.describe()}" for session, _ in sessions]
    return "\n".join(lines)
