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

# Written for the classifier alone, in general words: no organisation's names, formats or
# phrasing, and none close to an evaluation case (tests/integration/test_classifier_examples.py
# fails on any example within 0.85 cosine of one).
EXAMPLES: dict[Label, list[str]] = {
    "plan_learning": [
        "I'd like a roadmap for picking up data engineering skills this year",
        "Put together a study schedule so I can become a better writer",
        "What should my development goals be for the coming quarter?",
        "My self-study keeps fizzling out after a week or two; I need a habit that lasts",
        "Build me a plan to grow into a senior role over the next year",
        "I have two evenings a week free, how should I use them to learn machine learning?",
        "Help me structure my own growth while I change careers",
        "I want to improve at negotiating, lay out the steps week by week",
    ],
    "organise_session": [
        "I'd like to host a session for my department next month, help me prepare it",
        "Draft an agenda for the talk I'm giving to my team",
        "Help me put together a gathering where colleagues demo side projects",
        "Twelve colleagues will join my hands-on training day: draft it with me",
        "Set up an event where an expert from another company speaks to us",
        "Organise a recurring get-together for our internal community",
        "I want to present what we learned from the migration to the wider team",
        "Make it longer and add a break",
        "what if twice as many sign up?",
        "make it remote instead",
    ],
    "find_people": [
        "Is there a colleague who already presented on observability?",
        "Which people have hosted something about design systems?",
        "Did somebody here give a talk on negotiating salaries?",
        "Who could I learn from about running data migrations?",
        "What did the organisers learn from earlier sessions on security?",
        "Have any teams held a session about onboarding?",
        "Find me someone who has done a session on writing well",
        "What went badly when this was tried before?",
    ],
    "practice_question": [
        "By what date should my session be announced?",
        "What is the limit on people for an in-person session?",
        "Which approver is required before I spend money on my event?",
        "Is food provided at lunchtime sessions?",
        "What do I need to do to record my talk?",
        "How long may a talk last?",
        "Where can sessions be held?",
        "What is covered by the training allowance?",
        "Do visitors need to sign anything?",
        "When do I publicise my session?",
        "How do I collect feedback after the session?",
        "What equipment is available for presenters?",
        "Can I invite people from other offices?",
        "How early should the room be reserved?",
    ],
    "out_of_scope": [
        "Recommend a restaurant for dinner tonight",
        "Translate this paragraph into Swahili",
        "What's the share price doing?",
        "Will it rain this weekend?",
        "Debug my Python script for me",
        "Make me laugh with a pun",
        "What was the score of yesterday's game?",
        "How do I fill in my tax return?",
        "Which is the largest country in Africa?",
    ],
    "person": [
        "Please have a human get in touch with me",
        "I'd rather discuss this with someone from the team directly",
        "Is a real person available to help?",
        "Connect me to a member of staff",
        "Pass this on to the team, I need a person to handle it",
        "Could someone phone me about this?",
        "I don't want a bot, put me through to somebody",
        "Raise this with a human for me",
    ],
    "policy_exception": [
        "The course I need costs more than my remaining allowance, can that be approved anyway?",
        "Our speaker's fee is above the usual maximum",
        "Could the rule on session length be waived for my event?",
        "I'd like approval for spending beyond the yearly limit",
        "Can I get more study days than the policy gives?",
        "The travel costs for my guest exceed what is normally reimbursed",
        "Is it possible to make an exception to the booking deadline?",
        "Would you allow more attendees than the stated maximum?",
        "Can you pay for a degree programme that isn't normally covered?",
        "Our budget request is larger than the normal ceiling",
    ],
    "accommodation": [
        "A participant who is blind needs materials they can read",
        "I need live subtitles because of my hearing",
        "One attendee uses a wheelchair and the room has stairs",
        "Could my session have an interpreter for deaf colleagues?",
        "I need adjustments to take part because of a disability",
        "Someone in my audience needs large-print handouts",
        "Please arrange captions for a colleague who is hard of hearing",
        "An attendee needs a quiet space and breaks for medical reasons",
    ],
    "hr": [
        "My salary seems lower than my peers'",
        "I want to report inappropriate behaviour by a coworker",
        "I was given a written warning and disagree with it",
        "Can I switch to part-time hours?",
        "My boss refuses to let me take the training time I'm owed",
        "There is an ongoing dispute between me and my line manager",
        "I want to raise a grievance",
        "Questions about my employment contract",
        "How are promotions decided here?",
        "What is the policy on maternity leave?",
        "I'd like to formally complain about my manager's behaviour",
        "A colleague keeps making offensive remarks to me",
        "I want to challenge the outcome of my appraisal",
        "What notice period applies when I resign?",
        "I'm being treated differently because of my background",
        "Can I have time off without pay?",
        "My manager cancels my agreed development time and I want it looked into",
        "My pay slip is missing hours I worked",
        "Am I owed extra pay for working beyond my contracted hours?",
        "I need ergonomic equipment at my workstation because of a health condition",
        "How do I request paid leave on the day of my exam?",
        "Would I have to repay the company for a course if I resign?",
        "I'd like to move from full-time to a shorter working pattern",
        "What happens to my salary if I transfer to another team?",
        "Can my contract change to flexible working for health reasons?",
    ],
    "wellbeing": [
        "Things at home are really hard right now and I can't concentrate",
        "Running events alongside my day job has worn me out completely",
        "I'm caring for a sick relative and it's too much",
        "Working from home has left me isolated and down",
        "I'm exhausted and close to breaking down",
        "I feel constant pressure and panic at work",
        "My mental health has been bad lately",
        "I'm not sleeping because I worry about work all the time",
        "I'm grieving and finding it hard to function",
        "Everything feels like too much lately",
        "I need someone confidential to talk to about how I'm feeling",
        "My anxiety is getting worse and affecting my job",
        "Money worries mean I lie awake and can't focus",
        "I'm running on empty and dread every single workday",
    ],
}

