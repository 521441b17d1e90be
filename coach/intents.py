"""What a turn asks for: a coaching flow, an answer, or a person.

Only the user's own words are classified, never retrieved text, so no document can open a
ticket. The classifier compares the message with labelled example utterances by embedding
similarity (offline, measurable: see evals/); a few unambiguous phrasings are matched directly.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Literal

from langchain_core.embeddings import Embeddings

from coach.domain import Route
from coach.text import cosine

Label = Literal[
    "plan_learning",
    "organise_session",
    "find_people",
    "practice_question",
    "out_of_scope",
    "person",
    "policy_exception",
    "accommodation",
    "hr",
    "wellbeing",
]
Intent = Literal[
    "plan_learning", "organise_session", "find_people", "practice_question", "handoff",
    "out_of_scope",
]  # fmt: skip

EXAMPLES: dict[Label, list[str]] = {
    "plan_learning": [
        "I want to move into product management next year, what should I learn?",
        "Set me some learning goals for this quarter",
        "Help me plan my learning for the next three months",
        "I want to grow into a team lead, can you make me a learning plan?",
        "How should I structure my own development this year?",
        "I want to learn SQL, where do I start and how much time per week?",
        "Make me a personal learning plan to get better at public speaking",
        "I keep starting courses and never finish them, help me build a routine",
    ],
    "organise_session": [
        "Help me set up a reading group for my team",
        "I am hosting a meetup next month, draft the agenda",
        "Draft a session plan for a workshop on testing",
        "I want to organise a brown-bag about Kubernetes",
        "Help me run a lunch and learn for my team next month",
        "Can you plan a hands-on workshop for 12 people?",
        "I'd like to invite an external speaker to talk about negotiation",
        "Plan a community meetup for the Python guild",
        "make it hybrid",
        "and for 40 people?",
    ],
    "find_people": [
        "Did anyone already host a lunch and learn about finance?",
        "Which teams have run community meetups?",
        "What lessons came out of the last guest talk?",
        "Who has run a session on Kubernetes before?",
        "What went wrong last time we ran a hybrid session?",
        "Has anyone done a workshop on dbt?",
        "Who could I ask about running a guest talk?",
        "Which past sessions were about accessibility?",
        "What worked well in the language exchange lunch and learn?",
    ],
    "practice_question": [
        "How long should a brown-bag be?",
        "How do I invite an external guest speaker?",
        "What is the learning budget per year?",
        "How do I start a community of practice?",
        "How do I book a room for a lunch and learn?",
        "How do I get feedback after my talk?",
        "How can I make my session accessible to everyone?",
        "What does the learning budget cover?",
        "How do I find a mentor?",
        "What are the rules for recording a session?",
        "How many people can join a workshop?",
        "What is the maximum audience for a lunch and learn?",
        "How far ahead do I need to book a room?",
        "Do guests need to sign an NDA?",
    ],
    "out_of_scope": [
        "Recommend a good restaurant near the office",
        "Translate this email into German",
        "What is the stock price today?",
        "What's the weather like tomorrow?",
        "Write me a Python function that sorts a list",
        "Tell me a joke",
        "Who won the football match last night?",
        "How do I file my income taxes?",
        "What is the capital of Peru?",
    ],
    "person": [
        "Could somebody from the Learning Ops team call me?",
        "Is there anyone I can speak with about this?",
        "I need a human to look at my request",
        "I want to talk to a person",
        "Can I speak to someone from Learning Ops?",
        "Please connect me with a human",
        "Escalate this to the Learning Ops team",
        "I'd like a real person to help me with this",
        "Open a ticket with Learning Ops for me",
    ],
    "policy_exception": [
        "My course costs more than what is left in my budget this year",
        "The speaker wants a higher fee than the standard honorarium",
        "Can my budget pay for a full degree programme?",
        "Travel for my guest costs more than the reimbursement limit",
        "Can I get an exception to the learning budget policy?",
        "I need more money than my annual learning budget allows",
        "The conference costs more than the limit, can it be approved anyway?",
        "Can I carry over my unused budget to next year?",
        "Can I take more learning days than the policy allows?",
        "Could Learning Ops make an exception for my certification cost?",
    ],
    "accommodation": [
        "An attendee needs the handouts in braille",
        "I am deaf and need an interpreter at the meetup",
        "One participant uses a screen reader and needs accessible materials prepared",
        "I need a sign language interpreter for my session",
        "I use a wheelchair, can the session room be made accessible for me?",
        "I have a visual impairment and need the materials in large print",
        "I need an accommodation to attend the workshop",
        "Can someone arrange live captioning because I am hard of hearing?",
    ],
    "hr": [
        "I think I am paid less than my colleagues",
        "Someone harassed me during a session and I want to report it",
        "I got a formal warning from my manager",
        "Can I reduce my working hours to study?",
        "My manager blocks me from using my learning days",
        "I have a conflict with my manager",
        "My manager is treating me unfairly",
        "I want to file a complaint about a colleague",
        "I have a question about my contract and salary",
        "How does the performance review and promotion process work?",
        "I want to ask about parental leave",
    ],
    "wellbeing": [
        "I am going through a hard time at home and cannot focus",
        "Running the community on top of my job has exhausted me",
        "A family member is ill and I am struggling to cope",
        "I feel lonely and low since I joined remotely",
        "I feel burned out and I can't cope anymore",
        "I'm really stressed and anxious all the time",
        "I'm struggling with my mental health",
        "Personal problems are affecting my work",
        "I feel overwhelmed and exhausted",
        "I can't sleep because of work worries",
    ],
}

HANDOFF_LABELS: dict[Label, Route] = {
    "person": "learning_ops",
    "policy_exception": "learning_ops",
    "accommodation": "learning_ops",
    "hr": "hr",
    "wellbeing": "wellbeing",
}

REASONS: dict[Label, str] = {
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
}

_EXPLICIT_PERSON = re.compile(
    r"\b(talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+|some\s*one|somebody|a\s+real\s+)?"
    r"(person|human|someone|somebody|learning\s*ops|people)\b"
    r"|\b(want|need|like|get|give)\b[^.?!]{0,20}\b(real|actual)\s+(person|human)\b"
    r"|\b(someone|somebody|anyone|a person)\b[^.?!]{0,25}\b(talk|speak|chat)\s+(to|with)\b"
    r"|\b(call|phone|ring)\s+me\b|\bgive me a call\b|\bescalate\b|\bhuman\s+please\b",
    re.IGNORECASE,
)
_AFFIRMATIVE = re.compile(
    r"^\s*(yes|yeah|yep|sure|ok(ay)?|please( do)?|confirm(ed)?|go ahead|do it|yes,? please)"
    r"\b[\s.!,]*(please|thanks|thank you|do it|go ahead)?[\s.!]*$",
    re.IGNORECASE,
)
# Below this similarity to its nearest examples, a hand-off label is not trusted.
MIN_HANDOFF_SIMILARITY = 0.45
# Below this, the message is like none of the examples: treat it as a question and let
# retrieval decide whether the knowledge base covers it.
MIN_SIMILARITY = 0.3
EXPLICIT_REQUEST_SIMILARITY = 0.75
# Votes weigh similarity to this power, so that one near-identical example outweighs two
# loosely similar ones.
VOTE_SHARPNESS = 8


@dataclass(frozen=True)
class Decision:
    label: Label
    confidence: float

    @property
    def intent(self) -> Intent:
        return "handoff" if self.label in HANDOFF_LABELS else self.label  # type: ignore[return-value]

    @property
    def route(self) -> Route | None:
        return HANDOFF_LABELS.get(self.label)

    @property
    def reason(self) -> str:
        return REASONS.get(self.label, "")

    @property
    def opens_ticket_now(self) -> bool:
        # Only an unmistakable request opens a ticket unasked; a looser match is offered.
        return self.label == "person" and self.confidence >= EXPLICIT_REQUEST_SIMILARITY


def is_affirmative(message: str) -> bool:
    return bool(_AFFIRMATIVE.match(message))


class TurnClassifier:
    """Nearest labelled examples (k=3, similarity-weighted vote)."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._embeddings = embeddings
        self._labels: list[Label] = [label for label, texts in EXAMPLES.items() for _ in texts]
        self._vectors: list[list[float]] | None = None
        self._lock = threading.Lock()

    def _example_vectors(self) -> list[list[float]]:
        with self._lock:  # embedded once, even when the warm-up and a first turn race
            if self._vectors is None:
                texts = [t for texts in EXAMPLES.values() for t in texts]
                self._vectors = self._embeddings.embed_documents(texts)
            return self._vectors

    def warm(self) -> None:
        """Embed the labelled examples now rather than on the first turn."""
        self._example_vectors()

    def classify(self, message: str) -> Decision:
        if _EXPLICIT_PERSON.search(message):
            return Decision("person", 1.0)
        query = self._embeddings.embed_query(message)
        pairs = zip(self._example_vectors(), self._labels, strict=True)
        nearest = sorted(((cosine(query, v), label) for v, label in pairs), reverse=True)[:3]
        votes: dict[Label, float] = {}
        for similarity, label in nearest:
            votes[label] = votes.get(label, 0.0) + similarity**VOTE_SHARPNESS
        label = max(votes, key=lambda name: votes[name])
        best = max(s for s, name in nearest if name == label)
        if best < MIN_SIMILARITY:
            return Decision("practice_question", best)
        if label in HANDOFF_LABELS and best < MIN_HANDOFF_SIMILARITY:
            # A weak match to a hand-off example is more likely an ordinary question.
            return Decision("practice_question", best)
        return Decision(label, best)
