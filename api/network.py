"""Who is really calling, and from where: trusted proxies' forwarded headers, and the guard
that keeps local mode to this machine's own browser and tools.

Local mode (no keys) trusts loopback, which a web page the user has open can also reach: a
cross-site form POST needs no preflight, and DNS rebinding makes a hostile name resolve to
127.0.0.1. So in local mode every request must name a loopback host, carry no forwarded
headers (a proxy in front means someone else may be behind it), arrive over a loopback socket
from a loopback peer, and a state-changing one must not come from another origin.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_body
from coach.services.access import is_loopback

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORWARDED = (b"forwarded", b"x-forwarded-for", b"x-forwarded-host", b"x-real-ip")


def loopback_name(host: str) -> bool:
    """localhost, *.localhost, 127.0.0.0/8 or ::1 (with or without a port)."""
    name = host.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1 : name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _origin_is_loopback(origin: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and loopback_name(parts.netloc)


def local_request_refusal(scope: Scope) -> str | None:
    """Why a request may not use local mode, or None when it may."""
    headers = {
        k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
    }
    client = scope.get("client")
    server = scope.get("server")
    if not client or not is_loopback(client[0]):
        return "Local mode answers loopback only."
    if not server or not isinstance(server[0], str) or not is_loopback(server[0]):
        return "Local mode answers on a loopback address only."
    if any(name.decode() in headers for name in FORWARDED):
        return "Local mode does not answer through a proxy; configure API keys."
    if not loopback_name(headers.get("host", "")):
        return "Local mode answers only requests for localhost or 127.0.0.1."
    if scope.get("method", "GET") not in SAFE_METHODS:
        origin = headers.get("origin")
        if origin is not None and not _origin_is_loopback(origin):
            return "Cross-site requests are refused in local mode."
        if headers.get("sec-fetch-site") == "cross-site":
            return "Cross-site requests are refused in local mode."
    return None


class LocalModeGuard:
    """Plain ASGI: in local mode, refuse (403) what `local_request_refusal` names."""

    def __init__(self, app: ASGIApp, local_mode: Callable[[], bool]) -> None:
        self.app = app
        self.local_mode = local_mode

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") != "/healthz" and self.local_mode():
            reason = local_request_refusal(scope)
            if reason is not None:
                body = json.dumps(error_body(403, reason)).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def parse_networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    )


class TrustedProxyHeaders:
    """X-Forwarded-For and X-Forwarded-Proto, believed only from the proxies an operator
    names (COACH_TRUSTED_PROXIES); from anyone else they are dropped, so nobody can claim to
    be loopback or to have come over TLS."""

    def __init__(
        self, app: ASGIApp, trusted: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    ) -> None:
        self.app = app
        self.trusted = trusted

    def _trusted(self, host: str | None) -> bool:
        try:
            address = ipaddress.ip_address(host or "")
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        if not self._trusted(client[0] if client else None):
            await self.app(scope, receive, send)
            return
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
        }
        scope = dict(scope)
        if proto := headers.get("x-forwarded-proto"):
            scope["scheme"] = proto.split(",")[0].strip().lower()
        if chain := headers.get("x-forwarded-for"):
            hops = [hop.strip() for hop in chain.split(",") if hop.strip()]
            # The nearest hop the trusted proxies did not add is the client.
            for hop in reversed(hops):
                if not self._trusted(hop):
                    scope["client"] = (hop, 0)
                    break
        # Handled here: nothing further in should act on them again.
        scope["headers"] = [
            (k, v) for k, v in scope.get("headers", []) if k.lower() not in FORWARDED
        ]
        await self.app(scope, receive, send)
