"""The MCP server over stdio, for a desktop client that starts the coach itself (`coach mcp`).

It acts for one person, fixed when it starts: the machine's local user while the coach has no
keys (as a server in local mode does for loopback), else the holder of the key it is given,
with that key's roles. Without a valid key it does not start."""

from __future__ import annotations

from coach.services import Services
from coach.services.access import LOCAL_PRINCIPAL, KeyRing, Principal
from mcp_server.server import build_server


class KeyRequiredError(ValueError):
    """The coach has keys and none valid was given; the message says what to do."""


def stdio_principal(keys: KeyRing, key: str | None) -> Principal:
    """Who a stdio server acts for."""
    if keys.local_mode:
        return LOCAL_PRINCIPAL
    if not key or not key.strip():
        raise KeyRequiredError(
            "This coach has API keys: give the MCP server yours with --key or COACH_API_KEY "
            "(create one with `coach keys create --role employee --user NAME`)."
        )
    principal = keys.principal(key.strip())
    if principal is None:
        raise KeyRequiredError("This API key is not valid here (revoked, or another coach's).")
    return principal


def serve_stdio(services: Services, principal: Principal) -> None:
    """Serve MCP on stdin/stdout until the client closes them."""
    build_server(services, lambda _: principal).run("stdio")
