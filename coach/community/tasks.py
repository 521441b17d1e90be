"""A session plan's follow-through: its lead times (the rules that say how long before the date
something is due) and the tasks its organiser ticks off, dated once the session has a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from coach.community.records import LeadTime, Task
from coach.flows.session_plan import WORKING_WEEK, SessionPlan, add, lead_time_rules, subtract


def lead_times_of(plan: SessionPlan) -> tuple[LeadTime, ...]:
    """Every lead time the plan's rules state, once each (the same as its calendar alarms)."""
    return tuple(
        LeadTime(r.text, float(r.value or 0), r.unit or "day", r.source)
        for r in lead_time_rules(plan)
    )


def tasks_of(plan: SessionPlan, lead_times: Sequence[LeadTime]) -> tuple[Task, ...]:
    """One task per lead time, then one per follow-up the plan lists."""
    before = [Task(f"lead-{i}", lead.text, lead=i) for i, lead in enumerate(lead_times)]
    after = [Task(f"after-{i}", text) for i, text in enumerate(dict.fromkeys(plan.follow_up))]
    return (*before, *after)


def due_date(date: dt.date, lead: LeadTime, week: tuple[int, ...] = WORKING_WEEK) -> dt.date:
    """When a lead time falls due for a session on `date` (working days skip the days outside
    the organisation's working week)."""
    return subtract(date, lead.amount, lead.unit, week)


def dated(
    tasks: Sequence[Task],
    lead_times: Sequence[LeadTime],
    date: dt.date | None,
    week: tuple[int, ...] = WORKING_WEEK,
) -> tuple[Task, ...]:
    """The tasks with their due dates for a session on `date` (none without a date): a lead
    time's task by its lead time, a follow-up the next working day."""
    if date is None:
        return tuple(replace(task, due=None) for task in tasks)
    following = add(date, 1, "working day", week)
    return tuple(
        replace(
            task,
            due=due_date(date, lead_times[task.lead], week) if task.lead is not None else following,
        )
        for task in tasks
    )
