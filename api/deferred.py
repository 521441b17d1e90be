"""The web UI, built after the server starts listening.

Importing Gradio and building the UI take seconds (Gradio re-reads its own sources as it
imports). Built in the background, they keep `/healthz` and the API answering from the start;
a page asked for meanwhile waits for the UI instead of failing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from anyio import to_thread
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

WAIT_SECONDS = 120.0  # how long a request for the UI waits for it to be built
POLL_SECONDS = 0.05


class DeferredUi:
    """An ASGI app standing in for the Gradio app until it is built (`run`, in the parent
    app's lifespan), then passing every request to it."""

    def __init__(
        self, build: Callable[[], Any], started: Callable[[Any], Awaitable[None]] | None = None
    ) -> None:
        self._build = build  # returns a Starlette app (slow: run on a worker thread)
        self._started = started  # run once its lifespan has begun
        self._app: Any = None
        self._failed = False

    @property
    def ready(self) -> bool:
        return self._app is not None

    async def run(self, stop: asyncio.Event) -> None:
        """Build the UI, then hold its own lifespan open until `stop` is set."""
        try:
            app = await to_thread.run_sync(self._build)
        except Exception:
            self._failed = True
            log.exception("the web UI could not be built")
            return
        async with app.router.lifespan_context(app):
            if self._started:
                await self._started(app)
            self._app = app
            await stop.wait()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        waited = 0.0
        while self._app is None and not self._failed and waited < WAIT_SECONDS:
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS
        if self._app is None:
            if scope["type"] == "http":
                message = (
                    "The web UI is not available yet."
                    if not self._failed
                    else ("The web UI could not be built; the server log says why.")
                )
                body = {"error": {"code": "ui_unavailable", "message": message}}
                await JSONResponse(body, 503, headers={"Retry-After": "5"})(scope, receive, send)
            return
        app: ASGIApp = self._app
        await app(scope, receive, send)
