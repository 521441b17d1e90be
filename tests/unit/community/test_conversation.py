"""The community in the conversation: explicit words register an interest (a learning plan
does not), notices wait for the next visit, the debrief is four questions, and a plan under way
is picked up where it stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from coach.chat import ChatService
from coach.community.checkins import CheckInService, tracked_plan
from coach.community.conversation import CommunityTurns, explicit_interest, goal_topic
from coach.community.debriefs import DebriefService
from coach.core import CoachCore
from tests.community_fakes import (
    FakeExamples,
    FakeLibrary,
    MemoryCheckIns,
    MemoryDrafts,
    MemoryLearningPlans,
)
from tests.fakes import MemoryConversationLog, MemoryTicketDesk
from tests.unit.community.conftest import ALICE, BRUNO, CHIDI, TODAY, WIDGET, World, sample_plan

PLAN_REQUEST = "Make me a learning plan for pottery for the next weeks"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Add me to the people interested in pottery, please", ("pottery", "learn", "anonymous")),
        ("please register my interest in wheel throwing", ("wheel throwing", "learn", "anonymous")),
        ("Put me on the list for glazing and show my name", ("glazing", "learn", "named")),
        ("I could share about clay tools.", ("clay tools", "share", "anonymous")),
        (
            "add me as someone who can teach ceramics, you can name me",
            ("ceramics", "share", "named"),
        ),
    ],
)
def test_explicit_words_state_an_interest(message: str, expected: tuple[str, str, str]) -> None:
    assert explicit_interest(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        PLAN_REQUEST,
        "I want to learn pottery in six weeks, two hours a week",
        "I could give a talk on pottery next month, help me plan it",
        "Who has hosted something about ceramics?",
    ],
)
def test_other_requests_are_not_an_interest(message: str) -> None:
    assert explicit_interest(message) is None


def test_a_learning_goal_is_offered_as_its_topic() -> None:
    assert goal_topic(PLAN_REQUEST) == "pottery"
    assert goal_topic("I want to learn pottery in six weeks") == "pottery"
    assert goal_topic("Help me plan my learning") == "Help me plan my learning"


@pytest.fixture
def check_ins(world: World) -> CheckInService:
    return CheckInService(MemoryLearningPlans(), MemoryCheckIns(), world.clock)


@pytest.fixture
def debriefs(world: World) -> DebriefService:
    return DebriefService(
        world.sessions, MemoryDrafts(), world.notices, FakeExamples(), FakeLibrary(),
        world.clock, world.ids,
    )  # fmt: skip


@pytest.fixture
def chat(
    make_core: Callable[[], CoachCore],
    world: World,
    check_ins: CheckInService,
    debriefs: DebriefService,
) -> ChatService:
    core = make_core()
    return ChatService(
        retriever=core.retriever,
        chat_model=core.chat_model,
        router=core.router,
        coaching=core.coaching,
        conversations=MemoryConversationLog(),
        tickets=MemoryTicketDesk(),
        min_answer_similarity=0.2,
        min_answer_standout=0.0,
        community=CommunityTurns(world.registry, world.inbox, debriefs, check_ins),
    )


def test_asking_in_the_chat_registers_the_interest(chat: ChatService, world: World) -> None:
    reply = chat.chat("Add me to the people interested in pottery", caller=ALICE).reply

    assert reply.kind == "interest"
    assert reply.answer.startswith("Done: I've noted that you want to learn about “pottery”.")
    assert [(i.person, i.text) for i in world.interests.all()] == [("alice", "pottery")]


def test_a_shared_key_is_told_it_cannot_register_an_interest(
    chat: ChatService, world: World
) -> None:
    for caller in (WIDGET, None):
        reply = chat.chat("Add me to the people interested in pottery", caller=caller).reply
        assert reply.kind == "interest"
        assert "shared key" in reply.answer
    assert world.interests.all() == []


def test_a_learning_plan_is_not_an_interest_until_the_offer_is_accepted(
    chat: ChatService, world: World
) -> None:
    first = chat.chat(PLAN_REQUEST, caller=ALICE)
    assert first.reply.kind == "learning_plan"
    assert "add you to the people interested in “pottery”" in first.reply.answer
    assert world.interests.all() == []

    chat.chat("yes please", first.conversation_id, caller=ALICE)

    assert [(i.text, i.direction, i.visibility) for i in world.interests.all()] == [
        ("pottery", "learn", "anonymous")
    ]


def test_notices_waiting_are_shown_when_a_conversation_starts(
    chat: ChatService, world: World
) -> None:
    world.registry.register(ALICE, "pottery", "learn")
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "clay", "learn")

    outcome = chat.chat("Tell me a joke", caller=BRUNO)
    again = chat.chat("Tell me a joke", caller=BRUNO)

    assert outcome.reply.answer.startswith("> 2 other people want to learn or share about")
    assert not again.reply.answer.startswith(">")


def test_the_debrief_is_four_questions_then_a_drafted_note(chat: ChatService, world: World) -> None:
    session = world.planning.track(ALICE, sample_plan(topic="clay", date=TODAY))
    world.clock.advance(days=1)

    asked = chat.chat("debrief", caller=ALICE)
    conversation = asked.conversation_id
    answers = ["twelve", "the demo", "start earlier", "4.5"]
    replies = [chat.chat(a, conversation, caller=ALICE).reply for a in answers]

    assert asked.reply.answer == (
        "Let's write up “Topic: a talk”. How many people came? List who, too, if you like."
    )
    assert [r.answer for r in replies[:3]] == [
        "What worked well?",
        "What would you change next time?",
        "What was the feedback score, out of 5? (Say “none” if there was none.)",
    ]
    assert "attendees: 12\nfeedback_score: 4.5\n" in replies[3].answer
    assert world.sessions.get(session.id).debriefed  # type: ignore[union-attr]


def test_coming_back_to_a_plan_under_way_picks_it_up_where_it_stands(
    make_core: Callable[[], CoachCore], world: World, debriefs: DebriefService
) -> None:
    saved = {"goal": "pottery", "weeks": 4, "milestones": [{"week": 1, "focus": "Clay"}]}
    plans = MemoryLearningPlans(tracked_plan("lp1", "alice", TODAY - dt.timedelta(days=3), saved))
    check_ins = CheckInService(plans, MemoryCheckIns(), world.clock)
    core = make_core()
    chat = ChatService(
        retriever=core.retriever, chat_model=core.chat_model, router=core.router,
        coaching=core.coaching, conversations=MemoryConversationLog(),
        tickets=MemoryTicketDesk(), min_answer_similarity=0.2, min_answer_standout=0.0,
        community=CommunityTurns(world.registry, world.inbox, debriefs, check_ins),
    )  # fmt: skip

    reply = chat.chat(PLAN_REQUEST, caller=ALICE).reply
    someone_else = chat.chat(PLAN_REQUEST, caller=BRUNO).reply

    assert reply.answer.startswith("# Where your plan stands: pottery\n\nWeek 1 of 4:")
    assert "- Week 1: Clay" in reply.answer
    assert someone_else.answer.startswith("# Learning plan")
