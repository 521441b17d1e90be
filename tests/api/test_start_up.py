"""The server answers before its background start-up work is done, says when it is (/readyz),
and builds the web UI off the critical path."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deferred import DeferredUi
from coach.core import CoachCore
from coach.settings import Settings
from tests.api.conftest import LOOPBACK
from wiring import app as app_module
from wiring.app import create_app
from wiring.services import build_services


def test_readiness_waits_for_the_warm_up(
    fake_settings: Settings, make_core: Callable[[], CoachCore], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = build_services(fake_settings, core=make_core())
    release = threading.Event()
    monkeypatch.setattr(services.core, "warm", lambda: release.wait(10))
    with TestClient(
        create_app(fake_settings, services=services, with_ui=False), base_url=LOOPBACK
    ) as client:
        assert client.get("/healthz").status_code == 200
        starting = client.get("/readyz")
        assert starting.status_code == 503
        assert starting.json() == {"status": "starting", "warm": False, "ui": True}
        release.set()
        for _ in range(100):
            if client.get("/readyz").status_code == 200:
                break
            threading.Event().wait(0.05)
        assert client.get("/readyz").json() == {"status": "ready", "warm": True, "ui": True}
    services.engine.dispose()


def test_without_warm_up_the_server_is_ready_at_once(
    fake_settings: Settings, make_core: Callable[[], CoachCore]
) -> None:
    settings = fake_settings.model_copy(update={"warm_up": False})
    services = build_services(settings, core=make_core())
    with TestClient(
        create_app(settings, services=services, with_ui=False), base_url=LOOPBACK
    ) as client:
        assert client.get("/readyz").status_code == 200
    services.engine.dispose()


def test_the_ui_is_built_after_the_server_answers(
    fake_settings: Settings, make_core: Callable[[], CoachCore], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = fake_settings.model_copy(update={"warm_up": False})
    services = build_services(settings, core=make_core())
    release, built = threading.Event(), threading.Event()

    def slow_ui(app: FastAPI, _: object) -> DeferredUi:
        def build() -> FastAPI:
            release.wait(10)
            ui = FastAPI()
            ui.get("/")(lambda: {"page": "ui"})
            built.set()
            return ui

        deferred = DeferredUi(build)
        app.mount("/ui", deferred)
        return deferred

    monkeypatch.setattr(app_module, "mount_ui", slow_ui)
    with TestClient(create_app(settings, services=services), base_url=LOOPBACK) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").json()["ui"] is False
        assert not built.is_set()
        release.set()
        assert client.get("/ui/").json() == {"page": "ui"}  # waited for the build
        assert client.get("/readyz").status_code == 200
    services.engine.dispose()


def test_a_ui_that_cannot_be_built_answers_503_and_the_api_still_works() -> None:
    def broken() -> FastAPI:
        raise RuntimeError("no gradio here")

    deferred = DeferredUi(broken)
    app = FastAPI()
    app.mount("/ui", deferred)
    app.get("/ping")(lambda: {"ok": True})

    async def run() -> None:
        await deferred.run(asyncio.Event())

    asyncio.run(run())
    with TestClient(app) as client:
        failed = client.get("/ui/")
        assert failed.status_code == 503
        assert failed.json()["error"]["code"] == "ui_unavailable"
        assert client.get("/ping").json() == {"ok": True}
