"""In-memory stand-ins for the community ports (coach.community.ports), a settable clock and
counting ids, for unit tests."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from coach.community.records import (
    CheckIn,
    Community,
    ConversationFact,
    DemoHistory,
    HandoffFact,
    Interest,
    NoteDraft,
    NoteFacts,
    Notice,
    TrackedLearningPlan,
    TrackedSession,
)
from coach.flows.requests import SessionRequest
from coach.flows.session_plan import SessionPlan


class SettableClock:
    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)

    def set_date(self, date: dt.date) -> None:
        self.current = dt.datetime.combine(date, self.current.timetz())


class CountingIds:
    def __init__(self) -> None:
        self._numbers: dict[str, itertools.count[int]] = {}

    def new_id(self, prefix: str) -> str:
        counter = self._numbers.setdefault(prefix, itertools.count(1))
        return f"{prefix}{next(counter)}"


T = TypeVar("T")


class _ById(Generic[T]):
    """Records with an `id`, kept in insertion order."""

    def __init__(self) -> None:
        self.items: dict[str, T] = {}

    def add(self, item: T) -> None:
        self.items[_id(item)] = item

    def get(self, item_id: str) -> T | None:
        return self.items.get(item_id)

    def update(self, item: T) -> None:
        assert _id(item) in self.items
        self.items[_id(item)] = item

    def all(self) -> list[T]:
        return list(self.items.values())


def _id(item: Any) -> str:
    return str(item.id)


class MemoryInterests(_ById[Interest]):
    def remove(self, interest_id: str) -> None:
        self.items.pop(interest_id, None)

    def of_person(self, person: str) -> list[Interest]:
        return [i for i in self.items.values() if i.person == person]


class MemorySessions(_ById[TrackedSession]):
    pass


class MemoryDrafts(_ById[NoteDraft]):
    pass


class MemoryCommunities(_ById[Community]):
    pass


class MemoryNotices:
    def __init__(self) -> None:
        self.items: list[Notice] = []

    def add(self, notice: Notice) -> bool:
        if any(n.key == notice.key for n in self.items):
            return False
        self.items.append(notice)
        return True

    def of(self, recipients: Sequence[str], *, unread_only: bool, limit: int) -> list[Notice]:
        found = [
            n
            for n in reversed(self.items)
            if n.recipient in recipients and not (unread_only and n.read_at)
        ]
        return found[:limit]

    def mark_read(self, recipients: Sequence[str], ids: Sequence[str], at: dt.datetime) -> int:
        marked = 0
        for index, notice in enumerate(self.items):
            if notice.id in ids and notice.recipient in recipients and notice.read_at is None:
                self.items[index] = replace(notice, read_at=at)
                marked += 1
        return marked

    def remove_about(self, interest_ids: Sequence[str]) -> int:
        before = len(self.items)
        self.items = [n for n in self.items if not set(n.interest_ids) & set(interest_ids)]
        return before - len(self.items)

    def texts(self, recipient: str) -> list[str]:
        return [n.text for n in self.items if n.recipient == recipient]


@dataclass
class FakeNotes:
    """Session notes as the library would give them: `about` returns those whose title or
    tags share a word with the query."""

    notes: list[NoteFacts] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)

    def about(self, query: str, limit: int) -> list[NoteFacts]:
        self.queries.append(query)
        words = set(query.lower().split())
        found = [
            n for n in self.notes if words & set(n.title.lower().split()) or words & set(n.tags)
        ]
        return found[:limit]

    def all(self) -> list[NoteFacts]:
        return list(self.notes)


@dataclass
class RecordingDrafter:
    """Returns the plan it is given for every request, and remembers the requests."""

    plan_for: SessionPlan
    requests: list[SessionRequest] = field(default_factory=list)

    def plan(self, request: SessionRequest) -> SessionPlan:
        self.requests.append(request)
        return replace(
            self.plan_for,
            topic=request.topic or self.plan_for.topic,
            title=f"{request.topic}: a session" if request.topic else self.plan_for.title,
            date=request.date,
        )


class MemoryCheckIns:
    def __init__(self) -> None:
        self.items: list[CheckIn] = []

    def add(self, check_in: CheckIn) -> None:
        self.items.append(check_in)

    def of_plan(self, plan_id: str) -> list[CheckIn]:
        return [c for c in self.items if c.plan_id == plan_id]


class MemoryLearningPlans:
    def __init__(self, *plans: TrackedLearningPlan) -> None:
        self.plans = list(plans)

    def get(self, plan_id: str) -> TrackedLearningPlan | None:
        return next((p for p in self.plans if p.id == plan_id), None)

    def of_owner(self, owner: str) -> list[TrackedLearningPlan]:
        mine = [p for p in self.plans if p.owner == owner]
        return sorted(mine, key=lambda p: p.started_on, reverse=True)


@dataclass
class MemoryActivity:
    conversation_facts: list[ConversationFact] = field(default_factory=list)
    handoff_facts: list[HandoffFact] = field(default_factory=list)

    def conversations(self) -> list[ConversationFact]:
        return list(self.conversation_facts)

    def handoffs(self) -> list[HandoffFact]:
        return list(self.handoff_facts)


class MemoryDemo:
    def __init__(self) -> None:
        self.history: DemoHistory | None = None

    def save(self, history: DemoHistory) -> None:
        self.history = history

    def load(self) -> DemoHistory | None:
        return self.history

    def remove(self) -> bool:
        had, self.history = self.history is not None, None
        return had


@dataclass
class FakeLibrary:
    """Stores uploads in memory (a real library also indexes them)."""

    files: dict[str, bytes] = field(default_factory=dict)
    fail_with: str | None = None

    @dataclass
    class Outcome:
        failed: dict[str, str]

        @property
        def ok(self) -> bool:
            return not self.failed

    def upload(self, filename: str, data: bytes, kind: str = "document") -> tuple[str, Outcome]:
        if self.fail_with is not None:
            raise ValueError(self.fail_with)
        source = f"sessions/{filename}"
        self.files[source] = data
        return source, self.Outcome({})


@dataclass
class FakeExamples:
    notes: list[tuple[str, str]] = field(default_factory=list)

    def session_notes(self, limit: int) -> list[tuple[str, str]]:
        return self.notes[:limit]
