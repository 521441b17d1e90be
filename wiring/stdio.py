"""`coach mcp`: the MCP door on stdin/stdout, for a desktop client that starts the coach
itself. (Over HTTP the same server is mounted at /mcp by `wiring.app`.) Nothing here imports
the web app: a desktop client waits for this process to start."""

from __future__ import annotations

from coach.services import Services
from coach.services.access import Principal
from coach.settings import Settings
from mcp_server.stdio import KeyRequiredError, serve_stdio, stdio_principal
from wiring.services import build_services

__all__ = ["KeyRequiredError", "open_for_stdio", "serve_over_stdio"]


def open_for_stdio(settings: Settings, key: str | None) -> tuple[Services, Principal]:
    """The services, and the person the server acts for (KeyRequiredError when the coach has
    keys and `key` is not a valid one)."""
    services = build_services(settings)
    try:
        return services, stdio_principal(services.keys, key)
    except KeyRequiredError:
        services.engine.dispose()
        raise


def serve_over_stdio(services: Services, principal: Principal) -> None:
    """MCP on stdin/stdout until the client closes them."""
    try:
        serve_stdio(services, principal)
    finally:
        services.engine.dispose()
