"""Session plans and personal learning plans: drafted from the playbooks, saved with their
Markdown (and calendar invitation), and read back by whoever may see them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol, TypeVar

from coach.community.people import Caller
from coach.flows.coaching import Coaching
from coach.flows.export import session_plan_ics, session_plan_markdown
from coach.flows.learning_plan import learning_plan_markdown
from coach.flows.requests import SessionRequest, clamp_notes
from coach.flows.session_plan import SessionPlan
from coach.ports import PlanStore
from coach.records import SavedLearningPlan, SavedSessionPlan
from coach.services.access import Principal

Saved = TypeVar("Saved", SavedSessionPlan, SavedLearningPlan)


def _visible(record: Saved | None, viewer: Principal) -> Saved | None:
    """Anyone sees their own plans; Learning Ops see all."""
    if record is not None and (viewer.is_learning_ops or record.owner == viewer.user):
        return record
    return None


class SessionTracker(Protocol):
    """Follows a drafted session plan through (coach.community.sessions.SessionService)."""

    def track(self, caller: Caller, plan: SessionPlan) -> object: ...


class Plans:
    def __init__(
        self, store: PlanStore, coaching: Coaching, tracker: SessionTracker | None = None
    ) -> None:
        self._store = store
        self._coaching = coaching
        self._tracker = tracker

    def formats(self) -> list[str]:
        """The session formats the playbooks describe, sorted."""
        return sorted(self._coaching.sessions.known_formats())

    def read_request(
        self, text: str, explicit: Mapping[str, Any] | None = None
    ) -> tuple[SessionRequest, list[str]]:
        """What a written request asks for (read offline, or by the model server when one is
        configured), with the `explicit` fields replacing what was read from it; and notes on
        the numbers read out of bounds (clamped, see coach.bounds)."""
        request = self._coaching.sessions.read(text)
        return replace(request, **(explicit or {})), clamp_notes(text)

    def draft_session_plan(
        self,
        request: SessionRequest,
        *,
        owner: str,
        conversation_id: str | None = None,
        notes: Sequence[str] = (),
        organiser: Caller | None = None,
    ) -> SavedSessionPlan:
        """Plan the session from its format's playbook and similar past sessions, with `notes`
        first among its adjustments, and save it (UnknownConversationError when
        `conversation_id` is not the owner's). A person's plan is followed through too: its
        lead times become tasks they tick off and reminders on the days they fall due."""
        plan = self._coaching.sessions.plan(request)
        if notes:
            plan = replace(plan, adjustments=[*notes, *plan.adjustments])
        saved = self._store.save_session_plan(
            request=request.to_json(),
            plan=plan.to_json(),
            sources=plan.sources,
            markdown=session_plan_markdown(plan),
            ics=session_plan_ics(plan).decode() if plan.date else None,
            conversation_id=conversation_id,
            owner=owner,
        )
        if self._tracker is not None and organiser is not None and organiser.is_person:
            self._tracker.track(organiser, plan)
        return saved

    def draft_learning_plan(
        self,
        goal: str,
        hours_per_week: float | None,
        weeks: int | None,
        *,
        owner: str,
        conversation_id: str | None = None,
    ) -> SavedLearningPlan:
        """Plan the goal for the time available and save it."""
        plan = self._coaching.learning.plan(goal, hours_per_week, weeks)
        return self._store.save_learning_plan(
            goal=goal,
            plan=plan.to_json(),
            sources=list({r.source: r for r in plan.resources}.values()),
            markdown=learning_plan_markdown(plan),
            conversation_id=conversation_id,
            owner=owner,
        )

    def session_plan(self, plan_id: str, viewer: Principal) -> SavedSessionPlan | None:
        return _visible(self._store.session_plan(plan_id), viewer)

    def learning_plan(self, plan_id: str, viewer: Principal) -> SavedLearningPlan | None:
        return _visible(self._store.learning_plan(plan_id), viewer)

    def learning_plans_of(self, owner: str, limit: int = 50) -> list[SavedLearningPlan]:
        return self._store.learning_plans_of(owner, limit)
