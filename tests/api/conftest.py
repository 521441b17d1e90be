from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services, build_services
from coach.core import CoachCore
from coach.settings import Settings


@pytest.fixture
def services(fake_settings: Settings, make_core: Callable[[], CoachCore]) -> Services:
    return build_services(fake_settings, core=make_core())


@pytest.fixture
def client(fake_settings: Settings, services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(fake_settings, services=services, with_ui=False)) as test_client:
        yield test_client
