"""`create_app(settings)`: the API and the web UI in one FastAPI app."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deferred import DeferredUi
from api.errors import install_error_handlers
from api.limits import BodySizeLimit, RateLimiter, UiRateLimit, rate_limit
from api.network import LocalModeGuard, TrustedProxyHeaders, parse_networks
from api.routes import (
    analytics,
    chat,
    conversations,
    embed,
    escalations,
    feedback,
    health,
    knowledge,
    notifications,
    openai_compat,
    plans,
    retrieve,
)
from api.services import Services, build_services
from coach.settings import Settings, prepare_offline_environment

log = logging.getLogger(__name__)

DESCRIPTION = """A conversational coach for Learning Ops: grounded answers from the playbooks and
past session notes, with citations; session and learning plans; hand-offs to Learning Ops, HR or
the Employee Assistance Program.

Send `Authorization: Bearer KEY` (keys have the role `employee` or `learning_ops`). A server
started without keys is in local mode: it answers loopback only, as one local user with both
roles. Errors always look like `{"error": {"code": "...", "message": "..."}}`."""

UPLOAD_PATHS = ("/v1/knowledge/documents", "/ui/gradio_api/upload")
LOGIN_BODY_BYTES = 16 * 1024
UPLOAD_OVERHEAD_BYTES = 64 * 1024  # multipart framing around the file


def create_app(
    settings: Settings, *, services: Services | None = None, with_ui: bool = True
) -> FastAPI:
    prepare_offline_environment()
    services = services or build_services(settings)
    if services.core.store.count() == 0:
        log.warning("The knowledge index is empty: run `coach ingest` to index documents.")
    if services.keys.local_mode:
        log.warning("No API keys configured: local mode, loopback only, one local user.")

    ui: DeferredUi | None = None
    warmed = threading.Event()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        warm_done = asyncio.Event()

        def warm_up() -> None:
            _warm(services)
            warmed.set()
            with suppress(RuntimeError):  # the server stopped first: nobody waits any more
                loop.call_soon_threadsafe(warm_done.set)

        if settings.warm_up:
            # In the background: /healthz answers at once, and a request that arrives first
            # waits on the same locks instead of building twice.
            threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
        else:
            warmed.set()
            warm_done.set()
        if services.outbox:
            services.outbox.start()
        stop = asyncio.Event()
        # Likewise the web UI, after the warm-up: importing Gradio holds the interpreter for
        # seconds, and the first answer should not wait for it.
        building = asyncio.create_task(_build_ui_after(warm_done, ui, stop)) if ui else None
        try:
            yield
        finally:
            stop.set()
            if building:
                await building
            if services.outbox:
                services.outbox.stop()

    app = FastAPI(
        title="Learning Ops Coach", version="0.1.0", description=DESCRIPTION, lifespan=lifespan
    )
    app.state.services = services
    app.state.rate_limiter = RateLimiter(
        settings.rate_limit_per_minute,
        redis_url=settings.redis_url,
        failed_logins_per_15_minutes=settings.failed_logins_per_15_minutes,
    )
    install_error_handlers(app)

    def body_limit(path: str) -> int:
        """Every body has a limit: uploads the file limit, the sign-in form a few KB."""
        if path in UPLOAD_PATHS:
            return settings.max_file_bytes + UPLOAD_OVERHEAD_BYTES
        if path in ("/login", "/logout"):
            return LOGIN_BODY_BYTES
        return settings.max_body_bytes

    app.add_middleware(BodySizeLimit, limit_for=body_limit)
    app.add_middleware(ServedBy)
    app.add_middleware(LocalModeGuard, local_mode=lambda: services.keys.local_mode)
    app.add_middleware(TrustedProxyHeaders, trusted=parse_networks(settings.trusted_proxies))

    app.include_router(health.router)
    app.include_router(embed.router)
    guarded = [Depends(rate_limit)]
    for module in (
        retrieve,
        chat,
        conversations,
        plans,
        escalations,
        feedback,
        knowledge,
        analytics,
        notifications,
    ):
        app.include_router(module.router, dependencies=guarded)
    app.include_router(openai_compat.router, dependencies=guarded)
    if with_ui:
        ui = mount_ui(app, services)
    app.state.readiness = lambda: (warmed.is_set(), ui is None or ui.ready)
    return app


async def _build_ui_after(warmed: asyncio.Event, ui: DeferredUi, stop: asyncio.Event) -> None:
    waiting = asyncio.create_task(warmed.wait())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    stopping.cancel()
    if not stop.is_set():
        await ui.run(stop)


class ServedBy:
    """Says which worker process answered (X-Coach-Worker), for operators (and tests) of
    multi-worker set-ups. Plain ASGI: it adds a header without wrapping the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.worker = str(os.getpid())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_worker(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("X-Coach-Worker", self.worker)
            await send(message)

        await self.app(scope, receive, send_with_worker)


class SignInFirst:
    """The UI page itself sends people to the sign-in form; Gradio's own routes answer 401."""

    def __init__(self, app: ASGIApp, auth: Callable[[Request], object]) -> None:
        self.app = app
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"] in ("/ui", "/ui/")
            and self.auth(Request(scope)) is None
        ):
            await RedirectResponse("/login", status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _warm(services: Services) -> None:
    try:
        services.core.warm()
    except Exception:  # the first request builds it instead (and reports what fails)
        log.exception("warm-up failed")


def mount_ui(app: FastAPI, services: Services) -> DeferredUi:
    """The Gradio UI at /ui, behind the same keys as the API (sign-in at /login). Gradio is
    imported and the UI built when the returned stand-in runs (in the app's lifespan)."""
    from ui.session import SessionAuth, login_router

    auth = SessionAuth(services.keys, services.web_sessions)
    app.include_router(login_router(auth, services.keys, services.web_sessions))

    app.add_middleware(SignInFirst, auth=auth)
    app.add_middleware(
        UiRateLimit,
        limiter=lambda: app.state.rate_limiter,
        who=lambda scope: p.user if (p := auth.resolve(Request(scope))) else None,
    )

    def build() -> FastAPI:
        import gradio as gr

        from ui.app import build_ui

        # Mounted on a holder app: this one is already serving, so Gradio's app is taken
        # from the holder and its lifespan run by DeferredUi.
        holder = gr.mount_gradio_app(
            FastAPI(),
            build_ui(services, auth),
            path="/ui",
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
    app.mount("/ui", deferred)
    return deferred
