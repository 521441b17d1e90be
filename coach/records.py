"""What the ports hand back: stored conversations, tickets, plans, ratings, keys and sign-ins,
as plain frozen data. The use cases and both doors read these; no database row leaves an
adapter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from coach.domain import Handoff, RuleDecision, SourceRef

Rating = Literal["up", "down"]


@dataclass(frozen=True)
class StoredConversation:
    id: str
    title: str  # its first question
    created_at: dt.datetime


@dataclass(frozen=True)
class StoredMessage:
    id: str
    role: str  # "user" or "assistant"
    content: str
    created_at: dt.datetime
    sources: tuple[SourceRef, ...] = ()
    handoff: Handoff | None = None
    # Which path answered (see coach.domain.Reply.kind); None for questions and for answers a
    # client kept itself (OpenAI-style history).
    kind: str | None = None


@dataclass(frozen=True)
class Ticket:
    id: str
    route: str
    status: str
    summary: str
    reason: str
    conversation_id: str | None
    requester: str
    assignee: str | None
    resolution_note: str | None
    sources: tuple[str, ...]  # what the coach tried before handing off
    created_at: dt.datetime
    updated_at: dt.datetime
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None


@dataclass(frozen=True)
class TicketPage:
    items: Sequence[Ticket]
    total: int


@dataclass(frozen=True)
class TicketChange:
    """What a ticket update sets: a new status (None keeps it), an assignee ("" clears it,
    None keeps it) and a resolution note (None keeps it)."""

    status: str | None = None
    assignee: str | None = None
    resolution_note: str | None = None


@dataclass(frozen=True)
class SavedSessionPlan:
    id: str
    owner: str
    conversation_id: str | None
    request: Mapping[str, Any]
    plan: Mapping[str, Any]
    sources: tuple[SourceRef, ...]
    markdown: str
    ics: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class SavedLearningPlan:
    id: str
    owner: str
    conversation_id: str | None
    goal: str
    plan: Mapping[str, Any]
    sources: tuple[SourceRef, ...]
    markdown: str
    created_at: dt.datetime


SavedPlan = SavedSessionPlan | SavedLearningPlan


@dataclass(frozen=True)
class FeedbackRecord:
    id: str
    conversation_id: str
    message_id: str
    rating: str
    comment: str | None
    chunk_ids: tuple[str, ...]  # the passages the rated answer was built from
    created_at: dt.datetime


@dataclass(frozen=True)
class DeadLetter:
    """A ticket notification the webhook refused until delivery gave up."""

    id: int
    escalation_id: str
    attempts: int
    last_error: str | None
    dead_at: dt.datetime


@dataclass(frozen=True)
class StoredKey:
    user: str
    role: str  # as created: "employee", "learning_ops", "employee+learning_ops", "widget"


@dataclass(frozen=True)
class SignInRecord:
    """A web sign-in as stored: `id` is the hash of the cookie's token, never the token."""

    id: str
    user: str
    roles: str
    key_hash: str
    csrf: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None


@dataclass(frozen=True)
class Usage:
    """Everything analytics reads: when conversations started, every message in order, and
    every rating."""

    conversations_started: Sequence[dt.datetime]
    messages: Sequence[StoredMessage]
    ratings: Sequence[tuple[str, str]]  # (message id, "up" or "down")


@dataclass(frozen=True)
class IndexedDocument:
    source: str
    title: str
    kind: str
    chunks: int
    indexed_at: str


RuleStatus = Literal["read", "confirmed", "corrected", "ignored", "needs_review", "model_disagrees"]


@dataclass(frozen=True)
class RuleRow:
    """A rule the coach reads in a playbook, as Learning Ops review it: read (nobody has
    looked), confirmed, corrected, ignored, needs_review (it replaced a sentence they had
    decided about) or model_disagrees (the model server reads the sentence otherwise)."""

    sentence: str
    kind: str
    value: float | None
    unit: str | None
    subject: str
    status: RuleStatus
    note: str | None = None  # why it needs a look
    decided_by: str | None = None
    decided_at: dt.datetime | None = None


@dataclass(frozen=True)
class PlaybookRules:
    source: str
    title: str
    rules: tuple[RuleRow, ...]
    # Decisions about sentences the playbook no longer has: kept, but they no longer apply.
    set_aside: tuple[RuleDecision, ...]


@dataclass(frozen=True)
class DocumentText:
    """One indexed document as the coach reads it: its chunks joined in order."""

    source: str
    title: str
    kind: str
    text: str
