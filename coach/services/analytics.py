"""What Learning Ops learn from the conversations: volume, topics, hand-offs, 👎, and the
content gaps — questions the library could not answer well — grouped into topics with the
past-session hosts who could speak to them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from coach.core import CoachCore
from coach.flows.people import find_past_sessions
from coach.ports import UsageLog
from coach.records import StoredMessage
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
    def __init__(self, usage: UsageLog, core: CoachCore) -> None:
        self._usage = usage
        self._core = core

    def compute(self, max_gap_questions: int = 300) -> Analytics:
        usage = self._usage.usage()
        messages = usage.messages
        per_day = Counter(started.date().isoformat() for started in usage.conversations_started)
        answers = [m for m in messages if m.role == "assistant"]
        question_of: dict[str, str] = {}
        previous: StoredMessage | None = None
        for message in messages:
            if message.role == "assistant" and previous is not None and previous.role == "user":
                question_of[message.id] = previous.content
            previous = message
        topics = Counter(m.sources[0].title for m in answers if m.sources)
        handoffs = sum(1 for m in answers if m.handoff)
        down = {message_id for message_id, rating in usage.ratings if rating == "down"}
        gaps: dict[str, set[str]] = {}
        for message in answers:
            question = question_of.get(message.id)
            if question is None:
                continue
            kind = message.kind or "answer"
            if kind in GAP_KINDS:
                gaps.setdefault(question, set()).add(
                    "escalated" if kind != "not_found" else "not_found"
                )
            if message.id in down:
                gaps.setdefault(question, set()).add("thumbs_down")
        return Analytics(
            conversations=len(usage.conversations_started),
            questions=len(question_of),
            conversations_per_day=[
                {"day": d, "conversations": n} for d, n in sorted(per_day.items())
            ],
            top_topics=[{"topic": t, "questions": n} for t, n in topics.most_common(10)],
            handoff_rate=round(handoffs / len(answers), 3) if answers else 0.0,
            thumbs_down_rate=round(len(down) / len(usage.ratings), 3) if usage.ratings else 0.0,
            feedback_count=len(usage.ratings),
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
