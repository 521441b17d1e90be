"""The MCP server over streamable HTTP, behind the same keys, roles and rate limit as the API.

`McpEndpoint` is a plain ASGI app for one exact path (mounted at /mcp by the composition root,
so there is no /mcp → /mcp/ redirect for a client to trip on). It checks the Bearer key (in
local mode: the local user, loopback only), counts the request against the caller's rate
limit, and hands the request to the SDK's session manager with the caller in its scope, where
every tool call finds it.

The session manager is stateless (every request stands alone, so any worker of a multi-worker
server can answer it, and no session outlives the key that opened it) and answers in JSON. It
must run inside the serving app's lifespan: a sub-app's own lifespan is never run when mounted,
and one session manager can run only once, so `running()` makes a new one each time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from anyio import to_thread
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import Receive, Scope, Send

from coach.services.access import LOCAL_PRINCIPAL, KeyRing, Principal, is_loopback
from mcp_server.server import CoachMcpServer

PRINCIPAL = "coach.principal"  # the ASGI scope key the caller travels under

WaitSeconds = Callable[[str], Awaitable[float]]


def caller_over_http(ctx: Context) -> Principal:
    """Who sent the request this tool call came in (set by `McpEndpoint`)."""
    scope: dict[str, Any] = getattr(ctx.request_context.request, "scope", None) or {}
    principal = scope.get(PRINCIPAL)
    if not isinstance(principal, Principal):
        raise ToolError("This request came in without a caller.")
    return principal


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str]) -> None:
        super().__init__(message)
        self.status, self.code, self.headers = status, code, headers


def _bearer_key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            scheme, _, key = value.decode("latin-1").partition(" ")
            return key.strip() if scheme.lower() == "bearer" and key.strip() else None
    return None


def authenticate(keys: KeyRing, scope: Scope) -> Principal:
    """As the API does (api.auth): the local user in local mode, from loopback only;
    otherwise the holder of a valid Bearer key."""
    if keys.local_mode:
        client = scope.get("client")
        if not is_loopback(client[0] if client else None):
            raise Refusal(403, "forbidden", "Local mode answers loopback only.", {})
        return LOCAL_PRINCIPAL
    challenge = {"WWW-Authenticate": "Bearer"}
    key = _bearer_key(scope)
    if key is None:
        raise Refusal(401, "unauthorized", "Send an API key: Authorization: Bearer KEY.", challenge)
    principal = keys.principal(key)
    if principal is None:
        raise Refusal(401, "unauthorized", "This API key is not valid.", challenge)
    return principal


class McpEndpoint:
    def __init__(self, server: CoachMcpServer, keys: KeyRing, wait_seconds: WaitSeconds) -> None:
        self._server = server
        self._keys = keys
        self._wait_seconds = wait_seconds

    def running(self) -> AbstractAsyncContextManager[None]:
        """The session manager, for the serving app's lifespan."""
        self._server.streamable_http_app(
            stateless_http=True,
            json_response=True,
            # Host and Origin are the app's business: in local mode its guard (api.network)
            # admits loopback names only; with keys, a request without the key gets nothing.
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        return self._server.session_manager.run()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            # The key ring may read the database: off the event loop.
            principal = await to_thread.run_sync(authenticate, self._keys, scope)
            wait = await self._wait_seconds(principal.user)
            if wait > 0:
                retry = {"Retry-After": str(math.ceil(wait))}
                raise Refusal(429, "too_many_requests", "Too many requests; slow down.", retry)
        except Refusal as refusal:
            await _refuse(send, refusal)
            return
        await self._server.session_manager.handle_request(
            {**scope, PRINCIPAL: principal}, receive, send
        )


async def _refuse(send: Send, refusal: Refusal) -> None:
    """The API's error shape: {"error": {"code", "message"}}."""
    body = json.dumps({"error": {"code": refusal.code, "message": str(refusal)}}).encode()
    headers = [(b"content-type", b"application/json")]
    headers += [(k.lower().encode(), v.encode()) for k, v in refusal.headers.items()]
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
