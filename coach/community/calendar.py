"""A tracked session's calendar invitation: the event on its date, with an alarm (VALARM) on the
morning each lead time falls due, as the reminders do. Its uid is the session's, so importing
it again after the date changes moves the event rather than adding one."""

from __future__ import annotations

import datetime as dt

from coach.community.errors import InvalidInputError
from coach.community.records import TrackedSession
from coach.community.tasks import due_date
from coach.flows.export import DEFAULT_START, REMINDER_TIME
from coach.flows.session_plan import WORKING_WEEK


def session_ics(
    session: TrackedSession,
    *,
    working_week: tuple[int, ...] = WORKING_WEEK,
    stamp: dt.datetime | None = None,
) -> bytes:
    from icalendar import Alarm, Calendar, Event

    if session.date is None:
        raise InvalidInputError("Give the session a date first: an invitation needs one.")
    begins = dt.datetime.combine(session.date, DEFAULT_START)
    calendar = Calendar()
    calendar.add("prodid", "-//Learning Ops Coach//Sessions//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{session.id}@learning-ops-coach")
    event.add("summary", session.title)
    event.add("dtstart", begins)
    event.add("dtend", begins + dt.timedelta(minutes=session.duration_minutes))
    event.add("dtstamp", stamp or dt.datetime.now(dt.UTC))
    event.add("description", str(session.plan.get("promotion", "")) or session.title)
    for lead in session.lead_times:
        due = due_date(session.date, lead, working_week)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{session.title}: {lead.text}")
        alarm.add("trigger", dt.datetime.combine(due, REMINDER_TIME) - begins)
        event.add_component(alarm)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
