"""Request body size limit (413) and a per-key rate limit (429 with Retry-After)."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable

from fastapi import HTTPException, Request, status
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
    """A token bucket per caller: `per_minute` requests, refilled continuously."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, caller: str) -> float:
        """0 if the request may go ahead (and is counted), else how long to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill_per_second)
            if tokens >= 1.0:
                self._buckets[caller] = (tokens - 1.0, now)
                return 0.0
            self._buckets[caller] = (tokens, now)
            return (1.0 - tokens) / self.refill_per_second


async def rate_limit(request: Request, user: CurrentUser) -> None:  # in memory: no thread hop
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.wait_seconds(user.user)
    if wait > 0:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "Too many requests; slow down.",
            headers={"Retry-After": str(math.ceil(wait))},
        )
