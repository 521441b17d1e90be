"""`create_app(settings)`: the use cases with their doors on them — the HTTP API, the web UI at
/ui behind the API's sign-in, and the MCP server at /mcp behind the API's keys.

The server answers at once: the warm-up and the web UI (importing Gradio takes seconds) are
built in the background while it serves, and /readyz says when they are done."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext, suppress
from typing import Any

from fastapi import FastAPI
from starlette.routing import Route

from api.app import build_api
from api.deferred import DeferredUi
from api.limits import RateLimiter
from api.sign_in import guard_ui
from coach.adapters.sql.db import UNAVAILABLE
from coach.services import Services
from coach.settings import Settings, prepare_offline_environment
from mcp_server.http import McpEndpoint, caller_over_http
from mcp_server.server import build_server
from wiring.services import build_services

log = logging.getLogger(__name__)
UI_PATH = "/ui"
MCP_PATH = "/mcp"


def create_app(
    settings: Settings, *, services: Services | None = None, with_ui: bool = True
) -> FastAPI:
    prepare_offline_environment()
    services = services or build_services(settings)
    if services.core.store.count() == 0:
        log.warning("The knowledge index is empty: run `coach ingest` to index documents.")
    if services.keys.local_mode:
        log.warning("No API keys configured: local mode, loopback only, one local user.")
    start_up = StartUp(settings, services)
    app = build_api(settings, services, lifespan=start_up.lifespan, storage_unavailable=UNAVAILABLE)
    start_up.mcp = mount_mcp(app, services)
    if with_ui:
        start_up.ui = mount_ui(app, services)
    app.state.readiness = start_up.readiness
    return app


class StartUp:
    """While the app serves: the warm-up, then the web UI, in the background; the MCP
    endpoint's session manager; and ticket notifications delivered and reminders sent until
    it stops."""

    def __init__(self, settings: Settings, services: Services) -> None:
        self._settings = settings
        self._services = services
        self.ui: DeferredUi | None = None
        self.mcp: McpEndpoint | None = None
        self._warmed = threading.Event()

    def readiness(self) -> tuple[bool, bool]:
        """(warmed up, UI built), for /readyz."""
        return self._warmed.is_set(), self.ui is None or self.ui.ready

    def lifespan(self, _: FastAPI) -> AbstractAsyncContextManager[None]:
        return self._running()

    @asynccontextmanager
    async def _running(self) -> AsyncIterator[None]:
        warm_done = self._start_warm_up()
        if self._services.outbox:
            self._services.outbox.start()
        if self._services.scheduler:
            self._services.scheduler.start()
        stop = asyncio.Event()
        # Likewise the web UI, after the warm-up: importing Gradio holds the interpreter for
        # seconds, and the first answer should not wait for it.
        building = (
            asyncio.create_task(_build_ui_after(warm_done, self.ui, stop)) if self.ui else None
        )
        try:
            async with self.mcp.running() if self.mcp else nullcontext():
                yield
        finally:
            stop.set()
            if building:
                await building
            if self._services.outbox:
                self._services.outbox.stop()
            if self._services.scheduler:
                self._services.scheduler.stop()

    def _start_warm_up(self) -> asyncio.Event:
        loop = asyncio.get_running_loop()
        warm_done = asyncio.Event()

        def warm_up() -> None:
            _warm(self._services)
            self._warmed.set()
            with suppress(RuntimeError):  # the server stopped first: nobody waits any more
                loop.call_soon_threadsafe(warm_done.set)

        if self._settings.warm_up:
            # In the background: /healthz answers at once, and a request that arrives first
            # waits on the same locks instead of building twice.
            threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
        else:
            self._warmed.set()
            warm_done.set()
        return warm_done


async def _build_ui_after(warmed: asyncio.Event, ui: DeferredUi, stop: asyncio.Event) -> None:
    waiting = asyncio.create_task(warmed.wait())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    stopping.cancel()
    if not stop.is_set():
        await ui.run(stop)


def _warm(services: Services) -> None:
    try:
        services.core.warm()
    except Exception:  # the first request builds it instead (and reports what fails)
        log.exception("warm-up failed")


def mount_ui(app: FastAPI, services: Services) -> DeferredUi:
    """The Gradio UI at /ui, behind the same keys as the API (sign-in at /login). Gradio is
    imported and the UI built when the returned stand-in runs (in the app's lifespan)."""
    auth = guard_ui(app, services, UI_PATH)

    def build() -> FastAPI:
        import gradio as gr

        from ui.app import build_ui

        # Mounted on a holder app: this one is already serving, so Gradio's app is taken
        # from the holder and its lifespan run by DeferredUi.
        holder = gr.mount_gradio_app(
            FastAPI(),
            build_ui(services, auth),
            path=UI_PATH,
            auth_dependency=auth,
            footer_links=[],
            max_file_size=services.settings.max_file_bytes,
        )
        mounted: FastAPI = holder.routes[-1].app
        return mounted

    async def started(gradio_app: Any) -> None:
        # What `gradio.mount_gradio_app` runs in the parent's lifespan: the event queue.
        blocks = gradio_app.get_blocks()
        blocks.run_startup_events()
        await blocks.run_extra_startup_events()

    deferred = DeferredUi(build, started)
    app.mount(UI_PATH, deferred)
    return deferred


def mount_mcp(app: FastAPI, services: Services) -> McpEndpoint:
    """The MCP server at exactly /mcp, behind the API's keys and rate limit; its session
    manager runs in the app's lifespan (`McpEndpoint.running`)."""
    limiter: RateLimiter = app.state.rate_limiter
    endpoint = McpEndpoint(
        build_server(services, caller_over_http), services.keys, limiter.wait_seconds
    )
    # A route for the exact path, not a mount: a mount answers /mcp with a redirect to /mcp/.
    app.router.routes.append(
        Route(MCP_PATH, endpoint, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    )
    return endpoint
