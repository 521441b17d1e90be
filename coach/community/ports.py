"""What the community use cases need from outside: storage, the library, the session planner,
a clock and ids. Phase 2 implements the storage ports with SQL; `tests/community_fakes.py` has
in-memory ones. Every method is a small transaction of its own unless it says otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

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


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware."""
        ...


class IdGenerator(Protocol):
    def new_id(self, prefix: str) -> str:
        """A new unique id starting with `prefix` (e.g. "int", "ses")."""
        ...


class InterestStore(Protocol):
    def add(self, interest: Interest) -> None: ...

    def get(self, interest_id: str) -> Interest | None: ...

    def update(self, interest: Interest) -> None:
        """Replace the stored interest with the same id."""
        ...

    def remove(self, interest_id: str) -> None:
        """Delete it for good (withdrawing leaves no trace)."""
        ...

    def of_person(self, person: str) -> list[Interest]:
        """The person's interests, oldest first."""
        ...

    def all(self) -> list[Interest]:
        """Every interest, oldest first."""
        ...


class NoticeStore(Protocol):
    def add(self, notice: Notice) -> bool:
        """Store the notice unless one with its key exists (then nothing changes): True when
        stored. Must be atomic, so two workers sending the same reminder store one."""
        ...

    def of(self, recipients: Sequence[str], *, unread_only: bool, limit: int) -> list[Notice]:
        """The notices of these inboxes, newest first."""
        ...

    def mark_read(self, recipients: Sequence[str], ids: Sequence[str], at: dt.datetime) -> int:
        """Mark these notices read, if they are in these inboxes; how many were marked."""
        ...

    def remove_about(self, interest_ids: Sequence[str]) -> int:
        """Delete every notice about or naming one of these interests; how many."""
        ...


class SessionStore(Protocol):
    def add(self, session: TrackedSession) -> None: ...

    def get(self, session_id: str) -> TrackedSession | None: ...

    def update(self, session: TrackedSession) -> None: ...

    def all(self) -> list[TrackedSession]:
        """Every tracked session, oldest first."""
        ...


class NoteDraftStore(Protocol):
    def add(self, draft: NoteDraft) -> None: ...

    def get(self, draft_id: str) -> NoteDraft | None: ...

    def update(self, draft: NoteDraft) -> None: ...

    def all(self) -> list[NoteDraft]:
        """Every draft, oldest first."""
        ...


class CommunityStore(Protocol):
    def add(self, community: Community) -> None: ...

    def get(self, community_id: str) -> Community | None: ...

    def update(self, community: Community) -> None: ...

    def all(self) -> list[Community]: ...


class CheckInStore(Protocol):
    def add(self, check_in: CheckIn) -> None: ...

    def of_plan(self, plan_id: str) -> list[CheckIn]:
        """The plan's check-ins, oldest first."""
        ...


class LearningPlanSource(Protocol):
    """Saved learning plans (the plans the coach drafted), as check-ins read them."""

    def get(self, plan_id: str) -> TrackedLearningPlan | None: ...

    def of_owner(self, owner: str) -> list[TrackedLearningPlan]:
        """The owner's plans, newest first."""
        ...


class SessionDrafter(Protocol):
    """Drafts a session plan from a request (coach.flows.session_plan.SessionPlanner)."""

    def plan(self, request: SessionRequest) -> SessionPlan: ...


class SessionNotes(Protocol):
    """The session notes in the library (coach.community.hosts.StoreSessionNotes)."""

    def about(self, query: str, limit: int) -> list[NoteFacts]:
        """Past sessions closest to `query` that name a host, best first."""
        ...

    def all(self) -> list[NoteFacts]:
        """Every session note's facts."""
        ...


class NoteExamples(Protocol):
    def session_notes(self, limit: int) -> list[tuple[str, str]]:
        """Up to `limit` session notes of the library as (source path, Markdown text), so a
        new note can be written the way these are."""
        ...


class PublishOutcome(Protocol):
    """What indexing a published note did (knowledge.ingest.IngestReport fits)."""

    failed: dict[str, str]

    @property
    def ok(self) -> bool: ...


class NoteLibrary(Protocol):
    """Writes a file into the library and indexes it (knowledge.library.KnowledgeLibrary)."""

    def upload(self, filename: str, data: bytes, kind: str = ...) -> tuple[str, PublishOutcome]:
        """Store the file and index it; its source path and what indexing did. Raises
        ValueError (UploadRejectedError) with the reason when it cannot be stored."""
        ...


class ActivitySource(Protocol):
    """What the autonomy view reads besides the community's own stores."""

    def conversations(self) -> list[ConversationFact]:
        """Every conversation: when it started, whether it was handed off to the enabling
        team, and how many of its questions the library could not answer."""
        ...

    def handoffs(self) -> list[HandoffFact]:
        """Every ticket opened with the enabling team."""
        ...


class DemoStore(Protocol):
    """The one place demo history lives, so that one command removes it all."""

    def save(self, history: DemoHistory) -> None:
        """Replace any demo history with this one."""
        ...

    def load(self) -> DemoHistory | None: ...

    def remove(self) -> bool:
        """Delete the demo history; whether there was one."""
        ...


class LeaderLock(Protocol):
    """One leader across processes (and servers sharing a database)."""

    def hold(self) -> bool:
        """Take the lead or keep it: whether this process leads now."""
        ...

    def release(self) -> None: ...
