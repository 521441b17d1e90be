"""What the community ports store and hand back, as plain frozen data. Phase-2 adapters map
these to rows; nothing here knows how they are kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Direction = Literal["learn", "share"]
# Named: others see the person's name with the interest and invitations name them. Anonymous
# (the default): counted, never named.
Visibility = Literal["named", "anonymous"]
NoticeKind = Literal[
    "topic", "host_request", "drafted", "scheduled", "reminder", "debrief", "review", "published"
]
CheckInStatus = Literal["done", "moved", "dropped"]
DraftStatus = Literal["draft", "published"]


@dataclass(frozen=True)
class Interest:
    """One person's wish to learn about something, or offer to share about it."""

    id: str
    person: str
    name: str  # shown to others only when `visibility` is "named"
    text: str
    direction: Direction
    visibility: Visibility
    vector: tuple[float, ...]  # its topic embedding (coach.community.grouping.TopicSpace)
    registered_at: dt.datetime
    session_id: str | None = None  # the session it became, once one was drafted from it

    @property
    def named(self) -> bool:
        return self.visibility == "named"


@dataclass(frozen=True)
class Notice:
    """A message in one inbox (a person's, or the team's), shown the next time they come.

    `key` makes sending idempotent: one notice per key, whoever sends it and however often.
    `interest_ids` are the interests it is about or reveals (the recipient's own, and those of
    people it names): withdrawing one of them removes the notice."""

    id: str
    recipient: str
    kind: NoticeKind
    text: str
    created_at: dt.datetime
    key: str
    interest_ids: tuple[str, ...] = ()
    session_id: str | None = None
    read_at: dt.datetime | None = None


@dataclass(frozen=True)
class LeadTime:
    """A rule of the plan's playbook: something due some time before the session."""

    text: str
    amount: float
    unit: str  # as the rule reader writes it: "day", "working day", "week", "month"…
    source: str = ""


@dataclass(frozen=True)
class Task:
    id: str
    text: str
    due: dt.date | None = None
    done: bool = False
    lead: int | None = None  # the index of the lead time it comes from, if any


@dataclass(frozen=True)
class TrackedSession:
    """A session plan someone is following through: its date, the lead times that become
    reminders, the tasks its organiser ticks off, and the interests it grew from."""

    id: str
    title: str
    topic: str
    format: str
    organiser: str
    organiser_name: str
    created_at: dt.datetime
    date: dt.date | None
    duration_minutes: int
    lead_times: tuple[LeadTime, ...]
    tasks: tuple[Task, ...]
    plan: Mapping[str, Any]  # coach.flows.session_plan.SessionPlan.to_json()
    markdown: str
    interest_ids: tuple[str, ...] = ()
    topic_id: str | None = None
    community_id: str | None = None
    suggested_host: str | None = None
    debriefed: bool = False


@dataclass(frozen=True)
class Debrief:
    """How a session went, from its organiser (a form, or a short exchange in the chat)."""

    attendees: int | None = None
    what_worked: tuple[str, ...] = ()
    what_to_change: tuple[str, ...] = ()
    feedback_score: float | None = None
    summary: str = ""
    attendee_names: tuple[str, ...] = ()  # who came, when the organiser lists them
    host: str = ""  # who hosted it, when not the organiser


@dataclass(frozen=True)
class NoteDraft:
    """A session note drafted from a debrief, in the library's own format, until Learning Ops
    publish it."""

    id: str
    session_id: str
    organiser: str
    filename: str
    text: str
    status: DraftStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    debrief: Debrief
    to_fill: tuple[str, ...] = ()  # front-matter keys the notes use that the debrief left empty
    published_source: str | None = None
    reviewed_by: str | None = None


@dataclass(frozen=True)
class NoteFacts:
    """What the library says of one past session (a session note's front matter)."""

    source: str
    title: str
    host: str
    date: str = ""
    format: str = ""
    attendees: int | None = None
    feedback_score: float | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Member:
    person: str
    name: str
    visibility: Visibility
    joined_at: dt.datetime
    organiser: bool = False


@dataclass(frozen=True)
class Community:
    """A community of practice: people who meet around a subject and run it themselves."""

    id: str
    name: str
    about: str
    tag: str  # the tag its session notes carry (their front matter `tags`)
    created_at: dt.datetime
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Milestone:
    week: int
    focus: str


@dataclass(frozen=True)
class TrackedLearningPlan:
    """A saved learning plan as check-ins need it."""

    id: str
    owner: str
    goal: str
    started_on: dt.date
    weeks: int
    milestones: tuple[Milestone, ...]
    hours_per_week: float = 0.0


@dataclass(frozen=True)
class CheckIn:
    plan_id: str
    week: int
    status: CheckInStatus
    at: dt.datetime
    to_week: int | None = None  # where a moved milestone goes
    note: str = ""


@dataclass(frozen=True)
class ConversationFact:
    """One conversation, for the autonomy view: when, whether it ended with a hand-off to the
    enabling team, and how many questions the library could not answer."""

    started_at: dt.datetime
    handed_off: bool
    unanswered: int = 0
    demo: bool = False


@dataclass(frozen=True)
class HandoffFact:
    """A ticket with the enabling team: who opened it and when."""

    requester: str
    opened_at: dt.datetime


@dataclass(frozen=True)
class HeldSession:
    """A session that took place, as the autonomy view counts it."""

    date: dt.date
    title: str
    hosts: tuple[str, ...]
    attendees: tuple[str, ...] = ()
    community: str | None = None
    handed_off: bool | None = None  # None: not known (a note with no plan followed here)
    demo: bool = False


@dataclass(frozen=True)
class InterestFact:
    registered: dt.date
    became_session: dt.date | None = None
    demo: bool = False


@dataclass(frozen=True)
class DemoHistory:
    """A made-up year, for showing what the autonomy view means on a new install. Kept apart
    from real data, and removed as one."""

    tag: str
    held: tuple[HeldSession, ...] = ()
    conversations: tuple[ConversationFact, ...] = ()
    interests: tuple[InterestFact, ...] = ()
    team: tuple[str, ...] = ()  # the made-up enabling team, whose sessions are not employees'
    seed: int = 0
