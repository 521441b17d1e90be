"""The server builds the keyword index and loads the models in the background at start-up."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from coach.core import CoachCore
from coach.settings import Settings
from tests.api.conftest import LOOPBACK
from wiring.app import create_app
from wiring.services import build_services


@pytest.mark.parametrize("warm_up", [True, False])
def test_start_up_warms_the_core_in_the_background_when_asked(
    fake_settings: Settings,
    make_core: Callable[[], CoachCore],
    monkeypatch: pytest.MonkeyPatch,
    warm_up: bool,
) -> None:
    settings = fake_settings.model_copy(update={"warm_up": warm_up})
    services = build_services(settings, core=make_core())
    release, warmed = threading.Event(), threading.Event()

    def slow_warm() -> None:  # still running while the server already answers
        release.wait(10)
        warmed.set()

    monkeypatch.setattr(services.core, "warm", slow_warm)
    with TestClient(
        create_app(settings, services=services, with_ui=False), base_url=LOOPBACK
    ) as client:
        assert client.get("/healthz").status_code == 200
        assert not warmed.is_set()
        release.set()
        assert warmed.wait(5) is warm_up
    services.engine.dispose()


def test_a_failed_warm_up_leaves_the_server_answering(
    fake_settings: Settings, make_core: Callable[[], CoachCore], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = build_services(fake_settings, core=make_core())
    tried = threading.Event()

    def broken_warm() -> None:
        tried.set()
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(services.core, "warm", broken_warm)
    with TestClient(
        create_app(fake_settings, services=services, with_ui=False), base_url=LOOPBACK
    ) as client:
        assert tried.wait(5)
        answer = client.post("/v1/retrieve", json={"query": "How long is a brown-bag?"})
        assert answer.status_code == 200
        assert answer.json()["results"]
    services.engine.dispose()
