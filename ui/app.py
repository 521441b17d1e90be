"""The web UI: the employee's coach, plans and tickets, and the Learning Ops console
(visible to that role only; its handlers check the role too)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from api.services import Services
from ui.chat_tab import build_chat_tab
from ui.ops_tab import build_ops_tab
from ui.plans_tab import build_learning_plan_tab, build_session_plan_tab
from ui.session import SessionAuth
from ui.tickets_tab import build_tickets_tab

# Enough workers that a slow model call doesn't hold up the plan builder or the console.
DEFAULT_CONCURRENCY = 8


def build_ui(services: Services, auth: SessionAuth) -> gr.Blocks:
    def who(request: gr.Request) -> tuple[str, Any]:
        user = auth.of(request)
        sign_out = "" if services.keys.local_mode else " · [Sign out](/logout)"
        roles = " and ".join(sorted(user.roles))
        return f"Signed in as **{user.user}** ({roles}){sign_out}", gr.update(
            visible=user.is_learning_ops
        )

    with gr.Blocks(title="Learning Ops Coach", fill_height=True) as blocks:
        with gr.Row():
            gr.Markdown(
                "## Learning Ops Coach\nAsk about running sessions, planning your learning, or "
                "reaching Learning Ops. Answers cite the playbooks and past session notes."
            )
            identity = gr.Markdown(elem_id="identity")
        with gr.Tabs():
            with gr.Tab("Coach", id="coach"):
                build_chat_tab(services, auth)
            with gr.Tab("Session plan", id="session-plan"):
                build_session_plan_tab(services, auth)
            with gr.Tab("Learning plan", id="learning-plan"):
                build_learning_plan_tab(services, auth)
            with gr.Tab("My tickets", id="tickets"):
                build_tickets_tab(services, auth)
            with gr.Tab("Learning Ops", id="ops", visible=False) as ops:
                build_ops_tab(services, auth)
        blocks.load(who, None, [identity, ops])
    blocks.queue(default_concurrency_limit=DEFAULT_CONCURRENCY, max_size=256)
    built: gr.Blocks = blocks
    return built
