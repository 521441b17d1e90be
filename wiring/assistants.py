"""The MCP door, wired: at /mcp in the app (streamable HTTP, behind the API's keys and rate
limit), or on stdio for a desktop client (`coach mcp`)."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import Route

from api.limits import RateLimiter
from coach.services import Services
from coach.services.access import Principal
from coach.settings import Settings
from mcp_server.http import McpEndpoint, caller_over_http
from mcp_server.server import build_server
from mcp_server.stdio import KeyRequiredError, serve_stdio, stdio_principal
from wiring.services import build_services

__all__ = ["MCP_PATH", "KeyRequiredError", "mount_mcp", "open_for_stdio", "serve_over_stdio"]

MCP_PATH = "/mcp"


def mount_mcp(app: FastAPI, services: Services) -> McpEndpoint:
    """The MCP endpoint at exactly /mcp; its session manager runs in the app's lifespan
    (`McpEndpoint.running`)."""
    limiter: RateLimiter = app.state.rate_limiter
    endpoint = McpEndpoint(
        build_server(services, caller_over_http), services.keys, limiter.wait_seconds
    )
    # A route for the exact path, not a mount: a mount answers /mcp with a redirect to /mcp/.
    app.router.routes.append(
        Route(MCP_PATH, endpoint, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    )
    return endpoint


def open_for_stdio(settings: Settings, key: str | None) -> tuple[Services, Principal]:
    """For `coach mcp`: the services, and the person the server acts for (KeyRequiredError
    when the coach has keys and `key` is not a valid one)."""
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
