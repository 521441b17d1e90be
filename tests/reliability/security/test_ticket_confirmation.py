"""Saying "yes" to a hand-off opens one ticket, even when storing the exchange failed the first
time and the person says "yes" again (the ticket commits before the exchange)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from coach.services import Services


def test_a_retried_yes_finds_the_same_ticket(
    local: tuple[Services, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, client = local
    asked = client.post(
        "/v1/chat",
        json={"message": "I need more than the annual budget allows, can Learning Ops help?"},
    ).json()
    assert asked["handoff"] is not None
    assert asked["handoff"]["ticket_id"] is None  # suggested: waits for "yes"
    conversation = asked["conversation_id"]
    record = services.conversations.record_exchange
    failures = iter([True])

    def flaky(*args: object) -> str:
        if next(failures, False):
            raise RuntimeError("the database went away after the ticket was committed")
        return record(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(services.conversations, "record_exchange", flaky)
    failed = TestClient(client.app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    first = failed.post("/v1/chat", json={"message": "yes", "conversation_id": conversation})
    assert first.status_code == 500
    again = client.post("/v1/chat", json={"message": "yes", "conversation_id": conversation})
    assert again.status_code == 200
    assert client.get("/v1/escalations").json()["total"] == 1
    assert (
        again.json()["handoff"]["ticket_id"]
        == client.get("/v1/escalations").json()["escalations"][0]["id"]
    )
