"""The web UI: the employee's coach, plans and tickets, and the Learning Ops console
(visible to that role only; its handlers check the role too). It calls the same use cases as
the API (coach.services), handed to it by the composition root with who is signed in."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from coach.services import Services
from ui.chat_tab import build_chat_tab
from ui.community_console import build_community_console
from ui.community_tab import build_community_tab
from ui.files import DownloadFolder
from ui.identity import SIGN_OUT_FORM, SignIn, person
from ui.ops_tab import build_ops_tab
from ui.plans_tab import build_learning_plan_tab, build_session_plan_tab
from ui.render import inert
from ui.tickets_tab import build_tickets_tab

# Enough workers that a slow model call doesn't hold up the plan builder or the console.
DEFAULT_CONCURRENCY = 8
CACHE_PRUNING = (3600, 3600)  # every hour, files older than an hour


class Header:
    def __init__(self, services: Services, auth: SignIn) -> None:
        self._services = services
        self._auth = auth

    def who(self, request: gr.Request) -> tuple[str, Any, Any]:
        """Who is signed in, their sign-out button, and the console for Learning Ops."""
        user = person(self._auth, request)
        roles = " and ".join(sorted(user.roles))
        csrf = None if self._services.keys.local_mode else self._auth.csrf(request)
        sign_out = SIGN_OUT_FORM.format(csrf=html.escape(csrf)) if csrf else ""
        return (
            f"Signed in as **{inert(user.user)}** ({roles})",
            gr.update(value=sign_out, visible=bool(sign_out)),
            gr.update(visible=user.is_learning_ops),
        )


def _header() -> tuple[gr.Markdown, gr.HTML]:
    with gr.Row():
        gr.Markdown(
            "## Learning Ops Coach\nAsk about running sessions, planning your learning, or "
            "reaching Learning Ops. Answers cite the playbooks and past session notes."
        )
        identity = gr.Markdown(elem_id="identity")
        sign_out = gr.HTML(visible=False, elem_id="sign-out-form")
    return identity, sign_out


def _tabs(services: Services, auth: SignIn, downloads: DownloadFolder) -> gr.Tab:
    """The tabs; returns the Learning Ops console's, shown to that role only."""
    with gr.Tabs():
        with gr.Tab("Coach", id="coach"):
            build_chat_tab(services, auth)
        with gr.Tab("Session plan", id="session-plan"):
            build_session_plan_tab(services, auth, downloads)
        with gr.Tab("Learning plan", id="learning-plan"):
            build_learning_plan_tab(services, auth, downloads)
        with gr.Tab("Community", id="community"):
            build_community_tab(services, auth, downloads)
        with gr.Tab("My tickets", id="tickets"):
            build_tickets_tab(services, auth)
        with gr.Tab("Learning Ops", id="ops", visible=False) as ops:
            build_ops_tab(services, auth)
            build_community_console(services, auth, downloads)
    console: gr.Tab = ops
    return console


def build_ui(services: Services, auth: SignIn) -> gr.Blocks:
    downloads = DownloadFolder()
    # Uploads and served files in Gradio's cache are pruned hourly after an hour.
    with gr.Blocks(
        title="Learning Ops Coach", fill_height=True, delete_cache=CACHE_PRUNING
    ) as blocks:
        identity, sign_out = _header()
        ops = _tabs(services, auth, downloads)
        blocks.load(Header(services, auth).who, None, [identity, sign_out, ops])
        blocks.unload(downloads.prune)
    blocks.queue(default_concurrency_limit=DEFAULT_CONCURRENCY, max_size=256)
    built: gr.Blocks = blocks
    built.downloads = downloads  # type: ignore[attr-defined]
    return built
