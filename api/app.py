"""`create_app(settings)`: the API and the web UI in one FastAPI app."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from api.routes import chat, escalations, health, knowledge, plans, retrieve
from api.services import Services, build_services
from coach.settings import Settings, prepare_offline_environment

log = logging.getLogger(__name__)

DESCRIPTION = """A conversational coach for Learning Ops: grounded answers from the playbooks and
past session notes, with citations, and hand-offs to Learning Ops, HR or the Employee
Assistance Program."""


def create_app(
    settings: Settings, *, services: Services | None = None, with_ui: bool = True
) -> FastAPI:
    prepare_offline_environment()
    services = services or build_services(settings)
    if services.core.store.count() == 0:
        log.warning("The knowledge index is empty: run `coach ingest` to index documents.")
    app = FastAPI(title="Learning Ops Coach", version="0.1.0", description=DESCRIPTION)
    app.state.services = services
    for module in (health, retrieve, chat, plans, escalations, knowledge):
        app.include_router(module.router)
    if with_ui:
        import gradio as gr

        from ui.app import build_ui

        gr.mount_gradio_app(app, build_ui(services.chat), path="/ui", footer_links=[])
    return app
