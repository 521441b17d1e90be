"""Request and response bodies of the public API (the contracts other tools build on)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.bounds import (
    MAX_AUDIENCE,
    MAX_DURATION_MINUTES,
    MAX_HOURS_PER_WEEK,
    MAX_WEEKS,
    MIN_AUDIENCE,
    MIN_DURATION_MINUTES,
    MIN_HOURS_PER_WEEK,
    MIN_WEEKS,
)

Route = Literal["learning_ops", "hr", "wellbeing"]
MAX_MESSAGE_CHARS = 100_000


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class RetrieveRequest(BaseModel):
    query: str = Field(min_length=1, max_length=4000, examples=["How long should a brown-bag be?"])
    k: int = Field(default=5, ge=1, description="How many passages; values above 50 count as 50.")
    kinds: list[Literal["playbook", "session_note", "document"]] = Field(
        default_factory=list, description="Only these kinds (default: all)."
    )
    tags: list[str] = Field(
        default_factory=list, description="Only documents with any of these tags."
    )
    since: dt.date | None = Field(default=None, description="Only documents dated on or after.")
    until: dt.date | None = Field(default=None, description="Only documents dated on or before.")
    mode: Literal["hybrid", "vector", "keyword"] = Field(
        default="hybrid", description="Fuse keyword and vector search, or use one of them."
    )


class RetrievedPassage(BaseModel):
    source: str = Field(examples=["playbooks/brown-bag.md"])
    title: str
    kind: str = Field(examples=["playbook"])
    text: str
    score: float = Field(
        description="Rank score (reciprocal rank fusion of keyword and vector search); "
        "higher is better."
    )
    similarity: float = Field(description="Cosine similarity between the passage and the query.")


class RetrieveResponse(BaseModel):
    results: list[RetrievedPassage]


class ChatRequest(BaseModel):
    message: str = Field(
        min_length=1, max_length=MAX_MESSAGE_CHARS, examples=["How long should a brown-bag be?"]
    )
    conversation_id: str | None = Field(
        default=None, description="Continue a stored conversation; omit to start one."
    )
    stream: bool = Field(
        default=False,
        description="Server-Sent Events: `token` events with answer text as it is written, "
        "then one `done` event with the full response (its `answer` is final).",
    )


class SourcePublic(BaseModel):
    source: str
    title: str


class HandoffPublic(BaseModel):
    route: Route
    reason: str
    ticket_id: str | None = Field(
        description="Set when a ticket was opened; null for a suggestion the user can confirm."
    )


class ChatResponse(BaseModel):
    conversation_id: str
    message_id: str = Field(description="The answer's id, for `POST /v1/feedback`.")
    answer: str
    sources: list[SourcePublic]
    handoff: HandoffPublic | None


class EscalationCreate(BaseModel):
    summary: str = Field(min_length=1, max_length=10_000, examples=["Needs a budget exception"])
    reason: str = Field(min_length=1, max_length=5_000, examples=["Above the annual limit"])
    conversation_id: str | None = None
    route: Route = "learning_ops"


class EscalationUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "in_progress", "assignee": "olivia"},
                {"status": "resolved", "resolution_note": "Approved: book the course."},
            ]
        }
    )

    status: Literal["open", "in_progress", "resolved", "closed"] | None = None
    assignee: str | None = Field(default=None, max_length=128)
    resolution_note: str | None = Field(default=None, max_length=10_000)


class EscalationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    status: str
    route: Route
    summary: str
    reason: str
    conversation_id: str | None
    requester: str
    assignee: str | None
    resolution_note: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None


class EscalationList(BaseModel):
    escalations: list[EscalationPublic]
    total: int
    limit: int
    offset: int


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "conversation_id": "9f2c…",
                    "message_id": "41ab…",
                    "rating": "down",
                    "comment": "It missed the lead time for catering.",
                }
            ]
        }
    )

    conversation_id: str
    message_id: str
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=5_000)


class FeedbackPublic(BaseModel):
    id: str
    conversation_id: str
    message_id: str
    rating: str
    comment: str | None
    chunk_ids: list[str] = Field(description="The passages the rated answer was built from.")
    created_at: dt.datetime


class ConversationSummary(BaseModel):
    id: str
    title: str
    created_at: dt.datetime


class ConversationList(BaseModel):
    conversations: list[ConversationSummary]


class DocumentPublic(BaseModel):
    source: str = Field(examples=["playbooks/brown-bag.md"])
    title: str
    kind: str
    chunks: int
    indexed_at: str = Field(description="When this version was indexed (ISO 8601, UTC).")


class DocumentList(BaseModel):
    documents: list[DocumentPublic]


class FlaggedSentence(BaseModel):
    source: str
    title: str
    sentence: str = Field(description="Kept and citable; marked as data, never quoted as advice.")


class FlaggedList(BaseModel):
    flagged: list[FlaggedSentence]


class IngestResult(BaseModel):
    added: int
    updated: int
    unchanged: int
    removed: int
    failed: int
    errors: dict[str, str] = Field(description="Files that could not be indexed, with why.")


class UploadResult(BaseModel):
    source: str
    ingest: IngestResult


class SessionPlanCreate(BaseModel):
    request: str = Field(
        min_length=1,
        max_length=4000,
        examples=["A brown-bag about Kubernetes basics for 25 people on 2027-03-10"],
    )
    topic: str | None = Field(default=None, max_length=200)
    format: str | None = Field(default=None, max_length=60, examples=["brown-bag"])
    audience_size: int | None = Field(default=None, ge=MIN_AUDIENCE, le=MAX_AUDIENCE)
    duration_minutes: int | None = Field(
        default=None, ge=MIN_DURATION_MINUTES, le=MAX_DURATION_MINUTES
    )
    date: dt.date | None = Field(default=None, ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    hybrid: bool | None = None
    conversation_id: str | None = None


class PlanPublic(BaseModel):
    id: str
    plan: dict[str, Any]
    markdown: str
    sources: list[SourcePublic]
    created_at: dt.datetime


class LearningPlanCreate(BaseModel):
    goal: str = Field(min_length=3, max_length=2000, examples=["Get confident at public speaking"])
    hours_per_week: float | None = Field(default=None, gt=MIN_HOURS_PER_WEEK, le=MAX_HOURS_PER_WEEK)
    weeks: int | None = Field(default=None, ge=MIN_WEEKS, le=MAX_WEEKS)
    conversation_id: str | None = None


class RulePublic(BaseModel):
    sentence: str = Field(description="The sentence (or table row) the rule is read from.")
    kind: str = Field(examples=["max_duration"])
    value: float | None
    unit: str | None = Field(examples=["minute"])
    subject: str = Field(description="What it is about: the session, a part of it, a room…")
    status: Literal["read", "confirmed", "corrected", "ignored", "needs_review", "model_disagrees"]
    note: str | None = Field(description="Why it needs a look (needs_review, model_disagrees).")
    decided_by: str | None
    decided_at: dt.datetime | None


class SetAsideDecision(BaseModel):
    sentence: str = Field(description="A sentence the playbook no longer has.")
    action: Literal["confirm", "correct", "ignore"]
    kind: str | None
    value: float | None
    unit: str | None
    decided_by: str
    decided_at: dt.datetime | None


class PlaybookRulesPublic(BaseModel):
    source: str = Field(examples=["playbooks/brown-bag.md"])
    title: str
    rules: list[RulePublic]
    set_aside: list[SetAsideDecision] = Field(
        description="Decisions about sentences the playbook no longer has: they no longer apply."
    )


class RuleList(BaseModel):
    playbooks: list[PlaybookRulesPublic]


class RuleDecisionCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "playbooks/brown-bag.md",
                    "sentence": "A brown-bag lasts at most 45 minutes.",
                    "action": "correct",
                    "kind": "max_duration",
                    "value": 40,
                    "unit": "minute",
                },
                {"source": "playbooks/brown-bag.md", "sentence": "…", "action": "ignore"},
            ]
        }
    )

    source: str = Field(min_length=1, max_length=1024)
    sentence: str = Field(min_length=1, max_length=5000, description="As `GET /v1/rules` lists it.")
    action: Literal["confirm", "correct", "ignore"]
    kind: str | None = Field(
        default=None, max_length=32, description="For a correction: the kind of rule it states."
    )
    value: float | None = Field(default=None, description="For a correction: its number.")
    unit: str | None = Field(
        default=None,
        max_length=16,
        description="For a correction: minute, person, day, working_day, week, month, hour, "
        "percent or a currency code; defaults to the unit it was read in.",
    )
