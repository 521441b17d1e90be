"""Numbers read from free text get the REST schema's bounds: clamped, and the answer says so."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from api.schemas import LearningPlanCreate, SessionPlanCreate
from coach.bounds import (
    MAX_AUDIENCE,
    MAX_DURATION_MINUTES,
    MAX_WEEKS,
    clamp_audience,
    clamp_weeks,
    read_number,
)
from coach.chat import ChatService
from coach.core import CoachCore
from coach.flows.coaching import learning_request
from coach.flows.requests import clamp_notes, parse_request
from tests.fakes import MemoryConversationLog, MemoryTicketDesk


@pytest.fixture
def service(make_core: Callable[[], CoachCore]) -> ChatService:
    core = make_core()
    return ChatService(
        retriever=core.retriever,
        chat_model=core.chat_model,
        router=core.router,
        coaching=core.coaching,
        conversations=MemoryConversationLog(),
        tickets=MemoryTicketDesk(),
    )


def test_the_rest_schemas_use_the_same_bounds() -> None:
    learning = LearningPlanCreate.model_json_schema()["properties"]["weeks"]["anyOf"][0]
    assert learning["maximum"] == MAX_WEEKS
    session = SessionPlanCreate.model_json_schema()["properties"]
    assert session["audience_size"]["anyOf"][0]["maximum"] == MAX_AUDIENCE
    assert session["duration_minutes"]["anyOf"][0]["maximum"] == MAX_DURATION_MINUTES


@pytest.mark.parametrize("weeks", ["5000", "50000000", "9" * 5000])
def test_a_learning_plan_over_too_many_weeks_is_capped_and_says_so(
    service: ChatService, weeks: str
) -> None:
    reply = service.chat(f"Help me plan my learning for the next {weeks} weeks").reply
    assert reply.kind == "learning_plan"
    assert f"for {MAX_WEEKS} weeks" in reply.answer
    assert f"- Week {MAX_WEEKS}:" in reply.answer
    assert f"- Week {MAX_WEEKS + 1}:" not in reply.answer
    assert reply.answer.startswith(f"> A learning plan is capped at {MAX_WEEKS} weeks")


def test_a_session_for_too_many_people_and_hours_is_capped_and_says_so(
    make_core: Callable[[], CoachCore],
) -> None:
    # The session-plan flow itself: which turns reach it is the classifier's business.
    reply = make_core().coaching.session_plan(
        "Help me organise a brown-bag about SQL for 50000000 people lasting 90000 hours", None
    )
    assert reply.kind == "session_plan"
    assert f"The audience is capped at {MAX_AUDIENCE:g} people" in reply.answer
    request = reply.state["request"] if reply.state else {}
    assert request["audience_size"] == MAX_AUDIENCE
    assert request["duration_minutes"] == MAX_DURATION_MINUTES


def test_values_inside_the_bounds_are_read_as_written() -> None:
    assert learning_request("over 10 weeks, 1.5 hours per week") == (1.5, 10)
    assert learning_request("2 hours a week for 300 weeks") == (2.0, MAX_WEEKS)
    assert learning_request("100 hours a week") == (40.0, None)
    request = parse_request("a workshop for 40 people lasting 90 minutes")
    assert (request.audience_size, request.duration_minutes) == (40, 90)
    assert clamp_notes("a workshop for 40 people lasting 90 minutes") == []


def test_clamping_reports_what_changed() -> None:
    assert clamp_weeks(0).value == 1
    assert clamp_weeks(0).note == "A learning plan is at least 1 weeks; planned with 1."
    assert clamp_audience(12).note is None
    assert read_number("1" * 4400) == 10**12  # never int() of thousands of digits
    assert read_number("2.5") == 2.5
