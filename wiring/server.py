"""Serving the app with uvicorn: in this process, or in worker processes that each build
their own (`wiring.main:build`)."""

from __future__ import annotations

import uvicorn

from coach.services import Services
from coach.settings import Settings
from wiring.app import create_app


def serve(settings: Settings, services: Services, *, host: str, port: int, workers: int) -> None:
    # Forwarded headers are the app's business (COACH_TRUSTED_PROXIES), not uvicorn's, which
    # would otherwise believe any process on 127.0.0.1.
    if workers > 1:
        services.engine.dispose()
        uvicorn.run(
            "wiring.main:build", factory=True, host=host, port=port, workers=workers,
            log_level="info", proxy_headers=False,
        )  # fmt: skip
        return
    uvicorn.run(
        create_app(settings, services=services),
        host=host, port=port, log_level="info", proxy_headers=False,
    )  # fmt: skip
