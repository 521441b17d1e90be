"""Plain data passed between the coach's steps and to its callers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["playbook", "session_note", "document"]
Route = Literal["learning_ops", "hr", "wellbeing"]
Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk of an indexed file.

    `score` orders results (higher is better); `similarity` is the cosine similarity to the
    query, which decides whether the passage is relevant at all.
    """

    chunk_id: str
    source: str
    title: str
    kind: str
    text: str
    score: float
    section: str = ""
    similarity: float = 0.0
    metadata: Mapping[str, str | int | float | bool] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Handoff:
    """Where a person should take over, and why.

    `ticket_id` is set once a ticket exists; a suggested hand-off waits for the user's "yes".
    """

    route: Route
    reason: str
    ticket_id: str | None = None


@dataclass(frozen=True)
class Turn:
    role: Role
    content: str
    handoff: Handoff | None = None
    sources: tuple[str, ...] = ()
    # What a flow needs to pick up a follow-up ("and for 40 people?"), e.g. the plan request.
    state: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class SourceRef:
    source: str
    title: str


@dataclass(frozen=True)
class Reply:
    answer: str
    sources: list[SourceRef] = field(default_factory=list)
    handoff: Handoff | None = None
    passages: list[Passage] = field(default_factory=list)
    state: Mapping[str, Any] | None = None
    # Which path answered (for analytics): answer, not_found, out_of_scope, handoff_suggested,
    # ticket, redirect, session_plan, learning_plan, people.
    kind: str = "answer"
    # How an answer was written: extractive (sentences of the documents), model (a checked
    # draft) or fallback (the model's draft was not supported, or the model failed).
    path: str | None = None


@dataclass(frozen=True)
class NewTicket:
    route: Route
    summary: str
    reason: str
    conversation_id: str | None
    requester: str = "local"
    sources: tuple[str, ...] = ()  # documents the coach tried before handing off


@dataclass(frozen=True)
class TicketUpdate:
    """A ticket's news for its requester, shown once in their conversation."""

    ticket_id: str
    status: str
    note: str | None


@dataclass(frozen=True)
class RuleDecision:
    """Learning Ops' decision about a sentence the coach reads as a rule: confirm what was
    read, correct it (the kind, value and unit given win over extraction in plans), or ignore
    the sentence (it is not a rule)."""

    source: str
    sentence: str
    action: Literal["confirm", "correct", "ignore"]
    kind: str | None = None
    value: float | None = None
    unit: str | None = None
    decided_by: str = ""
    decided_at: dt.datetime | None = None
