"""Session plan builder and personal learning plans, with downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import gradio as gr

from coach.bounds import (
    MAX_AUDIENCE,
    MAX_DURATION_MINUTES,
    MAX_HOURS_PER_WEEK,
    MAX_WEEKS,
    Clamped,
    clamp_audience,
    clamp_duration_minutes,
    clamp_hours_per_week,
    clamp_weeks,
)
from coach.flows.requests import SessionRequest, plausible
from coach.services import Services
from coach.services.access import caller_of
from ui.files import DownloadFolder
from ui.identity import SignIn, person
from ui.render import inert


def _number(value: float | None, clamp: Callable[[int], Clamped[int]]) -> int | None:
    """A number from a form field, inside the bounds the REST schema sets (coach.bounds)."""
    if not value:
        return None
    clamped = clamp(int(min(value, 10**9)))
    if clamped.note:
        gr.Info(clamped.note)
    return clamped.value


def _date(text: str) -> dt.date | None:
    try:
        when = dt.date.fromisoformat(text.strip()) if text.strip() else None
        if when is not None and plausible(when) is None:
            raise ValueError(text)
    except ValueError:
        raise gr.Error("Write the date as YYYY-MM-DD, e.g. 2027-03-10.") from None
    return when


class SessionPlanHandlers:
    def __init__(self, services: Services, auth: SignIn, downloads: DownloadFolder) -> None:
        self._services = services
        self._auth = auth
        self._downloads = downloads

    def draft(
        self, topic: str, format_name: str | None, audience: float | None,
        minutes: float | None, date: str, hybrid: bool, request: gr.Request,
    ) -> tuple[str, Any, Any]:  # fmt: skip
        """Draft and save a plan from the form; offer it as Markdown (and an invitation)."""
        user = person(self._auth, request)
        if not topic.strip() and not format_name:
            raise gr.Error("Give the session a topic or a format.")
        when = _date(date)
        text = f"{format_name or 'session'} about {topic.strip() or 'a topic'}"
        # Every field comes from the form (blank ones too), so nothing is read from the text.
        session_request = SessionRequest(
            request=text.strip(), topic=topic.strip() or None, format=format_name or None,
            audience_size=_number(audience, clamp_audience),
            duration_minutes=_number(minutes, clamp_duration_minutes), date=when, hybrid=hybrid,
        )  # fmt: skip
        saved = self._services.plans.draft_session_plan(
            session_request, owner=user.user, organiser=caller_of(user)
        )
        md_file = self._downloads.write("session-plan.md", saved.markdown)
        ics_file = self._downloads.write("session.ics", saved.ics) if saved.ics else None
        return (
            inert(saved.markdown),
            gr.update(value=md_file, visible=True),
            gr.update(value=ics_file, visible=saved.ics is not None),
        )


def _session_plan_form(formats: list[str]) -> list[Any]:
    """Topic, format, audience, length, date and hybrid, in that order."""
    with gr.Row():
        topic = gr.Textbox(
            label="Topic", placeholder="e.g. Kubernetes basics", elem_id="plan-topic"
        )
        format_name = gr.Dropdown(
            label="Format", choices=formats, value=None, elem_id="plan-format"
        )
    with gr.Row():
        audience = gr.Number(
            label="Audience size", precision=0, minimum=1, maximum=MAX_AUDIENCE,
            elem_id="plan-audience",
        )  # fmt: skip
        minutes = gr.Number(
            label="Length (minutes)", precision=0, minimum=5, maximum=MAX_DURATION_MINUTES,
            elem_id="plan-minutes",
        )  # fmt: skip
        date = gr.Textbox(label="Date (YYYY-MM-DD)", elem_id="plan-date")
        hybrid = gr.Checkbox(label="Hybrid (people join online)")
    return [topic, format_name, audience, minutes, date, hybrid]


def build_session_plan_tab(services: Services, auth: SignIn, downloads: DownloadFolder) -> None:
    handlers = SessionPlanHandlers(services, auth, downloads)
    form = _session_plan_form(services.plans.formats())
    build = gr.Button("Draft the plan", variant="primary", elem_id="plan-draft")
    output = gr.Markdown(elem_id="plan-output")
    with gr.Row():
        md_download = gr.File(label="Markdown", visible=False, elem_id="plan-md")
        ics_download = gr.File(label="Calendar invitation", visible=False, elem_id="plan-ics")
    gr.Markdown(
        "Refine it in the *Coach* tab by chatting, e.g. “and for 40 people?” or “make it hybrid”."
    )
    build.click(handlers.draft, form, [output, md_download, ics_download])


class LearningPlanHandlers:
    def __init__(self, services: Services, auth: SignIn, downloads: DownloadFolder) -> None:
        self._services = services
        self._auth = auth
        self._downloads = downloads

    def create(
        self, goal: str, hours: float | None, weeks: float | None, request: gr.Request
    ) -> tuple[str, Any, Any]:
        """Draft and save a plan for the goal; offer it as Markdown."""
        user = person(self._auth, request)
        if len(goal.strip()) < 3:
            raise gr.Error("Describe your goal in a few words.")
        hours_per_week = clamp_hours_per_week(min(hours, 10**6)) if hours else None
        if hours_per_week is not None and hours_per_week.note:
            gr.Info(hours_per_week.note)
        saved = self._services.plans.draft_learning_plan(
            goal,
            hours_per_week.value if hours_per_week else None,
            _number(weeks, clamp_weeks),
            owner=user.user,
        )
        return (
            inert(saved.markdown),
            gr.update(
                value=self._downloads.write("learning-plan.md", saved.markdown), visible=True
            ),
            self.saved(request),
        )

    def saved(self, request: gr.Request) -> Any:
        """The person's saved plans, for the picker."""
        rows = self._services.plans.learning_plans_of(person(self._auth, request).user)
        return gr.update(choices=[(f"{r.goal[:50]} ({r.created_at:%Y-%m-%d})", r.id) for r in rows])

    def show(self, plan_id: str | None, request: gr.Request) -> tuple[str, Any]:
        record = self._services.plans.learning_plan(plan_id or "", person(self._auth, request))
        if record is None:
            return "", gr.update(visible=False)
        return inert(record.markdown), gr.update(
            value=self._downloads.write("learning-plan.md", record.markdown), visible=True
        )


def build_learning_plan_tab(services: Services, auth: SignIn, downloads: DownloadFolder) -> None:
    handlers = LearningPlanHandlers(services, auth, downloads)
    goal = gr.Textbox(
        label="Your goal", placeholder="e.g. Get confident at public speaking", elem_id="goal"
    )
    with gr.Row():
        hours = gr.Number(
            label="Hours a week", minimum=0.5, maximum=MAX_HOURS_PER_WEEK, elem_id="goal-hours"
        )
        weeks = gr.Number(
            label="Weeks", precision=0, minimum=1, maximum=MAX_WEEKS, elem_id="goal-weeks"
        )
    create_button = gr.Button("Draft my learning plan", variant="primary", elem_id="goal-draft")
    plans = gr.Dropdown(label="Your saved plans", choices=[], elem_id="saved-plans")
    output = gr.Markdown(elem_id="learning-output")
    download = gr.File(label="Markdown", visible=False)
    create_button.click(handlers.create, [goal, hours, weeks], [output, download, plans])
    plans.focus(handlers.saved, None, plans)
    plans.input(handlers.show, [plans], [output, download])
