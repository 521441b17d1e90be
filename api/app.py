"""`build_api(settings, services)`: the HTTP door — routers, middleware and error handlers over
the use cases it is given (the composition root, `wiring.app`, builds both)."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import Depends, FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import install_error_handlers
from api.limits import BodySizeLimit, RateLimiter, rate_limit
from api.network import LocalModeGuard, TrustedProxyHeaders, parse_networks
from api.routes import (
    analytics,
    chat,
    communities,
    community_sessions,
    conversations,
    embed,
    escalations,
    feedback,
    health,
    interests,
    knowledge,
    notifications,
    openai_compat,
    plans,
    retrieve,
    rules,
)
from coach.services import Services
from coach.settings import Settings

DESCRIPTION = """A conversational coach for Learning Ops: grounded answers from the playbooks and
past session notes, with citations; session and learning plans; hand-offs to Learning Ops, HR or
the Employee Assistance Program.

Send `Authorization: Bearer KEY` (keys have the role `employee` or `learning_ops`). A server
started without keys is in local mode: it answers loopback only, as one local user with both
roles. Errors always look like `{"error": {"code": "...", "message": "..."}}`."""

UPLOAD_PATHS = ("/v1/knowledge/documents", "/ui/gradio_api/upload")
LOGIN_BODY_BYTES = 16 * 1024
UPLOAD_OVERHEAD_BYTES = 64 * 1024  # multipart framing around the file
GUARDED_ROUTERS = (
    retrieve,
    chat,
    conversations,
    plans,
    escalations,
    feedback,
    knowledge,
    analytics,
    notifications,
    rules,
    openai_compat,
    interests,
    community_sessions,
    communities,
)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def build_api(
    settings: Settings,
    services: Services,
    *,
    lifespan: Lifespan | None = None,
    storage_unavailable: tuple[type[Exception], ...] = (),
) -> FastAPI:
    """The API over `services`. `storage_unavailable`: the storage's errors that mean "busy or
    unreachable, try again" (503)."""
    app = FastAPI(
        title="Learning Ops Coach", version="0.1.0", description=DESCRIPTION, lifespan=lifespan
    )
    app.state.services = services
    # (warmed up, UI built), for /readyz: the composition root says when start-up is done.
    app.state.readiness = lambda: (True, True)
    app.state.rate_limiter = RateLimiter(
        settings.rate_limit_per_minute,
        redis_url=settings.redis_url,
        failed_logins_per_15_minutes=settings.failed_logins_per_15_minutes,
    )
    install_error_handlers(app, unavailable=storage_unavailable)
    _add_middleware(app, settings, services)
    app.include_router(health.router)
    app.include_router(embed.router)
    for module in GUARDED_ROUTERS:
        app.include_router(module.router, dependencies=[Depends(rate_limit)])
    return app


def _add_middleware(app: FastAPI, settings: Settings, services: Services) -> None:
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
