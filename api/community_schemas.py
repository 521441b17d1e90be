"""Request and response bodies of the community routes: interests, topics, inboxes, sessions
grown from topics, debriefs and notes, communities, check-ins and the autonomy view. A public
body never carries a vector, a person's id, or a name its owner did not agree to show."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from coach.bounds import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES

Direction = Literal["learn", "share"]


class InterestCreate(BaseModel):
    text: str = Field(min_length=2, max_length=300, examples=["getting started with pottery"])
    direction: Direction = Field(description="learn: I'd like to learn about it; share: I could")
    named: bool = Field(default=False, description="Show my name with it (else counted only).")


class InterestChange(BaseModel):
    named: bool


class InterestPublic(BaseModel):
    id: str
    text: str
    direction: Direction
    named: bool
    registered_at: dt.datetime
    session_id: str | None = Field(description="The session drafted from it, once there is one.")


class InterestRegistered(InterestPublic):
    notices_sent: int = Field(description="Notices this registration sent (topics it completed).")


class NamedPerson(BaseModel):
    name: str
    direction: Direction


class HostPublic(BaseModel):
    name: str
    reason: str
    source: str | None = Field(description="The session note they hosted, for a past host.")


class TopicPublic(BaseModel):
    id: str
    label: str
    people: int
    learners: int
    sharers: int
    named: list[NamedPerson] = Field(description="Only the people who chose to be named.")
    yours: list[str] = Field(description="Your interests in this topic.")
    hosts: list[HostPublic]
    new_last_30_days: int | None = Field(default=None, description="Learning Ops view only.")
    new_30_to_60_days_ago: int | None = Field(default=None, description="Learning Ops view only.")


class NoticePublic(BaseModel):
    id: str
    kind: str
    text: str
    created_at: dt.datetime
    read: bool
    session_id: str | None


class Inbox(BaseModel):
    unread: int
    notices: list[NoticePublic]


class MarkRead(BaseModel):
    ids: list[str] = Field(min_length=1, max_length=200)


class Marked(BaseModel):
    marked: int


class DraftFromTopic(BaseModel):
    topic: str | None = Field(default=None, max_length=200, description="Words for the plan.")
    format: str | None = Field(default=None, max_length=60, examples=["brown-bag"])
    date: dt.date | None = None
    duration_minutes: int | None = Field(
        default=None, ge=MIN_DURATION_MINUTES, le=MAX_DURATION_MINUTES
    )
    hybrid: bool = False


class TaskPublic(BaseModel):
    id: str
    text: str
    due: dt.date | None
    done: bool


class InvitationPublic(BaseModel):
    named: list[str] = Field(description="People interested who chose to be named.")
    others: int = Field(description="Everyone else interested, counted.")


class SessionPublic(BaseModel):
    id: str
    title: str
    topic: str
    format: str
    organiser: str = Field(description="The organiser's name.")
    yours: bool = Field(description="Whether you organise it.")
    date: dt.date | None
    duration_minutes: int
    suggested_host: str | None
    tasks: list[TaskPublic]
    invitation: InvitationPublic
    markdown: str
    debriefed: bool


class Schedule(BaseModel):
    date: dt.date


class TaskTick(BaseModel):
    done: bool = True


class DebriefCreate(BaseModel):
    attendees: int | None = Field(default=None, ge=0, le=100_000)
    attendee_names: list[str] = Field(default_factory=list, max_length=500)
    what_worked: list[str] = Field(default_factory=list, max_length=12)
    what_to_change: list[str] = Field(default_factory=list, max_length=12)
    feedback_score: float | None = Field(default=None, ge=0, le=5, description="Out of 5.")
    summary: str = Field(default="", max_length=2000)
    host: str = Field(default="", max_length=200, description="Who hosted, if not you.")


class NoteDraftPublic(BaseModel):
    id: str
    session_id: str
    filename: str
    text: str
    status: Literal["draft", "published"]
    to_fill: list[str] = Field(description="What the library's notes record that it left empty.")
    updated_at: dt.datetime
    published_source: str | None


class NoteEdit(BaseModel):
    text: str = Field(min_length=1, max_length=50_000)


class CommunityCreate(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    about: str = Field(min_length=1, max_length=500)
    tag: str | None = Field(default=None, max_length=80, description="Its session notes' tag.")


class CommunityJoin(BaseModel):
    named: bool = False


class NewOrganiser(BaseModel):
    person: str = Field(min_length=1, max_length=128, description="A member's user id.")


class CommunitySummary(BaseModel):
    id: str
    name: str
    about: str
    members: int


class GatheringPublic(BaseModel):
    title: str
    date: str
    host: str
    attendees: int | None
    source: str | None


class CommunityPagePublic(BaseModel):
    id: str
    name: str
    about: str
    organisers: list[str]
    members_named: list[str]
    members: int
    held: list[GatheringPublic]
    next_gathering: GatheringPublic | None
    you_are_member: bool


class CheckInCreate(BaseModel):
    week: int = Field(ge=1, le=520)
    status: Literal["done", "moved", "dropped"]
    to_week: int | None = Field(default=None, ge=1, le=1040)
    note: str = Field(default="", max_length=500)


class WeekStepPublic(BaseModel):
    week: int
    focus: str
    planned_for: int


class StandingPublic(BaseModel):
    plan_id: str
    goal: str
    week: int
    weeks: int
    done: list[int]
    dropped: list[int]
    moved: list[tuple[int, int]]
    missed: list[int]
    ends_in_week: int
    next_weeks: list[WeekStepPublic]
    markdown: str


class MonthPublic(BaseModel):
    month: str
    sessions_by_employees: int
    share_without_handoff: float | None
    first_time_hosts: int
    repeat_hosts: int
    attendees_who_later_hosted: int
    communities_active: int
    interests_became_sessions: int
    median_days_interest_to_session: float | None
    conversations: int
    handoffs_per_100_conversations: float | None
    unanswered_questions: int


class AutonomyPublic(BaseModel):
    includes_demo: bool = Field(description="Whether the seeded demo year is counted.")
    demo_tag: str | None = Field(description="The seeded demo year, if any (`coach demo seed`).")
    months: list[MonthPublic]
