"""Decide when a person should take over, and which people.

Only the user's own words are classified, never retrieved text, so no document can open a
ticket. The classifier compares the message with labelled example utterances by embedding
similarity (offline, measurable); a few unambiguous phrasings are matched directly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from langchain_core.embeddings import Embeddings

from coach.domain import Route

Need = Literal["person", "policy_exception", "accommodation", "hr", "wellbeing", "none"]

EXAMPLES: dict[Need, list[str]] = {
    "person": [
        "I want to talk to a person",
        "Can I speak to someone from Learning Ops?",
        "Please connect me with a human",
        "Escalate this to the Learning Ops team",
        "I'd like a real person to help me with this",
        "Open a ticket with Learning Ops for me",
        "get me a human",
    ],
    "policy_exception": [
        "Can I get an exception to the learning budget policy?",
        "I need more money than my annual learning budget allows",
        "The conference costs more than the limit, can it be approved anyway?",
        "Can I carry over my unused budget to next year?",
        "Can I take more learning days than the policy allows?",
        "Could Learning Ops make an exception for my certification cost?",
        "I want to spend 3000 euros on a course, above the budget limit",
    ],
    "accommodation": [
        "I need a sign language interpreter for my session",
        "I use a wheelchair, can the session room be made accessible for me?",
        "I have a visual impairment and need the materials in large print",
        "I need an accommodation to attend the workshop",
        "Can someone arrange live captioning because I am hard of hearing?",
    ],
    "hr": [
        "I have a conflict with my manager",
        "My manager is treating me unfairly",
        "I want to file a complaint about a colleague",
        "I have a question about my contract and salary",
        "How does the performance review and promotion process work?",
        "I want to ask about parental leave",
        "My manager refuses to let me go to any training and we keep arguing",
    ],
    "wellbeing": [
        "I feel burned out and I can't cope anymore",
        "I'm really stressed and anxious all the time",
        "I'm struggling with my mental health",
        "Personal problems are affecting my work",
        "I feel overwhelmed and exhausted",
        "I can't sleep because of work worries",
    ],
    "none": [
        "How long should a brown-bag be?",
        "How do I invite an external guest speaker?",
        "Help me plan my learning for the next three months",
        "What is the learning budget per year?",
        "Who has run a session on Kubernetes before?",
        "How do I start a community of practice?",
        "How do I book a room for a lunch and learn?",
        "Draft a session plan for a workshop on testing",
        "What went wrong last time we ran a hybrid session?",
        "How do I get feedback after my talk?",
        "How can I make my session accessible to everyone?",
        "What does the learning budget cover?",
        "How do I find a mentor?",
        "thanks, that helps",
    ],
}

REASONS: dict[Need, str] = {
    "person": "You asked to talk to a person in Learning Ops.",
    "policy_exception": (
        "This goes beyond what the documented policy allows, and only Learning Ops can "
        "grant an exception."
    ),
    "accommodation": (
        "Accommodation requests are arranged personally by Learning Ops so that they fit you."
    ),
    "hr": "This is a matter for HR, not Learning Ops: your HR People Partner can help.",
    "wellbeing": (
        "The Employee Assistance Program offers confidential support, and talking to them "
        "is the right next step."
    ),
    "none": "",
}

ROUTES: dict[Need, Route | None] = {
    "person": "learning_ops",
    "policy_exception": "learning_ops",
    "accommodation": "learning_ops",
    "hr": "hr",
    "wellbeing": "wellbeing",
    "none": None,
}

_EXPLICIT_PERSON = re.compile(
    r"\b(talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+|some\s*one|somebody|a\s+real\s+)?"
    r"(person|human|someone|somebody|learning\s*ops|people)\b"
    r"|\b(real|actual)\s+(person|human)\b|\bescalate\b|\bhuman\s+please\b",
    re.IGNORECASE,
)
_AFFIRMATIVE = re.compile(
    r"^\s*(yes|yeah|yep|sure|ok(ay)?|please( do)?|confirm(ed)?|go ahead|do it|yes,? please)"
    r"\b[\s.!,]*(please|thanks|thank you|do it|go ahead)?[\s.!]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Decision:
    need: Need
    confidence: float

    @property
    def route(self) -> Route | None:
        return ROUTES[self.need]

    @property
    def reason(self) -> str:
        return REASONS[self.need]

    @property
    def opens_ticket_now(self) -> bool:
        return self.need == "person"


def is_affirmative(message: str) -> bool:
    return bool(_AFFIRMATIVE.match(message))


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


class HandoffRouter:
    """Nearest labelled examples (k=3, similarity-weighted vote) above a confidence floor."""

    def __init__(self, embeddings: Embeddings, *, min_similarity: float = 0.5) -> None:
        self._embeddings = embeddings
        self._min_similarity = min_similarity
        self._labels: list[Need] = [n for n, texts in EXAMPLES.items() for _ in texts]
        self._vectors: list[list[float]] | None = None

    def _example_vectors(self) -> list[list[float]]:
        if self._vectors is None:
            texts = [t for texts in EXAMPLES.values() for t in texts]
            self._vectors = self._embeddings.embed_documents(texts)
        return self._vectors

    def classify(self, message: str) -> Decision:
        if _EXPLICIT_PERSON.search(message):
            return Decision("person", 1.0)
        query = self._embeddings.embed_query(message)
        scored = sorted(
            (
                (_cosine(query, v), label)
                for v, label in zip(self._example_vectors(), self._labels, strict=True)
            ),
            reverse=True,
        )[:3]
        votes: dict[Need, float] = {}
        for similarity, label in scored:
            votes[label] = votes.get(label, 0.0) + similarity
        need = max(votes, key=lambda n: votes[n])
        best = max(s for s, label in scored if label == need)
        if need != "none" and best < self._min_similarity:
            return Decision("none", best)
        return Decision(need, best)
