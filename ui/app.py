"""The web UI: the employee's coach, plans and tickets, and the Learning Ops console
(visible to that role only; its handlers check the role too)."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from api.services import Services
from ui.chat_tab import build_chat_tab
from ui.files import DownloadFolder
from ui.ops_tab import build_ops_tab
from ui.plans_tab import build_learning_plan_tab, build_session_plan_tab
from ui.render import inert
from ui.session import SIGN_OUT_FORM, SessionAuth
from ui.tickets_tab import build_tickets_tab

# Enough workers that a slow model call doesn't hold up the plan builder or the console.
DEFAULT_CONCURRENCY = 8
CACHE_PRUNING = (3600, 3600)  # every hour, files older than an hour


def build_ui(services: Services, auth: SessionAuth) -> gr.Blocks:
    def who(request: gr.Request) -> tuple[str, Any, Any]:
        user = auth.of(request)
        roles = " and ".join(sorted(user.roles))
        csrf = None if services.keys.local_mode else auth.csrf(request)
        sign_out = SIGN_OUT_FORM.format(csrf=html.escape(csrf)) if csrf else ""
        return (
            f"Signed in as **{inert(user.user)}** ({roles})",
            gr.update(value=sign_out, visible=bool(sign_out)),
            gr.update(visible=user.is_learning_ops),
        )

    downloads = DownloadFolder()
    # Uploads and served files in Gradio's cache are pruned hourly after an hour.
    with gr.Blocks(
        title="Learning Ops Coach", fill_height=True, delete_cache=CACHE_PRUNING
    ) as blocks:
        with gr.Row():
            gr.Markdown(
                "## Learning Ops Coach\nAsk about running sessions, planning your learning, or "
                "reaching Learning Ops. Answers cite the playbooks and past session notes."
            )
            identity = gr.Markdown(elem_id="identity")
            sign_out = gr.HTML(visible=False, elem_id="sign-out-form")
        with gr.Tabs():
            with gr.Tab("Coach", id="coach"):
                build_chat_tab(services, auth)
            with gr.Tab("Session plan", id="session-plan"):
                build_session_plan_tab(services, auth, downloads)
            with gr.Tab("Learning plan", id="learning-plan"):
                build_learning_plan_tab(services, auth, downloads)
            with gr.Tab("My tickets", id="tickets"):
                build_tickets_tab(services, auth)
            with gr.Tab("Learning Ops", id="ops", visible=False) as ops:
                build_ops_tab(services, auth)
        blocks.load(who, None, [identity, sign_out, ops])
        blocks.unload(downloads.prune)
    blocks.queue(default_concurrency_limit=DEFAULT_CONCURRENCY, max_size=256)
    built: gr.Blocks = blocks
    built.downloads = downloads  # type: ignore[attr-defined]
    return built
