from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services, build_services
from coach.core import CoachCore
from coach.settings import Settings
from knowledge.ingest import Root


@pytest.fixture
def services(
    fake_settings: Settings, make_core: Callable[[], CoachCore], knowledge_dir: Path
) -> Services:
    services = build_services(fake_settings, core=make_core())
    # As after `coach ingest KNOWLEDGE_DIR`: the library remembers the folder it mirrors.
    assert services.library.sync([Root(knowledge_dir)]).counts()["unchanged"] == 4
    return services


@pytest.fixture
def client(fake_settings: Settings, services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(fake_settings, services=services, with_ui=False)) as test_client:
        yield test_client
