"""Every route of the OpenAPI spec, fuzzed with schemathesis: no input makes a 5xx, and
every error has the one error shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from pydantic import SecretStr

from coach.core import CoachCore
from coach.settings import Settings
from knowledge.ingest import Root
from wiring.app import create_app
from wiring.services import build_services

EXAMPLES_PER_ROUTE = 25


@pytest.fixture
def app(
    fake_settings: Settings, make_core: Callable[[], CoachCore], knowledge_dir: Path
) -> Iterator[FastAPI]:
    # With a key: local mode only answers requests to a loopback host name, and the fuzzer's
    # client calls itself "testserver".
    settings = fake_settings.model_copy(
        update={
            "rate_limit_per_minute": 1_000_000,
            "api_keys": SecretStr(f"{KEY}:employee+learning_ops:fuzzer"),
        }
    )
    services = build_services(settings, core=make_core())
    services.library.sync([Root(knowledge_dir)])
    yield create_app(settings, services=services, with_ui=False)
    services.engine.dispose()


KEY = "fuzz-key-0123456789abcdef"


def test_no_input_makes_a_server_error(app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_ROUTE,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {KEY}"})
            detail = (case.method, case.path, response.status_code, response.text[:300])
            assert response.status_code < 500, detail
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"code", "message"}, detail

        fuzz()
