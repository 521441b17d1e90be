"""Plans as Markdown documents and as an .ics calendar invitation."""

from __future__ import annotations

import datetime as dt
import uuid

from coach.flows.session_plan import WORKING_WEEK, SessionPlan, lead_time_rules, subtract

DEFAULT_START = dt.time(12, 0)
# When a lead time's reminder goes off on the day it falls due.
REMINDER_TIME = dt.time(9, 0)


def session_plan_markdown(plan: SessionPlan) -> str:
    when = plan.date.isoformat() if plan.date else "date to be set"
    mode = "hybrid" if plan.hybrid else "in person"
    lines = [
        f"# {plan.title}",
        "",
        f"**Format:** {plan.format} · **Length:** {plan.duration_minutes} minutes · "
        f"**Audience:** {plan.audience_size} people ({mode}) · **Date:** {when}",
        "",
    ]
    if plan.adjustments or plan.assumptions:
        lines += ["## Adjusted to the rules", ""] if plan.adjustments else []
        lines += [f"- {a}" for a in plan.adjustments]
        lines += (["", "## Assumptions", ""] if plan.assumptions else []) + [
            f"- {a}" for a in plan.assumptions
        ]
        lines.append("")
    lines += ["## Objectives", ""] + [f"- {o}" for o in plan.objectives] + [""]
    lines += ["## Agenda", "", "| Minutes | Activity |", "| ---: | --- |"]
    lines += [f"| {item.minutes} | {item.activity} |" for item in plan.agenda]
    lines += [f"| **{plan.duration_minutes}** | **Total** |", ""]
    lines += ["## Logistics", ""] + [f"- {item}" for item in plan.logistics] + [""]
    lines += ["## Rules that apply", ""]
    lines += [
        f"- {r.text} — *{r.title}* (`{r.source}`)" for r in {r.text: r for r in plan.rules}.values()
    ]
    lines += ["", "## Invitation text", "", f"> {plan.promotion}", ""]
    lines += ["## Follow-up", ""] + [f"- {f}" for f in plan.follow_up]
    lines += ["- Share the slides, notes and any recording link with attendees.", ""]
    if plan.similar_sessions:
        lines += ["## Similar past sessions", ""]
        lines += [f"- {s.describe()}" for s in plan.similar_sessions]
        lines.append("")
    return "\n".join(lines)


def session_plan_ics(
    plan: SessionPlan,
    start: dt.time = DEFAULT_START,
    *,
    working_week: tuple[int, ...] = WORKING_WEEK,
    uid: str | None = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """A calendar invitation for the session (the date is required), with an alarm (VALARM)
    for every lead time of the plan at REMINDER_TIME on the day it falls due. `uid` and
    `stamp` make the file reproducible (a new uid and the current time otherwise)."""
    from icalendar import Alarm, Calendar, Event

    if plan.date is None:
        raise ValueError("The plan has no date yet; give one to export a calendar invitation.")
    begins = dt.datetime.combine(plan.date, start)
    calendar = Calendar()
    calendar.add("prodid", "-//Learning Ops Coach//Session plans//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", uid or f"{uuid.uuid4()}@learning-ops-coach")
    event.add("summary", plan.title)
    event.add("dtstart", begins)
    event.add("dtend", begins + dt.timedelta(minutes=plan.duration_minutes))
    event.add("dtstamp", stamp or dt.datetime.now(dt.UTC))
    agenda = "\n".join(f"{i.minutes} min — {i.activity}" for i in plan.agenda)
    event.add("description", f"{plan.promotion}\n\nAgenda:\n{agenda}")
    for rule in lead_time_rules(plan):
        due = subtract(plan.date, rule.value or 0, rule.unit or "day", working_week)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{plan.title}: {rule.text}")
        # Relative to the start, so the alarm stays right in whatever time zone the event is.
        alarm.add("trigger", dt.datetime.combine(due, REMINDER_TIME) - begins)
        event.add_component(alarm)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
