"""In-memory stand-ins for persistence, for unit tests of the coach's flows."""

from __future__ import annotations

import itertools

from coach.domain import NewTicket, Reply, RuleDecision, TicketUpdate, Turn
from coach.intents import Label
from coach.ports import UnknownConversationError


class MemoryConversationLog:
    def __init__(self) -> None:
        self.turns: dict[str, list[Turn]] = {}
        self.owners: dict[str, str] = {}
        self._ids = itertools.count(1)

    def start(self, owner: str) -> str:
        conversation_id = f"c{next(self._ids)}"
        self.turns[conversation_id] = []
        self.owners[conversation_id] = owner
        return conversation_id

    def history(self, conversation_id: str, owner: str, limit: int = 20) -> list[Turn]:
        if self.owners.get(conversation_id) != owner:
            raise UnknownConversationError(conversation_id)
        return self.turns[conversation_id][-limit:]

    def record_exchange(self, conversation_id: str, message: str, reply: Reply) -> str:
        self.turns[conversation_id] += [
            Turn("user", message),
            Turn(
                "assistant",
                reply.answer,
                reply.handoff,
                tuple(s.source for s in reply.sources),
                reply.state,
            ),
        ]
        return f"m{len(self.turns[conversation_id])}"


class MemoryTicketDesk:
    def __init__(self) -> None:
        self.tickets: list[NewTicket] = []
        self.keys: dict[str, str] = {}
        self.pending_updates: dict[str, list[TicketUpdate]] = {}

    def open_ticket(self, ticket: NewTicket, idempotency_key: str | None = None) -> str:
        if idempotency_key is not None and idempotency_key in self.keys:
            return self.keys[idempotency_key]
        self.tickets.append(ticket)
        ticket_id = f"T{len(self.tickets)}"
        if idempotency_key is not None:
            self.keys[idempotency_key] = ticket_id
        return ticket_id

    def updates_for(self, conversation_id: str) -> list[TicketUpdate]:
        return self.pending_updates.pop(conversation_id, [])


# Labelled examples for the turn classifier in unit tests, whose fake embedder compares words
# (a bag of words): the product's own examples are tuned for a neural embedder.
TEST_EXAMPLES: dict[Label, list[str]] = {
    "plan_learning": ["Help me plan my learning", "Make me a learning plan for the next weeks"],
    "organise_session": [
        "I want to organise a brown-bag session",
        "Draft a session plan for a workshop",
        "Plan a session for people",
    ],
    "find_people": ["Who has run a session on this before?", "Has anyone hosted this?"],
    "practice_question": [
        "How long can a brown-bag last?",
        "How many minutes is a session?",
        "When should I book the room?",
        "What is the learning budget?",
    ],
    "out_of_scope": ["Tell me a joke", "What is the weather like?"],
    "person": ["I want to talk to a person", "Can I speak to a human?"],
    "policy_exception": [
        "Can I get an exception to the learning budget policy?",
        "I need more than the annual budget allows",
    ],
    "accommodation": ["I need a sign language interpreter", "An attendee needs captions"],
    "hr": ["I have a conflict with my manager", "A complaint about my contract"],
    "wellbeing": ["I feel burned out and overwhelmed", "I am stressed and cannot cope"],
}


class MemoryRuleCorrections:
    def __init__(self) -> None:
        self.decisions: dict[tuple[str, str], RuleDecision] = {}

    def all(self) -> list[RuleDecision]:
        return list(self.decisions.values())

    def save(self, decision: RuleDecision) -> None:
        self.decisions.pop((decision.source, decision.sentence), None)
        self.decisions[(decision.source, decision.sentence)] = decision
