"""Feedback storage, the error shape, body size and rate limits, local mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from coach.adapters.sql.models import Feedback
from coach.core import CoachCore
from coach.services import Services
from coach.settings import Settings
from knowledge.ingest import Root
from tests.api.conftest import ALICE, LOOPBACK
from wiring.app import create_app
from wiring.services import build_services


def test_feedback_is_stored_with_the_chunks_of_the_rated_answer(
    client: TestClient, services: Services
) -> None:
    chat = client.post(
        "/v1/chat", json={"message": "How many minutes can a brown-bag last?"}
    ).json()
    response = client.post(
        "/v1/feedback",
        json={"conversation_id": chat["conversation_id"], "message_id": chat["message_id"],
              "rating": "down", "comment": "Too vague"},
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert (body["rating"], body["comment"]) == ("down", "Too vague")
    assert body["chunk_ids"]
    with services.engine.connect() as connection:
        stored = connection.execute(select(Feedback.rating, Feedback.chunk_ids)).one()
    assert stored.rating == "down"
    assert stored.chunk_ids["ids"] == body["chunk_ids"]
    wrong = client.post(
        "/v1/feedback",
        json={"conversation_id": chat["conversation_id"], "message_id": "nope", "rating": "up"},
    )
    assert wrong.status_code == 404
    assert client.post("/v1/feedback", json={"rating": "meh"}).status_code == 422


def test_validation_errors_are_readable_in_the_error_shape(client: TestClient) -> None:
    response = client.post("/v1/chat", json={"message": ""})
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "invalid_request",
            "message": "message: String should have at least 1 character",
        }
    }
    malformed = client.post(
        "/v1/chat", content=b"{oops", headers={"content-type": "application/json"}
    )
    assert malformed.json()["error"]["code"] == "invalid_request"


def test_oversized_body_is_413(client: TestClient) -> None:
    response = client.post("/v1/chat", json={"message": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_entity_too_large"


def test_floods_get_429_with_retry_after(
    api_settings: Settings, make_core: Callable[[], CoachCore], knowledge_dir: Path
) -> None:
    settings = api_settings.model_copy(update={"rate_limit_per_minute": 3})
    services = build_services(settings, core=make_core())
    services.library.sync([Root(knowledge_dir)])
    with TestClient(
        create_app(settings, services=services, with_ui=False), base_url=LOOPBACK
    ) as client:
        codes = [
            client.post("/v1/retrieve", json={"query": "brown-bag"}).status_code for _ in range(5)
        ]
        limited = client.post("/v1/retrieve", json={"query": "brown-bag"})
    services.engine.dispose()
    assert codes == [200, 200, 200, 429, 429]
    assert int(limited.headers["retry-after"]) >= 1


def test_local_mode_refuses_remote_callers(client: TestClient) -> None:
    remote = TestClient(client.app, base_url=LOOPBACK, client=("203.0.113.9", 50000))
    response = remote.post("/v1/retrieve", json={"query": "brown-bag"})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Local mode answers loopback only."


def test_keys_created_by_the_cli_replace_local_mode(client: TestClient, services: Services) -> None:
    assert client.post("/v1/retrieve", json={"query": "x"}).status_code == 200
    key = services.keys.create("employee", "carol")
    assert client.post("/v1/retrieve", json={"query": "x"}).status_code == 401
    assert (
        client.post(
            "/v1/retrieve", json={"query": "x"}, headers={"Authorization": f"Bearer {key}"}
        ).status_code
        == 200
    )
    assert client.get("/v1/escalations", headers=ALICE).status_code == 401
