"""One step from a topic to a drafted session plan; invitations name only those who chose to
be named; everyone interested is told; reminders and debrief prompts fall due once each."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.community.errors import InvalidInputError, NotFoundError
from coach.community.records import TrackedSession
from coach.community.reminders import DEBRIEF_DAYS, due
from tests.unit.community.conftest import ALICE, BRUNO, CHIDI, DARIA, OLGA, TODAY, World


def _topic_of_three(world: World) -> str:
    world.registry.register(ALICE, "I'd like to learn about pottery", "learn", "named")
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "I can teach clay", "share")
    return world.board.topics()[0].id


def test_one_action_turns_a_topic_into_a_drafted_plan_its_members_see(world: World) -> None:
    topic_id = _topic_of_three(world)

    session = world.planning.draft_from_topic(ALICE, topic_id)

    request = world.drafter.requests[0]
    assert (request.topic, request.audience_size) == ("pottery", 3)
    assert (session.organiser, session.topic_id, len(session.interest_ids)) == (
        "alice",
        topic_id,
        3,
    )
    assert [t.id for t in session.tasks] == ["lead-0", "lead-1", "after-0"]
    for person in (BRUNO, CHIDI):
        assert [s.id for s in world.planning.of(person)] == [session.id]
        assert world.planning.view(person, session.id).session == session
        assert world.notices.texts(person.id)[-1] == (
            "A session is being planned from what you registered: “pottery: a session”."
        )
    assert world.board.topics() == []  # its interests became the session


def test_the_invitation_names_only_who_chose_to_be_named(world: World) -> None:
    session = world.planning.draft_from_topic(ALICE, _topic_of_three(world))

    invitation = world.planning.view(BRUNO, session.id).invitation

    assert (invitation.named, invitation.others) == (("Alice Moreau",), 2)


def test_someone_outside_the_topic_cannot_draft_or_see_its_session(world: World) -> None:
    topic_id = _topic_of_three(world)
    with pytest.raises(NotFoundError):
        world.planning.draft_from_topic(DARIA, topic_id)
    session = world.planning.draft_from_topic(OLGA, topic_id)
    with pytest.raises(NotFoundError):
        world.planning.view(DARIA, session.id)
    with pytest.raises(NotFoundError):
        world.planning.schedule(BRUNO, session.id, TODAY + dt.timedelta(days=30))


def test_private_words_need_the_topic_named_when_learning_ops_drafts(world: World) -> None:
    world.registry.register(ALICE, "pottery", "learn")
    topic_id = world.board.topics()[0].id

    with pytest.raises(InvalidInputError):
        world.planning.draft_from_topic(OLGA, topic_id)
    with pytest.raises(NotFoundError):
        world.planning.draft_from_topic(OLGA, "topic-unknown")


def test_everyone_interested_is_told_when_it_is_scheduled(world: World) -> None:
    session = world.planning.draft_from_topic(ALICE, _topic_of_three(world))
    date = dt.date(2027, 4, 1)

    scheduled = world.planning.schedule(ALICE, session.id, date)

    assert scheduled.date == date
    told = {n.recipient for n in world.notices.items if n.kind == "scheduled"}
    assert told == {"alice", "bruno", "chidi"}
    assert world.notices.texts("chidi")[-1] == (
        "“pottery: a session” is scheduled for Thu 01 Apr 2027."
    )
    assert [t.due for t in scheduled.tasks] == [
        dt.date(2027, 3, 18),  # ten working days before
        dt.date(2027, 3, 25),  # a week before
        dt.date(2027, 4, 2),  # follow-up: the next working day
    ]


def test_a_date_in_the_past_is_refused(world: World) -> None:
    session = world.planning.draft_from_topic(ALICE, _topic_of_three(world))
    with pytest.raises(InvalidInputError):
        world.planning.schedule(ALICE, session.id, TODAY - dt.timedelta(days=1))


def test_the_organiser_ticks_tasks_off(world: World) -> None:
    session = world.planning.draft_from_topic(ALICE, _topic_of_three(world))

    ticked = world.planning.tick(ALICE, session.id, "lead-1")
    unticked = world.planning.tick(ALICE, session.id, "lead-1", done=False)

    assert [t.done for t in ticked.tasks] == [False, True, False]
    assert [t.done for t in unticked.tasks] == [False, False, False]
    with pytest.raises(NotFoundError):
        world.planning.tick(BRUNO, session.id, "lead-0")
    with pytest.raises(NotFoundError):
        world.planning.tick(ALICE, session.id, "no-such-task")


def _scheduled(world: World, date: dt.date) -> TrackedSession:
    session = world.planning.draft_from_topic(ALICE, _topic_of_three(world))
    return world.planning.schedule(ALICE, session.id, date)


def test_every_lead_time_becomes_a_reminder_on_the_day_it_falls_due(world: World) -> None:
    session = _scheduled(world, dt.date(2027, 4, 1))

    def on(day: dt.date) -> list[str]:
        return [d.key for d in due(day, [session])]

    assert on(dt.date(2027, 3, 17)) == []
    assert on(dt.date(2027, 3, 18)) == [f"reminder:{session.id}:0:2027-04-01"]
    assert on(dt.date(2027, 3, 25)) == [
        f"reminder:{session.id}:0:2027-04-01",
        f"reminder:{session.id}:1:2027-04-01",
    ]
    assert on(dt.date(2027, 4, 2)) == [f"debrief:{session.id}:2027-04-01"]
    assert on(dt.date(2027, 4, 1) + dt.timedelta(days=DEBRIEF_DAYS + 1)) == []


def test_a_ticked_task_is_not_reminded_and_a_debriefed_session_not_asked(world: World) -> None:
    session = _scheduled(world, dt.date(2027, 4, 1))
    session = world.planning.tick(ALICE, session.id, "lead-0")

    assert due(dt.date(2027, 3, 19), [session]) == []
    assert due(dt.date(2027, 4, 3), [_debriefed(session)]) == []


def _debriefed(session: TrackedSession) -> TrackedSession:
    from dataclasses import replace

    return replace(session, debriefed=True)


def test_what_falls_due_is_sent_once_however_often_the_scheduler_runs(world: World) -> None:
    session = _scheduled(world, dt.date(2027, 4, 1))
    world.clock.set_date(dt.date(2027, 3, 25))

    first = world.reminders.send_due()
    second = world.reminders.send_due()
    world.clock.set_date(dt.date(2027, 4, 2))
    debrief = world.reminders.send_due()

    assert [(n.recipient, n.kind) for n in first] == [("alice", "reminder"), ("alice", "reminder")]
    assert first[1].text == (
        "Due Thu 25 Mar 2027 for “pottery: a session” (01 Apr): Announce it at least 1 week before."
    )
    assert second == []
    assert [(n.recipient, n.kind, n.session_id) for n in debrief] == [
        ("alice", "debrief", session.id)
    ]


def test_moving_the_date_brings_new_reminders(world: World) -> None:
    session = _scheduled(world, dt.date(2027, 4, 1))
    world.clock.set_date(dt.date(2027, 3, 25))
    world.reminders.send_due()

    world.planning.schedule(ALICE, session.id, dt.date(2027, 4, 8))
    world.clock.set_date(dt.date(2027, 4, 1))

    assert [n.key for n in world.reminders.send_due()] == [
        f"reminder:{session.id}:0:2027-04-08",
        f"reminder:{session.id}:1:2027-04-08",
    ]


def test_a_lead_time_already_past_when_scheduled_is_due_at_once(world: World) -> None:
    session = _scheduled(world, dt.date(2027, 3, 10))

    # Ten working days before was 24 Feb; a week before is still to come (3 Mar).
    assert [d.key for d in due(TODAY, [session])] == [f"reminder:{session.id}:0:2027-03-10"]


def test_any_session_plan_can_be_followed_through(world: World) -> None:
    from tests.unit.community.conftest import sample_plan

    session = world.planning.track(DARIA, sample_plan(date=dt.date(2027, 5, 3)))

    assert (session.organiser, session.interest_ids) == ("daria", ())
    assert [t.due for t in session.tasks][:2] == [dt.date(2027, 4, 19), dt.date(2027, 4, 26)]
    assert world.planning.of(DARIA) == [session]


def test_the_inbox_shows_new_notices_once_on_arrival(world: World) -> None:
    _topic_of_three(world)

    arrived = world.inbox.on_arrival(BRUNO)

    assert [n.kind for n in arrived] == ["topic"]
    assert world.inbox.on_arrival(BRUNO) == []
    assert world.inbox.unread_count(ALICE) == 1
    assert [n.read_at is not None for n in world.inbox.notices(BRUNO)] == [True]
    assert world.inbox.mark_read(ALICE, [arrived[0].id]) == 0  # not hers
