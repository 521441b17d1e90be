"""What Learning Ops learn from the conversations: volume, topics, hand-offs, 👎, and the
content gaps — questions the library could not answer well — grouped into topics with the
past-session hosts who could speak to them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.models import Conversation, Feedback, Message
from coach.core import CoachCore
from coach.flows.people import find_past_sessions
from coach.text import content_words, cosine

GAP_KINDS = frozenset({"not_found", "handoff_suggested", "ticket"})
SAME_TOPIC = 0.55  # cosine similarity above which two questions count as one topic


@dataclass
class ContentGap:
    topic: str
    questions: list[str]
    reasons: dict[str, int]
    hosts: list[str] = field(default_factory=list)


@dataclass
class Analytics:
    conversations: int
    questions: int
    conversations_per_day: list[dict[str, Any]]
    top_topics: list[dict[str, Any]]
    handoff_rate: float
    thumbs_down_rate: float
    feedback_count: int
    content_gaps: list[ContentGap]


def _label(questions: list[str]) -> str:
    words = Counter(w for q in questions for w in content_words(q))
    common = [w for w, _ in words.most_common(3)]
    return " ".join(common) if common else questions[0][:40]


class AnalyticsService:
    def __init__(self, sessions: sessionmaker[Session], core: CoachCore) -> None:
        self._sessions = sessions
        self._core = core

    def compute(self, max_gap_questions: int = 300) -> Analytics:
        with self._sessions() as session:
            conversations = session.scalars(select(Conversation)).all()
            messages = session.scalars(select(Message).order_by(Message.seq)).all()
            feedback = session.scalars(select(Feedback)).all()
        per_day = Counter(c.created_at.date().isoformat() for c in conversations)
        answers = [m for m in messages if m.role == "assistant"]
        question_of: dict[str, str] = {}
        previous: Message | None = None
        for message in messages:
            if message.role == "assistant" and previous is not None and previous.role == "user":
                question_of[message.id] = previous.content
            previous = message
        topics = Counter(
            m.details["sources"][0]["title"] for m in answers if m.details.get("sources")
        )
        handoffs = sum(1 for m in answers if m.details.get("handoff"))
        down = {f.message_id for f in feedback if f.rating == "down"}
        gaps: dict[str, set[str]] = {}
        for message in answers:
            question = question_of.get(message.id)
            if question is None:
                continue
            kind = message.details.get("kind", "answer")
            if kind in GAP_KINDS:
                gaps.setdefault(question, set()).add(
                    "escalated" if kind != "not_found" else "not_found"
                )
            if message.id in down:
                gaps.setdefault(question, set()).add("thumbs_down")
        return Analytics(
            conversations=len(conversations),
            questions=len(question_of),
            conversations_per_day=[
                {"day": d, "conversations": n} for d, n in sorted(per_day.items())
            ],
            top_topics=[{"topic": t, "questions": n} for t, n in topics.most_common(10)],
            handoff_rate=round(handoffs / len(answers), 3) if answers else 0.0,
            thumbs_down_rate=round(len(down) / len(feedback), 3) if feedback else 0.0,
            feedback_count=len(feedback),
            content_gaps=self._group(dict(list(gaps.items())[-max_gap_questions:])),
        )

    def _group(self, gaps: dict[str, set[str]]) -> list[ContentGap]:
        if not gaps:
            return []
        questions = list(gaps)
        vectors = self._core.store.embeddings.embed_documents(questions)
        groups: list[list[int]] = []
        for index, vector in enumerate(vectors):
            home = next((g for g in groups if cosine(vectors[g[0]], vector) >= SAME_TOPIC), None)
            if home is None:
                groups.append([index])
            else:
                home.append(index)
        result = []
        for group in sorted(groups, key=len, reverse=True):
            asked = [questions[i] for i in group]
            reasons = Counter(r for q in asked for r in gaps[q])
            found = find_past_sessions(self._core.retriever, self._core.store, " ".join(asked), 3)
            hosts = list(dict.fromkeys(f"{s.host} ({s.title})" for s, _ in found))
            result.append(ContentGap(_label(asked), asked, dict(reasons), hosts))
        return result
