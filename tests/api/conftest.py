"""API fixtures. Every API test runs against SQLite and, when it answers, PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from coach.core import CoachCore
from coach.services import Services
from coach.settings import Settings
from knowledge.ingest import Root
from wiring.app import create_app
from wiring.services import build_services

POSTGRES_ADMIN_URL = os.environ.get(
    "COACH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Local mode answers requests for loopback names only (not Starlette's "testserver").
LOOPBACK = "http://127.0.0.1"
KEYS = "alice-key:employee:alice,bob-key:employee:bob,olivia-key:learning_ops:olivia"
ALICE = {"Authorization": "Bearer alice-key"}
BOB = {"Authorization": "Bearer bob-key"}
OLIVIA = {"Authorization": "Bearer olivia-key"}


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    if request.param == "sqlite":
        return None  # the default: a SQLite file in the data dir
    try:
        _reset_postgres(POSTGRES_ADMIN_URL)
    except OperationalError:
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432 (database 'test', trust auth)")
    return POSTGRES_ADMIN_URL


@pytest.fixture
def api_settings(fake_settings: Settings, database_url: str | None) -> Settings:
    return fake_settings.model_copy(update={"database_url": database_url})


@pytest.fixture
def services(
    api_settings: Settings, make_core: Callable[[], CoachCore], knowledge_dir: Path
) -> Iterator[Services]:
    services = build_services(api_settings, core=make_core())
    # As after `coach ingest KNOWLEDGE_DIR`: the library remembers the folder it mirrors.
    assert services.library.sync([Root(knowledge_dir)]).counts()["unchanged"] == 4
    yield services
    services.engine.dispose()


@pytest.fixture
def client(api_settings: Settings, services: Services) -> Iterator[TestClient]:
    with TestClient(
        create_app(api_settings, services=services, with_ui=False), base_url=LOOPBACK
    ) as test_client:
        yield test_client


@pytest.fixture
def keyed_settings(api_settings: Settings) -> Settings:
    from pydantic import SecretStr

    return api_settings.model_copy(update={"api_keys": SecretStr(KEYS)})


@pytest.fixture
def keyed_client(
    keyed_settings: Settings, make_core: Callable[[], CoachCore], knowledge_dir: Path
) -> Iterator[TestClient]:
    services = build_services(keyed_settings, core=make_core())
    services.library.sync([Root(knowledge_dir)])
    app = create_app(keyed_settings, services=services, with_ui=False)
    with TestClient(app, base_url=LOOPBACK) as test_client:
        yield test_client
    services.engine.dispose()
