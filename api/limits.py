"""Request body size limit (413) and per-user rate limits (429 with Retry-After)."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import cast

from fastapi import HTTPException, Request, status
from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import CurrentUser
from api.errors import error_body


class BodyTooLargeError(Exception):
    pass


class BodySizeLimit:
    """Refuse bodies over the limit, by Content-Length or while streaming (chunked uploads).

    `limit_for(path)` lets the upload route accept files up to the ingest size limit.
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int | None]) -> None:
        # `limit_for` answers for every path; None leaves a path unlimited.
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limit_for(scope.get("path", "")) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLargeError
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLargeError:
            await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        body = json.dumps(
            error_body(413, f"The request body is larger than {limit:,} bytes.")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """Requests per caller per minute (a moving window), counted in Redis when configured, so
    every worker shares one count (`--workers N` must not allow N times the limit), or in this
    process's memory otherwise. Also counts failed sign-ins per client address."""

    def __init__(
        self,
        per_minute: int,
        *,
        redis_url: str | None = None,
        failed_logins_per_15_minutes: int = 5,
    ) -> None:
        if redis_url:
            storage: Storage = cast(
                Storage,
                storage_from_string(
                    f"async+{redis_url}", implementation="redispy", key_prefix="coach-limits"
                ),
            )
        else:
            storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(storage)
        self._requests = RateLimitItemPerMinute(per_minute)
        self._failed_logins = RateLimitItemPerMinute(failed_logins_per_15_minutes, 15)

    async def _wait(self, item: RateLimitItem, *keys: str) -> float:
        if await self._limiter.hit(item, *keys):
            return 0.0
        stats = await self._limiter.get_window_stats(item, *keys)
        return max(stats.reset_time - time.time(), 1.0)

    async def wait_seconds(self, caller: str) -> float:
        """0 if the request may go ahead (and is counted), else how long to wait."""
        return await self._wait(self._requests, "requests", caller)

    async def sign_in_wait(self, client: str) -> float:
        """How long a client must wait before trying another key (0: it may try now)."""
        if await self._limiter.test(self._failed_logins, "failed-logins", client):
            return 0.0
        stats = await self._limiter.get_window_stats(self._failed_logins, "failed-logins", client)
        return max(stats.reset_time - time.time(), 1.0)

    async def failed_sign_in(self, client: str) -> None:
        await self._limiter.hit(self._failed_logins, "failed-logins", client)


def too_many(wait: float) -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        "Too many requests; slow down.",
        headers={"Retry-After": str(math.ceil(wait))},
    )


async def rate_limit(request: Request, user: CurrentUser) -> None:
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = await limiter.wait_seconds(user.user)
    if wait > 0:
        raise too_many(wait)


class UiRateLimit:
    """The web UI's own routes (Gradio's queue, uploads, API) count against the same per-user
    limit as the REST API: every POST under /ui by a signed-in person."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: Callable[[], RateLimiter],
        who: Callable[[Scope], str | None],
        prefix: str = "/ui/",
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.who = who
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and str(scope.get("path", "")).startswith(self.prefix)
            and (user := self.who(scope)) is not None
            and (wait := await self.limiter().wait_seconds(user)) > 0
        ):
            body = json.dumps(error_body(429, "Too many requests; slow down.")).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 429,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"retry-after", str(math.ceil(wait)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