HANDOFF_LABELS: dict[Label, Route] = {
    "person": "learning_ops",
    "policy_exception": "learning_ops",
    "accommodation": "learning_ops",
    "hr": "hr",
    "wellbeing": "wellbeing",
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
_WH_QUESTION = re.compile(r"\s*(?:how|what|when|where|who|which)\b", re.IGNORECASE)
# An exception asks for something beyond a rule: more, longer, above, despite it.
_ASKS_BEYOND = re.compile(
    r"\b(?:more|beyond|above|over|exceed\w*|exception\w*|waive\w*|extra|additional|higher|"
    r"larger|bigger|longer|later|earlier|shorter|anyway|despite|although|even\s+(?:though|if)|"
    r"approv\w*|allow\w*|permi\w*|let\s+me|instead|outside|not\s+(?:normally|usually)|"
    r"isn't|aren't|doesn't|don't|won't|can't|cannot|too\s+\w+|bend|break|skip|ignore|"
    r"increase|raise|top\s+up|cover)\b",
    re.IGNORECASE,
)
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
    def opens_ticket_now(self) -> bool:
        # Only an unmistakable request opens a ticket unasked; a looser match is offered.
        return self.label == "person" and self.confidence >= EXPLICIT_REQUEST_SIMILARITY


def explicit_person(message: str) -> bool:
    """An unmistakable request for a person ("can I talk to a human?")."""
    return bool(_EXPLICIT_PERSON.search(message))


def is_affirmative(message: str) -> bool:
    return bool(_AFFIRMATIVE.match(message))


class TurnClassifier:
    """Nearest labelled examples (k=3, similarity-weighted vote)."""

    def __init__(
        self, embeddings: Embeddings, examples: dict[Label, list[str]] | None = None
    ) -> None:
        self._embeddings = embeddings
        self._examples = examples or EXAMPLES
        self._labels: list[Label] = [
            label for label, texts in self._examples.items() for _ in texts
        ]
        self._vectors: list[list[float]] | None = None
        self._lock = threading.Lock()

    def _example_vectors(self) -> list[list[float]]:
        with self._lock:  # embedded once, even when the warm-up and a first turn race
            if self._vectors is None:
                texts = [t for texts in self._examples.values() for t in texts]
                self._vectors = self._embeddings.embed_documents(texts)
            return self._vectors

    def warm(self) -> None:
        """Embed the labelled examples now rather than on the first turn."""
        self._example_vectors()

    def classify(self, message: str) -> Decision:
        nearest = self._nearest_examples(message)
        decision = self._vote(nearest)
        # Asking for a person about HR or one's wellbeing is still HR or wellbeing: the
        # enabling team is not who should take it, even when that is not the top vote
        # ("talk to someone about my pay" is near the requests for a person too).
        if _EXPLICIT_PERSON.search(message) and decision.route not in ("hr", "wellbeing"):
            personal = [
                (similarity, label)
                for similarity, label in nearest
                if label in ("hr", "wellbeing") and similarity >= MIN_HANDOFF_SIMILARITY
            ]
            if personal:
                return Decision(personal[0][1], personal[0][0])
            return Decision("person", 1.0)
        if (
            decision.label == "policy_exception"
            and _WH_QUESTION.match(message)
            and not _ASKS_BEYOND.search(message)
        ):
            # "How much is the stipend?" resembles asking for more of it, but asks what it is.
            return Decision("practice_question", decision.confidence)
        return decision

    def _nearest_examples(self, message: str) -> list[tuple[float, Label]]:
        """The three labelled examples nearest the message, nearest first."""
        query = self._embeddings.embed_query(message)
        pairs = zip(self._example_vectors(), self._labels, strict=True)
        return sorted(((cosine(query, v), label) for v, label in pairs), reverse=True)[:3]

    def _vote(self, nearest: list[tuple[float, Label]]) -> Decision:
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
