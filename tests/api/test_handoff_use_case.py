"""`Tickets.hand_off`, the hand-off a client may send again (the MCP door's request_handoff):
one ticket per idempotency key, per conversation and route, or per identical request, on the
real database (SQLite, and PostgreSQL when it answers)."""

from __future__ import annotations

import pytest

from coach.domain import NewTicket
from coach.ports import IdempotencyConflictError, UnknownConversationError
from coach.services import Services


def test_a_key_returns_its_ticket_and_refuses_another_request(services: Services) -> None:
    ticket = NewTicket("learning_ops", "Budget exception", "Above the limit", None, "alice")
    first, opened = services.escalations.hand_off(ticket, idempotency_key="k-1")
    again, reopened = services.escalations.hand_off(ticket, idempotency_key="k-1")
    assert (opened, reopened) == (True, False)
    assert again.id == first.id
    other = NewTicket("learning_ops", "Something else", "Other", None, "alice")
    with pytest.raises(IdempotencyConflictError):
        services.escalations.hand_off(other, idempotency_key="k-1")
    # Keys are each person's own: Bob's k-1 is another ticket.
    bobs, _ = services.escalations.hand_off(
        NewTicket("learning_ops", "Budget exception", "Above the limit", None, "bob"),
        idempotency_key="k-1",
    )
    assert bobs.id != first.id


def test_a_conversation_has_one_ticket_per_route_whatever_its_wording(
    services: Services,
) -> None:
    conversation = services.chat.chat("How long should a brown-bag be?", owner="alice")
    cid = conversation.conversation_id
    first, _ = services.escalations.hand_off(
        NewTicket("learning_ops", "A longer brown-bag", "Exception", cid, "alice")
    )
    reworded, opened = services.escalations.hand_off(
        NewTicket("learning_ops", "Please allow 90 minutes", "Needs approval", cid, "alice")
    )
    assert (reworded.id, opened) == (first.id, False)
    to_hr, opened = services.escalations.hand_off(
        NewTicket("hr", "A contract question", "HR matter", cid, "alice")
    )
    assert opened
    assert to_hr.id != first.id
    with pytest.raises(UnknownConversationError):
        services.escalations.hand_off(NewTicket("learning_ops", "Mine", "Now", cid, "bob"))


def test_outside_a_conversation_the_same_request_is_the_same_ticket(services: Services) -> None:
    def hand_off(summary: str) -> tuple[str, bool]:
        ticket, opened = services.escalations.hand_off(
            NewTicket("learning_ops", summary, "Needs a person", None, "alice")
        )
        return ticket.id, opened

    first, opened = hand_off("A room for 80 people")
    assert opened
    assert hand_off("A room for 80 people") == (first, False)
    other, opened = hand_off("A room for 90 people")
    assert opened
    assert other != first
