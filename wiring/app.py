"""`create_app(settings)`: the use cases with both doors on them — the HTTP API, and the web UI
at /ui behind the API's sign-in."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from api.app import build_api
from api.sign_in import guard_ui
from coach.adapters.sql.db import UNAVAILABLE
from coach.services import Services
from coach.settings import Settings, prepare_offline_environment
from wiring.services import build_services

log = logging.getLogger(__name__)
UI_PATH = "/ui"


def create_app(
    settings: Settings, *, services: Services | None = None, with_ui: bool = True
) -> FastAPI:
    prepare_offline_environment()
    services = services or build_services(settings)
    if services.core.store.count() == 0:
        log.warning("The knowledge index is empty: run `coach ingest` to index documents.")
    if services.keys.local_mode:
        log.warning("No API keys configured: local mode, loopback only, one local user.")

    def lifespan(_: FastAPI) -> AbstractAsyncContextManager[None]:
        return _running(settings, services)

    app = build_api(settings, services, lifespan=lifespan, storage_unavailable=UNAVAILABLE)
    if with_ui:
        mount_ui(app, services)
    return app


@asynccontextmanager
async def _running(settings: Settings, services: Services) -> AsyncIterator[None]:
    """While the app serves: warm the models up, and deliver ticket notifications."""
    if settings.warm_up:
        # In the background: /healthz answers at once, and a request that arrives first
        # waits on the same locks instead of building twice.
        threading.Thread(target=_warm, args=(services,), name="warm-up", daemon=True).start()
    if services.outbox:
        services.outbox.start()
    try:
        yield
    finally:
        if services.outbox:
            services.outbox.stop()


def _warm(services: Services) -> None:
    try:
        services.core.warm()
    except Exception:  # the first request builds it instead (and reports what fails)
        log.exception("warm-up failed")


def mount_ui(app: FastAPI, services: Services) -> None:
    """The Gradio UI at /ui, behind the same keys as the API (sign-in at /login)."""
    import gradio as gr

    from ui.app import build_ui

    auth = guard_ui(app, services, UI_PATH)
    gr.mount_gradio_app(
        app,
        build_ui(services, auth),
        path=UI_PATH,
        auth_dependency=auth,
        footer_links=[],
        max_file_size=services.settings.max_file_bytes,
    )
