"""Apps for the security tests: the real app over fakes of the models, SQLite by default."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from coach.core import CoachCore
from coach.services import Services
from coach.settings import Settings
from knowledge.ingest import Root
from wiring.app import create_app
from wiring.services import build_services

LOOPBACK = "http://127.0.0.1"
KEYS = "alice-key:employee:alice,olivia-key:learning_ops:olivia,widget-key:widget:intranet-widget"
ALICE = {"Authorization": "Bearer alice-key"}
OLIVIA = {"Authorization": "Bearer olivia-key"}
WIDGET = {"Authorization": "Bearer widget-key"}


@pytest.fixture
def build(
    fake_settings: Settings, make_core: Callable[[], CoachCore], knowledge_dir: Path
) -> Iterator[Callable[..., tuple[Services, TestClient]]]:
    """build(**settings) → services and a client of the app (with the UI when asked)."""
    made: list[tuple[Services, TestClient]] = []

    def make(with_ui: bool = False, **changes: object) -> tuple[Services, TestClient]:
        settings = fake_settings.model_copy(update=changes)
        services = build_services(settings, core=make_core())
        services.library.sync([Root(knowledge_dir)])
        client = TestClient(
            create_app(settings, services=services, with_ui=with_ui), base_url=LOOPBACK
        )
        client.__enter__()
        made.append((services, client))
        return services, client

    yield make
    for services, client in made:
        client.__exit__(None, None, None)
        services.engine.dispose()


@pytest.fixture
def local(build: Callable[..., tuple[Services, TestClient]]) -> tuple[Services, TestClient]:
    return build()


@pytest.fixture
def keyed(build: Callable[..., tuple[Services, TestClient]]) -> tuple[Services, TestClient]:
    return build(api_keys=SecretStr(KEYS))
