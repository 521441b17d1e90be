"""The calendar invitation carries an alarm for every lead time of the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from coach.community.errors import InvalidInputError, NotFoundError
from coach.flows.export import session_plan_ics
from tests.unit.community.conftest import ALICE, BRUNO, CHIDI, DARIA, World, sample_plan

STAMP = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)


def test_every_lead_time_is_an_alarm_on_the_morning_it_falls_due() -> None:
    plan = sample_plan(date=dt.date(2027, 4, 1))

    calendar = Calendar.from_ical(session_plan_ics(plan, uid="s1@test", stamp=STAMP))

    event = calendar.walk("VEVENT")[0]
    alarms = event.walk("VALARM")
    start = event.decoded("dtstart")
    assert [start + a.decoded("trigger") for a in alarms] == [
        dt.datetime(2027, 3, 18, 9),  # ten working days before
        dt.datetime(2027, 3, 25, 9),  # a week before
    ]
    assert [str(a["action"]) for a in alarms] == ["DISPLAY", "DISPLAY"]
    assert str(alarms[1]["description"]) == "Topic: a talk: Announce it at least 1 week before."


def test_working_days_follow_the_organisation_s_week() -> None:
    plan = sample_plan(date=dt.date(2027, 4, 1))
    four_days = (0, 1, 2, 3)

    calendar = Calendar.from_ical(session_plan_ics(plan, working_week=four_days))

    event = calendar.walk("VEVENT")[0]
    first = event.decoded("dtstart") + event.walk("VALARM")[0].decoded("trigger")
    assert first == dt.datetime(2027, 3, 16, 9)  # ten Monday-to-Thursday days back


def test_a_plan_without_lead_times_has_no_alarm_and_the_file_is_reproducible() -> None:
    plan = sample_plan(date=dt.date(2027, 4, 1), rules=[])

    first = session_plan_ics(plan, uid="s1@test", stamp=STAMP)

    assert b"VALARM" not in first
    assert first == session_plan_ics(plan, uid="s1@test", stamp=STAMP)


def test_a_scheduled_session_s_invitation_alarms_on_each_lead_time(world: World) -> None:
    world.registry.register(ALICE, "pottery", "learn", "named")
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "clay", "share")
    session = world.planning.draft_from_topic(ALICE, world.board.topics()[0].id)
    with pytest.raises(InvalidInputError):
        world.planning.calendar(BRUNO, session.id)
    world.planning.schedule(ALICE, session.id, dt.date(2027, 4, 1))

    calendar = Calendar.from_ical(world.planning.calendar(BRUNO, session.id))

    event = calendar.walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert str(event["uid"]) == f"{session.id}@learning-ops-coach"
    assert [start + a.decoded("trigger") for a in event.walk("VALARM")] == [
        dt.datetime(2027, 3, 18, 9),  # ten working days before
        dt.datetime(2027, 3, 25, 9),  # a week before
    ]
    with pytest.raises(NotFoundError):
        world.planning.calendar(DARIA, session.id)
