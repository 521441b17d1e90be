"""Learning plans, followed through: the person checks in on each week's milestone (done, moved
to a later week, dropped); when they come back, the coach picks up where the plan stands and
lays out the next weeks from there (missed milestones carried forward, moved ones where they
were moved), rather than drafting a new plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coach.community.errors import InvalidInputError, NotFoundError
from coach.community.people import Caller, require_person
from coach.community.ports import CheckInStore, Clock, LearningPlanSource
from coach.community.records import (
    CheckIn,
    CheckInStatus,
    Milestone,
    TrackedLearningPlan,
)

NEXT_WEEKS = 4
STATUSES: tuple[CheckInStatus, ...] = ("done", "moved", "dropped")


@dataclass(frozen=True)
class WeekStep:
    week: int
    focus: str
    planned_for: int  # the week the plan first had it in


@dataclass(frozen=True)
class PlanStanding:
    plan_id: str
    goal: str
    week: int  # where the plan is now (1 = its first week)
    weeks: int  # as planned
    done: tuple[int, ...]
    dropped: tuple[int, ...]
    moved: tuple[tuple[int, int], ...]  # (from week, to week)
    missed: tuple[int, ...]  # past weeks without a check-in, carried forward
    ends_in_week: int
    next_weeks: tuple[WeekStep, ...]

    @property
    def finished(self) -> bool:
        return not self.next_weeks


def tracked_plan(
    plan_id: str, owner: str, started_on: dt.date, plan: Mapping[str, Any]
) -> TrackedLearningPlan:
    """A saved learning plan (coach.flows.learning_plan.LearningPlan.to_json()) as check-ins
    read it."""
    milestones = tuple(
        Milestone(int(m["week"]), str(m["focus"])) for m in plan.get("milestones", [])
    )
    return TrackedLearningPlan(
        id=plan_id,
        owner=owner,
        goal=str(plan.get("goal", "")),
        started_on=started_on,
        weeks=int(plan.get("weeks", len(milestones))),
        milestones=milestones,
        hours_per_week=float(plan.get("hours_per_week", 0.0)),
    )


def standing(
    plan: TrackedLearningPlan, check_ins: Sequence[CheckIn], today: dt.date
) -> PlanStanding:
    """Where the plan stands today and its next weeks (the last check-in of a week counts)."""
    week = max(1, (today - plan.started_on).days // 7 + 1)
    latest = {c.week: c for c in sorted(check_ins, key=lambda c: c.at)}
    done = tuple(sorted(w for w, c in latest.items() if c.status == "done"))
    dropped = tuple(sorted(w for w, c in latest.items() if c.status == "dropped"))
    moved = {w: c.to_week or w for w, c in latest.items() if c.status == "moved"}
    open_ = [m for m in plan.milestones if m.week not in done and m.week not in dropped]
    missed = tuple(m.week for m in open_ if m.week < week and m.week not in moved)
    # Each open milestone is due from its week (or the week it was moved to, or now, when
    # missed); one a week, in that order, from this week on.
    due_from = {m.week: max(week, moved.get(m.week, m.week)) for m in open_}
    steps, next_free = [], week
    for milestone in sorted(open_, key=lambda m: (due_from[m.week], m.week)):
        slot = max(next_free, due_from[milestone.week])
        steps.append(WeekStep(slot, milestone.focus, milestone.week))
        next_free = slot + 1
    return PlanStanding(
        plan_id=plan.id,
        goal=plan.goal,
        week=week,
        weeks=plan.weeks,
        done=done,
        dropped=dropped,
        moved=tuple(sorted(moved.items())),
        missed=missed,
        ends_in_week=steps[-1].week if steps else min(week, plan.weeks),
        next_weeks=tuple(steps[:NEXT_WEEKS]),
    )


def standing_markdown(s: PlanStanding) -> str:
    """Where the plan stands, as the coach says it when the person comes back."""
    counts = f"{len(s.done)} done, {len(s.moved)} moved, {len(s.dropped)} dropped"
    lines = [f"# Where your plan stands: {s.goal}", "", f"Week {s.week} of {s.weeks}: {counts}."]
    if s.missed:
        weeks = ", ".join(str(w) for w in s.missed)
        lines.append(f"Not checked in: week {weeks}, carried forward.")
    if (late := s.ends_in_week - s.weeks) > 0:
        lines.append(f"At this pace it ends in week {s.ends_in_week}, {late} later than planned.")
    if s.finished:
        return "\n".join([*lines, "", "Nothing left to do: the plan is complete."]) + "\n"
    lines += ["", "## The next weeks", ""]
    for step in s.next_weeks:
        moved = f" (from week {step.planned_for})" if step.planned_for != step.week else ""
        lines.append(f"- Week {step.week}: {step.focus}{moved}")
    return "\n".join(lines) + "\n"


class CheckInService:
    def __init__(self, plans: LearningPlanSource, check_ins: CheckInStore, clock: Clock) -> None:
        self._plans = plans
        self._check_ins = check_ins
        self._clock = clock

    def check_in(
        self,
        caller: Caller,
        plan_id: str,
        week: int,
        status: CheckInStatus,
        *,
        to_week: int | None = None,
        note: str = "",
    ) -> PlanStanding:
        """Record how a week's milestone went; where the plan stands now."""
        plan = self._own(caller, plan_id)
        if status not in STATUSES:
            raise InvalidInputError("A milestone is done, moved or dropped.")
        if not any(m.week == week for m in plan.milestones):
            raise InvalidInputError(f"The plan has no milestone in week {week}.")
        if status == "moved" and (to_week is None or to_week <= week or to_week > plan.weeks * 2):
            raise InvalidInputError(
                "Move a milestone to a later week (at most twice the plan's length)."
            )
        self._check_ins.add(
            CheckIn(
                plan.id,
                week,
                status,
                self._clock.now(),
                to_week if status == "moved" else None,
                note.strip()[:500],
            )
        )
        return self.standing(caller, plan_id)

    def standing(self, caller: Caller, plan_id: str) -> PlanStanding:
        plan = self._own(caller, plan_id)
        return standing(plan, self._check_ins.of_plan(plan.id), self._clock.now().date())

    def resume(self, caller: Caller) -> PlanStanding | None:
        """The caller's latest plan still under way, as it stands (None when there is none)."""
        require_person(caller)
        for plan in self._plans.of_owner(caller.id):
            current = standing(plan, self._check_ins.of_plan(plan.id), self._clock.now().date())
            if not current.finished:
                return current
        return None

    def _own(self, caller: Caller, plan_id: str) -> TrackedLearningPlan:
        require_person(caller)
        plan = self._plans.get(plan_id)
        if plan is None or plan.owner != caller.id:
            raise NotFoundError("No such plan of yours.")
        return plan
