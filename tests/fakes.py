"""In-memory stand-ins for persistence, for unit tests of the coach's flows."""

from __future__ import annotations

import itertools

from coach.domain import NewTicket, Reply, Turn
from coach.ports import UnknownConversationError


class MemoryConversationLog:
    def __init__(self) -> None:
        self.turns: dict[str, list[Turn]] = {}
        self._ids = itertools.count(1)

    def start(self) -> str:
        conversation_id = f"c{next(self._ids)}"
        self.turns[conversation_id] = []
        return conversation_id

    def history(self, conversation_id: str, limit: int = 20) -> list[Turn]:
        if conversation_id not in self.turns:
            raise UnknownConversationError(conversation_id)
        return self.turns[conversation_id][-limit:]

    def record_exchange(self, conversation_id: str, message: str, reply: Reply) -> None:
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


class MemoryTicketDesk:
    def __init__(self) -> None:
        self.tickets: list[NewTicket] = []

    def open_ticket(self, ticket: NewTicket) -> str:
        self.tickets.append(ticket)
        return f"T{len(self.tickets)}"
