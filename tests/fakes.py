"""In-memory stand-ins for persistence, for unit tests of the coach's flows."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, ToolCall
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import PrivateAttr

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


# A queued reply: the tool call's arguments, an error to raise, or a function of the prompt.
Reply_ = dict[str, Any] | Exception | Callable[[list[BaseMessage]], "dict[str, Any] | Exception"]


class ScriptedDataModel(BaseChatModel):
    """A chat model that answers `with_structured_output` with queued data: each reply is a
    tool call of the requested schema with the next queued arguments (or raises, when an
    exception is queued). Remembers every prompt."""

    _queue: list[Reply_] = PrivateAttr(default_factory=list)
    _prompts: list[list[BaseMessage]] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-data"

    def enqueue(self, *replies: Reply_) -> ScriptedDataModel:
        self._queue.extend(replies)
        return self

    @property
    def prompts(self) -> list[list[BaseMessage]]:
        return self._prompts

    def bind_tools(
        self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any
    ) -> Runnable[LanguageModelInput, AIMessage]:
        names = [convert_to_openai_tool(t)["function"]["name"] for t in tools]
        return self.bind(tool_names=names, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self._prompts.append(list(messages))
        reply = self._queue.pop(0) if self._queue else {}
        if callable(reply):
            reply = reply(messages)
        if isinstance(reply, Exception):
            raise reply
        call = ToolCall(name=kwargs["tool_names"][0], args=reply, id=f"call-{len(self._prompts)}")
        return ChatResult(generations=[ChatGeneration(message=AIMessage("", tool_calls=[call]))])


class MemoryRuleCorrections:
    def __init__(self) -> None:
        self.decisions: dict[tuple[str, str], RuleDecision] = {}

    def all(self) -> list[RuleDecision]:
        return list(self.decisions.values())

    def save(self, decision: RuleDecision) -> None:
        self.decisions.pop((decision.source, decision.sentence), None)
        self.decisions[(decision.source, decision.sentence)] = decision
