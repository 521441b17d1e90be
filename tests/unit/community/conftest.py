"""A community wired over in-memory ports, a settable clock and an embedder that knows a few
synonyms (so that grouping by meaning can be shown without a neural model)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from langchain_core.embeddings import Embeddings

from coach.community.grouping import TopicSpace
from coach.community.inbox import InboxService
from coach.community.interests import InterestService
from coach.community.people import Caller
from coach.community.reminders import ReminderService
from coach.community.sessions import SessionService
from coach.community.topics import TopicBoard
from coach.flows.agenda import AgendaItem
from coach.flows.session_plan import SessionPlan
from coach.reading.rules import Rule
from tests.community_fakes import (
    CountingIds,
    FakeNotes,
    MemoryInterests,
    MemoryNotices,
    MemorySessions,
    RecordingDrafter,
    SettableClock,
)

# Words that mean the same thing to this embedder: each concept is one dimension.
CONCEPTS = {
    "pottery": "clay", "ceramics": "clay", "clay": "clay", "wheel": "clay", "glazing": "clay",
    "birdwatching": "birds", "birding": "birds", "ornithology": "birds", "birds": "birds",
    "juggling": "juggle", "juggle": "juggle",
}  # fmt: skip
_WORD = re.compile(r"[a-z]+")


class ConceptEmbeddings(Embeddings):
    """A vector per concept: statements naming the same concept in other words are close; the
    words of asking ("learn", "share") get one dimension each, as noise."""

    def __init__(self) -> None:
        self.names = [*sorted(set(CONCEPTS.values())), "learn", "share", "other"]

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * len(self.names)
        for word in _WORD.findall(text.lower()):
            concept = CONCEPTS.get(word) or (word if word in ("learn", "share") else "other")
            vector[self.names.index(concept)] += 1.0
        return vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


TODAY = dt.date(2027, 3, 1)  # a Monday
ALICE = Caller.person("alice", "Alice Moreau")
BRUNO = Caller.person("bruno", "Bruno Tamura")
CHIDI = Caller.person("chidi", "Chidi Obi")
DARIA = Caller.person("daria", "Daria Kovac")
OLGA = Caller.person("olga", "Olga Team", learning_ops=True)
WIDGET = Caller.shared("intranet-widget")


def sample_plan(**changes: object) -> SessionPlan:
    rules = [
        Rule("lead_time", "Book the room at least 10 working days before.", "p.md", "P",
             value=10, unit="working_day"),
        Rule("lead_time", "Announce it at least 1 week before.", "p.md", "P", value=1,
             unit="week"),
        Rule("feedback", "Send the feedback form the day after.", "p.md", "P"),
    ]  # fmt: skip
    plan = SessionPlan(
        title="Topic: a talk",
        format="talk",
        topic="topic",
        audience_size=20,
        duration_minutes=45,
        date=None,
        hybrid=False,
        objectives=["Explain it"],
        agenda=[AgendaItem(45, "Talk")],
        logistics=[],
        rules=rules,
        follow_up=["Send the feedback form the day after."],
    )
    return SessionPlan(**{**vars(plan), **changes})


@dataclass
class World:
    clock: SettableClock
    ids: CountingIds
    interests: MemoryInterests
    notices: MemoryNotices
    sessions: MemorySessions
    notes: FakeNotes
    drafter: RecordingDrafter
    board: TopicBoard
    registry: InterestService
    planning: SessionService
    inbox: InboxService
    reminders: ReminderService


@pytest.fixture
def world() -> World:
    clock = SettableClock(dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC))
    ids = CountingIds()
    interests, notices, sessions = MemoryInterests(), MemoryNotices(), MemorySessions()
    notes = FakeNotes()
    drafter = RecordingDrafter(sample_plan())
    board = TopicBoard(interests, notices, notes, clock, ids)
    space = TopicSpace(ConceptEmbeddings())
    return World(
        clock=clock,
        ids=ids,
        interests=interests,
        notices=notices,
        sessions=sessions,
        notes=notes,
        drafter=drafter,
        board=board,
        registry=InterestService(interests, sessions, notices, board, space, clock, ids),
        planning=SessionService(interests, sessions, notices, board, drafter, clock, ids),
        inbox=InboxService(notices, clock),
        reminders=ReminderService(sessions, notices, clock, ids),
    )
