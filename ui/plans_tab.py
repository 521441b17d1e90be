"""Session plan builder and personal learning plans, with downloads."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr

from api.services import Services
from coach.flows.export import session_plan_ics, session_plan_markdown
from coach.flows.learning_plan import learning_plan_markdown
from coach.flows.requests import parse_request, plausible
from ui.render import inert
from ui.session import SessionAuth


def _file(name: str, content: str | bytes) -> str:
    folder = Path(tempfile.mkdtemp(prefix="coach-plan-"))
    path = folder / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def build_session_plan_tab(services: Services, auth: SessionAuth) -> None:
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
            audience_size=int(audience) if audience else None,
            duration_minutes=int(minutes) if minutes else None, date=when, hybrid=hybrid,
        )  # fmt: skip
        plan = planner.plan(request_)
        markdown = session_plan_markdown(plan)
        ics = session_plan_ics(plan) if plan.date else None
        services.plans.save_session_plan(
            request=request_.to_json(), plan=plan.to_json(), sources=plan.sources,
            markdown=markdown, ics=ics.decode() if ics else None, conversation_id=None,
            owner=user.user,
        )  # fmt: skip
        md_file = _file("session-plan.md", markdown)
        ics_file = _file("session.ics", ics) if ics else None
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
        audience = gr.Number(label="Audience size", precision=0, minimum=1, elem_id="plan-audience")
        minutes = gr.Number(
            label="Length (minutes)", precision=0, minimum=5, elem_id="plan-minutes"
        )
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


def build_learning_plan_tab(services: Services, auth: SessionAuth) -> None:
    def create(
        goal: str, hours: float | None, weeks: float | None, request: gr.Request
    ) -> tuple[str, Any, Any]:
        user = auth.of(request)
        if len(goal.strip()) < 3:
            raise gr.Error("Describe your goal in a few words.")
        plan = services.core.coaching.learning.plan(
            goal, hours or None, int(weeks) if weeks else None
        )
        markdown = learning_plan_markdown(plan)
        services.plans.save_learning_plan(
            goal=goal, plan=plan.to_json(), sources=list(plan.resources), markdown=markdown,
            conversation_id=None, owner=user.user,
        )  # fmt: skip
        return (
            inert(markdown),
            gr.update(value=_file("learning-plan.md", markdown), visible=True),
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
            value=_file("learning-plan.md", record.markdown), visible=True
        )

    goal = gr.Textbox(
        label="Your goal", placeholder="e.g. Get confident at public speaking", elem_id="goal"
    )
    with gr.Row():
        hours = gr.Number(label="Hours a week", minimum=0.5, elem_id="goal-hours")
        weeks = gr.Number(label="Weeks", precision=0, minimum=1, elem_id="goal-weeks")
    create_button = gr.Button("Draft my learning plan", variant="primary", elem_id="goal-draft")
    plans = gr.Dropdown(label="Your saved plans", choices=[], elem_id="saved-plans")
    output = gr.Markdown(elem_id="learning-output")
    download = gr.File(label="Markdown", visible=False)
    create_button.click(create, [goal, hours, weeks], [output, download, plans])
    plans.focus(saved, None, plans)
    plans.input(show, [plans], [output, download])
