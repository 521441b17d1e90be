"""The tools: each parses, calls a use case as the caller, and returns a typed result. A
domain error becomes a tool error whose message the client's model can act on; another
person's conversation or ticket looks unknown, as over HTTP.

The descriptions are what a model reads to choose a tool, so each says what the tool is for,
what it changes and what to do with its result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from inspect import cleandoc
from typing import Annotated, Any, TypeVar

from anyio import CapacityLimiter, to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from coach.bounds import (
    MAX_AUDIENCE,
    MAX_DURATION_MINUTES,
    MAX_HOURS_PER_WEEK,
    MAX_WEEKS,
    MIN_AUDIENCE,
    MIN_DURATION_MINUTES,
    MIN_WEEKS,
)
from coach.domain import NewTicket
from coach.ports import IdempotencyConflictError, UnknownConversationError
from coach.retrieval import Filters
from coach.services import Services
from coach.services.access import Principal
from mcp_server.schemas import (
    CoachAnswer,
    FoundPassage,
    HandoffNote,
    Kind,
    Passages,
    PastSessionFacts,
    PastSessions,
    PlanDraft,
    Route,
    TicketState,
    citations,
)

Caller = Callable[[Context], Principal]
T = TypeVar("T")

ConversationId = Annotated[
    str | None,
    Field(
        default=None,
        max_length=100,
        description="A conversation_id from ask_coach, to tie this to that conversation.",
    ),
]

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
SAVES = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
OPENS_TICKET = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)


class CoachTools:
    def __init__(self, services: Services, caller: Caller) -> None:
        self._services = services
        self._caller = caller

    def register(self, server: MCPServer) -> None:
        profile = self._services.core.profile
        names = {"team": profile.team.name, "hr": profile.hr.name, "care": profile.wellbeing.name}
        for tool, title, hints in (
            (self.search_playbooks, "Search the playbooks", READ_ONLY),
            (self.ask_coach, "Ask the coach", SAVES),
            (self.draft_session_plan, "Draft a session plan", SAVES),
            (self.draft_learning_plan, "Draft a learning plan", SAVES),
            (self.find_past_sessions, "Find past sessions", READ_ONLY),
            (self.request_handoff, "Request a hand-off (opens a ticket)", OPENS_TICKET),
            (self.handoff_status, "Check a hand-off", READ_ONLY),
        ):
            description = " ".join(cleandoc(tool.__doc__ or "").format(**names).split())
            server.add_tool(tool, title=title, description=description, annotations=hints)

    async def _run(self, work: Callable[[], T], limiter: CapacityLimiter) -> T:
        """A use case (blocking: models, Chroma, SQL) on a worker thread, as the API runs it."""
        return await to_thread.run_sync(work, limiter=limiter)

    async def search_playbooks(
        self,
        query: Annotated[str, Field(min_length=1, max_length=4000)],
        ctx: Context,
        kinds: Annotated[
            list[Kind] | None, Field(description="Only these kinds of document (default: all).")
        ] = None,
        k: Annotated[int, Field(ge=1, le=20, description="How many passages at most.")] = 5,
    ) -> Passages:
        """Search the organisation's learning library ({team}'s playbooks, session notes and
        documents) and return the passages that match, word for word, each with its citation
        (source, title and the resource URI of the whole document). Use it to answer from the
        library yourself and cite it; cite the title and source of every passage you use."""
        self._caller(ctx)
        search = partial(
            self._services.search.passages,
            query,
            k,
            filters=Filters(kinds=tuple(kinds or ())),
            relevant_only=True,
        )
        found = await self._run(search, self._services.searches)
        return Passages(passages=[FoundPassage.of_passage(p) for p in found])

    async def ask_coach(
        self,
        question: Annotated[str, Field(min_length=1, max_length=8000)],
        ctx: Context,
        conversation_id: ConversationId = None,
    ) -> CoachAnswer:
        """Ask the learning coach a question about organising learning sessions (brown-bags,
        workshops, meetups, guest talks…) or growing one's skills. It answers only from the
        library, cites its sources, and says when the library does not cover something. Pass
        back the conversation_id it returns to ask a follow-up. When its answer carries a
        hand-off without a ticket_id, a person should take over: tell your user, and call
        request_handoff only if they agree."""
        principal = self._caller(ctx)
        chat = partial(self._services.chat.chat, question, conversation_id, principal.user)
        try:
            outcome = await self._run(chat, self._services.chats)
        except UnknownConversationError:
            raise ToolError(_unknown_conversation(conversation_id)) from None
        except ValueError as error:
            raise ToolError(str(error)) from None
        reply = outcome.reply
        return CoachAnswer(
            conversation_id=outcome.conversation_id,
            message_id=outcome.message_id,
            answer=reply.answer,
            sources=citations(reply.sources),
            handoff=HandoffNote.of(reply.handoff),
        )

    async def draft_session_plan(
        self,
        request: Annotated[
            str,
            Field(
                min_length=1,
                max_length=4000,
                description="The session in the user's words: format, topic, audience, date.",
            ),
        ],
        ctx: Context,
        topic: Annotated[str | None, Field(max_length=200)] = None,
        format: Annotated[
            str | None, Field(max_length=60, description="e.g. brown-bag, workshop, meetup")
        ] = None,
        audience_size: Annotated[int | None, Field(ge=MIN_AUDIENCE, le=MAX_AUDIENCE)] = None,
        duration_minutes: Annotated[
            int | None, Field(ge=MIN_DURATION_MINUTES, le=MAX_DURATION_MINUTES)
        ] = None,
        date: Annotated[
            dt.date | None, Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
        ] = None,
        hybrid: bool | None = None,
        conversation_id: ConversationId = None,
    ) -> PlanDraft:
        """Draft a plan for a learning session (agenda, room, deadlines, approvals, budget)
        from the playbook of its format, keeping to the playbook's rules and quoting each rule
        with its source, with similar past sessions and their hosts. The plan is saved for the
        user. Fields given explicitly override what is read from `request`."""
        principal = self._caller(ctx)
        explicit = _given(
            topic=topic,
            format=format,
            audience_size=audience_size,
            duration_minutes=duration_minutes,
            date=date,
            hybrid=hybrid,
        )
        plans = self._services.plans

        def draft() -> PlanDraft:
            session, notes = plans.read_request(request, explicit)
            record = plans.draft_session_plan(
                session, owner=principal.user, conversation_id=conversation_id, notes=notes
            )
            return PlanDraft.of(record)

        return await self._conversation_bound(draft, conversation_id)

    async def draft_learning_plan(
        self,
        goal: Annotated[str, Field(min_length=3, max_length=2000)],
        ctx: Context,
        hours_per_week: Annotated[float | None, Field(gt=0, le=MAX_HOURS_PER_WEEK)] = None,
        weeks: Annotated[int | None, Field(ge=MIN_WEEKS, le=MAX_WEEKS)] = None,
        conversation_id: ConversationId = None,
    ) -> PlanDraft:
        """Draft a personal learning plan for a goal and the time the user has: what done
        looks like, how to split the hours, weekly milestones and check-ins, the practices
        the library recommends (quoted with their sources) and colleagues who ran related
        sessions. The plan is saved for the user."""
        principal = self._caller(ctx)
        draft = partial(
            self._services.plans.draft_learning_plan,
            goal,
            hours_per_week,
            weeks,
            owner=principal.user,
            conversation_id=conversation_id,
        )
        return PlanDraft.of(await self._conversation_bound(draft, conversation_id))

    async def find_past_sessions(
        self,
        topic: Annotated[str, Field(min_length=1, max_length=500)],
        ctx: Context,
        limit: Annotated[int, Field(ge=1, le=10)] = 3,
    ) -> PastSessions:
        """Find past learning sessions on a topic from their session notes: who hosted each
        (good people to ask), when, in what format, how it was rated, what worked and the
        lesson recorded. Every fact comes from a note; cite it."""
        self._caller(ctx)
        find = partial(self._services.search.past_sessions, topic, limit)
        found = await self._run(find, self._services.searches)
        return PastSessions(sessions=[PastSessionFacts.of_session(s) for s in found])

    async def request_handoff(
        self,
        summary: Annotated[
            str, Field(min_length=1, max_length=10_000, description="What the user needs.")
        ],
        reason: Annotated[
            str,
            Field(min_length=1, max_length=5_000, description="Why a person must handle it."),
        ],
        ctx: Context,
        route: Annotated[
            Route,
            Field(description="learning_ops (the learning team), hr, or wellbeing (support)."),
        ] = "learning_ops",
        conversation_id: ConversationId = None,
        idempotency_key: Annotated[
            str | None,
            Field(
                min_length=1,
                max_length=200,
                description="Any unique string; a retry with the same key opens no new ticket.",
            ),
        ] = None,
    ) -> TicketState:
        """Open a ticket so that a person ({team}, {hr} or {care}) takes over the user's
        request. This notifies people: ask your user to confirm before calling it, and tell
        them the ticket id afterwards. Calling it again opens no second ticket: the same
        idempotency_key, or the same conversation and route, or the same request returns the
        first one (opened_now is false)."""
        principal = self._caller(ctx)
        tickets = self._services.escalations

        def hand_off() -> TicketState:
            tried: tuple[str, ...] = ()
            if conversation_id is not None:
                messages = self._services.conversations.messages(conversation_id, principal.user)
                tried = tuple(sorted({s.source for m in messages for s in m.sources}))
            ticket = NewTicket(route, summary, reason, conversation_id, principal.user, tried)
            row, created = tickets.hand_off(ticket, idempotency_key=idempotency_key)
            return TicketState.of(row, opened_now=created)

        try:
            return await self._conversation_bound(hand_off, conversation_id)
        except IdempotencyConflictError:
            raise ToolError(
                "This idempotency_key was already used for a different hand-off; use a new key."
            ) from None

    async def handoff_status(
        self, ticket_id: Annotated[str, Field(min_length=1, max_length=100)], ctx: Context
    ) -> TicketState:
        """The state of a hand-off ticket the user opened: open, in_progress, resolved or
        closed, and the note the team wrote when resolving it."""
        principal = self._caller(ctx)
        if not principal.reads_history:
            raise ToolError("This key can chat but not read tickets.")
        find = partial(self._services.escalations.visible, ticket_id, principal)
        ticket = await self._run(find, self._services.chats)
        if ticket is None:
            raise ToolError(f"Unknown ticket: {ticket_id}")
        return TicketState.of(ticket)

    async def _conversation_bound(self, work: Callable[[], T], conversation_id: str | None) -> T:
        """Run `work`; a conversation that is not the caller's is unknown."""
        try:
            return await self._run(work, self._services.chats)
        except UnknownConversationError:
            raise ToolError(_unknown_conversation(conversation_id)) from None


def _unknown_conversation(conversation_id: str | None) -> str:
    return f"Unknown conversation: {conversation_id}. Leave conversation_id out to start one."


def _given(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}
