"""Session plan builder and personal learning plans, with downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import gradio as gr

from api.services import Services
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
from coach.flows.export import session_plan_ics, session_plan_markdown
from coach.flows.learning_plan import learning_plan_markdown
from coach.flows.requests import parse_request, plausible
from ui.files import DownloadFolder
from ui.render import inert
from ui.session import SessionAuth


def _number(value: float | None, clamp: Callable[[int], Clamped[int]]) -> int | None:
    """A number from a form field, inside the bounds the REST schema sets (coach.bounds)."""
    if not value:
        return None
    clamped = clamp(int(min(value, 10**9)))
    if clamped.note:
        gr.Info(clamped.note)
    return clamped.value


def build_session_plan_tab(
    services: Services, auth: SessionAuth, downloads: DownloadFolder
) -> None:
    planner = services.core.coaching.sessions

    def draft(
        topic: str, format_name: str | None, audience: float | None, minutes: float | None,
        date: str, hybrid: bool, request: gr.Request,
    ) -> tuple[str, Any, Any]:  # fmt: skip
        user = auth.of(request)
        if not topic.strip() and not format_name:
            raise gr.Error("Give the session a topic or a format.")
        try:
            when = dt.date.fromisoformat(date.strip()) if date.strip() else None
            if when is not None and plausible(when) is None:
                raise ValueError(date)
        except ValueError:
            raise gr.Error("Write the date as YYYY-MM-DD, e.g. 2027-03-10.") from None
        text = f"{format_name or 'session'} about {topic.strip() or 'a topic'}"
        request_ = replace(
            parse_request(text, planner.known_formats()),
            topic=topic.strip() or None, format=format_name or None,
            audience_size=_number(audience, clamp_audience),
            duration_minutes=_number(minutes, clamp_duration_minutes), date=when, hybrid=hybrid,
        )  # fmt: skip
        plan = planner.plan(request_)
        markdown = session_plan_markdown(plan)
        ics = session_plan_ics(plan) if plan.date else None
        services.plans.save_session_plan(
            request=request_.to_json(), plan=plan.to_json(), sources=plan.sources,
            markdown=markdown, ics=ics.decode() if ics else None, conversation_id=None,
            owner=user.user,
        )  # fmt: skip
        md_file = downloads.write("session-plan.md", markdown)
        ics_file = downloads.write("session.ics", ics) if ics else None
        return (
            inert(markdown),
            gr.update(value=md_file, visible=True),
            gr.update(value=ics_file, visible=ics is not None),
        )

    formats = sorted(planner.known_formats())
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
    build = gr.Button("Draft the plan", variant="primary", elem_id="plan-draft")
    output = gr.Markdown(elem_id="plan-output")
    with gr.Row():
        md_download = gr.File(label="Markdown", visible=False, elem_id="plan-md")
        ics_download = gr.File(label="Calendar invitation", visible=False, elem_id="plan-ics")
    gr.Markdown(
        "Refine it in the *Coach* tab by chatting, e.g. “and for 40 people?” or “make it hybrid”."
    )
    build.click(
        draft,
        [topic, format_name, audience, minutes, date, hybrid],
        [output, md_download, ics_download],
    )


def build_learning_plan_tab(
    services: Services, auth: SessionAuth, downloads: DownloadFolder
) -> None:
    def create(
        goal: str, hours: float | None, weeks: float | None, request: gr.Request
    ) -> tuple[str, Any, Any]:
        user = auth.of(request)
        if len(goal.strip()) < 3:
            raise gr.Error("Describe your goal in a few words.")
        hours_per_week = clamp_hours_per_week(min(hours, 10**6)) if hours else None
        if hours_per_week is not None and hours_per_week.note:
            gr.Info(hours_per_week.note)
        plan = services.core.coaching.learning.plan(
            goal,
            hours_per_week.value if hours_per_week else None,
            _number(weeks, clamp_weeks),
        )
        markdown = learning_plan_markdown(plan)
        services.plans.save_learning_plan(
            goal=goal, plan=plan.to_json(), sources=list(plan.resources), markdown=markdown,
            conversation_id=None, owner=user.user,
        )  # fmt: skip
        return (
            inert(markdown),
            gr.update(value=downloads.write("learning-plan.md", markdown), visible=True),
            saved(request),
        )

    def saved(request: gr.Request) -> Any:
        rows = services.plans.learning_plans_of(auth.of(request).user)
        return gr.update(choices=[(f"{r.goal[:50]} ({r.created_at:%Y-%m-%d})", r.id) for r in rows])

    def show(plan_id: str | None, request: gr.Request) -> tuple[str, Any]:
        record = services.plans.learning_plan(plan_id or "")
        if record is None or record.owner != auth.of(request).user:
            return "", gr.update(visible=False)
        return inert(record.markdown), gr.update(
            value=downloads.write("learning-plan.md", record.markdown), visible=True
        )

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
    create_button.click(create, [goal, hours, weeks], [output, download, plans])
    plans.focus(saved, None, plans)
    plans.input(show, [plans], [output, download])
